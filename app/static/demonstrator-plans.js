// Visit plans: live progress of a computation. The page works without it (a "Refresh" link).
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("[data-progress-url]");
  if (!panel) return;
  const set = (name, text) => {
    const el = panel.querySelector(`[data-progress="${name}"]`);
    if (el && text !== undefined && text !== null) el.textContent = text;
  };
  const poll = async () => {
    let data;
    try {
      const response = await fetch(panel.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) { setTimeout(poll, 2000); return; }
      data = await response.json();
    } catch (error) {
      setTimeout(poll, 2000);  // the network hiccupped: try again
      return;
    }
    if (data.status !== "computing") {
      window.location.reload();
      return;
    }
    const bar = panel.querySelector("[data-progress-bar]");
    if (bar) bar.value = data.fraction;
    set("best", data.best_text);
    set("bound", data.bound_text);
    set("elapsed", data.elapsed_text);
    set("gap", data.gap_text);
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
});
