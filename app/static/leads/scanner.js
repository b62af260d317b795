// The stand's scanner: camera or typed code, an offline queue in IndexedDB, sync when the network returns.
// Every scan gets a client id and its own time when it is made; the server stores it once (R2, R4, R5).
(() => {
  "use strict";
  const root = document.getElementById("scanner");
  if (!root) return;
  const T = JSON.parse(root.dataset.messages);
  const API = root.dataset.api;
  const VENDOR = root.dataset.vendor;
  const DEVICE_KEY = "mediane.scanner.device";
  const BATCH = 500;
  const CHECK_EVERY = 5 * 60 * 1000;
  const $ = (id) => document.getElementById(id);
  const Retry = window.MedianeRetry;

  let device = JSON.parse(localStorage.getItem(DEVICE_KEY) || "null");
  const recentList = window.MedianeRecent({ list: $("recent"), T, onOpen: reopen });  // recent.js
  let current = null;          // the scan the feedback and the notes form are about
  let syncing = false;
  let retryTimer = null;
  let failures = 0;            // batches in a row that the server could not take
  let checkAfter = false;      // ask which kept scans may stay once the running sync ends
  const seenAt = new Map();

  // -- the queue (IndexedDB) ---------------------------------------------------------------------
  const dbReady = new Promise((resolve, reject) => {
    const request = indexedDB.open("mediane-scanner", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("queue", { keyPath: "client_id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

  async function withStore(mode, work) {
    const db = await dbReady;
    return new Promise((resolve, reject) => {
      const tx = db.transaction("queue", mode);
      const outcome = work(tx.objectStore("queue"));
      tx.oncomplete = () => resolve(outcome && "result" in outcome ? outcome.result : outcome);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
  const queued = () => withStore("readonly", (store) => store.getAll());
  const queuedOne = (id) => withStore("readonly", (store) => store.get(id));
  const enqueue = (entry) => withStore("readwrite", (store) => { store.put(entry); });
  const clearQueue = () => withStore("readwrite", (store) => { store.clear(); });
  // Drop sent entries, unless the notes changed while they were on their way (then they go again).
  const dropSent = (sent) => withStore("readwrite", (store) => {
    sent.forEach((entry) => {
      const request = store.get(entry.client_id);
      request.onsuccess = () => {
        if (request.result && request.result.rev === entry.rev) store.delete(entry.client_id);
      };
    });
  });

  async function showPending() {
    const entries = await queued();
    $("pending-count").textContent = String(entries.length);
    root.dataset.pending = String(entries.length);
    return entries.length;
  }

  function setOnline(isOnline) {
    const status = $("net-status");
    status.textContent = isOnline ? T.online : T.offline_short;
    status.className = "net " + (isOnline ? "on" : "off");
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // -- recording ---------------------------------------------------------------------------------
  async function record(code, fromCamera) {
    code = (code || "").trim();
    if (!code) return;
    const now = Date.now();
    if (fromCamera) {
      // A badge held in front of the camera is read many times a second: once is enough until it leaves the view.
      const seen = seenAt.get(code);
      seenAt.set(code, now);
      if (seen && now - seen < 5000) return;
    }
    if (fromCamera && !code.startsWith("b_")) { feedback("bad", T.not_badge, "", "", "", ""); return; }
    const entry = { client_id: newId(), code, scanned_at: new Date(now).toISOString(), notes: "", rating: null,
                    tags: [], rev: 1 };
    await enqueue(entry);
    current = { client_id: entry.client_id, code, scanned_at: entry.scanned_at };
    recentList.remember(entry.client_id, { code, at: entry.scanned_at, status: "pending" });
    feedback("wait", navigator.onLine ? T.sending : T.offline, "", "", "", "");
    openNotes({ notes: "", rating: null, tags: [] });
    await showPending();
    sync();
  }

  // A scan of the list tapped again: its person, and its notes to add to or change (sent as an update).
  // The phone keeps no e-mail or phone number: they are asked for now, and shown only if the person shares them.
  async function reopen(item) {
    current = { client_id: item.client_id, code: "", scanned_at: item.at };
    const sent = item.status !== "pending";
    feedback("wait", T.reopened, item.name || "", item.organisation || "", sent ? T.details_loading : T.queued, "");
    openNotes({ notes: item.notes, rating: item.rating, tags: item.tags });
    $("feedback").scrollIntoView({ block: "start" });
    if (!sent) return;
    const data = await call("/scans/" + encodeURIComponent(item.client_id));
    if (!current || current.client_id !== item.client_id) return;
    if (data && data.contact) {
      showContact({ status: "stored", contact: data.contact });
      $("fb-verdict").textContent = T.reopened;
    } else if (device) {
      $("fb-share").textContent = T.details_offline;
    }
  }

  function feedback(kind, verdict, name, org, share, contact) {
    const box = $("feedback");
    box.hidden = false;
    box.className = "feedback " + kind;
    $("fb-verdict").textContent = verdict;
    $("fb-name").textContent = name;
    $("fb-org").textContent = org;
    $("fb-share").textContent = share;
    $("fb-contact").textContent = contact;
  }

  function showContact(result) {
    if (result.status === "refused") {
      feedback("bad", T.refused, result.error || "", "", "", "");
      $("note-form").hidden = true;
      return;
    }
    const c = result.contact;
    const contact = c.shares_contact ? [c.email, c.phone].filter(Boolean).join(" · ") : "";
    feedback("ok", c.num_scans > 1 ? T.again : T.stored, c.name, [c.organisation, c.job_title].filter(Boolean).join(" · "),
             c.shares_contact ? T.shares : T.no_share, contact);
  }

  // -- notes, rating, tags ------------------------------------------------------------------------
  function openNotes(values) {
    const form = $("note-form");
    form.hidden = false;
    $("note-text").value = values.notes || "";
    form.querySelectorAll("input[name=rating]").forEach((radio) => {
      radio.checked = radio.value === (values.rating === null || values.rating === undefined ? "" : String(values.rating));
    });
    form.querySelectorAll("input[name=tag]").forEach((box) => { box.checked = (values.tags || []).includes(box.value); });
    $("note-status").textContent = "";
  }

  async function saveNotes(event) {
    event.preventDefault();
    if (!current) return;
    const form = $("note-form");
    const rating = form.querySelector("input[name=rating]:checked");
    const entry = (await queuedOne(current.client_id)) ||
      { client_id: current.client_id, code: current.code, scanned_at: current.scanned_at, rev: 0 };
    entry.notes = $("note-text").value.trim();
    entry.rating = rating && rating.value !== "" ? Number(rating.value) : null;
    entry.tags = Array.from(form.querySelectorAll("input[name=tag]:checked"), (box) => box.value);
    entry.rev = (entry.rev || 0) + 1;
    await enqueue(entry);
    $("note-status").textContent = T.saved_note;
    recentList.remember(entry.client_id, { notes: entry.notes, rating: entry.rating, tags: entry.tags });
    await showPending();
    sync();
  }

  function drawTags(tags) {
    const box = $("tag-choices");
    const legend = box.querySelector("legend");
    box.replaceChildren(legend, ...tags.map((tag) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox"; input.name = "tag"; input.value = tag;
      label.append(input, " " + tag);
      return label;
    }));
    box.hidden = tags.length === 0;
  }

  // -- sync ---------------------------------------------------------------------------------------
  // A batch leaves the queue only once the server answered for each of its scans. No answer, a 429, 502, 503
  // or 504: the batch stays and goes again after the server's Retry-After (retry.js); the server stores each
  // client id once, so a batch it stored but whose answer was lost comes back as duplicates.
  function sendLater(ms) {
    clearTimeout(retryTimer);
    root.dataset.retryIn = String(Math.round(ms / 1000));
    retryTimer = setTimeout(() => { retryTimer = null; sync(); }, ms);
  }

  // `check`: ask the server afterwards which kept scans may stay, even when nothing was sent.
  async function sync(check) {
    if (!device) return;
    if (syncing) { checkAfter = checkAfter || Boolean(check); return; }
    syncing = true;
    clearTimeout(retryTimer);
    retryTimer = null;
    let sent = false;
    try {
      for (;;) {
        const entries = (await queued()).slice(0, BATCH);
        if (entries.length === 0) break;
        let response;
        try {
          response = await fetch(API + "/scans", {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: "Bearer " + device.token },
            body: JSON.stringify({ scans: entries.map(({ rev, ...scan }) => scan) }),
          });
        } catch (networkError) {
          setOnline(false);
          sendLater(Retry.delay(null, ++failures));
          break;
        }
        setOnline(true);
        const data = await response.json().catch(() => ({}));
        if (response.status === 401) { await unpaired(data); break; }
        if (!response.ok || !Array.isArray(data.results)) {
          const ms = Retry.delay(response, ++failures);
          if (response.status === 429) feedback("warn", T.rate_limited, "", "", "", "");
          else if (Retry.isTemporary(response.status)) {
            feedback("warn", T.server_away.replace("{seconds}", String(Math.ceil(ms / 1000))), "", "", "", "");
          } else feedback("bad", data.error || T.error, "", "", "", "");
          sendLater(ms);
          break;
        }
        failures = 0;
        delete root.dataset.retryIn;
        data.results.forEach((result) => {
          const entry = entries[result.index];
          recentList.remember(entry.client_id, { code: entry.code, at: entry.scanned_at, status: result.status,
                                                 contact: result.contact || null, error: result.error || "",
                                                 notes: entry.notes, rating: entry.rating, tags: entry.tags });
          if (current && current.client_id === entry.client_id) showContact(result);
        });
        await dropSent(entries);
        sent = true;
      }
    } finally {
      syncing = false;
      const left = await showPending();
      if (left > 0 && !retryTimer && device) sendLater(5000);
    }
    if ((sent || check || checkAfter) && device) {
      checkAfter = false;
      await recentList.reconcile(call);
    }
  }

  // A request of this device. Its answer's JSON, or null: no network, a refusal, or a 401 (then unpaired()).
  async function call(path, options = {}) {
    if (!device) return null;
    let response;
    try {
      response = await fetch(API + path, { ...options,
                                           headers: { ...(options.headers || {}), Authorization: "Bearer " + device.token } });
    } catch (networkError) {
      setOnline(false);
      return null;
    }
    setOnline(true);
    const data = await response.json().catch(() => ({}));
    if (response.status === 401) { await unpaired(data); return null; }
    return response.ok ? data : null;
  }

  // -- pairing ------------------------------------------------------------------------------------
  async function pair(code) {
    $("pair-error").textContent = "";
    let response;
    try {
      response = await fetch(API + "/pair", { method: "POST", headers: { "Content-Type": "application/json" },
                                              body: JSON.stringify({ code }) });
    } catch (networkError) {
      $("pair-error").textContent = T.pair_offline;
      return;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { $("pair-error").textContent = data.error || T.error; return; }
    device = data;
    localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
    showScanner();
    // The pairing form has just disappeared: the focus goes to the scan area's heading, not to the page body.
    $("scan-heading").focus();
  }

  // Unpaired from this phone: its key and its list of latest scans go (the people in it belong to the stand,
  // not to the phone); scans not yet sent stay in the queue until it is paired again.
  function forget(reason) {
    device = null;
    clearTimeout(retryTimer);
    retryTimer = null;
    localStorage.removeItem(DEVICE_KEY);
    recentList.wipe();
    $("feedback").hidden = true;
    $("note-form").hidden = true;
    current = null;
    showPairing();
    $("pair-error").textContent = reason || "";
    $("pair-code").focus();
  }

  // The server no longer knows this phone (401). Unpaired by the stand's team or the stand closed: everything the
  // phone kept is wiped, the queue too (it can no longer be sent). A key it does not know: the queue stays.
  async function unpaired(data) {
    if (!device) return;
    const wipeAll = data.code === "device_revoked" || data.code === "stand_closed";
    forget([data.error || T.error, T.wiped].join(" "));
    if (wipeAll) await clearQueue();
    await showPending();
  }

  async function refreshDevice() {
    const data = await call("/device");
    if (data && data.device && device) {
      device = { ...device, ...data };
      localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
      drawDevice();
    }
  }

  function drawDevice() {
    $("stand-name").textContent = device.stand.name;
    $("device-name").textContent = device.device.name;
    drawTags(device.stand.tags || []);
  }

  function showPairing() {
    $("scan-panel").hidden = true;
    $("pair-panel").hidden = false;
    $("stand-name").textContent = "";
    root.dataset.state = "pairing";
  }

  function showScanner() {
    $("pair-panel").hidden = true;
    $("scan-panel").hidden = false;
    root.dataset.state = "scanning";
    drawDevice();
    recentList.draw();
    refreshDevice().then(() => sync(true));
  }

  // -- camera -------------------------------------------------------------------------------------
  async function startCamera() {
    const status = $("camera-status");
    status.textContent = T.camera_loading;
    try {
      const video = $("camera");
      root.dataset.detector = await window.MedianeBarcode.watch(video, VENDOR, (code) => record(code, true));
      $("camera-start").hidden = true;
      video.classList.add("live");
      status.textContent = T.camera_on;
      root.dataset.camera = "on";
    } catch (cameraError) {
      status.textContent = T.camera_fail;
      root.dataset.camera = "failed";
    }
  }

  // -- wiring -------------------------------------------------------------------------------------
  $("pair-form").addEventListener("submit", (event) => { event.preventDefault(); pair($("pair-code").value); });
  $("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("code-input");
    record(input.value, false);
    input.value = "";
    input.focus();
  });
  $("note-form").addEventListener("submit", saveNotes);
  $("camera-start").addEventListener("click", startCamera);
  $("unpair").addEventListener("click", () => { if (window.confirm(T.unpair_confirm)) forget(""); });
  window.addEventListener("online", () => { setOnline(true); sync(true); });
  // Every few minutes and whenever the phone shows the page again, the server says which kept scans may stay and
  // whether this phone is still paired (a revoked phone wipes what it kept without waiting for the next scan).
  setInterval(() => { if (navigator.onLine) sync(true); }, CHECK_EVERY);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sync(true); });
  window.addEventListener("offline", () => setOnline(false));

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(() => {});
  }
  setOnline(navigator.onLine);
  showPending();
  const hash = new URLSearchParams(window.location.hash.slice(1));
  if (hash.get("pair")) {
    history.replaceState(null, "", window.location.pathname);
    pair(hash.get("pair"));
  } else if (device) {
    showScanner();
  } else {
    showPairing();
  }
})();
