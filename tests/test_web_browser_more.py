"""The web page in a real browser, round 3 of issue 14: the loader's rule in French beside its field,
the « Autres graphiques » page, and an axe-core audit of the pages (WCAG 2.1 A and AA rules).

Same set-up as tests/test_web_browser.py (its fixtures: a real ``impact serve`` on 127.0.0.1, Debian's
headless Chromium). axe-core is no dependency of the project: the audit runs when ``axe.min.js`` is
found, from ``$IMPACT_AXE_JS`` or the ``axe_selenium_python`` package (which bundles it), and is
skipped otherwise, saying so. The script is given to the browser by the test driver (WebDriver's
« execute script »), never by the pages, whose policy forbids every script.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_web_browser import MRS5, _shot, _wait, browser, downloads, server, shots  # noqa: F401

#: The axe-core rules run: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_source() -> str | None:
    given = os.environ.get("IMPACT_AXE_JS")
    if given and Path(given).is_file():
        return Path(given).read_text(encoding="utf-8")
    try:
        import importlib.util

        spec = importlib.util.find_spec("axe_selenium_python")
    except (ImportError, ValueError):
        spec = None
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "node_modules" / "axe-core" / "axe.min.js"
        if bundled.is_file():
            return bundled.read_text(encoding="utf-8")
    return None


def _axe_source_or_skip() -> str:
    source = _axe_source()
    if source is None:
        message = "axe-core not found: set IMPACT_AXE_JS to an axe.min.js, or install axe-selenium-python"
        if os.environ.get("IMPACT_REQUIRE_BROWSER"):  # CI: the dev extras install it
            pytest.fail(message)
        pytest.skip(message)
    return source


def _axe(driver) -> list[str]:
    """The WCAG A/AA violations axe-core finds on the page: ``rule (impact): target`` lines."""
    driver.execute_script(_axe_source_or_skip())
    driver.set_script_timeout(120)
    found = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        // an older axe-core (3.x, bundled by axe-selenium-python 2) has no wcag21 tags: the ones it has
        const have = new Set([].concat(...axe.getRules().map(r => r.tags)));
        const tags = arguments[0].filter(t => have.has(t));
        axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
          .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): '
                + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))))
          .catch(e => done(['axe failed: ' + e]));
        """,
        AXE_TAGS,
    )
    return list(found)


def _estimate_mrs5(browser, server):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    browser.find_element(By.ID, "f-upload").send_keys(str(MRS5))
    browser.find_element(By.CSS_SELECTOR, "button[value=upload]").click()
    _wait(browser, ".notice")


def test_the_loader_s_rule_is_french_beside_its_field(server, browser, shots):  # noqa: F811
    from selenium.webdriver.common.by import By

    _estimate_mrs5(browser, server)
    out = browser.find_element(By.ID, "f-cooling-water_out_c")
    out.clear()
    out.send_keys("10")
    browser.find_element(By.CSS_SELECTOR, "button.primary[value=estimate]").click()
    error = _wait(browser, "#f-cooling-water_out_c-error")
    assert "doit être plus chaude que l'eau prélevée" in error.text
    out = browser.find_element(By.ID, "f-cooling-water_out_c")  # the page came back
    block = out.find_element(By.XPATH, "ancestor::div[contains(@class,'field')]")
    assert "L'eau rendue (water_out_c, 10 °C)" in block.text
    assert "anglais" not in browser.find_element(By.TAG_NAME, "main").text
    _shot(browser, shots, "form-loader-error")


def test_the_other_charts_page(server, browser, shots):  # noqa: F811
    from selenium.webdriver.common.by import By

    _estimate_mrs5(browser, server)
    browser.find_element(By.CSS_SELECTOR, "button.primary[value=estimate]").click()
    _wait(browser, "table.key", 120)
    browser.find_element(By.ID, "more-charts").click()
    _wait(browser, "#figure-alternatives", 120)
    images = browser.find_elements(By.CSS_SELECTOR, "figure.chart img")
    assert len(images) == 3
    for img in images:  # drawn (the policy lets data: images in), each with its text alternative
        assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) > 300
        assert len(img.get_attribute("alt")) > 80
    _shot(browser, shots, "more-charts")


