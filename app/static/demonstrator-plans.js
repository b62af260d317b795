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
    set("quality", data.quality_text);
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
});

// Hand edits made in place: a lock, an unlock, a move or a removal is sent with fetch and the visitor's
// block (and the figures) come back, instead of the whole plan again. Without the script the same
// buttons post their form and the server redirects back to the visitor.
document.addEventListener("DOMContentLoaded", () => {
  const editForm = document.getElementById("plan-edit");
  const list = document.querySelector("[data-plan-visitors]");
  const status = document.querySelector("[data-plan-status]");
  if (!editForm || !list) return;

  const say = (text, ok) => {
    if (!status) return;
    status.textContent = text;
    status.className = `flash plan-edit-status ${ok ? "flash-success" : "flash-error"}`;
    status.hidden = false;
  };
  const showError = (visitId, text) => {
    const row = list.querySelector(`[data-visit-id="${visitId}"]`);
    say(text, false);
    if (!row) return;
    list.querySelectorAll(".plan-visit-error").forEach((el) => el.remove());
    list.querySelectorAll("tr.has-error").forEach((el) => el.classList.remove("has-error"));
    row.classList.add("has-error");
    const errorRow = document.createElement("tr");
    errorRow.className = "plan-visit-error";
    const cell = document.createElement("td");
    cell.colSpan = 5;
    cell.setAttribute("role", "alert");
    cell.dataset.testid = "visit-error";
    cell.textContent = text;
    errorRow.appendChild(cell);
    row.after(errorRow);
  };
  const send = async (url, body, visitId, focusName) => {
    let response;
    let data;
    try {
      response = await fetch(url, { method: "POST", body, headers: { Accept: "application/json" } });
      data = await response.json();
    } catch (error) {
      return false;  // not JSON or no network: let the plain form post do it
    }
    if (!data.ok) {
      showError(data.visit || visitId, data.error);
      return true;
    }
    const old = list.querySelector(`[data-visitor="${data.visitor}"]`);
    if (old) {
      const box = document.createElement("div");
      box.innerHTML = data.html;
      const fresh = box.firstElementChild;
      if (fresh) old.replaceWith(fresh); else old.remove();
      const target = fresh && fresh.querySelector(`[data-visit-id="${visitId}"] [data-testid="${focusName}"]`);
      (target || fresh || list).focus({ preventScroll: true });
    }
    const figures = document.querySelector('[data-testid="plan-figures"]');
    if (figures && data.figures_html) {
      const box = document.createElement("div");
      box.innerHTML = data.figures_html;
      if (box.firstElementChild) figures.replaceWith(box.firstElementChild);
    }
    const planStatus = document.querySelector('[data-testid="plan-status"]');
    if (data.edited_label && planStatus && !document.querySelector('[data-testid="plan-edited"]')) {
      const badge = document.createElement("span");
      badge.className = "badge plan-edited";
      badge.dataset.testid = "plan-edited";
      badge.textContent = data.edited_label;
      planStatus.after(" ", badge);
    }
    say(data.message, true);
    return true;
  };
  const visitOf = (el) => el.closest("[data-visit-id]")?.dataset.visitId;

  // Lock, unlock, remove: the buttons of the shared form, each with its own formaction.
  editForm.addEventListener("submit", async (event) => {
    const button = event.submitter;
    if (!button) return;
    if (button.dataset.planConfirm !== undefined && !window.confirm(editForm.dataset.confirmRemove)) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    const body = new FormData(editForm, button);
    const next = button.dataset.testid === "lock" ? "unlock" : "lock";
    button.disabled = true;
    const done = await send(editForm.action, body, visitOf(button), next);
    if (!done) {  // the plain post, as without the script
      if (button.name) {
        const field = document.createElement("input");
        field.type = "hidden";
        field.name = button.name;
        field.value = button.value;
        editForm.appendChild(field);
      }
      editForm.submit();
    }
  });

  // Move: the form opens in the row (without the script, the link opens it on a reloaded page).
  list.addEventListener("click", (event) => {
    const link = event.target.closest("[data-plan-move]");
    if (!link) return;
    event.preventDefault();
    const row = link.closest("[data-visit-id]");
    const cell = link.closest(".plan-visit-actions");
    const open = cell.querySelector(".plan-move-form");
    if (open) { open.remove(); link.setAttribute("aria-expanded", "false"); return; }
    const id = row.dataset.visitId;
    const labels = editForm.dataset;
    const form = document.createElement("form");
    form.method = "post";
    form.className = "plan-move-form";
    form.dataset.testid = "move-form";
    form.action = `${labels.planUrl}/visits/${id}/move`;
    const csrf = editForm.querySelector('[name="csrf_token"]').cloneNode();
    const field = (name, type, text, value) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.name = name;
      input.id = `${name}-${id}`;
      if (type) input.type = type;
      input.value = value;
      label.htmlFor = input.id;
      label.textContent = text;
      return [label, input];
    };
    const [timeLabel, time] = field("time", "time", labels.labelTime, row.dataset.time);
    time.required = true;
    const [standLabel, stand] = field("stand", "", labels.labelStand, row.dataset.stand);
    stand.setAttribute("list", "stand-choices");
    stand.autocomplete = "off";
    const submit = document.createElement("button");
    submit.type = "submit";
    submit.className = "btn small";
    submit.dataset.testid = "move";
    submit.textContent = labels.labelMove;
    form.append(csrf, timeLabel, time, standLabel, stand, submit);
    cell.appendChild(form);
    link.setAttribute("aria-expanded", "true");
    form.querySelector('[name="time"]').focus();
  });
  list.addEventListener("submit", async (event) => {
    const form = event.target.closest(".plan-move-form");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const done = await send(form.action, new FormData(form), visitOf(form), "move-open");
    if (!done) form.submit();
    else if (form.isConnected) button.disabled = false;
  });
});
