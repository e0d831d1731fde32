// Live reload for `reprisals-site serve` (never part of a built site): reloads the page after
// each good build, and shows the error of a failed build over the last good page.
(function () {
  "use strict";
  var script = document.currentScript;
  var loaded = script ? script.getAttribute("data-build") : null;
  var base = "/__reprisals/";
  var dialog = null;

  function build() {
    var style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = base + "live.css";
    document.head.appendChild(style);
    dialog = document.createElement("dialog");
    dialog.className = "reprisals-live-error";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-labelledby", "reprisals-live-title");
    dialog.setAttribute("aria-describedby", "reprisals-live-text");
    dialog.lang = "en";
    dialog.dir = "ltr";
    var title = document.createElement("h2");
    title.id = "reprisals-live-title";
    title.textContent = "The site did not build";
    var note = document.createElement("p");
    note.textContent =
      "You are seeing the last good version of this page. Fix the problem below and save: the page reloads by itself.";
    var text = document.createElement("pre");
    text.id = "reprisals-live-text";
    text.tabIndex = 0;
    var hide = document.createElement("button");
    hide.type = "button";
    hide.textContent = "Hide";
    hide.addEventListener("click", function () {
      dialog.close();
    });
    dialog.append(title, note, text, hide);
    document.body.appendChild(dialog);
  }

  function showError(message) {
    if (!dialog) {
      build();
    }
    dialog.querySelector("pre").textContent = message;
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  function hideError() {
    if (dialog && dialog.open) {
      dialog.close();
    }
  }

  var events = new EventSource(base + "events");
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (loaded !== null && String(state.build) !== loaded && state.build > 0) {
      location.reload();
    } else if (state.error) {
      fetch(base + "error", { cache: "no-store" })
        .then(function (response) {
          return response.status === 200 ? response.text() : "";
        })
        .then(function (message) {
          if (message) {
            showError(message);
          }
        });
    } else {
      hideError();
    }
  };
})();
