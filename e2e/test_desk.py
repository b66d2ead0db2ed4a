"""The desk in the real window: the demo, search, a new person, every section of the folder,
history and access log; screenshots of each screen and axe in both languages."""

from __future__ import annotations

import re
import shutil

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from conftest import ROOT, App, messages, visible_text
from test_window import missing_messages, serious_violations, switch_language, unlock, wait_for_heading

IT = messages("it")
EN = messages("en")

# A small demo: a debug build writes a few hundred people in seconds.
DEMO_PEOPLE = "300"

CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def tiny_png(path) -> None:
    """A real 2×2 PNG: the store reads the type from the content."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixels = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def scanned_pdf(path, pages: int) -> None:
    """A real PDF of A4 pages, each with a black square: what a scanner hands over, smaller."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Count {pages} /Kids [{' '.join(f'{4 + i} 0 R' for i in range(pages))}] >>",
        "<< /Length 16 >>\nstream\n0 0 100 100 re f\nendstream",
    ] + ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    pdf = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, text in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += f"{number} 0 obj\n{text}\nendobj\n".encode()
    xref = len(pdf)
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    pdf += "".join(f"{offset:010} 00000 n \n" for offset in offsets).encode()
    pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(pdf))


def check_letter(first15: str) -> str:
    """The codice fiscale's check character, as the Agenzia delle Entrate computes it."""
    total = 0
    for index, char in enumerate(first15):
        value = int(char) if char.isdigit() else ord(char) - ord("A")
        total += CF_ODD[value] if index % 2 == 0 else value
    return chr(ord("A") + total % 26)


def set_value(app: App, element: WebElement, value: str) -> None:
    """Sets a React-controlled field (date inputs included) as typing would."""
    app.window.execute_script(
        "const [el, value] = arguments;"
        "const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;"
        "Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);"
        "el.dispatchEvent(new Event('input', {bubbles: true}));",
        element,
        value,
    )


def choose(app: App, select: WebElement, value: str | None = None) -> None:
    """Chooses `value` (or the first real option) in a React-controlled select, as a person
    would from the keyboard: the sticky header may lie over a list WebDriver would click."""
    app.window.execute_script(
        "const [el, value] = arguments;"
        "const chosen = value ?? [...el.options].find(o => o.value !== '').value;"
        "Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(el, chosen);"
        "el.dispatchEvent(new Event('change', {bubbles: true}));",
        select,
        value,
    )


def search(app: App, text: str) -> list[tuple[str, str]]:
    """Types `text` in the header's search box; returns the options shown: name and all their text."""
    box = app.window.find_element(By.ID, "person-search")
    set_value(app, box, "")
    box.send_keys(text)
    app.wait_until(
        lambda w: w.find_elements(By.CSS_SELECTOR, "#person-search-results [role=option]")
        and w.execute_script("return document.getElementById('person-search').value") == text,
        f"results for {text!r}",
    )
    options = app.window.find_elements(By.CSS_SELECTOR, "#person-search-results [role=option]")
    names = [o.find_elements(By.CSS_SELECTOR, ".person-hit-name") for o in options]
    return [(visible_text(n[0].text) if n else "", visible_text(o.text)) for n, o in zip(names, options)]


def folder_heading(app: App) -> str:
    return visible_text(app.window.find_element(By.CSS_SELECTOR, "[data-testid=folder-header] h1").text)


def section(app: App, key: str) -> WebElement:
    return app.window.find_element(By.ID, f"section-{key}")


def click(app: App, element: WebElement) -> None:
    """Clicks from the keyboard: buttons may lie below the fold, where WebKitWebDriver will not click."""
    app.window.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.send_keys(Keys.ENTER)


def button(within: WebElement, label: str) -> WebElement:
    """The first button under `within` that reads `label` (apostrophes and all)."""
    for candidate in within.find_elements(By.TAG_NAME, "button"):
        if " ".join(visible_text(candidate.get_attribute("textContent")).split()) == label:
            return candidate
    raise AssertionError(f"no button {label!r}")


