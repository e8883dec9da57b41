/*
 * mi-sim embed.js: turns every <div data-mi-sim="SCENARIO"></div> on the page into a frame of
 * the Managed Identity Simulator, pinned to that scenario, and keeps the frame as tall as its
 * content. Plain JavaScript, no dependencies, nothing evaluated, no inline styles beyond the
 * frame's size (set through the CSSOM, which a strict Content-Security-Policy allows).
 *
 *   <div data-mi-sim="lifecycle" data-flow="1" data-step="3" data-readonly></div>
 *   <script src="https://example.org/mi-sim/embed.js" async></script>
 *
 * data-mi-sim  the scenario id (required)
 * data-flow    the flow, 1 for the first (optional)
 * data-step    the step, 1 for the first (optional)
 * data-readonly  present: no what-ifs, edits or Fix it (optional)
 * data-title   the frame's accessible title (optional; "mi-sim: SCENARIO" otherwise)
 * data-height  the height before the frame reports its own (optional; 500 otherwise)
 *
 * The simulator's address is this script's own directory. Messages from a frame are
 * re-dispatched on its div as DOM events ("mi-sim:ready", "mi-sim:step", "mi-sim:resize",
 * with the message as event.detail). See docs/embedding.md.
 */
(function () {
  "use strict";

  var MIN_HEIGHT = 400;
  var MAX_HEIGHT = 10000;
  var script = document.currentScript;
  var base = new URL("./", (script && script.src) || window.location.href);
  /** Each frame made here, with the div it sits in. */
  var frames = [];

  function warn(text) {
    if (window.console && console.warn) {
      console.warn("mi-sim embed.js: " + text);
    }
  }

  /** A whole number from 1 up, or null. */
  function ordinal(value) {
    if (value === null || !/^[1-9][0-9]{0,5}$/.test(value)) {
      return null;
    }
    return value;
  }

  /** The frame's address for a div, or null when its scenario id is not one. */
  function frameSrc(div) {
    var scenario = div.getAttribute("data-mi-sim") || "";
    if (!/^[a-z0-9-]{1,80}$/.test(scenario)) {
      warn('data-mi-sim="' + scenario.slice(0, 40) + '" is not a scenario id (lowercase words joined by hyphens)');
      return null;
    }
    var parts = ["embed", "scenario=" + scenario];
    var flow = ordinal(div.getAttribute("data-flow"));
    var step = ordinal(div.getAttribute("data-step"));
    if (div.hasAttribute("data-flow") && flow === null) {
      warn('data-flow="' + div.getAttribute("data-flow") + '" is not a number from 1 up; showing the first flow');
    }
    if (div.hasAttribute("data-step") && step === null) {
      warn('data-step="' + div.getAttribute("data-step") + '" is not a number from 1 up; showing the first step');
    }
    if (flow !== null && flow !== "1") {
      parts.push("flow=" + flow);
    }
    if (step !== null) {
      parts.push("step=" + step);
    }
    var readOnly = div.getAttribute("data-readonly");
    if (readOnly !== null && !/^(0|false|no|off)$/.test(readOnly)) {
      parts.push("readonly");
    }
    return base.href + "?" + parts.join("&");
  }

  function setHeight(iframe, height) {
    var h = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, Math.ceil(height)));
    iframe.style.height = h + "px";
  }

  function mount(div) {
    if (div.querySelector("iframe.mi-sim-frame")) {
      return;
    }
    var src = frameSrc(div);
    if (src === null) {
      return;
    }
    var iframe = document.createElement("iframe");
    iframe.className = "mi-sim-frame";
    iframe.src = src;
    iframe.title = div.getAttribute("data-title") || "mi-sim: " + div.getAttribute("data-mi-sim");
    iframe.setAttribute("loading", "lazy");
    iframe.setAttribute("allow", "clipboard-write");
    iframe.style.border = "0";
    iframe.style.display = "block";
    iframe.style.width = "100%";
    var initial = Number(div.getAttribute("data-height"));
    setHeight(iframe, initial > 0 ? initial : 500);
    while (div.firstChild) {
      div.removeChild(div.firstChild);
    }
    div.appendChild(iframe);
    frames.push({ div: div, iframe: iframe });
  }

  /** Turns every div not yet turned into a frame; call again after adding divs. */
  function scan() {
    var divs = document.querySelectorAll("div[data-mi-sim]");
    for (var i = 0; i < divs.length; i++) {
      mount(divs[i]);
    }
  }

  window.addEventListener("message", function (event) {
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      // Only a frame made here is listened to, whatever the message claims.
      if (event.source !== f.iframe.contentWindow) {
        continue;
      }
      var data = event.data;
      if (!data || typeof data !== "object" || typeof data.type !== "string" || data.type.indexOf("mi-sim:") !== 0) {
        return;
      }
      if (data.type === "mi-sim:resize") {
        if (typeof data.height === "number" && isFinite(data.height)) {
          setHeight(f.iframe, data.height);
        } else {
          warn("a frame reported a height that is not a number");
        }
      }
      var detail = {};
      for (var key in data) {
        if (Object.prototype.hasOwnProperty.call(data, key)) {
          detail[key] = data[key];
        }
      }
      f.div.dispatchEvent(new CustomEvent(data.type, { bubbles: true, detail: detail }));
      return;
    }
  });

  window.miSimEmbed = { scan: scan };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
