"""The Porta window: first screens, language switch, keyboard, accessibility, no network."""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
import time
import tomllib

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import REPORTS, ROOT, App, messages, visible_text

IT = messages("it")
EN = messages("en")
AXE = (ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
VERSION = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]


def heading(app: App) -> str:
    return visible_text(app.window.find_element(By.CSS_SELECTOR, "main h1").text)


def wait_for_heading(app: App, expected: str) -> None:
    app.wait_until(lambda w: visible_text(w.find_element(By.CSS_SELECTOR, "main h1").text) == expected, f"heading {expected!r}")


def missing_messages(app: App) -> str | None:
    """Message ids the UI asked for and no .ftl file defines (set by the UI's i18n module)."""
    return app.window.execute_script("return document.documentElement.dataset.missingMessages ?? null")


def switch_language(app: App, locale: str) -> None:
    # From the keyboard: WebKitWebDriver refuses a click on a button the page has scrolled away.
    app.window.find_element(By.CSS_SELECTOR, f"button[data-locale='{locale}']").send_keys(Keys.ENTER)
    app.wait_until(lambda w: w.execute_script("return document.documentElement.lang") == locale, f"language {locale}")


def go_to(app: App, link_text: str, expected_heading: str) -> None:
    app.window.find_element(By.LINK_TEXT, link_text).click()
    wait_for_heading(app, expected_heading)


ADMIN_PASSPHRASE = "una frase lunga e rara"
RECOVERY_KEY = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$")


def type_into(app: App, field_id: str, text: str) -> None:
    field = app.window.find_element(By.ID, field_id)
    # The floating label lies over an empty field, so WebDriver's clear() calls it hidden;
    # the fields are empty or emptied by the app (a refused passphrase is cleared).
    assert field.get_attribute("value") == "", f"{field_id} is not empty"
    field.send_keys(text)


def complete_first_run(app: App, text: dict[str, str] = IT, on_screen=None) -> str:
    """Fills the first-run form as an administrator would; returns the recovery key shown.

    `on_screen(name)` is called on the setup and recovery-key screens (screenshots, axe)."""
    visit = on_screen or (lambda _screen: None)
    wait_for_heading(app, text["setup-heading"])
    visit("setup")
    type_into(app, "setup-deviceName", "Portatile mediazione 1")
    type_into(app, "setup-office", "Sportello immigrazione")
    type_into(app, "setup-adminName", "Anna Esempio")
    type_into(app, "setup-adminLogin", "anna")
    type_into(app, "setup-passphrase", ADMIN_PASSPHRASE)
    type_into(app, "setup-repeat", ADMIN_PASSPHRASE)
    submit_form(app)
    wait_for_heading(app, text["recovery-heading"])
    recovery_key = app.window.find_element(By.CSS_SELECTOR, "[data-testid=recovery-key]").text
    visit("recovery-key")
    app.window.find_element(By.CSS_SELECTOR, ".porta-recovery .form-check label").click()
    app.window.find_element(By.XPATH, f"//button[normalize-space()='{text['recovery-continue']}']").click()
    wait_for_heading(app, text["home-heading"])
    return recovery_key


def submit_form(app: App) -> None:
    """Presses the form's main button from the keyboard, as it may lie below the fold where
    WebKitWebDriver will not click."""
    app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]").send_keys(Keys.ENTER)


def unlock(app: App, passphrase: str) -> None:
    type_into(app, "unlock-passphrase", passphrase)
    submit_form(app)


def test_first_run_creates_the_store_and_shows_the_recovery_key_once(app: App, data_dir) -> None:
    app.launch()
    assert not (data_dir / "porta.db").exists()
    recovery_key = complete_first_run(app, on_screen=lambda screen: app.screenshot(f"first-run-it-{screen}"))
    assert RECOVERY_KEY.match(recovery_key), recovery_key
    assert (data_dir / "porta.db").is_file() and (data_dir / "porta.keys").is_file()
    operator = visible_text(app.window.find_element(By.CSS_SELECTOR, "[data-testid=session-operator]").text)
    assert operator == "Anna Esempio (amministratore)"
    # The key is in no file in clear.
    for path in data_dir.iterdir():
        assert recovery_key.encode() not in path.read_bytes(), path.name

    # A restart finds the store locked, with the administrator on the unlock screen.
    app.quit()
    app.launch()
    wait_for_heading(app, visible_text(IT["unlock-heading"]))
    assert app.window.find_element(By.ID, "unlock-login").get_attribute("value") == "anna"