def rows(app: App, key: str) -> list[str]:
    return [visible_text(r.text) for r in section(app, key).find_elements(By.CSS_SELECTOR, ".folder-row")]


def add_row(app: App, key: str, fill=lambda form: None) -> None:
    before = len(rows(app, key))
    click(app, button(section(app, key), IT["section-add"]))
    form = section(app, key).find_element(By.TAG_NAME, "form")
    fill(form)
    click(app, button(form, IT["section-save"]))
    app.wait_until(lambda w: len(rows(app, key)) == before + 1, f"a new row in {key}")


def open_demo(app: App, size: tuple[int, int] | None = (1366, 768)) -> None:
    """The demo, unlocked with the credentials its unlock screen shows; the window at `size`."""
    app.launch(["--demo", DEMO_PEOPLE], wait_for="main h1")
    if visible_text(app.window.find_element(By.CSS_SELECTOR, "main h1").text) == visible_text(IT["demo-filling-heading"]):
        app.screenshot("demo-filling-it")
    if size is not None:
        app.window.set_window_size(*size)
    app.wait_until(
        lambda w: visible_text(w.find_element(By.CSS_SELECTOR, "main h1").text) == visible_text(IT["unlock-heading"]),
        "the demo to fill",
        timeout=180,
    )
    assert app.window.find_element(By.CSS_SELECTOR, "[data-testid=demo-badge]").text.startswith("DEMO")
    credentials = app.window.find_element(By.CSS_SELECTOR, "[data-testid=demo-credentials]")
    assert "porta demo galatina" in credentials.text
    click(app, button(credentials, IT["demo-credentials-use"]))
    app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]").send_keys(Keys.ENTER)
    wait_for_heading(app, visible_text(IT["home-heading"]))


