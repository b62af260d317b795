// The scanner's latest scans: kept on this phone and, once sent, on the server for this device, so that a
// reload (or a cleared browser) lists them again. Tapping one reopens it to add or change its notes.
(() => {
  "use strict";
  const KEY = "mediane.scanner.recent";
  const MAX = 30;
  const when = (item) => Date.parse(item.at) || 0;

  window.MedianeRecent = function createRecent({ list, T, onOpen }) {
    let items = JSON.parse(localStorage.getItem(KEY) || "[]");

    function save() {
      items.sort((a, b) => when(b) - when(a));
      items = items.slice(0, MAX);
      localStorage.setItem(KEY, JSON.stringify(items));
    }

    function line(item) {
      const entry = document.createElement("li");
      entry.className = "recent-" + item.status;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "recent-open";
      button.dataset.clientId = item.client_id;
      const name = document.createElement("strong");
      name.textContent = item.contact ? item.contact.name
        : (item.status === "refused" ? T.refused : (item.code || "").slice(0, 8) + "…");
      const detail = document.createElement("span");
      detail.textContent = " " + (item.contact ? item.contact.organisation : (item.error || T.queued)) +
        " · " + new Date(item.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      const extra = document.createElement("span");
      extra.className = "recent-notes";
      const bits = [];
      if (item.rating !== null && item.rating !== undefined) bits.push(T.interest + " " + item.rating + "/5");
      if (item.notes) bits.push(item.notes.length > 40 ? item.notes.slice(0, 40) + "…" : item.notes);
      extra.textContent = bits.join(" · ");
      button.append(name, detail, extra);
      button.disabled = item.status === "refused";
      button.addEventListener("click", () => onOpen(item));
      entry.append(button);
      return entry;
    }

    function draw() {
      list.replaceChildren(...items.map(line));
    }

    function remember(clientId, fields) {
      const found = items.find((item) => item.client_id === clientId);
      if (found) Object.assign(found, fields); else items.unshift({ client_id: clientId, ...fields });
      save();
      draw();
    }

    // The server's list for this device wins for what it holds; scans still waiting on this phone stay.
    async function load(api, token) {
      let data;
      try {
        const response = await fetch(api + "/scans?limit=" + MAX, { headers: { Authorization: "Bearer " + token } });
        if (!response.ok) return;
        data = await response.json();
      } catch (networkError) {
        return;
      }
      (data.scans || []).forEach((scan) => {
        const found = items.find((item) => item.client_id === scan.client_id);
        const fields = { at: scan.scanned_at, status: "stored", contact: scan.contact, notes: scan.notes,
                         rating: scan.rating, tags: scan.tags, error: "" };
        if (found) Object.assign(found, fields); else items.push({ client_id: scan.client_id, ...fields });
      });
      save();
      draw();
    }

    return { draw, remember, load };
  };
})();