def test_lock_unlock_and_a_wrong_passphrase(app: App) -> None:
    app.launch()
    complete_first_run(app)
    app.window.find_element(By.CSS_SELECTOR, ".porta-lock-button").click()
    wait_for_heading(app, visible_text(IT["unlock-heading"]))
    app.screenshot("unlock-it")

    unlock(app, "non è questa la frase")
    alert = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-code=wrong_passphrase]"), "the error")[0]
    app.wait_until(lambda _: alert.is_displayed() and alert.text, "the error to fade in")
    assert visible_text(alert.text).startswith("Frase segreta sbagliata."), alert.text
    app.screenshot("unlock-wrong-passphrase-it")

    unlock(app, ADMIN_PASSPHRASE)
    wait_for_heading(app, IT["home-heading"])


def test_a_data_folder_open_in_another_porta_is_not_opened_twice(app: App, data_dir) -> None:
    """Another Porta holding the data folder (another user's session, where the single-instance
    plugin cannot bring its window forward) keeps this one at the unlock screen, saying what to
    do; once it lets go, the unlock works. The other Porta is this test holding `porta.lock`
    as a Porta does (an exclusive `flock`)."""
    app.launch()
    complete_first_run(app)
    app.window.find_element(By.CSS_SELECTOR, ".porta-lock-button").click()
    wait_for_heading(app, visible_text(IT["unlock-heading"]))
    with (data_dir / "porta.lock").open("a") as other_porta:
        fcntl.flock(other_porta, fcntl.LOCK_EX | fcntl.LOCK_NB)
        unlock(app, ADMIN_PASSPHRASE)
        alert = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-code=data_dir_in_use]"), "the error")[0]
        app.wait_until(lambda _: alert.is_displayed() and alert.text, "the error to fade in")
        assert visible_text(alert.text).startswith("Porta è già aperto con questi dati"), alert.text
        app.screenshot("unlock-data-dir-in-use-it")
        fcntl.flock(other_porta, fcntl.LOCK_UN)
    unlock(app, ADMIN_PASSPHRASE)
    wait_for_heading(app, IT["home-heading"])


@pytest.mark.session_bus
def test_a_second_launch_hands_over_to_the_open_window(app: App, data_dir) -> None:
    """Starting Porta again while it is open (a double click too many) opens nothing twice:
    the second program hands over to the first through the session bus and ends at once, and
    the first window carries on with its work."""
    app.launch()
    complete_first_run(app)
    started = time.monotonic()
    second = subprocess.run([str(app.binary)], env=app.env, capture_output=True, timeout=30)
    assert second.returncode == 0, second.stderr.decode(errors="replace")[-2000:]
    assert time.monotonic() - started < 10, "the second launch ended at once"
    assert b"launching normally" not in second.stderr, "the single-instance plugin found the bus"
    # The first window still works, its store still open.
    wait_for_heading(app, IT["home-heading"])
    assert app.window.find_element(By.CSS_SELECTOR, "[data-testid=session-operator]").text


def test_a_forgotten_passphrase_is_replaced_with_the_recovery_key(app: App) -> None:
    app.launch()
    recovery_key = complete_first_run(app)
    app.window.find_element(By.CSS_SELECTOR, ".porta-lock-button").click()
    wait_for_heading(app, visible_text(IT["unlock-heading"]))
    app.window.find_element(By.XPATH, f"//button[normalize-space()='{IT['unlock-forgot']}']").click()
    wait_for_heading(app, IT["reset-heading"])
    type_into(app, "reset-recovery-key", recovery_key.lower().replace("-", " "))
    type_into(app, "reset-new-passphrase", "la mia frase tutta nuova")
    type_into(app, "reset-repeat", "la mia frase tutta nuova")
    app.screenshot("reset-passphrase-it")
    submit_form(app)
    wait_for_heading(app, IT["home-heading"])

    # From the keyboard: Home may have scrolled the header's button out of view.
    app.window.find_element(By.CSS_SELECTOR, ".porta-lock-button").send_keys(Keys.ENTER)
    wait_for_heading(app, visible_text(IT["unlock-heading"]))
    unlock(app, "la mia frase tutta nuova")
    wait_for_heading(app, IT["home-heading"])