def test_the_demo_search_a_new_person_and_every_section_of_the_folder(app: App, tmp_path) -> None:
    open_demo(app)
    app.window.set_script_timeout(30)
    violations = {"home": serious_violations(app, "desk-home-it")}
    assert app.window.find_element(By.CSS_SELECTOR, "[data-testid=demo-badge]").is_displayed()

    # By STP code: the first demo person with one, found by the whole code.
    name, text = next(o for o in search(app, "STP") if re.search(r"STP\d{13}", o[1]))
    code = re.search(r"STP\d{13}", text).group(0)
    found = search(app, code)
    assert found[0][0] == name, found
    app.screenshot("search-results-it")
    violations["search"] = serious_violations(app, "desk-search-it")
    app.window.find_element(By.ID, "person-search").send_keys(Keys.ENTER)
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header] h1"), "a folder")
    assert folder_heading(app) == name, (folder_heading(app), name)

    holder = name
    # The last option creates a new person, with what was typed carried over.
    options = search(app, "Diallo Aminata")
    assert options[-2][1].endswith(visible_text(IT["search-new-person"]).replace("{ $query }", "Diallo Aminata")), options
    assert options[-1][1] == visible_text(IT["search-include-archived"]), options
    box = app.window.find_element(By.ID, "person-search")
    box.send_keys(Keys.ARROW_UP)
    box.send_keys(Keys.ARROW_UP)
    box.send_keys(Keys.ENTER)
    wait_for_heading(app, visible_text(IT["new-person-heading"]))
    assert app.window.find_element(By.ID, "person-family-name").get_attribute("value") == "Diallo"
    assert app.window.find_element(By.ID, "person-given-names").get_attribute("value") == "Aminata"
    Select(app.window.find_element(By.ID, "person-sex")).select_by_value("female")
    for field, value in [("person-birth-day", "1"), ("person-birth-month", "1"), ("person-birth-year", "1990")]:
        app.window.find_element(By.ID, field).send_keys(value)
    Select(app.window.find_element(By.ID, "person-birth-country")).select_by_value("Z343")
    Select(app.window.find_element(By.ID, "person-citizenship")).select_by_value("Z343")
    app.window.find_element(By.ID, "person-preferred-language").send_keys("fr")
    # February typed for a woman born in January: the month is what disagrees.
    wrong_month = "DLLMNT90B41Z343"
    app.window.find_element(By.ID, "person-codice-fiscale").send_keys(wrong_month + check_letter(wrong_month))
    def notice(w):
        typed = w.find_element(By.ID, "person-codice-fiscale").get_attribute("value")
        shown = w.find_elements(By.CSS_SELECTOR, "[data-testid=codice-fiscale-check]")
        return len(typed) == 16 and shown and "mese di nascita" in visible_text(shown[0].text) and shown[0]

    app.wait_until(notice, "the month reported")
    app.screenshot("new-person-it")
    violations["new-person"] = serious_violations(app, "desk-new-person-it")
    use = app.wait_until(notice, "the month reported").find_element(By.CSS_SELECTOR, "[data-testid=use-computed-codice-fiscale]")
    assert "DLLMNT90A41Z343M" in use.text
    click(app, use)
    app.wait_until(
        lambda w: w.find_element(By.ID, "person-codice-fiscale").get_attribute("value") == "DLLMNT90A41Z343M",
        "the computed code used",
    )
    duplicates = app.window.find_elements(By.CSS_SELECTOR, "[data-testid=duplicates]")
    if duplicates:
        # Ticked from the keyboard: the box may lie below the fold, where WebKitWebDriver
        # will not click.
        tick = app.window.find_element(By.ID, "different-person")
        app.window.execute_script("arguments[0].scrollIntoView({block: 'center'})", tick)
        tick.send_keys(" ")
        app.wait_until(lambda w: tick.is_selected(), "the duplicate set aside")
    click(app, app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]"))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "the new folder")
    assert folder_heading(app) == "Aminata Diallo"
    # Found by her codice fiscale, and by her name misspelt.
    assert search(app, "DLLMNT90A41Z343M")[0][0] == "Aminata Diallo"
    assert "Aminata Diallo" in [found for found, _ in search(app, "Amminata Diallo")]

    # A second Aminata Diallo born in 1990 is flagged as a possible duplicate of the first.
    search(app, "Diallo Aminata")
    box = app.window.find_element(By.ID, "person-search")
    box.send_keys(Keys.ARROW_UP)
    box.send_keys(Keys.ARROW_UP)
    box.send_keys(Keys.ENTER)
    wait_for_heading(app, visible_text(IT["new-person-heading"]))
    app.window.find_element(By.ID, "person-birth-year").send_keys("1990")
    warning = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=duplicates]"), "duplicates")[0]
    assert "Aminata Diallo" in visible_text(warning.text)
    submit = app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]")
    assert not submit.is_enabled(), "creating a possible duplicate needs a deliberate tick"
    app.window.back()
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "back to the folder")

    # Every section: add a row.
    add_row(app, "needs")
    add_row(app, "consents")
    add_row(app, "documents", lambda form: [
        form.find_element(By.XPATH, ".//label[normalize-space()='Numero']/following-sibling::input").send_keys("YA1234567"),
        form.find_element(By.XPATH, ".//label[normalize-space()='Data di scadenza']/following-sibling::input").send_keys("31/01/2020"),
    ])
    assert visible_text(IT["expiry-expired"]) in rows(app, "documents")[0]
    add_row(app, "practices", lambda form: choose(app, form.find_element(By.TAG_NAME, "select"), "permit-renewal"))
    add_row(app, "appointments", lambda form: [
        form.find_element(By.XPATH, ".//label[normalize-space()='Data e ora']/following-sibling::input").send_keys("10/12/2026 09:30"),
        form.find_element(By.XPATH, ".//label[normalize-space()='Luogo']/following-sibling::input").send_keys("Sportello di Galatina"),
    ])
    add_row(app, "contacts", lambda form: form.find_element(By.CSS_SELECTOR, "input[type=number]").send_keys("20"))
    add_row(app, "referrals")
    add_row(app, "notes", lambda form: form.find_element(By.TAG_NAME, "textarea").send_keys("Primo colloquio allo sportello"))
    add_row(app, "household", lambda form: [
        form.find_element(By.CSS_SELECTOR, "input[type=search]").send_keys(holder.split(" ")[-1]),
        app.wait_until(lambda w: len(form.find_elements(By.CSS_SELECTOR, "select option")) > 1, "people to choose"),
        choose(app, form.find_element(By.CSS_SELECTOR, "select")),
    ])
    for key in ["needs", "consents", "documents", "practices", "appointments", "contacts", "referrals", "notes", "household"]:
        assert len(rows(app, key)) == 1, key

    # A refused save keeps what was typed and says why.
    click(app, button(section(app, "notes"), IT["section-edit"]))
    form = section(app, "notes").find_element(By.TAG_NAME, "form")
    set_value(app, form.find_element(By.TAG_NAME, "textarea"), "")
    click(app, button(form, IT["section-save"]))
    def refusal(w):
        alerts = section(app, "notes").find_elements(By.CSS_SELECTOR, "[role=alert]")
        return alerts and visible_text(alerts[0].get_attribute("textContent"))

    assert "Testo della nota" in app.wait_until(refusal, "the refusal")
    form.find_element(By.TAG_NAME, "textarea").send_keys("Colloquio con mediatrice")
    click(app, button(form, IT["section-save"]))
    app.wait_until(lambda w: any("Colloquio con mediatrice" in r for r in rows(app, "notes")), "the edited note")
    app.screenshot("folder-it")
    violations["folder"] = serious_violations(app, "desk-folder-it")

    # Edit and delete in every other section too.
    click(app, button(section(app, "needs"), IT["section-edit"]))
    form = section(app, "needs").find_element(By.TAG_NAME, "form")
    form.find_element(By.TAG_NAME, "textarea").send_keys("Rinnovo del permesso")
    click(app, button(form, IT["section-save"]))
    app.wait_until(lambda w: any("Rinnovo del permesso" in r for r in rows(app, "needs")), "the edited need")
    for key, label, value in [
        ("consents", "Lingua", "fr"),
        ("documents", "Rilasciato da", "Questura di Lecce"),
        ("practices", "Numero di protocollo", "PG/2026/0123"),
        ("appointments", "Motivo", "Rinnovo del permesso"),
        ("contacts", "Mediatore", "Ousmane"),
        ("referrals", "Motivo", "Corso di italiano A2"),
    ]:
        click(app, button(section(app, key), IT["section-edit"]))
        form = section(app, key).find_element(By.TAG_NAME, "form")
        form.find_element(By.XPATH, f".//label[normalize-space()='{label}']/following-sibling::input").send_keys(value)
        click(app, button(form, IT["section-save"]))
        app.wait_until(lambda w, key=key, value=value: any(value in r for r in rows(app, key)), f"the edited {key}")
    click(app, button(section(app, "household"), IT["section-edit"]))
    form = section(app, "household").find_element(By.TAG_NAME, "form")
    choose(app, form.find_elements(By.TAG_NAME, "select")[-1], "child")
    click(app, button(form, IT["section-save"]))
    child = visible_text(IT["value-relation-child"])
    app.wait_until(lambda w: any(child in r for r in rows(app, "household")), "the edited household member")
    for key in ["needs", "consents", "documents", "practices", "appointments", "contacts", "referrals", "household"]:
        click(app, button(section(app, key), IT["section-delete"]))
        click(app, button(section(app, key).find_element(By.CSS_SELECTOR, "[role=alert]"), IT["section-delete"]))
        app.wait_until(lambda w, key=key: rows(app, key) == [], f"{key} deleted")

    # An attachment: added from a file, viewed in the window, removed.
    scan = tmp_path / "permesso-scansione.png"
    tiny_png(scan)
    # The app runs on this machine: the path goes as it is, not uploaded as Selenium Grid would.
    app.window.file_detector = UselessFileDetector()
    section(app, "attachments").find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(scan))
    app.wait_until(lambda w: "permesso-scansione.png" in " ".join(rows(app, "attachments")), "the attachment")
    assert "image/png" in rows(app, "attachments")[0]
    click(app, button(section(app, "attachments"), IT["attachment-view"]))
    image = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=attachment-image]"), "the image")[0]
    app.wait_until(lambda w: w.execute_script("return arguments[0].naturalWidth", image) == 2, "the image drawn")
    click(app, button(section(app, "attachments"), IT["section-delete"]))
    click(app, button(section(app, "attachments").find_element(By.CSS_SELECTOR, "[role=alert]"), IT["section-delete"]))
    app.wait_until(lambda w: rows(app, "attachments") == [], "the attachment removed")
    # A scanned PDF: its pages drawn in the window, one below the other.
    scanned = tmp_path / "passaporto.pdf"
    scanned_pdf(scanned, pages=2)
    section(app, "attachments").find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(scanned))
    app.wait_until(lambda w: "passaporto.pdf" in " ".join(rows(app, "attachments")), "the PDF attachment")
    click(app, button(section(app, "attachments"), IT["attachment-view"]))
    pages = app.wait_until(lambda w: len(found := w.find_elements(By.CSS_SELECTOR, "[data-testid=attachment-image]")) == 2 and found, "the pages")
    app.wait_until(lambda w: [w.execute_script("return arguments[0].naturalWidth", page) for page in pages] == [892, 892], "the pages drawn")
    assert visible_text(pages[1].get_attribute("alt")) == "passaporto.pdf, Pagina 2 di 2"
    app.window.execute_script("arguments[0].scrollIntoView()", pages[0])
    app.screenshot("attachment-pdf-it")
    click(app, button(section(app, "attachments"), IT["section-delete"]))
    click(app, button(section(app, "attachments").find_element(By.CSS_SELECTOR, "[role=alert]"), IT["section-delete"]))
    app.wait_until(lambda w: rows(app, "attachments") == [], "the PDF removed")

    # History shows the edit, before and after; the access log shows the opening.
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["folder-history"])))
    table = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=history]"), "the history")[0]
    assert any(
        "Primo colloquio allo sportello" in r.text and "Colloquio con mediatrice" in r.text
        for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    )
    app.screenshot("history-it")
    violations["history"] = serious_violations(app, "desk-history-it")
    app.window.back()
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "back to the folder")
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["folder-accesses"])))
    table = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=accesses]"), "the access log")[0]
    lines = [visible_text(r.text) for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    whole_folder = visible_text(IT["audit-section-folder"])
    assert any(visible_text(IT["accesses-action-read"]) in line and whole_folder in line for line in lines), lines
    assert any(visible_text(IT["accesses-action-write"]) in line for line in lines), lines
    # Printed for the person who asks: the same lines, in words, in a PDF.
    printed = pdf_text(printed_path(app, visible_text(IT["accesses-print"]), within=By.TAG_NAME, name="main"))
    assert "Registro degli accessi alla scheda" in printed and whole_folder in printed and "Modifica" in printed, printed
    app.screenshot("accesses-it")
    violations["accesses"] = serious_violations(app, "desk-accesses-it")

    # The same screens in English.
    switch_language(app, "en")
    app.window.back()
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "back to the folder")
    app.wait_until(lambda w: w.find_elements(By.ID, "section-notes-heading") and w.find_element(By.ID, "section-notes-heading").text == EN["section-notes"], "English")
    app.screenshot("folder-en")
    violations["folder-en"] = serious_violations(app, "desk-folder-en")
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(EN["nav-new-person"])))
    wait_for_heading(app, visible_text(EN["new-person-heading"]))
    app.screenshot("new-person-en")
    violations["new-person-en"] = serious_violations(app, "desk-new-person-en")
    search(app, "Diallo")
    app.screenshot("search-results-en")
    violations["search-en"] = serious_violations(app, "desk-search-en")
    app.window.find_element(By.ID, "person-search").send_keys(Keys.ENTER)
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "a folder in English")
    for link, testid, screen in [("folder-history", "history", "history"), ("folder-accesses", "accesses", "accesses")]:
        click(app, app.window.find_element(By.LINK_TEXT, visible_text(EN[link])))
        app.wait_until(lambda w, testid=testid: w.find_elements(By.CSS_SELECTOR, f"[data-testid={testid}]"), screen)
        app.screenshot(f"{screen}-en")
        violations[f"{screen}-en"] = serious_violations(app, f"desk-{screen}-en")
        app.window.back()
        app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "back")
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(EN["merge-action"])))
    wait_for_heading(app, visible_text(EN["merge-heading"]))
    app.screenshot("merge-en")
    violations["merge-en"] = serious_violations(app, "desk-merge-en")
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(EN["nav-settings"])))
    wait_for_heading(app, visible_text(EN["settings-heading"]))
    app.screenshot("settings-en")
    violations["settings-en"] = serious_violations(app, "desk-settings-en")
    assert violations == {screen: [] for screen in violations}
    assert missing_messages(app) is None


