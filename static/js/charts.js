/* Draws the charts whose data a page put in <script type="application/json"> (json_script).
   Canvases: <canvas class="kpi-chart" data-series="key" [data-source="element id"]>. */
(function () {
  "use strict";
  var palette = {
    impressions: "#2563eb", engagements: "#7c3aed", clicks: "#0891b2",
    conversions: "#c2410c", revenue: "#0f7b4a", followers: "#4f46e5"
  };

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (err) { return null; }
  }

  // An empty chart (every day zero or unknown) says so and names the next step, instead of
  // drawing a flat line. A page may give its own step: <canvas data-empty="...">.
  var nextSteps = {
    impressions: "Add the creators' posts and their metrics (Data, or connect their accounts).",
    engagements: "Add the creators' posts and their metrics (Data, or connect their accounts).",
    clicks: "Give each creator a tracking link (Creators of the campaign → Links & codes).",
    conversions: "Send orders: connect Shopify, install the pixel or import a CSV (Data).",
    revenue: "Send orders: connect Shopify, install the pixel or import a CSV (Data).",
    followers: "Add follower counts (Data), or connect the account."
  };

  function isEmpty(values) {
    return !(values || []).some(function (v) { return v !== null && Number(v) !== 0; });
  }

  function showEmpty(canvas, key) {
    var box = canvas.parentNode;
    var note = document.createElement("p");
    note.className = "chart-empty";
    var title = document.createElement("strong");
    // The page gives the words in its own language (data-empty-title, data-empty).
    title.textContent = canvas.getAttribute("data-empty-title") || "No data yet.";
    note.appendChild(title);
    note.appendChild(document.createTextNode(
      " " + (canvas.getAttribute("data-empty") || nextSteps[key] || "")
    ));
    canvas.hidden = true;
    box.classList.add("chart-box-empty");
    box.appendChild(note);
  }

  function draw() {
    if (typeof window.Chart === "undefined") return;
    var canvases = document.querySelectorAll("canvas.kpi-chart");
    canvases.forEach(function (canvas) {
      var data = readJson(canvas.getAttribute("data-source") || "chart-data");
      if (!data) return;
      var key = canvas.getAttribute("data-series");
      var series = (data.series || []).filter(function (s) { return s.key === key; })[0];
      if (!series) return;
      if (isEmpty(series.data)) {
        showEmpty(canvas, key);
        return;
      }
      var color = palette[key] || "#4f46e5";
      // Right to left (Persian): time runs from the right, the value axis stands on the right.
      var rtl = document.documentElement.getAttribute("dir") === "rtl";
      var chart = new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [{
            label: series.label, data: series.data, borderColor: color,
            backgroundColor: color + "22", fill: true, tension: 0.25,
            pointRadius: 0, pointHitRadius: 8, spanGaps: false, borderWidth: 2
          }]
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false }, tooltip: { rtl: rtl } },
          interaction: { mode: "index", intersect: false },
          scales: {
            x: { reverse: rtl, ticks: { maxTicksLimit: 6, autoSkip: true }, grid: { display: false } },
            // Follower counts start far from zero: a zero baseline would flatten their growth.
            y: { position: rtl ? "right" : "left", beginAtZero: key !== "followers", ticks: { maxTicksLimit: 5 } }
          }
        }
      });
      canvas.setAttribute("data-drawn", "true");
      canvas.chart = chart;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
