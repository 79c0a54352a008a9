/* Program activities map (Leaflet served locally, OpenStreetMap tiles).
   #program-map with data-lat/data-lng shows one activity; with #program-points (JSON from
   json_script) it shows every point, each linking to its activity page. */
(function () {
  "use strict";

  function start() {
    var box = document.getElementById("program-map");
    if (!box || typeof window.L === "undefined") return;
    var map = window.L.map(box);
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap"
    }).addTo(map);
    if (box.dataset.lat) {
      var point = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lng)];
      map.setView(point, 17);
      window.L.marker(point).addTo(map);
      return;
    }
    var data = document.getElementById("program-points");
    var points = data ? JSON.parse(data.textContent) : [];
    var bounds = [];
    points.forEach(function (p) {
      var at = [p.lat, p.lng];
      bounds.push(at);
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.title;
      var popup = document.createElement("div");
      popup.appendChild(link);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(p.program + " · " + p.date));
      window.L.marker(at, { title: p.title }).addTo(map).bindPopup(popup);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
