// The hall plan: a click on the floor fills the x/y fields of the "add a stand" form (or of the entrance form)
// and shows where the stand would go. Without JavaScript the forms work as they are.
document.addEventListener("DOMContentLoaded", () => {
  const svg = document.querySelector(".hall-svg.clickable");
  if (!svg) return;
  const NS = "http://www.w3.org/2000/svg";
  const width = parseFloat(svg.dataset.width);
  const depth = parseFloat(svg.dataset.depth);
  const standForm = document.getElementById("stand-form");
  const entranceForm = document.getElementById("entrance-form");
  const mode = document.querySelector("[data-click-mode]");
  if (mode && entranceForm) mode.hidden = false;
  const half = (v) => Math.round(v * 2) / 2;
  const number = (input) => parseFloat((input && input.value || "").replace(",", "."));
  const show = (v) => String(v);

  let ghost = null;
  let dot = null;
  const drawGhost = () => {
    if (!standForm) return;
    const x = number(standForm.elements.x);
    const y = number(standForm.elements.y);
    const w = number(standForm.elements.width) || 3;
    const d = number(standForm.elements.depth) || 3;
    if (Number.isNaN(x) || Number.isNaN(y)) { if (ghost) ghost.remove(); ghost = null; return; }
    if (!ghost) {
      ghost = document.createElementNS(NS, "rect");
      ghost.setAttribute("class", "ghost");
      ghost.setAttribute("data-testid", "plan-ghost");
      svg.appendChild(ghost);
    }
    ghost.setAttribute("x", x); ghost.setAttribute("y", y);
    ghost.setAttribute("width", w); ghost.setAttribute("height", d);
  };
  const drawDot = (x, y) => {
    if (!dot) {
      dot = document.createElementNS(NS, "circle");
      dot.setAttribute("class", "ghost-dot");
      dot.setAttribute("r", "0.6");
      svg.appendChild(dot);
    }
    dot.setAttribute("cx", x); dot.setAttribute("cy", y);
  };

  svg.addEventListener("click", (event) => {
    if (event.target.closest("a")) return; // a stand: follow its link
    const matrix = svg.getScreenCTM();
    if (!matrix) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    const x = Math.min(Math.max(half(point.x), 0), width);
    const y = Math.min(Math.max(half(point.y), 0), depth);
    const target = mode && !mode.hidden && mode.querySelector("input:checked").value === "entrance" ? entranceForm : standForm;
    if (!target) return;
    const prefix = target === entranceForm ? "entrance-" : "";
    target.elements[prefix + "x"].value = show(x);
    target.elements[prefix + "y"].value = show(y);
    if (target === standForm) {
      drawGhost();
      const first = standForm.elements.number.value ? standForm.elements.width : standForm.elements.number;
      first.focus({ preventScroll: true });
    } else {
      drawDot(x, y);
      target.elements["entrance-name"].focus({ preventScroll: true });
    }
  });
  if (standForm) {
    ["x", "y", "width", "depth"].forEach((name) => standForm.elements[name].addEventListener("input", drawGhost));
    drawGhost();
  }
});
