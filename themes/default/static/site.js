// Exit this page: a plain link without JavaScript; with it, pressing Shift three times also
// leaves, and the page is replaced in the history so Back does not return here.
(function () {
  "use strict";
  var link = document.getElementById("exit-this-page");
  if (!link) return;
  var target = link.getAttribute("href");
  function leave(event) {
    if (event) event.preventDefault();
    // Pages with something typed in them (the submission form) wipe it first.
    document.dispatchEvent(new Event("exit-this-page"));
    document.body.hidden = true;
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
