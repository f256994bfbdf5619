// The map page's panels: a point's service circle, address search, coverage and suggestions,
// layers; the view kept in the URL so it can be shared. Start-up at the bottom.
(function () {
  "use strict";
  var LEYE = window.LEYE, S = LEYE.S, t = LEYE.t, el = LEYE.el, api = LEYE.api, L = window.L;
  var $ = function (id) { return document.getElementById(id); };
  var KINDS = Object.keys(window.LEYE_I18N.kinds);

  // ---- the view in the URL: #v=zoom/lat/lon&lang=en&big=1&tab=..&kinds=..&pt=lon,lat&cov=kind/min/mode
  function readHash() {
    var p = new URLSearchParams(window.location.hash.slice(1));
    if (p.get("lang") === "en") S.lang = "en";
    S.large = p.get("big") === "1";
    if (["near", "coverage", "layers"].indexOf(p.get("tab")) >= 0) S.tab = p.get("tab");
    var kinds = (p.get("kinds") || "").split(",").filter(function (k) { return KINDS.indexOf(k) >= 0; });
    S.kinds = new Set(kinds.length ? kinds : KINDS);
    if (S.config.modes.indexOf(p.get("mode")) >= 0) S.mode = p.get("mode");
    if (["5", "10", "15", "30"].indexOf(p.get("min")) >= 0) S.minutes = Number(p.get("min"));
    var pt = (p.get("pt") || "").split(",").map(Number);
    if (pt.length === 2 && pt.every(isFinite)) S.point = pt;
    var cov = (p.get("cov") || "").split("/");
    if (cov.length === 3 && KINDS.indexOf(cov[0]) >= 0) S.cov = { kind: cov[0], minutes: Number(cov[1]) || 15, mode: cov[2] };
    var v = (p.get("v") || "").split("/").map(Number);
    return v.length === 3 && v.every(isFinite) ? v : null;
  }
  function writeHash() {
    if (!S.map) return;
    var c = S.map.getCenter();
    var p = new URLSearchParams();
    p.set("v", [S.map.getZoom(), c.lat.toFixed(5), c.lng.toFixed(5)].join("/"));
    if (S.lang !== "zh") p.set("lang", S.lang);
    if (S.large) p.set("big", "1");
    if (S.tab !== "near") p.set("tab", S.tab);
    if (S.kinds.size !== KINDS.length) p.set("kinds", Array.from(S.kinds).join(","));
    if (S.mode !== "walk") p.set("mode", S.mode);
    if (S.minutes !== 15) p.set("min", String(S.minutes));
    if (S.point) p.set("pt", S.point.map(function (x) { return x.toFixed(6); }).join(","));
    if (S.cov) p.set("cov", [S.cov.kind, S.cov.minutes, S.cov.mode].join("/"));
    // Readable and shareable: "/" and "," stay as they are.
    var hash = Array.from(p.entries()).map(function (kv) {
      return kv[0] + "=" + encodeURIComponent(kv[1]).replace(/%2F/g, "/").replace(/%2C/g, ",");
    }).join("&");
    history.replaceState(null, "", "#" + hash);
  }

  // ---- language and large type
  function applyLanguage() {
    document.documentElement.lang = S.lang === "zh" ? "zh-CN" : "en";
    var district = { district: S.lang === "zh" ? S.config.district_zh : S.config.district_en };
    document.querySelectorAll("[data-i18n]").forEach(function (n) { n.textContent = t(n.dataset.i18n, district); });
    document.querySelectorAll("[data-i18n-label]").forEach(function (n) { n.setAttribute("aria-label", t(n.dataset.i18nLabel)); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (n) { n.placeholder = t(n.dataset.i18nPlaceholder); });
    document.title = t("title", district);
    var btn = $("btn-lang");
    btn.textContent = S.lang === "zh" ? "English" : "中文";
    btn.lang = S.lang === "zh" ? "en" : "zh-CN";
    fillSelects();
    renderToggles();
    renderMeta();
    renderLegend();
    if (S.map) LEYE.refreshIcons();
    if (S.lastNear) renderNear(S.lastNear);
    if (S.lastCoverage) renderCoverage(S.lastCoverage);
  }
  function applyLarge() {
    document.documentElement.classList.toggle("large", S.large);
    $("btn-large").setAttribute("aria-pressed", String(S.large));
    if (S.map) { S.map.invalidateSize(); LEYE.refreshIcons(); }
  }
  function fillSelects() {
    [["mode", S.mode], ["cov-mode", S.cov ? S.cov.mode : S.mode]].forEach(function (pair) {
      $(pair[0]).replaceChildren.apply($(pair[0]), S.config.modes.map(function (m) {
        return el("option", { value: m, selected: m === pair[1] ? "selected" : null }, LEYE.modeLabel(m));
      }));
    });
    var ck = S.cov ? S.cov.kind : "childcare";
    $("cov-kind").replaceChildren.apply($("cov-kind"), KINDS.map(function (k) {
      return el("option", { value: k, selected: k === ck ? "selected" : null }, LEYE.kindLabel(k));
    }));
    $("minutes").value = String(S.minutes);
    if (S.cov) $("cov-minutes").value = String(S.cov.minutes);
  }

  function selectTab(name) {
    S.tab = name;
    ["near", "coverage", "layers"].forEach(function (n) {
      var on = n === name;
      $("tab-" + n).setAttribute("aria-selected", String(on));
      $("tab-" + n).tabIndex = on ? 0 : -1;
      $("pane-" + n).hidden = !on;
    });
    writeHash();
  }

  function renderToggles() {
    $("kind-toggles").replaceChildren.apply($("kind-toggles"), KINDS.map(function (k) {
      var box = el("input", { type: "checkbox", id: "kind-" + k, checked: S.kinds.has(k) ? "checked" : null,
        on: { change: function (e) { if (e.target.checked) S.kinds.add(k); else S.kinds.delete(k); LEYE.loadFacilities(); renderLegend(); writeHash(); } } });
      return el("label", { class: "check", for: "kind-" + k }, box, LEYE.swatch(k), LEYE.kindLabel(k));
    }));
  }

  function renderMeta() {
    var f = S.config.freshness;
    $("freshness").textContent = t("freshness", { v: f.directory_version, n: LEYE.fmtInt(f.facilities),
      d: f.latest_verified_at ? LEYE.fmtDate(f.latest_verified_at) : t("unknown") });
    var bm = S.config.basemap;
    $("basemap-note").textContent = bm ? t("basemapOn", { a: bm.attribution || bm.url }) : t("noBasemap");
    if (S.notice) S.notice.getContainer().textContent = bm ? "" : t("noBasemap");
  }

  // ---- legend: the kinds on the map, the coverage ramp when shading is on
  var legendOpen = window.innerWidth >= 760;
  function renderLegend() {
    if (!S.legend) return;
    var box = S.legend.getContainer();
    var toggle = el("button", { type: "button", class: "legend-toggle", "aria-expanded": String(legendOpen),
      on: { click: function () { legendOpen = !legendOpen; renderLegend(); } } }, legendOpen ? t("legendHide") : t("legendShow"));
    if (!legendOpen) { box.replaceChildren(toggle); return; }
    var items = KINDS.filter(function (k) { return S.kinds.has(k); }).map(function (k) {
      return el("li", {}, LEYE.swatch(k), LEYE.kindLabel(k));
    });
    var parts = [toggle, el("ul", {}, items)];
    if (S.coverageLayer) {
      parts.push(el("strong", {}, t("legendCoverage")), el("ul", {}, ["0–20%", "20–40%", "40–60%", "60–80%", "80–100%"].map(function (r, i) {
        return el("li", {}, el("span", { class: "ramp c" + i, "aria-hidden": "true" }), r);
      })), el("ul", {}, el("li", {}, el("span", { class: "legend-swatch site-icon", "aria-hidden": "true" }, el("span", {}, "1")), t("suggestedSite"))));
    }
    box.replaceChildren.apply(box, parts);
  }

  // ---- a point: its circle, the nearest of each kind, what the standards say is missing
  async function queryPoint(lon, lat, crs, label) {
    S.point = [lon, lat];
    S.pointLabel = label || null;
    writeHash();
    selectTab("near");
    $("near-result").replaceChildren(el("p", {}, t("loading")));
    var params = { lon: lon, lat: lat, crs: crs || S.crs, mode: S.mode };
    try {
      var circle = await api("/v1/circles", Object.assign({ minutes: S.minutes }, params));
      var near = await Promise.all(KINDS.map(function (k) {
        return api("/v1/facilities/nearby", Object.assign({ kind: k, limit: 1 }, params));
      }));
      S.lastNear = { circle: circle, near: near };
      drawCircle(circle);
      renderNear(S.lastNear);
    } catch (e) {
      $("near-result").replaceChildren(el("p", { class: "error" }, e.message));
    }
  }
  function drawCircle(circle) {
    if (S.circleLayer) S.circleLayer.remove();
    var o = circle.origin;
    S.circleLayer = L.layerGroup([
      L.geoJSON(circle.area, { style: { color: "#e08a00", weight: 3, fillColor: "#e08a00", fillOpacity: 0.12, className: "circle-area" }, interactive: false }),
      L.marker([o.lat, o.lon], { icon: L.divIcon({ className: "point-icon", html: "<span></span>", iconSize: [22, 22] }), title: t("yourPoint"), alt: t("yourPoint"), keyboard: false }),
    ]).addTo(S.map);
  }
  function renderNear(data) {
    var c = data.circle;
    var rows = KINDS.map(function (k, i) {
      var inside = c.facilities[k] || [];
      var item = data.near[i].items[0];
      var what = el("span", { class: "what" }, el("strong", {}, LEYE.kindLabel(k)), el("br"),
        item ? item.facility.name : t("none"), " · ", inside.length ? t("inCircle", { n: inside.length }) : t("none"));
      return el("li", { "data-kind": k }, LEYE.swatch(k), what, item ? el("span", { class: "mins" }, LEYE.fmtMinutes(item.travel_minutes)) : null);
    });
    var standards = c.standards.map(function (s) {
      var label = s.level === "5min" ? t("std5") : t("std15");
      if (!s.missing.length) return el("p", { class: "ok" }, label + "：" + t("allPresent"));
      var names = s.missing.map(function (key, i) { return S.lang === "zh" ? s.missing_labels_zh[i] : window.LEYE_I18N.requirements[key] || key; });
      return el("div", { class: "missing" }, el("strong", {}, label + " · " + t("missing")), el("ul", {}, names.map(function (n) { return el("li", {}, n); })));
    });
    var where = S.pointLabel ? t("matched") + "：" + S.pointLabel : t("here") + " " + c.origin.lon.toFixed(5) + ", " + c.origin.lat.toFixed(5);
    $("near-result").replaceChildren(el("div", { class: "result" },
      el("h2", {}, t("circleOf", { m: S.minutes, mode: LEYE.modeLabel(S.mode) })),
      el("p", { class: "hint" }, where), el("h3", {}, t("nearest")), el("ul", { class: "near-list" }, rows), standards));
  }

  // ---- address search: the geocoder; an ambiguous address lists its candidates
  async function search(q) {
    $("candidates").replaceChildren();
    if (!q.trim()) return;
    try {
      var r = await api("/v1/geocode", { q: q, crs: S.crs });
      goTo(r.best);
      if (r.alternatives.length) showCandidates(t("notThis"), r.alternatives.slice(0, 5));
    } catch (e) {
      var p = e.problem || {};
      if (p.code === "address_ambiguous" && p.extra && p.extra.candidates) showCandidates(t("pickOne"), p.extra.candidates);
      else $("candidates").replaceChildren(el("p", { class: "error" }, e.message));
    }
  }
  function showCandidates(title, places) {
    var buttons = places.map(function (c) {
      return el("button", { type: "button", class: "pick", on: { click: function () { $("candidates").replaceChildren(); goTo(c); } } },
        c.name + (c.area_name && c.area_name !== c.name ? "（" + c.area_name + "）" : ""));
    });
    $("candidates").replaceChildren(el("p", {}, title), el("div", {}, buttons));
  }
  function goTo(place) {
    S.map.setView([place.lat, place.lon], Math.max(S.map.getZoom(), 15));
    queryPoint(place.lon, place.lat, place.crs, place.matched || place.name);
  }

  function locate() {
    if (!navigator.geolocation) { LEYE.toast(t("geoUnavailable")); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      var p = [pos.coords.longitude, pos.coords.latitude];
      if (S.crs === "gcj02") p = LEYE.wgs84ToGcj02(p[0], p[1]);
      S.map.setView([p[1], p[0]], 15);
      queryPoint(p[0], p[1]);
    }, function () { LEYE.toast(t("geoUnavailable")); }, { enableHighAccuracy: true, timeout: 10000 });
  }

  window.LEYE_PANELS = { selectTab: selectTab, queryPoint: queryPoint, search: search, locate: locate,
    readHash: readHash, writeHash: writeHash, applyLanguage: applyLanguage, applyLarge: applyLarge,
    renderLegend: renderLegend, renderMeta: renderMeta };
  var renderCoverage = function (d) { window.LEYE_COVERAGE.render(d); };
})();
