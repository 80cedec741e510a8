"""The web page in a real browser (issue 14): Debian's headless Chromium driven by Selenium.

A real ``impact serve`` is started on 127.0.0.1 (a free port); the browser uploads MRS5's project
file, types a project elsewhere in France (the commune found by its name), submits with the
keyboard, waits for the result, builds and downloads the PDF dossier and checks it, and triggers
a field error whose message must sit beside its field. Screenshots of the form (desktop and phone
width) and of the result page are written to the test's folder, and copied to
``$IMPACT_SCREENSHOTS`` when set.

Chromium and chromedriver come from the system packages (``make system-deps``). Without them the
test is skipped on a workstation; CI sets ``IMPACT_REQUIRE_BROWSER=1`` so that it fails instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MRS5 = ROOT / "data" / "projects" / "mrs5.yaml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


def _missing() -> str:
    for what, path in (
        ("chromium", CHROMIUM),
        ("chromedriver", CHROMEDRIVER),
        ("pdftotext", shutil.which("pdftotext")),
    ):
        if not path or not Path(path).exists():
            return what
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium"
    return ""


def _need_browser() -> None:
    missing = _missing()
    if missing:
        if os.environ.get("IMPACT_REQUIRE_BROWSER"):
            pytest.fail(f"{missing} is missing (make system-deps installs chromium and chromium-driver)")
        pytest.skip(f"{missing} is missing (make system-deps installs chromium and chromium-driver)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    _need_browser()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "impact", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("impact serve did not start")
        yield url
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        assert "only this computer" in out  # what serve says at start


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(server, downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1280,1000")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def _shot(driver, folder: Path, name: str, width: int = 1280) -> Path:
    driver.set_window_size(width, 1000)  # the height of the page at this width, then the whole page
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height) + 100, 800), 12000))
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    target = os.environ.get("IMPACT_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)
    assert path.stat().st_size > 10_000  # a page, not a blank
    return path


def _wait(driver, css: str, timeout: float = 60):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_upload_mrs5_and_see_its_figures(server, browser, shots):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    assert browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "fr"
    _shot(browser, shots, "form")
    _shot(browser, shots, "form-phone", width=390)
    browser.find_element(By.ID, "f-upload").send_keys(str(MRS5))
    browser.find_element(By.CSS_SELECTOR, "button[value=upload]").click()
    _wait(browser, ".notice")
    assert browser.find_element(By.ID, "f-name").get_attribute("value") == "MRS5"
    assert browser.find_element(By.ID, "f-utilisation-unknown").is_selected()
    browser.find_element(By.CSS_SELECTOR, "button.primary[value=estimate]").click()
    _wait(browser, "table.key", 120)
    assert "Estimation pour MRS5" in browser.find_element(By.TAG_NAME, "h1").text
    rows = browser.find_elements(By.CSS_SELECTOR, "table.key tbody tr")
    assert len(rows) >= 5 and "GWh" in rows[0].text
    _shot(browser, shots, "result-mrs5")


def test_type_a_project_elsewhere_build_and_download_its_dossier(server, browser, shots, downloads):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/")
    browser.find_element(By.ID, "f-name").send_keys("Projet du Cantal")
    browser.find_element(By.ID, "f-commune-query").send_keys("saint flour")
    browser.find_element(By.CSS_SELECTOR, "button[value=find_commune]").click()
    _wait(browser, "button[name=use_commune][value='15187']").click()
    _wait(browser, ".notice")
    assert browser.find_element(By.ID, "f-city").get_attribute("value") == "Saint-Flour"
    assert browser.find_element(By.ID, "f-name").get_attribute("value") == "Projet du Cantal"  # kept
    assert browser.find_element(By.ID, "f-location-lat").get_attribute("value").startswith("45.")
    browser.find_element(By.ID, "f-it_capacity_mw").send_keys("5")
    browser.find_element(By.ID, "f-pue").send_keys("1,4")
    Select(browser.find_element(By.ID, "f-cooling-type")).select_by_value("dry_free_cooling")
    browser.find_element(By.ID, "f-pue").send_keys(Keys.ENTER)  # the keyboard alone estimates
    _wait(browser, "table.key", 120)
    assert "Projet du Cantal" in browser.find_element(By.TAG_NAME, "h1").text
    _shot(browser, shots, "result-cantal")
    browser.find_element(By.CSS_SELECTOR, "form[action='/dossier'] button.primary").click()
    _wait(browser, "#job-status")
    assert "/jobs/" in browser.current_url
    link = _wait(browser, "#pdf-link", 600)  # the page refreshes itself until the dossier is ready
    link.click()
    pdf = None
    for _ in range(120):
        done = [p for p in downloads.glob("*.pdf")]
        if done:
            pdf = done[0]
            break
        time.sleep(0.5)
    assert pdf is not None, "no PDF downloaded"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "Projet du Cantal" in text and "Saint-Flour" in text


def test_a_field_error_is_beside_its_field_and_the_values_stay(server, browser, shots):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    browser.find_element(By.ID, "f-name").send_keys("Essai <b>gras</b>")
    browser.find_element(By.ID, "f-it_capacity_mw").send_keys("12")
    browser.find_element(By.ID, "f-pue").send_keys("beaucoup")
    browser.find_element(By.CSS_SELECTOR, "button.primary[value=estimate]").click()
    error = _wait(browser, "#f-pue-error")
    assert "Un nombre est attendu" in error.text
    # beside its field: in the same block as the input, which names it for screen readers
    block = browser.find_element(By.ID, "f-pue").find_element(By.XPATH, "ancestor::div[contains(@class,'field')]")
    assert "Un nombre est attendu" in block.text
    assert "f-pue-error" in browser.find_element(By.ID, "f-pue").get_attribute("aria-describedby")
    assert browser.find_element(By.ID, "f-pue").get_attribute("value") == "beaucoup"
    assert browser.find_element(By.ID, "f-name").get_attribute("value") == "Essai <b>gras</b>"
    assert browser.find_element(By.ID, "f-it_capacity_mw").get_attribute("value") == "12"
    assert not browser.find_elements(By.CSS_SELECTOR, "main b")  # user text is not markup
    _shot(browser, shots, "form-error")