def pdf_text(path: str) -> str:
    """The text of a PDF, read by poppler's pdftotext (installed by `cargo xtask test`)."""
    import subprocess

    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True)
    return " ".join(visible_text(out.stdout.decode("utf-8")).split())


def printed_path(app: App, label: str, within: str = By.CSS_SELECTOR, name: str = "[data-testid=folder-header]") -> str:
    """Clicks a print button (of the folder's header unless told); the path the app says it
    saved the PDF in."""
    before = visible_text(app.window.find_element(By.CSS_SELECTOR, "[data-testid=print-outcome]").text)
    click(app, button(app.window.find_element(within, name), label))
    outcome = app.wait_until(
        lambda w: (text := visible_text(w.find_element(By.CSS_SELECTOR, "[data-testid=print-outcome]").text)) != before
        and text,
        f"the outcome of {label}",
    )
    match = re.search(r"(/\S+\.pdf)", outcome)
    assert match, outcome
    return match.group(1)


def new_person(app: App, family: str, given: str) -> None:
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["nav-new-person"])))
    wait_for_heading(app, visible_text(IT["new-person-heading"]))
    app.window.find_element(By.ID, "person-family-name").send_keys(family)
    app.window.find_element(By.ID, "person-given-names").send_keys(given)
    app.window.find_element(By.ID, "person-birth-year").send_keys("1994")
    # The look for possible duplicates of what was typed has answered.
    app.wait_until(
        lambda w: w.find_element(By.CSS_SELECTOR, "[data-testid=new-person-form]").get_attribute("aria-busy") == "false",
        "the check for duplicates",
    )
    duplicates = app.window.find_elements(By.CSS_SELECTOR, "[data-testid=duplicates]")
    if duplicates:
        # Ticked from the keyboard: the box may lie below the fold, where WebKitWebDriver
        # will not click.
        tick = app.window.find_element(By.ID, "different-person")
        app.window.execute_script("arguments[0].scrollIntoView({block: 'center'})", tick)
        tick.send_keys(" ")
        app.wait_until(lambda w: tick.is_selected(), "the duplicate set aside")
    click(app, app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]"))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "the new folder")


