"""The map page in a real chromium: it loads from the server alone, draws the demo directory,
answers a tap, an address and a coverage question, and fits a 360 px phone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.browser.conftest import AXE, PHONE, Server, Visit, wait_ready

URBAN_POINT = (120.1580, 33.3830)  # lon, lat: in the town centre, among the facilities


def test_the_map_loads_with_no_console_errors_and_nothing_from_outside(
    open_page: Any, tmp_path: Path
) -> None:
    visit = open_page("/map")
    wait_ready(visit)
    assert visit.errors == []
    assert visit.attempted_off_server == []
    assert visit.refused_off_server == []
    timing = visit.page.evaluate(
        """() => {
          const nav = performance.getEntriesByType("navigation")[0];
          const ready = performance.getEntriesByName("leye:ready")[0];
          return {dom_content_loaded_ms: nav.domContentLoadedEventEnd, ready_ms: ready.startTime,
                  transfer_bytes: performance.getEntriesByType("resource")
                    .reduce((s, r) => s + r.transferSize, nav.transferSize)};
        }"""
    )
    # Reported, not a timed test: the README quotes the figure. The bound only catches a page
    # that has stopped working (it is ~10x the target).
    (tmp_path / "first-load.json").write_text(json.dumps(timing))
    print(f"\nfirst load to interactive: {timing}")
    assert 0 < timing["ready_ms"] < 10_000


def test_every_active_demo_facility_is_drawn(open_page: Any, server: Server) -> None:
    total = server.get_json("/v1/facilities?status=active&limit=1")["total"]
    visit = open_page("/map")
    wait_ready(visit)
    drawn = visit.page.evaluate("window.LEYE.S.layers.clusters.getLayers().length")
    assert drawn == total > 200


def test_markers_say_their_kind_by_shape_and_glyph_not_colour_alone(open_page: Any) -> None:
    visit = open_page("/map#v=16/33.38300/120.15800")
    wait_ready(visit)
    icons = visit.page.locator(".kind-icon .glyph")
    assert icons.count() > 0
    glyphs = set(visit.page.locator(".leaflet-marker-pane .kind-icon .glyph").all_inner_texts())
    assert glyphs <= set("食日养托站培职")
    assert glyphs


def _empty_map_spot(visit: Visit, lon: float, lat: float) -> tuple[float, float]:
    """A page position near (lon, lat) where a tap lands on the map, not on a marker."""
    spot = visit.page.evaluate(
        """([lon, lat]) => {
          const map = window.LEYE.S.map, box = map.getContainer().getBoundingClientRect();
          const p = map.latLngToContainerPoint([lat, lon]);
          for (let r = 0; r < 200; r += 12) for (let a = 0; a < 6.28; a += 0.5) {
            const x = box.left + p.x + r * Math.cos(a), y = box.top + p.y + r * Math.sin(a);
            const hit = document.elementFromPoint(x, y);
            if (hit && (hit === map.getContainer() || hit.tagName === "path" || hit.tagName === "svg")
                && !hit.closest(".leaflet-control")) return [x, y];
          }
          return null;
        }""",
        [lon, lat],
    )
    assert spot is not None
    return float(spot[0]), float(spot[1])


def test_tapping_a_point_draws_its_circle_and_lists_the_nearest_of_each_kind(
    open_page: Any,
) -> None:
    visit = open_page(f"/map#v=15/{URBAN_POINT[1]}/{URBAN_POINT[0]}")
    wait_ready(visit)
    x, y = _empty_map_spot(visit, *URBAN_POINT)
    visit.page.mouse.click(x, y)
    visit.page.wait_for_selector("path.circle-area")
    rows = visit.page.locator("#near-result .near-list li")
    rows.first.wait_for()
    assert rows.count() == 7
    assert visit.page.locator("#near-result .mins").count() >= 1
    assert "pt=" in visit.page.evaluate("location.hash")
    assert visit.errors == []


def test_typing_an_address_moves_the_map_there(open_page: Any, server: Server) -> None:
    best = server.get_json("/v1/geocode?q=%E6%A1%A5%E4%B8%9C%E7%A4%BE%E5%8C%BA")["best"]
    visit = open_page("/map")
    wait_ready(visit)
    visit.page.fill("#q", "桥东社区")
    visit.page.press("#q", "Enter")
    visit.page.wait_for_selector("path.circle-area")
    centre = visit.page.evaluate(
        "(() => { const c = window.LEYE.S.map.getCenter(); return [c.lng, c.lat]; })()"
    )
    assert abs(centre[0] - best["lon"]) < 1e-4
    assert abs(centre[1] - best["lat"]) < 1e-4
    assert "桥东社区" in visit.page.inner_text("#near-result")


def test_an_ambiguous_address_offers_its_candidates_to_pick_from(open_page: Any) -> None:
    visit = open_page("/map")
    wait_ready(visit)
    visit.page.fill("#q", "新村")
    visit.page.click("#search-form button[type=submit]")
    picks = visit.page.locator("#candidates .pick")
    picks.first.wait_for()
    assert picks.count() >= 2
    picks.first.click()
    visit.page.wait_for_selector("path.circle-area")
    assert visit.page.locator("#candidates .pick").count() == 0


def test_tapping_a_facility_shows_its_card(open_page: Any) -> None:
    visit = open_page("/map#v=17/33.38300/120.15800")
    wait_ready(visit)
    visit.page.locator(".leaflet-marker-pane .kind-icon").first.click()
    card = visit.page.locator(".facility-card")
    card.wait_for()
    card.get_by_text("最近核实").wait_for()
    text = card.inner_text()
    assert "地址" in text
    assert "今日开放" in text
    assert "最近核实" in text


def test_coverage_shades_every_community_and_shows_the_suggested_sites(
    open_page: Any, server: Server
) -> None:
    communities = server.get_json("/v1/coverage?kind=childcare&minutes=15&mode=walk")["communities"]
    visit = open_page("/map")
    wait_ready(visit)
    visit.page.click("#tab-coverage")
    visit.page.select_option("#cov-kind", "childcare")
    visit.page.click("#btn-coverage")
    visit.page.wait_for_selector("html[data-coverage=ready]", state="attached", timeout=60_000)
    assert visit.page.locator("path.coverage-area").count() == len(communities) > 60
    assert visit.page.locator(".leaflet-marker-pane .site-icon").count() == 3
    sites = visit.page.locator("#coverage-result ol.sites li")
    assert sites.count() == 3
    assert "可新覆盖" in sites.first.inner_text()
    csv = visit.page.get_attribute("#coverage-result a[download]", "href")
    assert csv is not None
    assert csv.startswith("/v1/coverage?format=csv")
    assert "cov=childcare/15/walk" in visit.page.evaluate("location.hash")
    assert visit.errors == []


def test_the_english_switch_relabels_the_page_and_is_kept_in_the_url(open_page: Any) -> None:
    visit = open_page("/map")
    wait_ready(visit)
    visit.page.click("#btn-lang")
    assert visit.page.get_attribute("html", "lang") == "en"
    assert visit.page.inner_text("h1") == "Tinghu District livelihood services map"
    assert "lang=en" in visit.page.evaluate("location.hash")


def test_a_shared_url_opens_the_same_view(open_page: Any) -> None:
    visit = open_page("/map#v=14/33.39000/120.15000&lang=en&tab=layers&big=1")
    wait_ready(visit)
    assert visit.page.evaluate("window.LEYE.S.map.getZoom()") == 14
    assert visit.page.get_attribute("#tab-layers", "aria-selected") == "true"
    assert visit.page.evaluate("document.documentElement.classList.contains('large')")
    assert visit.page.inner_text("h1") == "Tinghu District livelihood services map"


def test_on_a_360px_phone_nothing_scrolls_sideways_even_in_large_type(open_page: Any) -> None:
    visit = open_page("/map", PHONE, is_mobile=True, has_touch=True)
    wait_ready(visit)
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    visit.page.tap("#btn-large")
    visit.page.tap("#tab-coverage")
    visit.page.tap("#btn-coverage")
    visit.page.wait_for_selector("html[data-coverage=ready]", state="attached", timeout=60_000)
    assert visit.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert visit.errors == []


def _axe(visit: Visit) -> list[dict[str, Any]]:
    # Evaluated, not added as a <script>: the page's CSP refuses inline scripts, as it should.
    visit.page.evaluate(AXE.read_text(encoding="utf-8"))
    result = visit.page.evaluate("window.axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_an_accessibility_scan_finds_nothing_serious(open_page: Any) -> None:
    visit = open_page("/map")
    wait_ready(visit)
    serious = _axe(visit)
    assert serious == [], [(v["id"], v["help"], len(v["nodes"])) for v in serious]


def test_an_accessibility_scan_of_results_on_a_phone_finds_nothing_serious(
    open_page: Any,
) -> None:
    visit = open_page(f"/map#pt={URBAN_POINT[0]},{URBAN_POINT[1]}", PHONE, is_mobile=True)
    wait_ready(visit)
    visit.page.locator("#near-result .near-list li").first.wait_for()
    serious = _axe(visit)
    assert serious == [], [(v["id"], v["help"], len(v["nodes"])) for v in serious]
