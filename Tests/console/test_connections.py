"""Signing in, Serval's connect form word for word, editing, and the five health checks."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import Demo, click_and_wait_for_next_page, sign_in, wait

FIELDS = {
    "serverUrl": ("Server URL", "Your Tableau server URL (without https://). For Tableau Cloud, this is typically something like 10ax.online.tableau.com. For Tableau Server, use your server’s hostname."),
    "siteContentUrl": ("Site Content URL", "The content URL of the site to connect to. For the Default site, leave this empty. You can find this in the site URL after /site/."),
    "patName": ("Personal Access Token Name", "The name of your Tableau Personal Access Token. Create one in Tableau under My Account Settings > Personal Access Tokens."),
    "patSecret": ("Personal Access Token Secret", "The secret value of your Tableau Personal Access Token. This is shown only once when the token is created."),
}
CHECKS_PASSED = [
    ("Validate Tableau API Connection", "Successfully connected to Tableau API"),
    ("Check Tableau Session & Site", "Successfully accessed the default Tableau site"),
    ("Check Tableau Content Access", "Successfully accessed Tableau content"),
]


def text(browser, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def fill(browser, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = browser.find_element(By.ID, name)
        field.clear()
        field.send_keys(value)


def submit(browser) -> None:
    """Submits the connection form and waits for the page that answers."""
    form = browser.find_element(By.CSS_SELECTOR, "form.connection-form")
    click_and_wait_for_next_page(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def test_sign_in_and_out(browser, demo: Demo) -> None:
    browser.get(demo.url + "/")
    assert browser.current_url.startswith(demo.url + "/sign-in")
    assert browser.title == "Sign in · Freshet"
    sign_in(browser, demo)
    assert browser.title == "Runs · Freshet"
    cookie = browser.get_cookie("freshet_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and "expiry" in cookie
    browser.find_element(By.CSS_SELECTOR, "form.sign-out button").click()
    wait(browser, 10).until(lambda b: b.title == "Sign in · Freshet")
    browser.get(demo.url + "/runs")
    assert browser.title == "Sign in · Freshet"


def test_connect_form_labels_helper_texts_and_required_messages(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    browser.get(demo.url + "/connections/new")
    assert browser.title == "Configure Tableau · Freshet"
    legend = browser.find_element(By.TAG_NAME, "legend").text
    assert legend == "Configure Tableau Beta"
    for field, (label, help_text) in FIELDS.items():
        assert browser.find_element(By.CSS_SELECTOR, f'label[for="{field}"]').text == label
        assert text(browser, f"{field}-help") == help_text
    fill(browser, {"siteContentUrl": "marketing"})
    submit(browser)
    assert text(browser, "serverUrl-error") == "Server URL is required"
    assert text(browser, "patName-error") == "Personal Access Token name is required"
    assert text(browser, "patSecret-error") == "Personal Access Token secret is required"
    assert browser.find_element(By.ID, "siteContentUrl").get_attribute("value") == "marketing"
    # Each message sits in its own field, next to the input it is about.
    for field in ("serverUrl", "patName", "patSecret"):
        box = browser.find_element(By.ID, f"{field}-field")
        assert box.find_element(By.CLASS_NAME, "error").get_attribute("id") == f"{field}-error"
        assert browser.find_element(By.ID, field).get_attribute("aria-invalid") == "true"


def test_create_then_edit_a_connection(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    browser.get(demo.url + "/connections/new")
    fill(browser, {"name": "browser", "serverUrl": demo.emulator + "/", "siteContentUrl": "", "patName": "freshet-admin",
                   "patSecret": "demo-admin-pat-secret"})
    submit(browser)
    wait(browser, 10).until(lambda b: "saved=browser" in b.current_url)
    card = browser.find_element(By.ID, "c-" + connection_id(demo, "browser")).find_element(By.XPATH, "..")
    assert card.find_element(By.CLASS_NAME, "server-url").text == demo.emulator  # pasted URL normalised
    assert card.find_element(By.CLASS_NAME, "masked").text == "••••••••cret"
    assert card.find_element(By.CLASS_NAME, "pat-name").text == "freshet-admin"

    # Blank server URL and PAT name keep what is stored; an untouched secret is kept.
    browser.get(demo.url + "/connections/browser/edit")
    assert browser.find_element(By.ID, "patName").get_attribute("value") == "freshet-admin"
    assert text(browser, "patSecret-current") == "••••••••cret"
    assert not browser.find_element(By.ID, "patSecret").is_displayed()
    fill(browser, {"serverUrl": "", "patName": "", "siteContentUrl": "finance"})
    submit(browser)
    wait(browser, 10).until(lambda b: "saved=browser" in b.current_url)
    stored = demo.api("GET", "/api/v1/connections/browser")
    assert stored["serverURL"] == demo.emulator and stored["patName"] == "freshet-admin"
    assert stored["secretMasked"] == "••••••••cret" and stored["siteContentUrl"] == "finance"

    # The pencil opens a field for a new secret; an empty site switches to the Default site.
    browser.get(demo.url + "/connections/browser/edit")
    pencil = browser.find_element(By.ID, "patSecret-pencil")
    for _ in range(80):  # reachable with the keyboard alone
        if browser.switch_to.active_element == pencil:
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element == pencil
    pencil.send_keys(Keys.ENTER)
    assert browser.find_element(By.ID, "patSecret").is_displayed()
    fill(browser, {"patSecret": "wrong-secret-1234", "siteContentUrl": ""})
    submit(browser)
    wait(browser, 10).until(lambda b: "saved=browser" in b.current_url)
    stored = demo.api("GET", "/api/v1/connections/browser")
    assert stored["secretMasked"] == "••••••••1234"
    assert stored["displayName"].endswith("· Default site")
    assert "Default site" in browser.find_element(By.ID, "c-" + stored["id"]).find_element(By.XPATH, "..").text


def test_health_checks_pass_and_fail(browser, demo: Demo) -> None:
    sign_in(browser, demo)
    browser.get(demo.url + "/connections")
    browser.find_element(By.XPATH, "//button[normalize-space()='Run health checks on demo']").click()
    wait(browser, 30).until(lambda b: b.title == "Health checks: demo · Freshet")
    checks = browser.find_elements(By.CSS_SELECTOR, "li.check")
    assert len(checks) == 5
    for check, (title, message) in zip(checks, CHECKS_PASSED):
        assert check.find_element(By.TAG_NAME, "h2").text == title
        assert check.find_element(By.CLASS_NAME, "outcome").text == "Passed"
        assert check.find_element(By.CLASS_NAME, "message").text == message
    assert checks[3].find_element(By.CLASS_NAME, "message").text.startswith("PAT can list site users")
    assert checks[4].find_element(By.TAG_NAME, "h2").text == "Check Tableau Token Lifetime"
    assert checks[4].find_element(By.CLASS_NAME, "outcome").text in ("Passed", "Passed, with a warning")

    # A connection of its own with a wrong secret, so that this test does not depend on another's outcome.
    demo.api("POST", "/api/v1/connections", body={"name": "wrong-secret", "serverUrl": demo.emulator, "patName": "freshet-admin", "patSecret": "wrong-secret-1234"})
    browser.get(demo.url + "/connections")
    browser.find_element(By.XPATH, "//button[normalize-space()='Run health checks on wrong-secret']").click()
    wait(browser, 30).until(lambda b: b.title == "Health checks: wrong-secret · Freshet")
    first = browser.find_elements(By.CSS_SELECTOR, "li.check")[0]
    assert first.find_element(By.CLASS_NAME, "outcome").text == "Failed"
    assert first.find_element(By.CLASS_NAME, "message").text == (
        "Unable to connect to Tableau API. Please verify your credentials are valid and the server URL is correct.")
    assert "Tableau sign-in failed (HTTP 401" in first.find_element(By.CLASS_NAME, "tableau-detail").text


def connection_id(demo: Demo, name: str) -> str:
    return demo.api("GET", f"/api/v1/connections/{name}")["id"]
