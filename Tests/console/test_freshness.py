"""The Freshness page reads the freshness store: a pipeline's reported failure shows at once
(stale, why, the pipeline and its reason), the stale-only filter keeps it, and the pipeline's
success clears it — the same items as GET /api/v1/freshness."""

from __future__ import annotations

import uuid

from selenium.webdriver.common.by import By

from conftest import Demo, sign_in, wait


def report(demo: Demo, status: str, event_id: str) -> dict:
    return demo.api("POST", "/api/v1/pipeline-events", body={
        "eventId": event_id, "connection": "demo", "pipeline": "console_check", "status": status,
        "reason": "load step failed", "targets": [{"datasource": "Sales"}]})


def row(browser, name: str):
    rows = browser.find_elements(By.CSS_SELECTOR, f'tr[data-item="{name}"]')
    return rows[0] if rows else None


def test_a_pipeline_failure_shows_as_stale_and_its_success_clears_it(browser, demo: Demo) -> None:
    run = uuid.uuid4().hex
    assert report(demo, "failed", f"{run}-1")["repeated"] is False
    sign_in(browser, demo)
    browser.get(demo.url + "/freshness")
    browser.find_element(By.ID, "stale").click()
    browser.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
    wait(browser, 10).until(lambda b: "stale=true" in b.current_url)
    sales = row(browser, "Sales")
    assert sales is not None, "Sales is listed among stale items"
    assert sales.find_element(By.CSS_SELECTOR, '[data-field="state"]').text.startswith("Stale: pipeline failed")
    assert "Pipeline console_check failed at" in sales.text and "load step failed" in sales.text
    api_names = {item["itemName"] for item in demo.api("GET", "/api/v1/freshness?stale=true")["items"]}
    page_names = {element.get_attribute("data-item") for element in browser.find_elements(By.CSS_SELECTOR, "tr[data-item]")}
    assert page_names == api_names

    report(demo, "succeeded", f"{run}-2")
    browser.refresh()
    sales = row(browser, "Sales")
    assert sales is None or "console_check" not in sales.text
