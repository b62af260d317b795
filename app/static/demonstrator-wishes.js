// The heat map's hovered or focused cell, spelled out under the legend (native tooltips are slow and absent
// on touch screens). Progressive enhancement: every cell keeps its <title>.
document.addEventListener("DOMContentLoaded", () => {
  const map = document.querySelector("svg.heat");
  const info = document.querySelector("[data-testid=heat-info]");
  if (!map || !info) return;
  let current = null;
  const show = (cell) => {
    if (current) current.classList.remove("hovered");
    current = cell;
    const title = cell && cell.querySelector("title");
    if (!title) { info.hidden = true; return; }
    cell.classList.add("hovered");
    info.textContent = title.textContent;
    info.hidden = false;
  };
  map.addEventListener("mouseover", (event) => {
    const cell = event.target.closest("[data-testid=heat-cell], .row-label, .col-label");
    if (cell) show(cell);
  });
  map.addEventListener("click", (event) => show(event.target.closest("[data-testid=heat-cell]")));
});
