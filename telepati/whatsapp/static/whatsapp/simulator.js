// WhatsApp simulator: keep the chat scrolled to the newest message, reset the composer
// after sending and close the attachment sheets. Everything else is htmx.
(function () {
  "use strict";
  function screen() { return document.getElementById("screen"); }
  function toBottom() { var s = screen(); if (s) { s.scrollTop = s.scrollHeight; } }
  var stick = true;
  document.addEventListener("DOMContentLoaded", function () {
    toBottom();
    var s = screen();
    if (s) {
      s.addEventListener("scroll", function () {
        stick = s.scrollHeight - s.scrollTop - s.clientHeight < 80;
      });
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // A list menu the resident opened stays open while polling brings the same thread.
    if (event.detail.xhr && event.detail.xhr.status === 204) { event.detail.shouldSwap = false; }
  });
  document.addEventListener("htmx:afterSwap", function () { if (stick) { toBottom(); } });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (!form || !event.detail.successful) { return; }
    stick = true;
    if (form.hasAttribute("data-reset")) { form.reset(); form.querySelector("input[name=body]").focus(); }
    if (form.hasAttribute("data-close")) {
      var details = form.closest("details");
      if (details) { details.open = false; }
      if (form.querySelector("input[type=file]")) { form.reset(); }
    }
    toBottom();
  });
})();