def test_home_page_renders_in_italian_by_default(app: App) -> None:
    window = app.launch()
    complete_first_run(app)
    assert heading(app) == IT["home-heading"]
    assert window.execute_script("return document.documentElement.lang") == "it"
    assert visible_text(window.title) == f"{IT['nav-home']} — {IT['app-title']}"
    services = window.find_elements(By.CSS_SELECTOR, "[data-testid=services] li")
    assert [visible_text(s.text) for s in services] == [IT[key] for key in IT if key.startswith("service-")]
    brand = visible_text(window.find_element(By.CSS_SELECTOR, ".it-brand-title").text)
    assert brand == IT["app-title"]
    assert missing_messages(app) is None
    app.screenshot("home-it")


def test_language_switch_to_english_is_remembered_and_switches_back(app: App) -> None:
    app.launch()
    complete_first_run(app)
    switch_language(app, "en")
    wait_for_heading(app, EN["home-heading"])
    announcement = app.window.find_element(By.CSS_SELECTOR, ".porta-language-switch output").get_attribute("textContent")
    assert visible_text(announcement) == EN["language-changed"].replace("{ $language }", "English")
    assert app.window.find_element(By.CSS_SELECTOR, "button[data-locale='en']").get_attribute("aria-pressed") == "true"
    app.screenshot("home-en")

    # A new launch of the app comes back in English: the choice is kept in the settings.
    app.quit()
    app.launch()
    wait_for_heading(app, visible_text(EN["unlock-heading"]))
    unlock(app, ADMIN_PASSPHRASE)
    wait_for_heading(app, EN["home-heading"])

    switch_language(app, "it")
    wait_for_heading(app, IT["home-heading"])
    assert missing_messages(app) is None


def test_about_page_shows_version_data_folder_and_database(app: App, data_dir) -> None:
    app.launch()
    go_to(app, IT["nav-about"], IT["about-heading"])
    window = app.window
    assert window.find_element(By.CSS_SELECTOR, "[data-testid=version]").text == VERSION
    assert window.find_element(By.CSS_SELECTOR, "[data-testid=data-dir]").text == str(data_dir)
    assert visible_text(window.find_element(By.CSS_SELECTOR, "[data-testid=database]").text) == IT["database-not-created"]
    window.find_element(By.LINK_TEXT, IT["nav-home"]).click()
    complete_first_run(app)
    go_to(app, IT["nav-about"], IT["about-heading"])
    database = visible_text(window.find_element(By.CSS_SELECTOR, "[data-testid=database]").text)
    assert re.fullmatch(r"Presente \(\d+\.\d MB\)", database), database
    active = window.find_element(By.CSS_SELECTOR, ".porta-main-nav .nav-link.active")
    assert active.get_attribute("aria-current") == "page"
    app.screenshot("about-it")

    switch_language(app, "en")
    wait_for_heading(app, EN["about-heading"])
    assert visible_text(window.find_element(By.CSS_SELECTOR, "[data-testid=database]").text).startswith("Present (")
    assert missing_messages(app) is None
    app.screenshot("about-en")


