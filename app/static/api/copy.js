// A "Copy" button beside a secret shown once: it copies the field named by data-copy and says so. Without this
// script the button stays hidden and the field (read-only, selected on focus) is copied by hand.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    const status = button.parentElement.querySelector(".copy-status");
    field.addEventListener("focus", () => field.select());
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.select();
      let copied = false;
      try {
        await navigator.clipboard.writeText(field.value);
        copied = true;
      } catch (error) {
        copied = document.execCommand && document.execCommand("copy");
      }
      if (status) status.textContent = copied ? button.dataset.copied : "";
    });
  });
});
