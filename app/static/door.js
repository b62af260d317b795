// The door check-in on a phone: the camera (static/barcode-reader.js) reads a badge's QR code and sends it as
// the form would. The answer comes back as a new page, where the camera starts again by itself; the badge
// just sent is not sent again while it stays in view.
(() => {
  "use strict";
  const box = document.getElementById("door-camera");
  if (!box || !window.MedianeBarcode || !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return;
  const T = JSON.parse(box.dataset.messages);
  const KEY = "mediane.door.camera";
  const HOLD_MS = 4000;
  const form = document.getElementById("checkin-form");
  const input = document.getElementById("code");
  const status = document.getElementById("camera-status");
  const start = document.getElementById("camera-start");
  const video = document.getElementById("camera");
  const kept = JSON.parse(sessionStorage.getItem(KEY) || "null");
  let last = kept ? kept.last : "";
  let lastSeen = kept ? kept.at : 0;
  let sending = false;
  box.hidden = false;

  function keep(on) {
    if (on) sessionStorage.setItem(KEY, JSON.stringify({ last, at: lastSeen }));
    else sessionStorage.removeItem(KEY);
  }

  function read(code) {
    const now = Date.now();
    if (sending) return;
    if (code === last && now - lastSeen < HOLD_MS) { lastSeen = now; return; }  // still the same badge
    if (!code.startsWith("b_")) { status.textContent = T.not_badge; return; }
    sending = true;
    last = code;
    lastSeen = now;
    keep(true);
    input.value = code;
    form.requestSubmit();
  }

  async function startCamera() {
    status.textContent = T.loading;
    try {
      box.dataset.detector = await window.MedianeBarcode.watch(video, box.dataset.vendor, read);
      start.hidden = true;
      video.classList.add("live");
      status.textContent = T.on;
      box.dataset.camera = "on";
      keep(true);
    } catch (cameraError) {
      status.textContent = T.fail;
      box.dataset.camera = "failed";
      keep(false);
    }
  }

  start.addEventListener("click", startCamera);
  if (kept) startCamera();
})();
