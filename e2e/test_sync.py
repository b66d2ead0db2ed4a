"""The real window enrolls with the real porta-server and syncs, from the sync screen."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import ROOT, App, free_port, visible_text, wait_for_port
from test_window import IT, complete_first_run, go_to, serious_violations, submit_form, type_into

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
    app.window.find_element(By.CSS_SELECTOR, "[data-testid=sync-reenroll] summary").click()
    again = admin("enroll", "--device", "Portatile mediazione 1", "--office", OFFICE).splitlines()[0]
    type_into(app, "reenroll-code", again)
    join = app.window.find_element(By.CSS_SELECTOR, "[data-testid=sync-reenroll] button[type=submit]")
    assert not join.is_enabled(), "joining again waits for the confirmation"
    app.window.find_element(By.CSS_SELECTOR, "label[for=reenroll-confirm]").click()
    submit_form(app)
    shown = app.wait_until(lambda w: w.find_element(By.CSS_SELECTOR, "[data-testid=sync-reenrollments]"), "recorded")
    assert base in visible_text(shown.get_attribute("textContent"))
    assert serious_violations(app, "sync-reenrolled-it") == []
    app.screenshot("sync-reenrolled-it")
    app.wait_until(lambda _w: sync_state(app) == "up_to_date", "up to date again", timeout=30)
    assert f"active\t{OFFICE}\tPortatile mediazione 1" in admin("devices", "list")