def test_keyboard_alone_reaches_the_content_and_every_screen(app: App) -> None:
    window = app.launch()
    complete_first_run(app)
    # As a page opens: Tab starts from the top, not from where the setup's last button was.
    window.refresh()
    wait_for_heading(app, IT["home-heading"])
    body = window.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = window.switch_to.active_element
    assert focused.get_attribute("href").endswith("#main"), "the first Tab stop is the skip link"
    assert visible_text(focused.text) == IT["skip-to-content"]
    assert focused.is_displayed(), "the skip link becomes visible when focused"

    focused.send_keys(Keys.ENTER)
    assert window.switch_to.active_element.get_attribute("id") == "main"

    # From the top, Tab goes through the language buttons and the search box to the
    # navigation; Enter follows it.
    window.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    stops = []
    for _ in range(15):
        window.switch_to.active_element.send_keys(Keys.TAB)
        element = window.switch_to.active_element
        stops.append(visible_text(element.text))
        if visible_text(element.text) == IT["nav-about"]:
            break
    assert IT["nav-about"] in stops, f"Tab stops: {stops}"
    assert "English" in stops and IT["nav-home"] in stops and IT["session-lock"] in stops, f"Tab stops: {stops}"
    assert stops.index("English") < stops.index(IT["nav-home"]), f"the search box comes before the links: {stops}"
    outline = window.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, s.outlineWidth, s.boxShadow].join(' ')"
    )
    assert outline.split(" ")[0] != "none" or "rgb" in outline, f"focus is visible: {outline}"
    window.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for_heading(app, IT["about-heading"])


def axe_violations(app: App, screen: str) -> list[dict]:
    app.window.execute_script(AXE)
    result = app.window.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        "  .then(r => done(JSON.stringify(r.violations)))"
        "  .catch(e => done(JSON.stringify({error: String(e)})));"
    )
    violations = json.loads(result)
    assert not isinstance(violations, dict), f"axe failed on {screen}: {violations}"
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"axe-{screen}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    return violations


def serious_violations(app: App, screen: str) -> list[dict]:
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in axe_violations(app, screen)
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("locale", ["it", "en"])
def test_every_screen_has_no_serious_or_critical_accessibility_violations(app: App, locale: str) -> None:
    app.launch()
    app.window.set_script_timeout(30)
    text = IT if locale == "it" else EN
    if locale != "it":
        switch_language(app, locale)
    found = {}
    complete_first_run(app, text, on_screen=lambda screen: found.update({screen: serious_violations(app, f"{screen}-{locale}")}))
    found["home"] = serious_violations(app, f"home-{locale}")
    go_to(app, visible_text(text["nav-about"]), visible_text(text["about-heading"]))
    found["about"] = serious_violations(app, f"about-{locale}")
    go_to(app, visible_text(text["nav-home"]), visible_text(text["home-heading"]))
    app.window.find_element(By.CSS_SELECTOR, ".porta-lock-button").click()
    wait_for_heading(app, visible_text(text["unlock-heading"]))
    found["unlock"] = serious_violations(app, f"unlock-{locale}")
    app.window.find_element(By.XPATH, f"//button[normalize-space()='{text['unlock-forgot']}']").click()
    wait_for_heading(app, text["reset-heading"])
    found["reset"] = serious_violations(app, f"reset-{locale}")
    assert found == {screen: [] for screen in ["setup", "recovery-key", "home", "about", "unlock", "reset"]}
    assert missing_messages(app) is None


def test_nothing_is_requested_outside_the_app_and_the_fonts_are_its_own(app: App) -> None:
    window = app.launch()
    go_to(app, IT["nav-about"], IT["about-heading"])
    urls = window.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    outside = [url for url in urls if not re.match(r"^(tauri://localhost|http://tauri\.localhost|ipc://|http://ipc\.localhost)", url)]
    assert outside == [], f"requests that left the app: {outside}"
    fonts_ready = window.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "document.fonts.ready.then(() => done([document.fonts.check('16px \"Titillium Web\"'),"
        " [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)]));"
    )
    loaded, families = fonts_ready
    assert loaded and any("Titillium Web" in family for family in families), families
    csp = window.execute_script(
        "return [...document.querySelectorAll('meta[http-equiv=\"Content-Security-Policy\"]')].map(m => m.content)"
    )
    # Tauri sends the CSP as a header; if it is also in the page, it must be as strict.
    for policy in csp:
        assert "default-src 'self'" in policy
