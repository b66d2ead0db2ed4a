"""The real window with the real porta-server: enrolling and syncing from the sync screen,
and STP/ENI codes issued from the numbers the server reserved for the device."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import subprocess
import threading
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
# The device an office already worked on: fills a store with synthetic people and pushes them.
BOOTSTRAP = Path(os.environ.get("PORTA_E2E_BOOTSTRAP", ROOT / "target" / "debug" / "porta-bootstrap"))
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


class SlowLink:
    """A link of `bytes_per_second` from the server to the device, as a phone's hotspot in a
    camp: a TCP proxy on loopback in a thread of its own. The device's requests pass as they
    come; the answers are paced."""

    def __init__(self, upstream_port: int, bytes_per_second: int) -> None:
        self.upstream_port = upstream_port
        self.bytes_per_second = bytes_per_second
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SlowLink:
        self.thread.start()
        assert self.ready.wait(10), "the slow link did not start"
        return self

    def __exit__(self, *_exc) -> None:
        asyncio.run_coroutine_threadsafe(self._shut(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    async def _shut(self) -> None:
        """Ends every connection still carried, within the loop, so nothing is left pending."""
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(asyncio.start_server(self._connection, "127.0.0.1", self.port))
        self.ready.set()
        self.loop.run_forever()

    async def _connection(self, device_reader, device_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        await asyncio.gather(
            self._pump(device_reader, server_writer, paced=False),
            self._pump(server_reader, device_writer, paced=True),
            return_exceptions=True,
        )

    async def _pump(self, reader, writer, paced: bool) -> None:
        try:
            while chunk := await reader.read(8192):
                if paced:
                    await asyncio.sleep(len(chunk) / self.bytes_per_second)
                writer.write(chunk)
                await writer.drain()
        finally:
            writer.close()


def test_a_long_first_pull_shows_how_far_it_has_come(app: App, server) -> None:
    """A new laptop joins an office that already holds hundreds of folders, over a slow link:
    the Sync page shows a bar and the time left until every folder has arrived."""
    base, admin = server
    if not BOOTSTRAP.is_file():
        pytest.fail(f"{BOOTSTRAP} does not exist: build it with `cargo build -p porta-bench --bins` or run `cargo xtask test`")
    # The office's desktop, with its administrator «admin», has pushed its folders already.
    admin("operators", "create", "--login", "admin", "--name", "Amministratrice di prova", "--role", "administrator", "--office", OFFICE)
    admin("operators", "create", "--login", "anna", "--name", "Anna Esempio", "--role", "administrator", "--office", OFFICE)
    code = admin("enroll", "--device", "Computer dello sportello", "--office", OFFICE).splitlines()[0]
    filled = subprocess.run([str(BOOTSTRAP), base, code, "--fill", "300"], capture_output=True, text=True, timeout=900)
    assert filled.returncode == 0, filled.stderr
    pushed = json.loads(filled.stdout)["pushed"]
    assert pushed > 20_000, f"{pushed} entries make no pull of several pages"

    with SlowLink(int(base.rsplit(":", 1)[1]), bytes_per_second=120_000) as link:
        app.launch()
        complete_first_run(app)
        go_to(app, IT["nav-sync"], IT["sync-heading"])
        type_into(app, "sync-server-url", f"http://127.0.0.1:{link.port}")
        type_into(app, "sync-code", admin("enroll", "--device", "Portatile mediazione 1", "--office", OFFICE).splitlines()[0])
        submit_form(app)
        bar = app.wait_until(lambda w: w.find_element(By.ID, "sync-pulling-bar"), "the bar of the pull", timeout=120)
        first = int(bar.get_attribute("value"))
        assert 0 < first < 100, first
        label = visible_text(app.window.find_element(By.CSS_SELECTOR, "label[for=sync-pulling-bar]").text)
        assert f"{first}" in label, label
        # Once there is a pace to go by, the time left is said in minutes.
        remaining = app.wait_until(
            lambda w: (text := visible_text(w.find_element(By.CSS_SELECTOR, "[data-testid=sync-pulling-remaining]").text))
            != visible_text(IT["sync-pulling-estimating"])
            and text,
            "the time left",
            timeout=60,
        )
        assert re.search(r"(un minuto|\d+ minuti)\. Porta si può usare intanto\.$", remaining), remaining
        assert serious_violations(app, "sync-pulling-it") == []
        # The bar lies below the fold at this window size, and the page keeps its scroll only
        # until the next refresh: the whole page, smaller, for the picture.
        app.window.execute_script("document.documentElement.style.zoom = '0.6'")
        app.screenshot("sync-pulling-it")
        app.window.execute_script("document.documentElement.style.zoom = ''")
        # The next page moves the bar on; the last one takes it away (a pull of 300 folders has
        # a few pages, and the waits above may span one): gone counts as full, and the pull
        # must then have ended well.
        def shown(w) -> int:
            bars = w.find_elements(By.ID, "sync-pulling-bar")
            return int(bars[0].get_attribute("value")) if bars else 100

        later = app.wait_until(lambda w: (value := shown(w)) > first and value, "the bar to move on", timeout=120)
        assert later <= 100
        app.wait_until(lambda _w: sync_state(app) == "up_to_date", "every folder arrived", timeout=600)
        assert app.window.find_elements(By.ID, "sync-pulling-bar") == [], "no bar once the pull is done"


# This checkout's release key (`cargo xtask` makes it and builds the app to trust it).
RELEASE_KEY = Path(os.environ.get("PORTA_E2E_RELEASE_KEY", ROOT / "target" / "update-signing" / "development.pk8"))


def release(folder: Path, version: str, installer: bytes) -> tuple[Path, Path]:
    """A Debian package of `version` and its release statement signed with the release key,
    as `cargo xtask bundle` writes them (`porta_wire::update`)."""
    package = folder / f"porta_{version}_amd64.deb"
    package.write_bytes(installer)
    signed = (
        "PORTA-UPDATE-1\n"
        "target linux-x86_64-deb\n"
        f"version {version}\n"
        f"size {len(installer)}\n"
        f"sha256 {hashlib.sha256(installer).hexdigest()}\n"
    )
    message = folder / "signed-part"
    message.write_text(signed)
    signature = subprocess.run(
        ["openssl", "pkeyutl", "-sign", "-rawin", "-keyform", "DER", "-inkey", str(RELEASE_KEY), "-in", str(message)],
        capture_output=True,
        check=True,
    ).stdout
    statement = folder / f"{package.name}.porta-update"
    statement.write_text(f"{signed}signature {signature.hex()}\n")
    return package, statement


def test_an_update_published_on_the_server_is_announced_and_a_tampered_one_refused(
    app: App, server, data_dir: Path, tmp_path: Path
) -> None:
    """The Ambito's IT publishes a new Porta on its server: the laptop downloads it, checks it
    against the release key it was built with, and tells the operator it installs at the next
    start, with the Ambito's notes. A statement changed on the server is refused in words."""
    base, admin = server
    if not RELEASE_KEY.is_file():
        pytest.fail(f"{RELEASE_KEY} does not exist: run `cargo xtask test`, which makes it and builds the app with it")
    admin("operators", "create", "--login", "anna", "--name", "Anna Esempio", "--role", "administrator", "--office", OFFICE)
    package, statement = release(tmp_path, "9.9.9", os.urandom(700_000))
    notes = "Stampe più veloci.\nIl modulo ISEE 2027."
    admin("updates", "publish", str(package), "--version", "9.9.9", "--notes", notes)

    app.launch()
    complete_first_run(app)
    go_to(app, IT["nav-sync"], IT["sync-heading"])
    type_into(app, "sync-server-url", base)
    type_into(app, "sync-code", admin("enroll", "--device", "Portatile mediazione 1", "--office", OFFICE).splitlines()[0])
    submit_form(app)
    ready = app.wait_until(lambda w: w.find_element(By.CSS_SELECTOR, "[data-testid=sync-update-ready]"), "the update announced", timeout=60)
    heading = visible_text(ready.find_element(By.TAG_NAME, "h3").get_attribute("textContent"))
    assert heading == "È pronta la versione 9.9.9 di Porta", heading
    shown_notes = ready.find_element(By.CSS_SELECTOR, "[data-testid=sync-update-notes]").get_attribute("textContent")
    assert shown_notes == notes, shown_notes
    assert serious_violations(app, "sync-update-ready-it") == []
    app.window.execute_script("arguments[0].scrollIntoView({block: 'center'})", ready)
    app.screenshot("sync-update-ready-it")
    # Downloaded whole into the data folder, waiting for the next start.
    waiting = data_dir / "updates" / "Porta-9.9.9.deb"
    assert waiting.read_bytes() == package.read_bytes()

    # Someone with the server's files raises the version: the signature no longer holds.
    offer = tmp_path / "server" / "updates" / "linux-x86_64-deb.offer.json"
    offer.write_text(offer.read_text().replace("version 9.9.9", "version 9.9.10"))
    app.window.find_element(By.XPATH, f"//button[normalize-space()='{visible_text(IT['action-sync-now'])}']").send_keys(Keys.ENTER)
    refused = app.wait_until(
        lambda w: w.find_element(By.CSS_SELECTOR, "[data-testid=sync-update-refused]"), "the refusal", timeout=60
    )
    assert refused.get_attribute("data-code") == "update_refused"
    assert "non porta la firma" in visible_text(refused.get_attribute("textContent")), refused.text
    assert serious_violations(app, "sync-update-refused-it") == []
    app.window.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 120)", refused)
    app.screenshot("sync-update-refused-it")
