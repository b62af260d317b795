// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // "Select all" checkbox for bulk actions.
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(box.dataset.selectAll).forEach((item) => { item.checked = box.checked; });
    });
  });
  // Confirm destructive actions.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // On a phone, an edition's menu folds behind one button (see mediane.css); without this script it shows whole.
  document.querySelectorAll("[data-collapsible]").forEach((nav) => {
    const toggle = nav.querySelector(".subnav-toggle");
    if (!toggle) return;
    nav.classList.add("collapsible");
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      toggle.setAttribute("aria-expanded", String(nav.classList.toggle("open")));
    });
  });
  // After a failed submit, the error summary takes the focus; each of its links moves the focus to its field
  // (a group of boxes: its first box) and shows the field's label or legend with it.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("a[data-focus-field]").forEach((link) => {
      link.addEventListener("click", (event) => {
        const found = document.getElementById(link.dataset.focusField);
        if (!found) return;
        event.preventDefault();
        // A list of fields (a fieldset): its first control takes the focus.
        const target = found.matches("input, select, textarea, button, [tabindex]") ? found
          : found.querySelector("input:not([type=hidden]), select, textarea, button") || found;
        target.focus();
        const label = target.closest("fieldset.group")?.querySelector("legend")
          || document.querySelector(`label[for="${CSS.escape(target.id)}"]`) || target;
        label.scrollIntoView({ block: "start" });
      });
    });
  }
  // Live job progress: poll the job's JSON until it is finished.
  document.querySelectorAll("[data-job-url]").forEach((row) => {
    const poll = async () => {
      const response = await fetch(row.dataset.jobUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const job = await response.json();
      const bar = row.querySelector("progress");
      if (bar) bar.value = job.progress;
      const status = row.querySelector("[data-job-status]");
      if (status) { status.textContent = job.status_label; status.className = "badge status-" + job.status; }
      const message = row.querySelector("[data-job-message]");
      if (message) message.textContent = job.message || "";
      if (job.status === "done" || job.status === "failed") {
        if (row.dataset.reloadOnFinish !== undefined) window.location.reload();
        return;
      }
      setTimeout(poll, 1000);
    };
    if (!["done", "failed"].includes(row.dataset.jobStatus)) setTimeout(poll, 800);
  });
});
