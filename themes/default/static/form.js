// The submission form: composes the answers into a plain-text document in the page, to copy or
// save as a file. Nothing is sent anywhere, stored (no storage API, no cookie) or written to the
// address: there is no <form> to submit and no fetch; links inside the form do not change the
// fragment. The text format is described in src/intake/mod.rs; the parser reads it back.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;
  var template = document.getElementById("intake-template");
  var summary = document.getElementById("error-summary");
  var status = document.getElementById("intake-status");
  var output = document.getElementById("intake-output");
  var textArea = document.getElementById("intake-text");
  var data = form.dataset;

  function fields() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-key]"));
  }

  function control(field) {
    return field.querySelector("input, textarea, select");
  }

  // The answer to one field as the document writes it (choices as `Label (id)`).
  function answer(field) {
    var kind = field.dataset.control;
    if (kind === "radio" || kind === "checkbox") {
      return Array.prototype.slice
        .call(field.querySelectorAll("input:checked"))
        .map(function (i) { return i.dataset.label + " (" + i.value + ")"; })
        .join("; ");
    }
    var el = control(field);
    if (kind === "select") {
      var opt = el.options[el.selectedIndex];
      return el.value ? opt.dataset.label + " (" + el.value + ")" : "";
    }
    return el.value.replace(/\r\n?/g, "\n").trim();
  }

  function compose() {
    var out = data.header;
    Array.prototype.forEach.call(form.querySelectorAll("[data-section]"), function (section) {
      out += "\n== " + section.dataset.legend + " [" + section.dataset.section + "] ==\n";
      Array.prototype.forEach.call(section.querySelectorAll("[data-key]"), function (field) {
        var value = answer(field);
        var head = field.dataset.label + " [" + field.dataset.key + "]:";
        if (field.dataset.control === "text") {
          // Free text on the lines below, indented, so no line of it can look like a field.
          out += head + "\n";
          if (value) out += value.split("\n").map(function (l) { return "  " + l; }).join("\n") + "\n";
          out += "\n";
        } else {
          out += head + (value ? " " + value.replace(/\n/g, " ") : "") + "\n";
        }
      });
    });
    return out;
  }

  function problems() {
    var found = [];
    fields().forEach(function (field) {
      var kind = field.dataset.control;
      if (kind === "radio" || kind === "checkbox" || kind === "select") return;
      var value = control(field).value.trim();
      var message = "";
      if (!value && field.dataset.required) message = data.errorRequired;
      else if (value && kind === "month" && !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) message = data.errorMonth;
      else if (value && kind === "number" && !/^\d+$/.test(value)) message = data.errorNumber;
      if (message) found.push({ field: field, message: message });
    });
    return found;
  }

  function showProblems(found) {
    fields().forEach(function (field) {
      var error = field.querySelector(".field-error");
      if (!error) return;
      var el = control(field);
      error.hidden = true;
      error.textContent = "";
      field.classList.remove("has-error");
      el.removeAttribute("aria-invalid");
      var hint = field.querySelector(".hint");
      if (hint) el.setAttribute("aria-describedby", hint.id);
      else el.removeAttribute("aria-describedby");
    });
    var list = summary.querySelector("ul");
    list.textContent = "";
    summary.hidden = found.length === 0;
    found.forEach(function (p) {
      var el = control(p.field);
      var error = p.field.querySelector(".field-error");
      error.textContent = p.message;
      error.hidden = false;
      p.field.classList.add("has-error");
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", (el.getAttribute("aria-describedby") || "") + " " + error.id);
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + el.id;
      link.textContent = p.field.dataset.label + ": " + p.message;
      item.appendChild(link);
      list.appendChild(item);
    });
    if (found.length) summary.focus();
  }

  // A link in the error summary moves focus to its field without touching the address.
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link) return;
    event.preventDefault();
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus();
    }
  });

  function say(message) {
    // Emptied first so that the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  document.getElementById("intake-compose").addEventListener("click", function () {
    var found = problems();
    showProblems(found);
    if (found.length) {
      output.hidden = true;
      textArea.value = "";
      return;
    }
    textArea.value = compose();
    output.hidden = false;
    document.getElementById("output-heading").focus();
    say(data.ready);
  });

  document.getElementById("intake-copy").addEventListener("click", function () {
    var done = function () { say(data.copied); };
    var fallback = function () {
      textArea.focus();
      textArea.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      say(ok ? data.copied : data.copyFailed);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(textArea.value).then(done, fallback);
    } else {
      fallback();
    }
  });

  // Saved through a Blob made in the page: the file never passes through the network.
  document.getElementById("intake-save").addEventListener("click", function () {
    var blob = new Blob([textArea.value], { type: "text/plain;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = "submission.txt";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    say(data.saved);
  });

  // Back to the state the page was served in: defaults chosen, everything typed gone.
  function wipe() {
    fields().forEach(function (field) {
      Array.prototype.forEach.call(field.querySelectorAll("input, textarea, select"), function (el) {
        if (el.type === "radio" || el.type === "checkbox") el.checked = el.defaultChecked;
        else if (el.tagName === "SELECT") el.selectedIndex = 0;
        else el.value = "";
      });
    });
    showProblems([]);
    textArea.value = "";
    output.hidden = true;
  }

  document.getElementById("intake-clear").addEventListener("click", function () {
    wipe();
    say(data.cleared);
    control(fields()[0]).focus();
  });
  // The exit control (site.js) and leaving the page by any other way: nothing stays behind for
  // the Back button or the browser's page cache to show.
  document.addEventListener("exit-this-page", wipe);
  window.addEventListener("pagehide", wipe);

  form.hidden = false;
  template.hidden = true;
})();
