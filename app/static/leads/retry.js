// When to send a batch again. A batch that the server could not take now stays queued on the phone: no network,
// a proxy that lost the server (502, 504), the database briefly away (503) or too many requests (429). The
// server's Retry-After is honoured; without one the wait doubles from 2 s up to a minute. A random spread of up
// to a third keeps 200 phones from all coming back in the same second after an outage.
(() => {
  "use strict";
  const LATER = new Set([0, 429, 502, 503, 504]);  // 0: no answer at all (network error, connection reset)
  const MAX_SECONDS = 300;

  function retryAfterSeconds(response) {
    const value = response && response.headers.get("Retry-After");
    if (!value) return null;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
    const date = Date.parse(value);  // the other form of the header: an HTTP date
    return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
  }

  window.MedianeRetry = {
    // True when the batch was not taken for a reason that passes: keep it and send it again later.
    isTemporary: (status) => LATER.has(status),
    // Milliseconds to wait before sending again, after `failures` failures in a row (1 for the first).
    delay(response, failures) {
      const told = retryAfterSeconds(response);
      const base = told !== null ? told : Math.min(60, 2 ** Math.min(failures, 6));
      const seconds = Math.min(MAX_SECONDS, Math.max(1, base)) * (1 + Math.random() / 3);
      return Math.round(seconds * 1000);
    },
  };
})();
