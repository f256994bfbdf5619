// Coverage: communities shaded by the share of residents within reach, the suggested sites with
// the population each would newly cover, the worst-covered table and its CSV. Then start-up.
(function () {
  "use strict";
  var LEYE = window.LEYE, S = LEYE.S, t = LEYE.t, el = LEYE.el, api = LEYE.api, L = window.L;
  var P = window.LEYE_PANELS;
  var $ = function (id) { return document.getElementById(id); };
  var RAMP = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"];
  function shade(share) { return RAMP[Math.min(4, Math.floor(share * 5))]; }

  async function showCoverage() {
    S.cov = { kind: $("cov-kind").value, minutes: Number($("cov-minutes").value), mode: $("cov-mode").value };
    P.writeHash();
    document.documentElement.dataset.coverage = "loading";
    $("coverage-result").replaceChildren(el("p", {}, t("loading")));
    var q = { kind: S.cov.kind, minutes: S.cov.minutes, mode: S.cov.mode };
    try {
      var both = await Promise.all([
        api("/v1/coverage", Object.assign({ format: "geojson", crs: S.crs }, q)),
        api("/v1/coverage", q),
        api("/v1/coverage/suggest", null, Object.assign({ sites: 3, crs: S.crs }, q)),
      ]);
      S.lastCoverage = { geo: both[0], table: both[1], suggest: both[2], query: q };
      draw(S.lastCoverage);
      render(S.lastCoverage);
      document.documentElement.dataset.coverage = "ready";
    } catch (e) {
      $("coverage-result").replaceChildren(el("p", { class: "error" }, e.message));
      document.documentElement.dataset.coverage = "failed";
    }
  }

  function tooltip(p) {
    return el("div", {}, el("strong", {}, p.name), el("br"),
      t("population") + " " + LEYE.fmtInt(p.population) + " · " + t("share") + " " + LEYE.fmtPct(p.share), el("br"),
      t("uncovered") + " " + LEYE.fmtInt(p.population - p.covered_population));
  }
  function draw(d) {
    if (S.coverageLayer) S.coverageLayer.remove();
    var shapes = L.geoJSON(d.geo, {
      style: function (f) { return { color: "#444", weight: 1, fillColor: shade(f.properties.share), fillOpacity: 0.55, className: "coverage-area" }; },
      onEachFeature: function (f, layer) { layer.bindTooltip(function () { return tooltip(f.properties); }, { sticky: true }); },
    });
    var sites = d.suggest.sites.map(function (s) {
      var m = L.marker([s.lat, s.lon], {
        icon: L.divIcon({ className: "site-icon", html: "<span>" + s.rank + "</span>", iconSize: [34, 34] }),
        title: t("suggestedSite") + " " + s.rank, alt: t("suggestedSite") + " " + s.rank, zIndexOffset: 1000,
      });
      m.bindPopup(function () {
        return el("div", {}, el("h3", {}, t("suggestedSite") + " " + s.rank + (s.area_name ? " · " + s.area_name : "")),
          el("p", {}, t("newly", { n: LEYE.fmtInt(s.newly_covered) })), el("p", {}, t("share") + " → " + LEYE.fmtPct(s.share_after)));
      });
      return m;
    });
    S.coverageLayer = L.layerGroup([shapes].concat(sites)).addTo(S.map);
    shapes.bringToBack();
    P.renderLegend();
  }

  function render(d) {
    var q = d.query, table = d.table;
    var worst = table.communities.slice().sort(function (a, b) {
      return (b.population - b.covered_population) - (a.population - a.covered_population);
    }).slice(0, 12);
    var csv = "/v1/coverage?" + new URLSearchParams(Object.assign({ format: "csv" }, q)).toString();
    $("coverage-result").replaceChildren(el("div", { class: "result" },
      el("h2", {}, t("coverageOf", { kind: LEYE.kindLabel(q.kind), m: q.minutes, mode: LEYE.modeLabel(q.mode) })),
      el("p", {}, t("districtTotal", { share: LEYE.fmtPct(table.share), c: LEYE.fmtInt(table.covered_population), p: LEYE.fmtInt(table.population) })),
      el("h3", {}, t("suggested")),
      el("ol", { class: "sites" }, d.suggest.sites.map(function (s) {
        return el("li", {}, el("button", { type: "button", class: "linkish", on: { click: function () { S.map.setView([s.lat, s.lon], 15); } } },
          (s.area_name || s.lon.toFixed(4) + ", " + s.lat.toFixed(4))), " — " + t("newly", { n: LEYE.fmtInt(s.newly_covered) }));
      })),
      el("h3", {}, t("worst")),
      el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("worst") }, el("table", {},
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("community")), el("th", { scope: "col", class: "num" }, t("population")),
          el("th", { scope: "col", class: "num" }, t("uncovered")), el("th", { scope: "col", class: "num" }, t("share")))),
        el("tbody", {}, worst.map(function (r) {
          return el("tr", {}, el("td", {}, r.name), el("td", { class: "num" }, LEYE.fmtInt(r.population)),
            el("td", { class: "num" }, LEYE.fmtInt(r.population - r.covered_population)), el("td", { class: "num" }, LEYE.fmtPct(r.share)));
        })))),
      el("p", {}, el("a", { href: csv, download: "coverage-" + q.kind + ".csv" }, t("csv")))));
  }
  window.LEYE_COVERAGE = { render: render, show: showCoverage };

  // ---- start-up: config and boundaries in parallel, then the facilities in view
  async function start() {
    S.config = await api("/map/config");
    S.crs = S.config.crs;
    var boundaries = LEYE.fetchBoundaries();
    var view = P.readHash();
    P.applyLarge();
    var map = LEYE.createMap();
    S.legend = L.control({ position: "bottomright" });
    S.legend.onAdd = function () { var d = L.DomUtil.create("div", "legend"); L.DomEvent.disableClickPropagation(d); return d; };
    S.legend.addTo(map);
    if (!S.config.basemap) {
      S.notice = L.control({ position: "topright" });
      S.notice.onAdd = function () { return L.DomUtil.create("div", "notice"); };
      S.notice.addTo(map);
    }
    P.applyLanguage();
    // The view first (from the URL or the district's extent in the config), then boundaries
    // and the facilities in view fetched together.
    var b = S.config.bounds;
    var bounds = b ? L.latLngBounds([b[1], b[0]], [b[3], b[2]]) : L.latLngBounds([33.0, 119.9], [33.8, 120.8]);
    map.setMaxBounds(bounds.pad(0.5));
    if (view) map.setView([view[1], view[2]], view[0]);
    else map.fitBounds(bounds);
    S.layers.clusters.addTo(map);
    await Promise.all([LEYE.loadBoundaries(boundaries), LEYE.loadFacilities()]);
    map.on("moveend", function () { LEYE.loadFacilities(); P.writeHash(); });
    // In the coverage view a tap on a community shows its tooltip, not a new circle.
    map.on("click", function (e) { if (S.tab !== "coverage") P.queryPoint(e.latlng.lng, e.latlng.lat); });
    wire();
    P.selectTab(S.tab);
    if (S.point) P.queryPoint(S.point[0], S.point[1]);
    if (S.cov) showCoverage();
    P.writeHash();
    performance.mark("leye:ready");
    document.documentElement.dataset.ready = "1";
  }

  function wire() {
    $("btn-lang").addEventListener("click", function () { S.lang = S.lang === "zh" ? "en" : "zh"; P.applyLanguage(); P.writeHash(); });
    $("btn-large").addEventListener("click", function () { S.large = !S.large; P.applyLarge(); P.writeHash(); });
    ["near", "coverage", "layers"].forEach(function (n) { $("tab-" + n).addEventListener("click", function () { P.selectTab(n); }); });
    document.querySelector(".tabs").addEventListener("keydown", function (e) {
      var order = ["near", "coverage", "layers"], i = order.indexOf(S.tab);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        var next = order[(i + (e.key === "ArrowRight" ? 1 : 2)) % 3];
        P.selectTab(next);
        $("tab-" + next).focus();
      }
    });
    $("search-form").addEventListener("submit", function (e) { e.preventDefault(); P.search($("q").value); });
    $("btn-locate").addEventListener("click", P.locate);
    $("mode").addEventListener("change", function () { S.mode = $("mode").value; if (S.point) P.queryPoint(S.point[0], S.point[1]); P.writeHash(); });
    $("minutes").addEventListener("change", function () { S.minutes = Number($("minutes").value); if (S.point) P.queryPoint(S.point[0], S.point[1]); P.writeHash(); });
    $("btn-coverage").addEventListener("click", showCoverage);
    [["show-district", "district"], ["show-subdistricts", "subdistrict"], ["show-communities", "community"]].forEach(function (pair) {
      $(pair[0]).addEventListener("change", function (e) {
        if (e.target.checked) S.layers[pair[1]].addTo(S.map); else S.layers[pair[1]].remove();
      });
    });
  }

  start().catch(function (e) {
    document.documentElement.dataset.ready = "failed";
    console.error(e.stack);
    LEYE.toast(t("failed", { e: e.message }));
  });
})();
