"""The real window with the real porta-server: enrolling and syncing from the sync screen,
and STP/ENI codes issued from the numbers the server reserved for the device."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import ROOT, App, free_port, visible_text, wait_for_port
from test_desk import button, click, pdf_text, rows, section, set_value
from test_window import IT, complete_first_run, go_to, serious_violations, submit_form, type_into, wait_for_heading

SERVER = Path(os.environ.get("PORTA_E2E_SERVER", ROOT / "target" / "debug" / "porta-server"))
OFFICE = "Sportello immigrazione"


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Callable[..., str]]]:
    """porta-server set up for one office and serving on a free loopback port, with the
    administration command on its data folder."""
    if not SERVER.is_file():
        pytest.fail(f"{SERVER} does not exist: build it with `cargo build -p porta-server` or run `cargo xtask test`")
    data = tmp_path / "server"

    def admin(*args: str) -> str:
        done = subprocess.run([str(SERVER), "--data-dir", str(data), *args], capture_output=True, text=True, check=True)
        return done.stdout

    admin("init", "--ambito", "Ambito di prova", "--office", OFFICE)
    port = free_port()
    process = subprocess.Popen(
        [str(SERVER), "--data-dir", str(data), "serve", "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}", admin
    finally:
        process.terminate()
        process.wait(timeout=10)


def sync_state(app: App) -> str:
    return app.window.find_element(By.CSS_SELECTOR, "[data-testid=sync-state]").get_attribute("data-state")


def test_the_device_enrolls_with_a_code_and_its_folders_reach_the_server(app: App, server) -> None:
    base, admin = server
    app.launch()
    complete_first_run(app)
    go_to(app, IT["nav-sync"], IT["sync-heading"])
    app.wait_until(lambda _w: sync_state(app) == "not_enrolled", "not enrolled", timeout=30)
    assert serious_violations(app, "sync-not-enrolled-it") == []

    type_into(app, "sync-server-url", base)
    code = admin("enroll", "--device", "Portatile mediazione 1", "--office", OFFICE).splitlines()[0]
    type_into(app, "sync-code", code)
    submit_form(app)
    # The server has no administrator "anna" yet: after enrollment only its accounts count, so
    # it refuses, says what to do, and the code stays valid.
    refusal = app.wait_until(
        lambda w: w.find_element(By.CSS_SELECTOR, "[data-code=enroller_not_administrator]"), "the refusal shown"
    )
    shown = visible_text(refusal.get_attribute("textContent"))
    assert "«anna»" in shown and OFFICE in shown, shown
    app.screenshot("sync-enroller-refused-it")
    admin("operators", "create", "--login", "anna", "--name", "Anna Esempio", "--role", "administrator", "--office", OFFICE)
    submit_form(app)
    app.wait_until(
        lambda w: w.find_element(By.CSS_SELECTOR, "[data-testid=sync-server]").text == base, "the enrollment shown"
    )
    # The engine syncs right after enrolling; the screen re-reads its status every 5 s.
    app.wait_until(lambda _w: sync_state(app) == "up_to_date", "up to date", timeout=30)
    assert app.window.find_element(By.CSS_SELECTOR, "[data-testid=sync-waiting]").text == "0"
    last = visible_text(app.window.find_element(By.CSS_SELECTOR, "[data-testid=sync-last-success]").text)
    assert last != IT["sync-never"], "a successful sync is dated"
    assert serious_violations(app, "sync-enrolled-it") == []
    app.screenshot("sync-it")
    assert f"active\t{OFFICE}\tPortatile mediazione 1" in admin("devices", "list")

    # Joined again, explicitly: the administrator forgets the device on the server and gives
    # a new code; the button waits for the confirmation; the act is shown afterwards.
    device_id = next(line for line in admin("devices", "list").splitlines() if OFFICE in line).split("\t")[0]
    admin("devices", "forget", device_id)
    # Brought into view first: WebKitWebDriver clicks nothing below the fold, and the page's
    # length depends on how the header wraps.
    summary = app.window.find_element(By.CSS_SELECTOR, "[data-testid=sync-reenroll] summary")
    app.window.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.send_keys(Keys.ENTER)
    again = admin("enroll", "--device", "Portatile mediazione 1", "--office", OFFICE).splitlines()[0]
    type_into(app, "reenroll-code", again)
    join = app.window.find_element(By.CSS_SELECTOR, "[data-testid=sync-reenroll] button[type=submit]")
    assert not join.is_enabled(), "joining again waits for the confirmation"
    # Ticked from the keyboard: the status above may grow (the forgotten device's next round
    # fails) between scrolling and a click, and WebKitWebDriver clicks nothing out of view.
    confirm = app.window.find_element(By.CSS_SELECTOR, "#reenroll-confirm")
    app.window.execute_script("arguments[0].scrollIntoView({block: 'center'})", confirm)
    confirm.send_keys(Keys.SPACE)
    app.wait_until(lambda _w: join.is_enabled(), "the confirmation ticked")
    submit_form(app)
    shown = app.wait_until(lambda w: w.find_element(By.CSS_SELECTOR, "[data-testid=sync-reenrollments]"), "recorded")
    assert base in visible_text(shown.get_attribute("textContent"))
    assert serious_violations(app, "sync-reenrolled-it") == []
    app.screenshot("sync-reenrolled-it")
    app.wait_until(lambda _w: sync_state(app) == "up_to_date", "up to date again", timeout=30)
    assert f"active\t{OFFICE}\tPortatile mediazione 1" in admin("devices", "list")


def new_person_of(app: App, family: str, given: str, citizenship: str) -> None:
    """A new folder for a person of `citizenship` (an ANPR code)."""
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["nav-new-person"])))
    wait_for_heading(app, visible_text(IT["new-person-heading"]))
    app.window.find_element(By.ID, "person-family-name").send_keys(family)
    app.window.find_element(By.ID, "person-given-names").send_keys(given)
    app.window.find_element(By.ID, "person-birth-year").send_keys("1994")
    Select(app.window.find_element(By.ID, "person-citizenship")).select_by_value(citizenship)
    click(app, app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]"))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "the new folder")


def test_an_stp_code_is_issued_offline_from_the_devices_numbers_and_refused_to_an_eu_citizen(app: App, server) -> None:
    base, admin = server
    admin("stp-eni", "--region", "160", "--asl", "116")
    admin("operators", "create", "--login", "anna", "--name", "Anna Esempio", "--role", "administrator", "--office", OFFICE)
    app.launch()
    complete_first_run(app)
    app.window.set_window_size(1366, 768)
    go_to(app, IT["nav-sync"], IT["sync-heading"])
    type_into(app, "sync-server-url", base)
    type_into(app, "sync-code", admin("enroll", "--device", "Portatile mediazione 1", "--office", OFFICE).splitlines()[0])
    submit_form(app)
    # The first round brings this device its own block of STP and ENI numbers.
    app.wait_until(lambda _w: sync_state(app) == "up_to_date", "up to date", timeout=30)

    # A Moroccan citizen without a permit: the folder says why the code is due, and issues it.
    new_person_of(app, "Benali", "Youssef", "Z330")
    stp = app.window.find_element(By.CSS_SELECTOR, "[data-testid=stp-eni-stp]")
    reason = visible_text(stp.find_element(By.CSS_SELECTOR, "[data-testid=stp-eni-stp-reason]").get_attribute("textContent"))
    assert reason == visible_text(IT["stp-eni-may-issue-stp"]), reason
    click(app, stp.find_element(By.TAG_NAME, "button"))
    issued = app.wait_until(lambda w: w.find_element(By.CSS_SELECTOR, "[data-testid=stp-eni-issued]"), "the code issued")
    text = visible_text(issued.get_attribute("textContent"))
    code = re.search(r"STP160116\d{7}", text)
    assert code, text
    app.screenshot("stp-eni-it")
    assert serious_violations(app, "stp-eni-it") == []

    # Youssef reads Arabic: his card prints in Arabic, and a copy stays in the folder.
    click(app, button(section(app, "person"), IT["section-edit"]))
    set_value(app, app.window.find_element(By.ID, "person-preferred-language"), "ar")
    click(app, button(section(app, "person"), IT["section-save"]))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "#fact-preferred_language"), "the language saved")
    stp = app.window.find_element(By.CSS_SELECTOR, "[data-testid=stp-eni-stp]")
    click(app, button(stp, visible_text(IT["stp-eni-print-card"])))
    outcome = app.wait_until(
        lambda w: visible_text(w.find_element(By.CSS_SELECTOR, "[data-testid=print-outcome-stp-eni-stp]").get_attribute("textContent")),
        "the card printed",
    )
    path = re.search(r"(/\S+\.pdf)", outcome)
    assert path and path.group(1).endswith(".pdf") and "tesserino-stp-ar-" in path.group(1), outcome
    card = pdf_text(path.group(1))
    assert code.group(0) in card and "بطاقة الأجنبي الحاضر بصفة مؤقتة" in card, card
    app.wait_until(lambda w: any("tesserino-stp-ar-" in row for row in rows(app, "attachments")), "the copy kept in the folder")

    # A French citizen: STP is refused, in words that say what to do instead; ENI is offered.
    new_person_of(app, "Dupont", "Marie", "Z110")
    stp = app.window.find_element(By.CSS_SELECTOR, "[data-testid=stp-eni-stp]")
    reason = visible_text(stp.find_element(By.CSS_SELECTOR, "[data-testid=stp-eni-stp-reason]").get_attribute("textContent"))
    assert reason == visible_text(IT["error-stp-eu-citizen"]), reason
    assert stp.find_elements(By.TAG_NAME, "button") == [], "no STP to issue"
    eni = app.window.find_element(By.CSS_SELECTOR, "[data-testid=stp-eni-eni]")
    assert visible_text(eni.find_element(By.TAG_NAME, "button").get_attribute("textContent")).strip() == "Rilascia il codice ENI"

    # A person who gives no name: an anonymous STP opens a folder named by its code.
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["nav-new-person"])))
    wait_for_heading(app, visible_text(IT["new-person-heading"]))
    Select(app.window.find_element(By.ID, "person-citizenship")).select_by_value("Z330")
    click(app, app.window.find_element(By.CSS_SELECTOR, "[data-testid=anonymous-stp]"))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "the anonymous folder")
    heading = visible_text(app.window.find_element(By.CSS_SELECTOR, "[data-testid=folder-header] h1").text)
    assert re.fullmatch(r"STP160116\d{7}", heading), heading
    assert heading != code.group(0), "a number of its own"
