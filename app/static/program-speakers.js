// The session form's speaker search: each "Find a speaker" field becomes a combobox (WAI-ARIA 1.2
// pattern, list autocomplete) that asks the edition's registrations as the organiser types. Choosing a
// person puts them in the row's speaker list (a select that holds only the chosen people). Without
// this script, the Search button sends the form back with the matches in the list.
(() => {
  "use strict";
  const DELAY = 200;

  function setUp(row) {
    const input = row.querySelector("[data-speaker-search]");
    const list = row.querySelector("[role=listbox]");
    const select = row.querySelector("select[id$='-registration']");
    const status = row.querySelector("[data-speaker-status]");
    const button = row.querySelector("[data-speaker-find-button]");
    if (!input || !list || !select) return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    if (button) button.hidden = true;
    let timer = null;
    let active = -1;
    let asked = 0;

    const options = () => Array.from(list.querySelectorAll("[role=option]"));
    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const highlight = (index) => {
      const items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach((item, i) => item.setAttribute("aria-selected", i === active ? "true" : "false"));
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    };
    const choose = (item) => {
      const id = item.dataset.id;
      let option = Array.from(select.options).find((o) => o.value === id);
      if (!option) {
        option = new Option(item.textContent, id);
        select.add(option);
      }
      select.value = id;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = "";
      if (status) status.textContent = `${item.textContent} ✓`;
      close();
      select.focus();
    };
    const show = (results, more) => {
      list.replaceChildren();
      results.forEach((result, i) => {
        const item = document.createElement("li");
        item.setAttribute("role", "option");
        item.id = `${list.id}-${i}`;
        item.dataset.id = String(result.id);
        item.textContent = result.label;
        item.setAttribute("aria-selected", "false");
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => choose(item));
        list.append(item);
      });
      if (!results.length) {
        const none = document.createElement("li");
        none.className = "none";
        none.textContent = list.dataset.none || "—";
        list.append(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      if (status) {
        status.textContent = results.length ? (more ? list.dataset.more : list.dataset.some).replace("%n", results.length)
          : (list.dataset.none || "");
      }
    };
    const search = async () => {
      const text = input.value.trim();
      if (text.length < 2) { close(); return; }
      const ticket = ++asked;
      const url = `${input.dataset.speakerSearch}?q=${encodeURIComponent(text)}`;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok || ticket !== asked) return;
        const data = await response.json();
        show(data.results, data.more);
      } catch (error) {
        if (button) button.hidden = false;  // the no-script way still works
      }
    };

    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, DELAY); });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) search(); else highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter") {
        // Enter picks the highlighted person (or the only match); it never sends the whole form.
        event.preventDefault();
        const items = options();
        if (active >= 0 && items[active]) choose(items[active]);
        else if (items.length === 1) choose(items[0]);
        else search();
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-speaker-row]").forEach(setUp);
  });
})();
