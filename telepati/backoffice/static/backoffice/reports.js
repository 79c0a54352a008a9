/* Complaints desk: photo viewer, canned replies, duplicate picking, select-all, the map.
   Everything here is an enhancement: without JavaScript links open photos and forms post. */
(function () {
  "use strict";

  function photoViewer() {
    var dialog = document.getElementById("photo-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    var img = document.getElementById("photo-dialog-img");
    document.querySelectorAll("a.photo-open").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var thumb = link.querySelector("img");
        img.src = link.dataset.full;
        img.alt = thumb ? thumb.alt : "";
        dialog.showModal();
        dialog.querySelector("button").focus();
      });
    });
    dialog.addEventListener("close", function () { img.src = ""; });
  }

  function cannedReplies() {
    document.querySelectorAll(".canned").forEach(function (box) {
      var target = document.getElementById(box.dataset.target);
      if (!target) return;
      box.querySelectorAll(".canned-insert").forEach(function (button) {
        button.addEventListener("click", function () {
          var text = button.dataset.text;
          target.value = target.value ? target.value.replace(/\s*$/, "\n\n") + text : text;
          target.focus();
        });
      });
    });
  }

  function mergePick() {
    var field = document.getElementById("id_merge-into");
    document.querySelectorAll(".merge-pick").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!field) return;
        field.value = button.dataset.number;
        field.focus();
      });
    });
  }

  function reportMap() {
    var box = document.getElementById("report-map");
    if (!box || typeof window.L === "undefined") return;
    var point = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lng)];
    var map = window.L.map(box).setView(point, 17);
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap"
    }).addTo(map);
    window.L.marker(point).addTo(map);
  }

  function start() {
    photoViewer();
    cannedReplies();
    mergePick();
    reportMap();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
