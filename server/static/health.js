// Health views: the lab trend chart (uPlot), table rows that open their source, and
// scrolling a document page to the fact it was opened for. No inline scripts: the CSP.
(function () {
  "use strict";
  var BLUE = "#3366aa", RED = "#b3261e", BAND = "rgba(46, 125, 50, 0.16)", DAY = 86400;

  function chart() {
    var holder = document.getElementById("lab-chart");
    var source = document.getElementById("lab-chart-data");
    if (!holder || !source || typeof uPlot === "undefined") return;
    var d = JSON.parse(source.textContent);
    var hint = document.getElementById("lab-chart-hint");
    var idle = hint ? hint.textContent : "";
    var band = d.band;
    var lo = Math.min.apply(null, d.y), hi = Math.max.apply(null, d.y);
    if (band && band.low !== null) lo = Math.min(lo, band.low);
    if (band && band.high !== null) hi = Math.max(hi, band.high);
    var pad = (hi - lo) * 0.12 || Math.abs(hi) * 0.12 || 1;
    var ink = getComputedStyle(document.body).color;

    function drawBand(u) {
      if (!band) return;
      var box = u.bbox;
      var top = band.high !== null ? u.valToPos(band.high, "y", true) : box.top;
      var bottom = band.low !== null ? u.valToPos(band.low, "y", true) : box.top + box.height;
      top = Math.max(box.top, top);
      bottom = Math.min(box.top + box.height, bottom);
      u.ctx.save();
      u.ctx.fillStyle = BAND;
      u.ctx.fillRect(box.left, top, box.width, bottom - top);
      u.ctx.restore();
    }

    function showHint(u) {
      if (!hint) return;
      var i = u.cursor.idx;
      hint.textContent = i === null || i === undefined ? idle : d.labels[i] + " — click to open the page it was read from";
    }

    function size() {
      var w = Math.max(260, holder.clientWidth);
      return { width: w, height: w < 500 ? 220 : 320 };
    }

    var opts = Object.assign(size(), {
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 12 } },
      scales: {
        x: { time: true, range: function (u, min, max) { var m = Math.max(30 * DAY, (max - min) * 0.04); return [min - m, max + m]; } },
        y: { range: function () { return [lo - pad, hi + pad]; } },
      },
      axes: [{ stroke: ink }, { stroke: ink, label: d.unit, size: 60 }],
      series: [
        {},
        { label: d.title, stroke: BLUE, width: 2, points: { show: true, size: 8, fill: BLUE } },
        { label: "flagged", stroke: RED, paths: function () { return null; }, points: { show: true, size: 12, fill: RED, stroke: RED } },
      ],
      hooks: { drawAxes: [drawBand], setCursor: [showHint] },
    });
    var u = new uPlot(opts, [d.x, d.y, d.flagged], holder);
    holder.uplot = u; // for the browser test and the console
    u.over.addEventListener("click", function () {
      var i = u.cursor.idx;
      if (i !== null && i !== undefined && d.urls[i]) window.location.href = d.urls[i];
    });
    var pending = 0;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { u.setSize(size()); }, 100);
    });
  }

  function rows() {
    document.addEventListener("click", function (e) {
      var target = e.target;
      if (!(target instanceof Element) || target.closest("a, button, summary")) return;
      var row = target.closest("tr[data-href]");
      if (row) window.location.href = row.getAttribute("data-href");
    });
  }

  function citation() {
    var box = document.querySelector("[data-testid=citation-boxes] rect");
    if (!box) return;
    var moved = false;
    ["wheel", "touchstart", "keydown"].forEach(function (name) {
      window.addEventListener(name, function () { moved = true; }, { once: true, passive: true });
    });
    var note = document.querySelector("[data-testid=citation]");
    function show() {
      if (moved) return;
      // The note saying what was cited at the top, when the words still fit below it.
      var words = box.getBoundingClientRect(), top = note ? note.getBoundingClientRect().top : 0;
      if (note && words.bottom - top < window.innerHeight - 40) note.scrollIntoView({ block: "start" });
      else box.scrollIntoView({ block: "center" });
    }
    show();
    // The browser scrolls to the #page-N anchor too; come back to the words once laid out.
    window.addEventListener("load", show);
  }

  document.addEventListener("DOMContentLoaded", function () {
    chart();
    rows();
    citation();
  });
})();
