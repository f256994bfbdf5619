// The map itself: state, API calls, boundaries, facility markers and their popups.
// Everything the page shows comes from this server's API; DOM is built node by node (no HTML
// strings from data), so names and addresses can never inject markup.
(function () {
  "use strict";
  var T = window.LEYE_I18N;
  var L = window.L;
  var S = {
    lang: "zh", large: false, tab: "near", kinds: null, mode: "walk", minutes: 15, point: null,
    cov: null, config: null, crs: "wgs84", map: null, layers: {}, markers: new Map(), drawn: 0,
  };
  var LEYE = (window.LEYE = { S: S });

  function t(key, vars) {
    var s = T[S.lang][key];
    if (s === undefined) s = T.zh[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{" + k + "}").join(vars[k]); });
    return s;
  }
  function modeLabel(mode) { return T[S.lang].modes[mode] || mode; }
  function kindLabel(code) {
    if (S.lang === "en") return T.kinds[code].name_en;
    var k = (S.config && S.config.kinds.find(function (x) { return x.code === code; })) || null;
    return k ? k.label_zh : code;
  }
  // el("p", {class: "x"}, "text", child...) – a DOM node; strings become text nodes.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
      if (k === "on") Object.keys(attrs.on).forEach(function (e) { node.addEventListener(e, attrs.on[e]); });
      else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      (Array.isArray(c) ? c : [c]).forEach(function (x) {
        node.appendChild(typeof x === "string" || typeof x === "number" ? document.createTextNode(String(x)) : x);
      });
    }
    return node;
  }
  function fmtInt(n) { return Number(n).toLocaleString(S.lang === "zh" ? "zh-CN" : "en-GB"); }
  function fmtPct(x) { return (100 * x).toFixed(1) + "%"; }
  function fmtMinutes(x) { return t("min", { n: x < 10 ? x.toFixed(1) : Math.round(x) }); }
  function fmtShanghai(iso, withDate) {
    var opts = { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false };
    if (withDate) { opts.month = "numeric"; opts.day = "numeric"; opts.weekday = "short"; }
    return new Intl.DateTimeFormat(S.lang === "zh" ? "zh-CN" : "en-GB", opts).format(new Date(iso));
  }
  function fmtDate(iso) {
    return new Intl.DateTimeFormat(S.lang === "zh" ? "zh-CN" : "en-GB",
      { timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric" }).format(new Date(iso));
  }
  var toastTimer = null;
  function toast(msg) {
    var box = document.getElementById("toast");
    box.textContent = msg;
    box.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.classList.remove("show"); }, 4000);
  }

  // A problem+json answer becomes an Error carrying the problem, its message in our language.
  async function api(path, params, body) {
    var url = new URL(path, window.location.origin);
    Object.keys(params || {}).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined) url.searchParams.set(k, params[k]);
    });
    var init = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {};
    var r = await fetch(url, init);
    var data = await r.json();
    if (!r.ok) {
      var err = new Error((S.lang === "zh" ? data.message_zh : data.message_en) || r.statusText);
      err.problem = data;
      throw err;
    }
    return data;
  }

  function kindIcon(kind) {
    var size = S.large ? 34 : 26;
    return L.divIcon({
      className: "kind-icon k-" + kind,
      html: '<span class="glyph" aria-hidden="true">' + T.kinds[kind][S.lang] + "</span>",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
      popupAnchor: [0, -size / 2],
    });
  }
  function swatch(kind) {
    return el("span", { class: "legend-swatch kind-icon k-" + kind, "aria-hidden": "true" },
      el("span", { class: "glyph" }, T.kinds[kind][S.lang]));
  }
  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = (S.large ? 12 : 0) + (n < 10 ? 34 : n < 100 ? 40 : 48);
    return L.divIcon({ className: "cluster-icon", html: "<span>" + n + "</span>", iconSize: [size, size] });
  }

  function createMap() {
    var map = L.map("map", { zoomControl: true, preferCanvas: false, minZoom: 9, maxZoom: 18 });
    S.map = map;
    L.control.scale({ metric: true, imperial: false, position: "bottomleft" }).addTo(map);
    var bm = S.config.basemap;
    if (bm) {
      L.tileLayer(bm.url, { attribution: bm.attribution, subdomains: bm.subdomains || "abc", maxZoom: 18 }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    S.layers.clusters = L.markerClusterGroup({
      showCoverageOnHover: false, spiderfyOnMaxZoom: true, disableClusteringAtZoom: 17,
      maxClusterRadius: 45, chunkedLoading: true, iconCreateFunction: clusterIcon,
    });  // added to the map once it has a view: the group needs one to cluster
    return map;
  }

  var BOUNDARY_STYLE = {
    district: { color: "#123c5a", weight: 3, fill: false },
    subdistrict: { color: "#3b6e8f", weight: 2, fill: false, dashArray: "6 4" },
    community: { color: "#7d8b96", weight: 1, fill: false },
  };
  function levelGroup(level) {
    if (level === "district") return "district";
    if (level === "subdistrict" || level === "town") return "subdistrict";
    return "community";
  }
  // Asked for as soon as the datum is known, drawn once the map exists.
  function fetchBoundaries() { return api("/v1/areas", { format: "geojson", crs: S.crs }); }
  async function loadBoundaries(pending) {
    var fc = await (pending || fetchBoundaries());
    ["community", "subdistrict", "district"].forEach(function (group) {
      var features = fc.features.filter(function (f) { return levelGroup(f.properties.level) === group; });
      S.layers[group] = L.geoJSON({ type: "FeatureCollection", features: features }, {
        style: BOUNDARY_STYLE[group], interactive: false,
      }).addTo(S.map);
    });
    return S.layers.district.getBounds();
  }

  // Only what is in view, compact: at 100,000 facilities the page never holds them all.
  var facilitySeq = 0;
  async function loadFacilities() {
    var seq = ++facilitySeq;
    var b = S.map.getBounds().pad(0.2);
    var box = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()),
      Math.min(180, b.getEast()), Math.min(90, b.getNorth())].map(function (x) { return x.toFixed(5); });
    var page = await api("/v1/facilities", {
      format: "compact", status: "active", bbox: box.join(","), crs: S.crs, limit: S.config.max_markers,
    });
    if (seq !== facilitySeq) return;
    var wanted = [];
    page.items.forEach(function (row) {
      var id = row[0], kind = row[1];
      var m = S.markers.get(id);
      if (!m) {
        m = L.marker([row[3], row[2]], { icon: kindIcon(kind), title: row[4], alt: row[4], keyboard: true });
        m.leye = { id: id, kind: kind, name: row[4] };
        m.on("click", function () { openFacility(m); });
        S.markers.set(id, m);
      }
      if (S.kinds.has(kind)) wanted.push(m);
    });
    S.layers.clusters.clearLayers();
    S.layers.clusters.addLayers(wanted);
    S.drawn = wanted.length;
    S.inView = page.total;
    if (page.total > page.items.length) toast(t("tooMany", { n: fmtInt(page.total), k: fmtInt(page.items.length) }));
    document.documentElement.dataset.facilities = String(S.drawn);
  }
  function refreshIcons() {
    S.markers.forEach(function (m) { m.setIcon(kindIcon(m.leye.kind)); });
    if (S.layers.clusters._map) S.layers.clusters.refreshClusters();
  }

  function todayHours(hours) {
    var parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" })
      .formatToParts(new Date());
    var get = function (type) { return parts.find(function (p) { return p.type === type; }).value; };
    var date = get("year") + "-" + get("month") + "-" + get("day");
    var day = get("weekday").toLowerCase().slice(0, 3);
    var exception = (hours.exceptions || []).find(function (e) { return e.date === date; });
    var ranges = exception ? (exception.closed ? [] : exception.hours) : (hours.weekly[day] || []);
    if (!ranges.length) return t("closedToday");
    return ranges.map(function (r) { return r.opens + "–" + r.closes; }).join(", ");
  }

  async function openFacility(marker) {
    var info = marker.leye;
    var box = el("div", { class: "facility-card" }, el("h3", {}, info.name), el("p", {}, t("loading")));
    marker.bindPopup(box, { maxWidth: 300 }).openPopup();
    try {
      var ll = marker.getLatLng();
      var both = await Promise.all([
        api("/v1/facilities/" + info.id, { crs: S.crs }),
        api("/v1/facilities/nearby", { lon: ll.lng, lat: ll.lat, crs: S.crs, kind: info.kind, limit: 5 }),
      ]);
      var f = both[0];
      var state = both[1].items.find(function (it) { return it.facility.id === info.id; });
      var openLine = state ? (state.open ? t("openNow") : t("closedNow") +
        (state.next_opening ? "，" + t("nextOpen", { t: fmtShanghai(state.next_opening, true) }) : "")) : t("status_" + f.status);
      box.replaceChildren(
        el("h3", {}, f.name),
        el("p", {}, swatch(f.kind), " ", kindLabel(f.kind)),
        el("p", {}, t("address") + "：" + f.address),
        f.phone ? el("p", {}, t("phone") + "：", el("a", { href: "tel:" + f.phone.replace(/[^0-9+]/g, "") }, f.phone)) : null,
        el("p", {}, t("todayHours") + "：" + todayHours(f.opening_hours)),
        el("p", { class: state && state.open ? "open" : "closed" }, openLine),
        f.capacity > 0 ? el("p", {}, t("placesFree") + "：" + f.places_free + " / " + f.capacity) : null,
        el("p", {}, t("verified") + "：" + (f.verified_at ? fmtDate(f.verified_at) : t("unknown")))
      );
      marker.getPopup().update();
    } catch (e) {
      box.replaceChildren(el("h3", {}, info.name), el("p", { class: "error" }, t("failed", { e: e.message })));
    }
  }

  // The browser's location is WGS-84; a page drawn over a GCJ-02 basemap needs GCJ-02. The public
  // forward formula (the server's spatial/datums.py has the same, and the inverse).
  function wgs84ToGcj02(lon, lat) {
    var a = 6378245.0, ee = 0.006693421622965943, x = lon - 105, y = lat - 35;
    var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) +
      (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3 +
      (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3 +
      (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) +
      (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3 +
      (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3 +
      (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    var rad = lat / 180 * Math.PI, magic = 1 - ee * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((a * (1 - ee)) / (magic * sq) * Math.PI);
    dLon = (dLon * 180) / (a / sq * Math.cos(rad) * Math.PI);
    return [lon + dLon, lat + dLat];
  }

  Object.assign(LEYE, {
    wgs84ToGcj02: wgs84ToGcj02,
    t: t, el: el, api: api, toast: toast, modeLabel: modeLabel, kindLabel: kindLabel, fmtInt: fmtInt,
    fmtPct: fmtPct, fmtMinutes: fmtMinutes, fmtDate: fmtDate, swatch: swatch, kindIcon: kindIcon,
    createMap: createMap, fetchBoundaries: fetchBoundaries, loadBoundaries: loadBoundaries, loadFacilities: loadFacilities,
    refreshIcons: refreshIcons,
  });
})();
