// The scanner's latest scans: kept on this phone and, once sent, on the server for this device, so that a
// reload (or a cleared browser) lists them again. Tapping one reopens it to add or change its notes.
//
// What this phone keeps of each scan is what the list shows, and no more (issue 19): its id and time, the
// person's name and organisation, the stand's own notes, interest and tags, its state. Never an e-mail or a
// phone number, and never the badge's code once the server has the scan. Each time the scanner syncs, it tells
// the server which scans it keeps (`reconcile`): the server answers what each one shows now and which to forget.
(() => {
  "use strict";
  const KEY = "mediane.scanner.recent";
  const MAX = 30;
  const KEPT = ["client_id", "at", "status", "name", "organisation", "label", "error", "notes", "rating", "tags"];
  const when = (item) => Date.parse(item.at) || 0;
  // Scans the server has: the ones to ask about. A pending scan is still in the queue; a refused one names nobody.
  const isSent = (item) => item.status !== "pending" && item.status !== "refused";

  // Only the list's fields of an entry. An entry written by an earlier scanner (a whole contact, with e-mail and
  // phone, and the badge code) keeps its name and organisation, and loses the rest the first time it is read.
  function clean(item) {
    const kept = {};
    if (item.contact) {
      kept.name = item.contact.name;
      kept.organisation = item.contact.organisation;
    }
    if (item.code && item.status === "pending") kept.label = item.code.slice(0, 8) + "…";
    KEPT.forEach((field) => { if (item[field] !== undefined) kept[field] = item[field]; });
    if (kept.status !== "pending") delete kept.label;
    return kept;
  }

  function read() {
    try {
      const stored = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(stored) ? stored.filter((item) => item && item.client_id).map(clean) : [];
    } catch (badJson) {
      return [];
    }
  }

  window.MedianeRecent = function createRecent({ list, T, onOpen }) {
    let items = read();

    function save() {
      items.sort((a, b) => when(b) - when(a));
      items = items.slice(0, MAX);
      localStorage.setItem(KEY, JSON.stringify(items));
    }
    if (localStorage.getItem(KEY) !== null) save();  // rewrite what an earlier scanner kept, at once

    function line(item) {
      const entry = document.createElement("li");
      entry.className = "recent-" + item.status;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "recent-open";
      button.dataset.clientId = item.client_id;
      const name = document.createElement("strong");
      name.textContent = item.name || (item.status === "refused" ? T.refused : item.label || "…");
      const detail = document.createElement("span");
      detail.textContent = " " + (item.name ? item.organisation || "" : (item.error || T.queued)) +
        " · " + new Date(item.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      const extra = document.createElement("span");
      extra.className = "recent-notes";
      const bits = [];
      if (item.rating !== null && item.rating !== undefined) bits.push(T.interest + " " + item.rating + "/5");
      if (item.notes) bits.push(item.notes.length > 40 ? item.notes.slice(0, 40) + "…" : item.notes);
      extra.textContent = bits.join(" · ");
      button.append(name, detail, extra);
      button.disabled = item.status === "refused";
      button.addEventListener("click", () => onOpen({ ...item }));
      entry.append(button);
      return entry;
    }

    function draw() {
      list.replaceChildren(...items.map(line));
    }

    function remember(clientId, fields) {
      const found = items.find((item) => item.client_id === clientId);
      const merged = clean({ ...(found || { client_id: clientId }), ...fields });
      if (found) items[items.indexOf(found)] = merged; else items.unshift(merged);
      save();
      draw();
    }

    // Ask the server which kept scans this phone may go on keeping, and what each shows now: the device's latest
    // scans come back (after a cleared browser too), those it no longer has are forgotten. `call` is the
    // scanner's authenticated fetch (a revoked device's 401 wipes everything there); null when it failed.
    async function reconcile(call) {
      const asked = items.filter(isSent).map((item) => item.client_id);
      const data = await call("/kept?limit=" + MAX, { method: "POST", headers: { "Content-Type": "application/json" },
                                                      body: JSON.stringify({ client_ids: asked }) });
      if (!data || !Array.isArray(data.scans)) return;
      const vouched = new Map(data.scans.map((scan) => [scan.client_id, scan]));
      const dropped = new Set(data.drop || []);
      // A scan whose answer came while this request was on its way was not asked about: it stays as it is.
      items = items.filter((item) => !dropped.has(item.client_id) &&
                                     !(asked.includes(item.client_id) && !vouched.has(item.client_id)));
      vouched.forEach((scan) => {
        const found = items.find((item) => item.client_id === scan.client_id);
        if (found && !isSent(found)) return;  // still waiting on this phone: its own notes are newer
        const fields = clean({ client_id: scan.client_id, at: scan.scanned_at, status: "stored", name: scan.name,
                               organisation: scan.organisation, notes: scan.notes, rating: scan.rating,
                               tags: scan.tags });
        if (found) items[items.indexOf(found)] = fields; else items.push(fields);
      });
      save();
      draw();
    }

    // This phone is no longer paired: nothing of the list stays on it.
    function wipe() {
      items = [];
      localStorage.removeItem(KEY);
      draw();
    }

    return { draw, remember, reconcile, wipe };
  };
})();
