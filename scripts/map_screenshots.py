"""Take the README's screenshots of the map (desktop and a 360 px phone) from a running server:
`python scripts/map_screenshots.py http://127.0.0.1:8000` (chromium from Debian's packages)."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        desktop = browser.new_page(viewport={"width": 1280, "height": 800})
        desktop.goto(f"{base}/map#v=14/33.38500/120.15500&pt=120.158000,33.383000")
        desktop.wait_for_selector("#near-result .near-list li")
        desktop.wait_for_timeout(800)
        desktop.screenshot(path=str(DOCS / "map-desktop.png"))
        phone = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        ).new_page()
        phone.goto(f"{base}/map#v=13/33.37500/120.15000&tab=coverage&cov=meal_hall/15/walk")
        phone.wait_for_selector("html[data-coverage=ready]", state="attached", timeout=60_000)
        phone.wait_for_timeout(800)
        phone.screenshot(path=str(DOCS / "map-phone.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