def test_settings_the_printed_copy_and_what_a_mediator_never_receives(app: App) -> None:
    open_demo(app)
    app.window.set_script_timeout(30)
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["nav-settings"])))
    wait_for_heading(app, visible_text(IT["settings-heading"]))

    # Without the data controller the privacy notice cannot be printed; with it, it can.
    for field, value in [
        ("settings-name", "Comune di Galatina"),
        ("settings-address", "Piazza Alighieri 51, 73013 Galatina"),
        ("settings-email", "protocollo@comune.galatina.example"),
        ("settings-dpo_email", "rpd@comune.galatina.example"),
    ]:
        app.window.find_element(By.ID, field).send_keys(value)
    click(app, app.window.find_elements(By.CSS_SELECTOR, "form button.btn-primary[type=submit]")[0])
    app.wait_until(lambda w: visible_text(IT["settings-saved"]) in visible_text(w.find_element(By.TAG_NAME, "main").text), "saved")
    for field, value in [("operator-login", "fatima"), ("operator-name", "Fatima Mediatrice"), ("operator-passphrase", "una frase per fatima mediatrice")]:
        app.window.find_element(By.ID, field).send_keys(value)
    choose(app, app.window.find_element(By.ID, "operator-role"), "mediator")
    click(app, button(app.window.find_element(By.ID, "operators-heading").find_element(By.XPATH, ".."), IT["settings-add-operator"]))
    app.wait_until(lambda w: "fatima" in w.find_element(By.CSS_SELECTOR, "[data-testid=operators]").text, "fatima added")
    app.screenshot("settings-it")
    violations = {"settings": serious_violations(app, "desk-settings-it")}

    new_person(app, "Rahman", "Nasrin")
    add_row(app, "notes", lambda form: [
        form.find_element(By.TAG_NAME, "textarea").send_keys("Gravidanza al terzo mese"),
        choose(app, form.find_elements(By.TAG_NAME, "select")[0], "health_restricted"),
    ])
    add_row(app, "practices", lambda form: choose(app, form.find_element(By.TAG_NAME, "select"), "consultorio-referral"))
    add_row(app, "needs", lambda form: [
        form.find_element(By.TAG_NAME, "textarea").send_keys("Dialisi tre volte a settimana"),
        choose(app, form.find_elements(By.TAG_NAME, "select")[1], "health_restricted"),
    ])
    add_row(app, "notes", lambda form: form.find_element(By.TAG_NAME, "textarea").send_keys("Cerca lavoro in campagna"))
    folder_id = app.window.current_url.rstrip("/").split("/")[-1]

    notice = pdf_text(printed_path(app, visible_text(IT["folder-privacy-notice"])))
    assert "Comune di Galatina" in notice and "Nasrin Rahman" in notice, notice
    copy = pdf_text(printed_path(app, visible_text(IT["folder-copy"])))
    assert "Nasrin Rahman" in copy and "Gravidanza al terzo mese" in copy and "Cerca lavoro" in copy, copy

    # A second folder of the same person, merged into the first field by field, then undone.
    new_person(app, "Rahman", "Nasreen")
    other_id = app.window.current_url.rstrip("/").split("/")[-1]
    add_row(app, "contacts", lambda form: form.find_element(By.CSS_SELECTOR, "input[type=number]").send_keys("15"))
    app.window.back()
    app.window.back()
    app.wait_until(lambda w: w.current_url.endswith(folder_id) and w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "her first folder")
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["merge-action"])))
    wait_for_heading(app, visible_text(IT["merge-heading"]))
    app.window.find_element(By.ID, "merge-other-search").send_keys("Nasreen")
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, f"#merge-other option[value='{other_id}']"), "the other folder offered")
    choose(app, app.window.find_element(By.ID, "merge-other"), other_id)
    table = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=merge-choices]"), "the choices")[0]
    app.screenshot("merge-it")
    violations["merge"] = serious_violations(app, "desk-merge-it")
    table.find_element(By.CSS_SELECTOR, "label[for=merge-given_names-absorbed]").click()
    click(app, app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]"))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=merged-from]"), "the merged folder")
    assert folder_heading(app) == "Nasreen Rahman", "the given names chosen from the other folder"
    assert len(rows(app, "contacts")) == 1 and len(rows(app, "notes")) == 2, "the rows of both folders"
    click(app, button(app.window.find_element(By.CSS_SELECTOR, "[data-testid=merged-from]"), IT["merge-undo"]))
    app.wait_until(lambda w: not w.find_elements(By.CSS_SELECTOR, "[data-testid=merged-from]"), "the merge undone")
    app.wait_until(lambda w: rows(app, "contacts") == [], "the other folder's rows gone back")

    # The mediator: the health note, the health need and the consultorio's practice are not
    # shown, nor sent.
    app.window.find_element(By.CSS_SELECTOR, ".porta-lock-button").send_keys(Keys.ENTER)
    wait_for_heading(app, visible_text(IT["unlock-heading"]))
    choose(app, app.window.find_element(By.ID, "unlock-login"), "fatima")
    app.window.find_element(By.ID, "unlock-passphrase").send_keys("una frase per fatima mediatrice")
    app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]").send_keys(Keys.ENTER)
    app.wait_until(lambda w: w.find_elements(By.ID, "person-search"), "the mediator's session")
    # Both folders carry the name now, the newest first: her first folder is the second.
    found = search(app, "Rahman Nasreen")
    assert [name for name, _ in found[:2]] == ["Nasreen Rahman", "Nasreen Rahman"], found
    app.window.find_element(By.ID, "person-search").send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    app.wait_until(lambda w: w.current_url.endswith(folder_id) and w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "her folder")
    assert folder_heading(app) == "Nasreen Rahman"
    assert "Cerca lavoro in campagna" in " ".join(rows(app, "notes"))
    page = visible_text(app.window.find_element(By.TAG_NAME, "main").text)
    assert "Gravidanza" not in page and rows(app, "practices") == [] and rows(app, "needs") == [], page
    assert visible_text(IT["folder-health-hidden"]) in page
    answer = app.window.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI_INTERNALS__.invoke('open_folder', {id: arguments[0]})"
        "  .then(v => done(JSON.stringify(v))).catch(e => done('ERROR ' + JSON.stringify(e)));",
        folder_id,
    )
    assert "Cerca lavoro in campagna" in answer, answer[:300]
    assert "Gravidanza" not in answer and "consultorio-referral" not in answer and "Dialisi" not in answer
    assert "Impostazioni" not in visible_text(app.window.find_element(By.TAG_NAME, "header").text), "not an administrator"
    assert violations == {"settings": [], "merge": []}
    assert missing_messages(app) is None


