"""What a refresh-only token sees, a forged form, and the axe accessibility check."""

from __future__ import annotations

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By

from conftest import Demo, sign_in, wait

PAGES = ["/runs", "/refresh?connection=demo", "/freshness", "/connections", "/connections/new", "/connections/new?auth=connected-app",
         "/connections/demo/edit", "/audit", "/tokens", "/access-events"]


def test_a_refresh_only_token_sees_only_its_runs_and_no_admin_pages(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    # Not Sales: test_runs watches a Sales refresh from its start and must not join one started here.
    runs = demo.api("POST", "/api/v1/runs", body={"connection": "demo", "targets": [{"datasource": "Web Traffic"}, {"datasource": "Orders"}]})["runs"]
    by_name = {run["itemName"]: run["id"] for run in runs}
    browser.get(demo.url + "/tokens")
    browser.find_element(By.ID, "name").send_keys("etl-sales")
    browser.find_element(By.ID, "scope-refresh").click()
    browser.find_element(By.ID, "connections").send_keys("demo")
    browser.find_element(By.ID, "datasources").send_keys("Web Traffic")
    browser.find_element(By.XPATH, "//button[normalize-space()='Create token']").click()
    secret = wait(browser, 30).until(lambda b: b.find_elements(By.ID, "created-secret"))[0].text
    assert secret.startswith("fsh_")
    browser.get(demo.url + "/tokens")
    assert secret not in browser.page_source  # shown once

    browser.delete_all_cookies()
    sign_in(browser, demo, secret)
    nav = browser.find_element(By.CSS_SELECTOR, "nav[aria-label=Main]").text
    assert "Connections" not in nav and "API tokens" not in nav and "Audit log" not in nav
    for path in ["/connections", "/connections/demo/edit", "/tokens", "/audit", "/access-events"]:
        browser.get(demo.url + path)
        assert browser.title == "Not allowed · Freshet", path
        assert "••••" not in browser.page_source
    browser.get(demo.url + "/runs")
    shown = {row.get_attribute("data-run") for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-run]")}
    assert by_name["Web Traffic"] in shown and by_name["Orders"] not in shown
    browser.get(f"{demo.url}/runs/{by_name['Orders']}")
    assert browser.title == "Not allowed · Freshet"


def test_a_forged_form_post_without_the_csrf_token_is_refused(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    browser.get(demo.url + "/connections/new")
    browser.execute_script("document.querySelectorAll('form.connection-form input[name=_csrf]').forEach(function (e) { e.remove(); })")
    for name, value in {"name": "forged", "serverUrl": "tableau.example.com", "patName": "p", "patSecret": "s"}.items():
        browser.find_element(By.ID, name).send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "form.connection-form button[type=submit]").click()
    wait(browser, 10).until(lambda b: b.title == "Form refused · Freshet")
    assert "CSRF" in browser.find_element(By.CSS_SELECTOR, ".problem").text
    assert all(c["name"] != "forged" for c in demo.api("GET", "/api/v1/connections")["connections"])


def test_pages_pass_axe_without_serious_or_critical_violations(browser, demo: Demo) -> None:
    browser.get(demo.url + "/sign-in")
    problems = serious(browser)
    sign_in(browser, demo)
    run = demo.api("POST", "/api/v1/runs", body={"connection": "demo", "targets": [{"datasource": "Web Traffic"}]})["runs"][0]
    for path in PAGES + [f"/runs/{run['id']}"]:
        browser.get(demo.url + path)
        problems += [f"{path}: {line}" for line in serious(browser)]
    # The health-check results and a form with its errors shown.
    browser.get(demo.url + "/connections/new")
    browser.find_element(By.CSS_SELECTOR, "form.connection-form button[type=submit]").click()
    wait(browser, 30).until(lambda b: b.find_elements(By.ID, "serverUrl-error"))
    problems += [f"connect form with errors: {line}" for line in serious(browser)]
    assert not problems, "\n".join(problems)


def serious(browser) -> list[str]:
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
            for v in results["violations"] if v.get("impact") in ("serious", "critical")]


def test_pages_fit_a_phone_screen(browser, demo: Demo) -> None:
    """At a phone's width nothing but the tables' own scrolling boxes is wider than the screen."""
    sign_in(browser, demo)
    browser.set_window_size(390, 844)
    try:
        for path in ["/runs", "/connections", "/connections/new", "/refresh?connection=demo", "/freshness", "/tokens", "/audit"]:
            browser.get(demo.url + path)
            overflow = browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} is {overflow} px wider than a phone screen"
    finally:
        browser.set_window_size(1280, 1000)
