"""Load every report page in a real headless browser (Debian's chromium through Playwright):
no console errors, no failed requests, no broken images; a full-page screenshot of each.

The report folder is first copied alone elsewhere, as a user would unzip a published report,
so a page that reached outside it would fail here. Chromium comes from the project's set-up
(`make browser`); without it the test skips locally and FAILS in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from report_fixture import build_report

pytestmark = pytest.mark.slow
CHROMIUM = os.environ.get("REGBENCH_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: screenshots land here (override to keep them somewhere else)
SHOTS = os.environ.get("REGBENCH_SCREENSHOTS")


def _need_browser():
    missing = []
    if not Path(CHROMIUM).is_file():
        missing.append(f"{CHROMIUM} (run `make browser` as root: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (pip install -e '.[test]')")
    if missing:
        msg = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    _need_browser()
    report = build_report(tmp_path_factory.getbasetemp() / "report")
    dest = tmp_path_factory.mktemp("published") / "report"
    shutil.copytree(report, dest)
    return dest


@pytest.fixture(scope="module")
def page(published):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1200, "height": 900})
        yield pg
        browser.close()


def _pages(published):
    return ["index.html"] + sorted(p.name for p in published.glob("*.html") if p.name != "index.html")


def test_every_page_loads_clean(published, page, tmp_path_factory):
    shots = Path(SHOTS) if SHOTS else tmp_path_factory.mktemp("screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    index_links = None
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    for name in _pages(published):
        problems.clear()
        response = page.goto((published / name).as_uri())
        page.wait_for_load_state("load")
        assert response is None or response.ok
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        broken = [i for i, (done, w, h) in enumerate(images) if not (done and w > 0 and h > 0)]
        if name != "index.html":
            assert images, f"{name}: no figures"
        if name == "index.html":
            index_links = page.evaluate(
                "Array.from(document.links).map(a => a.getAttribute('href'))")
        shot = shots / f"{Path(name).stem}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert not broken, f"{name}: broken images {broken}"
        assert not problems, f"{name}: {problems}"
        assert shot.stat().st_size > 10_000
    # the index links every page, and every link resolves inside the published folder
    assert sorted(h for h in index_links if h.endswith(".html")) == sorted(_pages(published)[1:])
    assert all((published / h).is_file() for h in index_links)


def test_index_navigates_to_pages(published, page):
    page.goto((published / "index.html").as_uri())
    page.click("text=Comparison of the methods")
    page.wait_for_load_state("load")
    assert page.url.endswith("/comparison.html")
    assert page.locator("h2", has_text="The article's claims").count() == 1


@pytest.mark.parametrize("width", [1400, 700])
def test_pages_fit_the_window_and_stay_sharp(published, page, width, tmp_path_factory):
    """At 1400 and 700 px: no page wider than the window (wide tables scroll inside their box), figures shrink
    with it, every figure has alt text and is drawn at 2x its displayed size; screenshots of each width kept."""
    shots = Path(SHOTS) if SHOTS else tmp_path_factory.mktemp(f"screenshots{width}")
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    try:
        for name in _pages(published):
            page.goto((published / name).as_uri())
            page.wait_for_load_state("load")
            overflow = page.evaluate("document.documentElement.scrollWidth") - width
            assert overflow <= 1, f"{name} at {width} px is {overflow} px too wide"
            imgs = page.evaluate("Array.from(document.images).map(i => [i.alt, i.naturalWidth, i.clientWidth])")
            for alt, natural, shown in imgs:
                assert alt and "No description" not in alt, f"{name}: figure without alt text"
                assert shown <= width and natural >= 1.9 * shown, f"{name}: figure drawn below 2x its displayed size"
            page.screenshot(path=str(shots / f"{Path(name).stem}-{width}.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})