@pytest.mark.screen("1280x720", dpi_scale=1.25)
def test_a_small_laptop_screen_fits_the_window_and_the_search_first(app: App) -> None:
    """1280×720 with text at 125 %: the window fits the screen, and the search box and its
    results are above the fold."""
    open_demo(app, size=None)
    width, height = app.window.execute_script("return [screen.availWidth, screen.availHeight]")

    def fits(_w) -> bool:
        rect = app.window.get_window_rect()
        return rect["x"] >= 0 and rect["y"] >= 0 and rect["x"] + rect["width"] <= width and rect["y"] + rect["height"] <= height

    app.wait_until(fits, f"the window to fit the {width}×{height} screen")
    found = search(app, "Diallo")
    assert found, "people found"
    listbox = app.window.find_element(By.ID, "person-search-results")
    bottom = app.window.execute_script("const r = arguments[0].getBoundingClientRect(); return r.top + 60", listbox)
    assert bottom < app.window.execute_script("return window.innerHeight"), "the first result is above the fold"
    app.screenshot("search-results-1280x720-it")
    app.window.find_element(By.ID, "person-search").send_keys(Keys.ENTER)
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "a folder")
    app.screenshot("folder-1280x720-it")
    assert serious_violations(app, "desk-folder-1280x720-it") == []


