/*
 * The example page's host side: buttons that drive a mi-sim frame through postMessage, and a
 * line that says which step the frame reports. No inline script, so the page can keep a strict
 * Content-Security-Policy. See docs/embedding.md for the messages.
 */
(function () {
  "use strict";

  var frame = document.getElementById("driven-frame");
  var report = document.getElementById("host-report");
  var stepInput = document.getElementById("host-step");
  // Messages go only to the frame's own origin.
  var origin = new URL(frame.src, window.location.href).origin;

  function send(message) {
    frame.contentWindow.postMessage(message, origin);
  }

  document.getElementById("host-previous").addEventListener("click", function () {
    send({ type: "mi-sim:previous" });
  });
  document.getElementById("host-next").addEventListener("click", function () {
    send({ type: "mi-sim:next" });
  });
  document.getElementById("host-go").addEventListener("click", function () {
    send({ type: "mi-sim:go", step: Number(stepInput.value) });
  });

  window.addEventListener("message", function (event) {
    // Listen to this frame only, and only to what it says about its step.
    if (event.source !== frame.contentWindow || event.origin !== origin) {
      return;
    }
    var data = event.data;
    if (!data || (data.type !== "mi-sim:step" && data.type !== "mi-sim:ready")) {
      return;
    }
    report.textContent =
      "The frame is at step " + data.step + " of " + data.count + ": " + data.stepTitle + " (" + data.title + ")";
    stepInput.max = String(data.count);
  });
})();
