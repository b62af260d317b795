// Reads badge QR codes with a phone's camera, for the stand scanner and the door check-in: the browser's
// BarcodeDetector where it reads QR codes, else the ZXing WebAssembly polyfill vendored under
// static/vendor/barcode-detector/ (loaded only then; the page's CSP must allow 'wasm-unsafe-eval').
window.MedianeBarcode = (() => {
  "use strict";

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }

  // A QR code detector and which one it is ("native" or "zxing-wasm"); `vendor` is the polyfill's folder URL.
  async function makeDetector(vendor) {
    if ("BarcodeDetector" in window) {
      try {
        if ((await window.BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
          return { detector: new window.BarcodeDetector({ formats: ["qr_code"] }), kind: "native" };
        }
      } catch (unsupported) { /* fall through to the polyfill */ }
    }
    await loadScript(vendor + "ponyfill.js");
    const api = window.BarcodeDetectionAPI;
    api.prepareZXingModule({
      overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? vendor + path : prefix + path) },
    });
    return { detector: new api.BarcodeDetector({ formats: ["qr_code"] }), kind: "zxing-wasm" };
  }

  // Start the back camera in `video` and call `onCode(text)` for each QR code read (about five frames a
  // second). Resolves with the detector's kind once the camera runs; rejects when it cannot start.
  async function watch(video, vendor, onCode) {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    video.srcObject = stream;
    await video.play();
    const { detector, kind } = await makeDetector(vendor);
    const tick = async () => {
      if (video.readyState >= 2) {
        try {
          const found = await detector.detect(video);
          const first = found.find((b) => b.rawValue);
          if (first) onCode(first.rawValue);
        } catch (detectError) { /* a frame that could not be read */ }
      }
      setTimeout(tick, 200);
    };
    tick();
    return kind;
  }

  return { makeDetector, watch };
})();
