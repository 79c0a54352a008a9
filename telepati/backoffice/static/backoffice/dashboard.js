/* Leaders' dashboard: charts drawn from the tables under them (Chart.js) and the hot-spot
   map (Leaflet). Without JavaScript the tables show every figure. */
(function () {
  "use strict";
  var COLORS = ["#0b5d3b", "#c77700", "#2b6cb0"];

  function charts() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas.chart").forEach(function (canvas) {
      var table = document.getElementById(canvas.dataset.source);
      if (!table) return;
      var heads = table.querySelectorAll("thead th");
      var columns = canvas.dataset.columns.split(",").map(Number);
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
      var datasets = columns.map(function (column, index) {
        return {
          label: heads[column].textContent.trim(),
          data: rows.map(function (row) { return row.cells[column] ? parseFloat(row.cells[column].textContent) || 0 : 0; }),
          backgroundColor: COLORS[index], borderColor: COLORS[index]
        };
      });
      new window.Chart(canvas, { type: canvas.dataset.chart, data: { labels: labels, datasets: datasets },
        options: { animation: false, scales: { y: { beginAtZero: true } } } });
    });
  }

  function hotspots() {
    var box = document.getElementById("hotspot-map");
    if (!box || typeof window.L === "undefined") return;
    var map = window.L.map(box);
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19, attribution: "&copy; OpenStreetMap"
    }).addTo(map);
    var bounds = [];
    document.querySelectorAll("tr.hotspot").forEach(function (row) {
      var point = [parseFloat(row.dataset.lat), parseFloat(row.dataset.lng)];
      var count = parseInt(row.dataset.count, 10);
      window.L.circleMarker(point, { radius: 6 + Math.min(count, 20), color: "#b42318", fillOpacity: 0.4 })
        .bindTooltip(String(count)).addTo(map);
      bounds.push(point);
    });
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 15, padding: [20, 20] });
    else map.setView([3.54, 98.70], 13);
  }

  function start() { charts(); hotspots(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
