"""Fixtures of the console's browser tests: one `freshet demo` for the session, headless Chromium
(Debian's chromium and chromium-driver) driven by selenium, and a screenshot of each test.

The binary is $FRESHET_BIN, or .build/debug/freshet when unset. Screenshots go to
Tests/console/screenshots/ (gitignored), one per test, named after it.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SCREENSHOTS = HERE / "screenshots"
STARTUP_TIMEOUT = 60.0
READY = re.compile(r"^Freshet demo ready: api=(\S+) token=(\S+) data-dir=(.+)$")
EMULATOR = re.compile(r"^\s*Tableau emulator\s+(http://\S+)")


def freshet_binary() -> Path:
    configured = os.environ.get("FRESHET_BIN")
    path = Path(configured) if configured else REPO / ".build" / "debug" / "freshet"
    if not path.is_absolute():
        path = REPO / path
    if not path.exists():
        pytest.exit(f"freshet binary not found at {path}: run `swift build --product freshet` or set FRESHET_BIN", 2)
    return path


@dataclass
class Demo:
    """A running `freshet demo`: its console (= API) URL, admin token and emulator URL."""

    url: str
    token: str
    emulator: str

    def api(self, method: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            self.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {token or self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    base = tmp_path_factory.mktemp("freshet-console")
    stderr = open(base / "demo-stderr.log", "w+")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FRESHET_")}
    process = subprocess.Popen(
        [str(freshet_binary()), "demo", "--port", "0", "--emulator-port", "0", "--data-dir", str(base / "data")],
        stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, text=True, env=environment)
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    ready = emulator = None
    try:
        while ready is None:
            line = lines.get(timeout=STARTUP_TIMEOUT)
            if line is None:
                stderr.seek(0)
                pytest.fail(f"freshet demo exited {process.wait()} before it was ready:\n{''.join(output)}{stderr.read()}")
            emulator = emulator or (EMULATOR.match(line) and EMULATOR.match(line).group(1))
            ready = READY.match(line.rstrip("\n"))
    except queue.Empty:
        process.kill()
        pytest.fail(f"freshet demo printed no ready line within {STARTUP_TIMEOUT} s:\n{''.join(output)}")
    assert any(line.strip().startswith(f"Web console       {ready.group(1)}/") for line in output), "".join(output)
    yield Demo(url=ready.group(1), token=ready.group(2), emulator=emulator or "")
    process.send_signal(signal.SIGTERM)
    try:
        status = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("freshet demo did not stop within 30 s of SIGTERM")
    stderr.seek(0)
    assert status == 0, f"freshet demo exited {status} after SIGTERM:\n{stderr.read()}"


def chromium_paths() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not Path(driver).exists():
        pytest.exit("chromedriver not found: apt-get install chromium chromium-driver", 2)
    return browser, driver


@pytest.fixture(scope="session")
def browser_session() -> Iterator[webdriver.Chrome]:
    binary, driver_path = chromium_paths()
    options = Options()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def browser(browser_session: webdriver.Chrome, request: pytest.FixtureRequest) -> Iterator[webdriver.Chrome]:
    """The session's browser, with no cookies; a screenshot of where the test ended is saved."""
    browser_session.delete_all_cookies()
    yield browser_session
    SCREENSHOTS.mkdir(exist_ok=True)
    browser_session.save_screenshot(str(SCREENSHOTS / f"{request.node.name}.png"))


def sign_in(browser: webdriver.Chrome, demo: Demo, token: str | None = None) -> None:
    browser.get(demo.url + "/sign-in")
    browser.find_element(By.ID, "token").send_keys(token or demo.token)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/sign-in" not in b.current_url)


def wait(browser: webdriver.Chrome, seconds: float = 30):
    # A page that reloads (after a form post) replaces the elements being read: read them again.
    from selenium.common.exceptions import StaleElementReferenceException
    return WebDriverWait(browser, seconds, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException])


def click_and_wait_for_next_page(browser: webdriver.Chrome, element, seconds: float = 30) -> None:
    """Clicks `element` and waits until a new document has replaced the current one and finished loading.

    A marker on the old document tells the two apart. Asking the old form whether it is stale does not work
    reliably: Chromium sometimes answers with a generic "node does not belong to the document" error instead
    of a stale-element error while the new page is loading.
    """
    from selenium.common.exceptions import WebDriverException
    browser.execute_script("window.__freshetPreviousPage = true")
    element.click()
    WebDriverWait(browser, seconds, poll_frequency=0.05, ignored_exceptions=[WebDriverException]).until(
        lambda b: b.execute_script("return window.__freshetPreviousPage !== true && document.readyState === 'complete'"))
