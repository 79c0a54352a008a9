/* Public transparency map: pins from the table rows under the map (the page works without
   JavaScript: the table lists every point). Tiles from OpenStreetMap. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("public-map");
    if (!box || typeof window.L === "undefined") return;
    var rows = document.querySelectorAll("tr.map-point");
    var map = window.L.map(box);
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19, attribution: "&copy; OpenStreetMap"
    }).addTo(map);
    var bounds = [];
    rows.forEach(function (row) {
      var point = [parseFloat(row.dataset.lat), parseFloat(row.dataset.lng)];
      if (isNaN(point[0]) || isNaN(point[1])) return;
      var marker = window.L.marker(point).addTo(map);
      var label = document.createElement(row.dataset.url ? "a" : "span");
      label.textContent = row.dataset.title;
      if (row.dataset.url) label.href = row.dataset.url;
      marker.bindPopup(label);
      bounds.push(point);
    });
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
    else map.setView([3.54, 98.70], 13);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