def test_axe_finds_no_wcag_a_or_aa_fault_on_the_pages(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    _axe_source_or_skip()
    found = {}
    browser.get(server + "/")
    found["form"] = _axe(browser)
    browser.get(server + "/?lang=en")
    found["form-en"] = _axe(browser)
    _estimate_mrs5(browser, server)
    found["form-uploaded"] = _axe(browser)
    out = browser.find_element(By.ID, "f-cooling-water_out_c")
    out.clear()
    out.send_keys("10")
    browser.find_element(By.CSS_SELECTOR, "button.primary[value=estimate]").click()
    _wait(browser, "#f-cooling-water_out_c-error")
    found["form-errors"] = _axe(browser)
    _estimate_mrs5(browser, server)
    browser.find_element(By.CSS_SELECTOR, "button.primary[value=estimate]").click()
    _wait(browser, "table.key", 120)
    found["result"] = _axe(browser)
    browser.find_element(By.ID, "more-charts").click()
    _wait(browser, "#figure-alternatives", 120)
    found["more-charts"] = _axe(browser)
    assert {page: v for page, v in found.items() if v} == {}


def test_the_audit_sees_a_fault(server, browser):  # noqa: F811
    """The audit can fail: an image without a text alternative and an unlabelled input, added by the test."""
    _axe_source_or_skip()
    browser.get(server + "/")
    browser.execute_script(
        "const m = document.querySelector('main');"
        "const i = document.createElement('img'); i.src = '/web.css'; m.appendChild(i);"
        "const f = document.createElement('input'); f.type = 'text'; m.appendChild(f);"
    )
    found = " ".join(_axe(browser))
    assert "image-alt" in found and "label" in found


def test_a_chosen_data_file_is_kept_when_the_form_comes_back(server, browser, shots):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    epw = Path(__file__).resolve().parent / "data" / "marseille-3days.epw"
    browser.get(server + "/")
    browser.find_element(By.ID, "f-name").send_keys("Essai")
    browser.find_element(By.ID, "f-pue").send_keys("beaucoup")
    browser.find_element(By.ID, "f-climate-epw").send_keys(str(epw))
    browser.find_element(By.CSS_SELECTOR, "button.primary[value=estimate]").click()
    kept = _wait(browser, "#f-climate-epw-kept")
    assert "Fichier gardé : marseille-3days.epw" in kept.text
    assert "f-climate-epw-kept" in browser.find_element(By.ID, "f-climate-epw").get_attribute("aria-describedby")
    _shot(browser, shots, "form-kept-file")
    kept.find_element(By.CSS_SELECTOR, "button").click()  # dropped: the form comes back, a new page
    # The old page's input matched at once (a race): wait for the page the click loads.
    WebDriverWait(browser, 60).until(staleness_of(kept))
    _wait(browser, "#f-climate-epw")
    assert not browser.find_elements(By.ID, "f-climate-epw-kept")
    assert browser.find_element(By.ID, "f-name").get_attribute("value") == "Essai"


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_is_wider_than_the_window(server, browser, width):  # noqa: F811
    """Nothing scrolls sideways, at a desktop's width and a phone's: a fieldset is as wide as its
    widest content by default (CSS's min-content), and the claims' list of indicators once made
    the form 1,633 px wide in a 1,280 px window."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(width, 1000)
    try:
        for page in ("/", "/?lang=en"):
            browser.get(server + page)
            browser.find_element(By.ID, "f-upload")
            scroll, client = browser.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, f"{page} at {width} px: {scroll} px of content"
        # The result page: the key figures fit the window too (on a phone they stack), not only
        # the page (a table may scroll inside its own box: it should not have to).
        _estimate_mrs5(browser, server)
        browser.find_element(By.CSS_SELECTOR, "button.primary[value=estimate]").click()
        table = _wait(browser, "table.key", 120)
        right, client = browser.execute_script(
            "return [arguments[0].getBoundingClientRect().right, document.documentElement.clientWidth]", table
        )
        assert right <= client + 1, f"result at {width} px: the key figures reach {right} px"
    finally:
        browser.set_window_size(1280, 1000)
