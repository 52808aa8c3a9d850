"""Starting refreshes from the Refresh page and watching them end live; Tableau's notes on a
failure; cancelling a hanging refresh; the live-update latency (printed, for the report)."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import Demo, sign_in, wait

# Records, in the page, when a run's state element first shows each state (Date.now(), ms).
OBSERVE = """
window.__seen = {};
document.querySelectorAll('[data-run] [data-field="state"]').forEach(function (element) {
  new MutationObserver(function () { window.__seen[element.textContent.trim()] = Date.now(); })
    .observe(element, { childList: true, characterData: true, subtree: true });
});
window.__notReloaded = true;
"""


def start_refresh(browser, demo: Demo, name: str) -> str:
    """Ticks data source `name` on the Refresh page and starts it; returns the run id."""
    browser.get(demo.url + "/refresh")
    Select(browser.find_element(By.ID, "connection")).select_by_visible_text("demo")
    browser.find_element(By.ID, "q").send_keys(name)
    browser.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
    wait(browser, 30).until(lambda b: "q=" in b.current_url and b.find_elements(By.NAME, "item"))
    boxes = [box for box in browser.find_elements(By.NAME, "item")
             if browser.find_element(By.CSS_SELECTOR, f'label[for="{box.get_attribute("id")}"]').text.startswith(name + " (Data source")]
    assert len(boxes) == 1, f"one data source named {name} is offered"
    boxes[0].click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Refresh the ticked items']").click()
    wait(browser, 30).until(lambda b: b.title == "Refreshing · Freshet")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-run]")
    assert len(rows) == 1
    return rows[0].get_attribute("data-run")


def state(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, '[data-run] [data-field="state"]').text


def test_refresh_turns_to_succeeded_without_reloading(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    run_id = start_refresh(browser, demo, "Sales")
    browser.execute_script(OBSERVE)
    assert state(browser) in ("accepted", "triggering", "waiting")
    # An independent observer: the API's long-poll answers as soon as the run has ended.
    answered: dict[str, float] = {}
    poller = threading.Thread(target=lambda: (demo.api("GET", f"/api/v1/runs/{run_id}?waitSeconds=60"), answered.setdefault("at", time.time())))
    poller.start()
    wait(browser, 45).until(lambda b: state(b) == "succeeded")
    assert browser.execute_script("return window.__notReloaded === true"), "the page was not reloaded"
    seen_ms = browser.execute_script("return window.__seen['succeeded']")
    poller.join(60)
    run = demo.api("GET", f"/api/v1/runs/{run_id}")
    ended_ms = datetime.fromisoformat(run["updatedAt"].replace("Z", "+00:00")).timestamp() * 1000
    latency = (seen_ms - ended_ms) / 1000
    # updatedAt has whole-second resolution in the API's JSON: that figure is an upper bound.
    print(f"console: state change reached the open page {latency:.3f} s after the run's updatedAt (1 s resolution), "
          f"{(seen_ms / 1000 - answered['at']):+.3f} s from the API long-poll's answer")
    assert latency < 5, f"the state change took {latency:.3f} s to reach the page"
    assert browser.find_element(By.ID, "live-status").text == "Every run shown has ended."


def test_failing_refresh_shows_tableaus_notes(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    run_id = start_refresh(browser, demo, "Orders")
    browser.find_element(By.LINK_TEXT, "Orders").click()
    wait(browser, 10).until(lambda b: b.title == "Run of Orders · Freshet")
    wait(browser, 45).until(lambda b: state(b) == "failed")
    notes = browser.find_element(By.CSS_SELECTOR, '[data-field="notes"]')
    wait(browser, 10).until(lambda b: notes.is_displayed())
    expected = demo.api("GET", f"/api/v1/runs/{run_id}")["notes"]
    assert expected and notes.text == expected
    browser.refresh()
    assert browser.find_element(By.CSS_SELECTOR, ".job-id").text != ""
    assert expected in browser.find_element(By.CSS_SELECTOR, "table").text  # the attempt's note too


def test_cancel_a_hanging_refresh(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    run_id = start_refresh(browser, demo, "Inventory")
    browser.get(f"{demo.url}/runs/{run_id}")
    wait(browser, 45).until(lambda b: state(b) == "waiting")
    browser.find_element(By.XPATH, "//button[normalize-space()='Cancel this run']").click()
    wait(browser, 45).until(lambda b: state(b) == "cancelled")
    assert demo.api("GET", f"/api/v1/runs/{run_id}")["state"] == "cancelled"


def test_runs_list_filters_and_freshness(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    browser.get(demo.url + "/runs")
    Select(browser.find_element(By.ID, "state")).select_by_visible_text("failed")
    browser.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
    wait(browser, 10).until(lambda b: "state=failed" in b.current_url)
    states = {element.text for element in browser.find_elements(By.CSS_SELECTOR, '[data-field="state"]')}
    assert states <= {"failed"}
    browser.get(demo.url + "/freshness")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    started = time.monotonic()
    browser.get(demo.url + "/runs")
    assert time.monotonic() - started < 10


def test_without_event_source_the_page_polls(browser, demo: Demo) -> None:
    """The fallback: with EventSource gone, the script polls /runs/states and still updates the page."""
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": "delete window.EventSource;"})
    try:
        sign_in(browser, demo)
        start_refresh(browser, demo, "Sales")
        assert browser.execute_script("return typeof window.EventSource") == "undefined"
        browser.execute_script(OBSERVE)
        wait(browser, 45).until(lambda b: state(b) == "succeeded")
        assert browser.execute_script("return window.__notReloaded === true")
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