# A data folder made by the release before the compact change log (schema 16), and its
# administrator's passphrase (`FirstRun::EXAMPLE_PASSPHRASE`); everyone in it is invented.
EARLIER_RELEASE = ROOT / "tests" / "fixtures" / "store-before-0017" / "data"
EARLIER_PASSPHRASE = "una frase lunga e sicura"


def test_a_data_folder_of_an_earlier_release_opens_with_its_people(app: App, data_dir) -> None:
    """An office updates Porta: the data folder the earlier release made opens with the same
    passphrase, its database brought to this release's form on the way (the unlock form has a
    live region that says so while it opens), and the same people are found."""
    for name in ("porta.db", "porta.keys"):
        shutil.copyfile(EARLIER_RELEASE / name, data_dir / name)
    app.launch()
    wait_for_heading(app, visible_text(IT["unlock-heading"]))
    status = app.window.find_element(By.CSS_SELECTOR, "[data-testid=opening-status]")
    assert status.get_attribute("role") == "status" and status.text == ""
    assert serious_violations(app, "unlock-earlier-release-it") == []
    unlock(app, EARLIER_PASSPHRASE)
    wait_for_heading(app, IT["home-heading"])
    # The name as the conflict between the two devices was settled before the update.
    assert "Aminata Fatou Diallo" in [name for name, _ in search(app, "Diallo")]
    app.screenshot("earlier-release-opened-it")
