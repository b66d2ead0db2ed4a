"""Home and the quick contact in the real window: what falls due across the folders, overdue
first, each line opening the folder at its row; a renewed permit takes the old permit's
deadline off the list; a contact recorded from a folder and one with nobody named.
Screenshots and axe in both languages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By

from conftest import App, visible_text
from test_desk import add_row, click, new_person, rows
from test_window import EN, IT, complete_first_run, serious_violations, switch_language, wait_for_heading


def today_in_rome() -> date:
    return datetime.now(ZoneInfo("Europe/Rome")).date()


def typed(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def due_lines(app: App) -> list[str]:
    return [
        " ".join(visible_text(line.get_attribute("textContent")).split())
        for line in app.window.find_elements(By.CSS_SELECTOR, "[data-testid=due-line]")
    ]


def go_home(app: App, text: dict[str, str] = IT) -> None:
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(text["nav-home"])))
    wait_for_heading(app, visible_text(text["home-heading"]))


def add_permit(app: App, number: str, issued: date, expires: date) -> None:
    def fill(form) -> None:
        field = lambda label: form.find_element(By.XPATH, f".//label[normalize-space()='{label}']/following-sibling::input")
        field("Numero").send_keys(number)
        field("Data di rilascio").send_keys(typed(issued))
        field("Data di scadenza").send_keys(typed(expires))

    add_row(app, "documents", fill)


def test_home_lists_what_falls_due_and_a_renewed_permit_clears_the_old_one(app: App) -> None:
    app.launch()
    complete_first_run(app)
    app.window.set_window_size(1366, 768)
    app.window.set_script_timeout(30)
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=due-empty]"), "an empty due list")

    today = today_in_rome()
    new_person(app, "Kone", "Ibrahim")
    add_permit(app, "OLD0001", today - timedelta(days=740), today - timedelta(days=10))
    new_person(app, "Haddad", "Omar")
    add_permit(app, "NEXT001", today - timedelta(days=700), today + timedelta(days=20))
    add_row(app, "appointments", lambda form: [
        form.find_element(By.XPATH, ".//label[normalize-space()='Data e ora']/following-sibling::input").send_keys(f"{typed(today)} 10:15"),
        form.find_element(By.XPATH, ".//label[normalize-space()='Luogo']/following-sibling::input").send_keys("Sportello di Galatina"),
    ])

    go_home(app)
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=today-line]"), "today's appointment")
    today_lines = [" ".join(visible_text(line.get_attribute("textContent")).split()) for line in app.window.find_elements(By.CSS_SELECTOR, "[data-testid=today-line]")]
    assert today_lines == ["10:15 Omar Haddad — Sportello di Galatina"], today_lines
    app.wait_until(lambda w: len(due_lines(app)) == 2, "two lines due")
    renewal = visible_text(IT["deadline-kind-permit_renewal"])
    assert due_lines(app) == [
        f"Scaduta Ibrahim Kone — {renewal}: {typed(today - timedelta(days=10))} (scaduta da 10 giorni)",
        f"Entro 30 giorni Omar Haddad — {renewal}: {typed(today + timedelta(days=20))} (tra 20 giorni)",
    ], due_lines(app)
    app.screenshot("home-it")
    assert serious_violations(app, "home-it") == []

    # The line opens Ibrahim's folder at the permit it comes from.
    first = app.window.find_element(By.CSS_SELECTOR, "[data-testid=due-line] a")
    click(app, first)
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "Ibrahim's folder")
    focused = app.window.switch_to.active_element
    assert focused.get_attribute("id").startswith("row-"), focused.get_attribute("id")
    assert "OLD0001" in visible_text(focused.text)

    # The renewal is recorded: the old permit's deadline leaves Home (the new one is two
    # years away, and with no residence recorded no declaration is asked for).
    add_permit(app, "NEW0001", today - timedelta(days=3), today + timedelta(days=727))
    assert len(rows(app, "documents")) == 2
    go_home(app)
    app.wait_until(lambda w: len(due_lines(app)) == 1, "only Omar's line left")
    assert due_lines(app)[0].startswith("Entro 30 giorni Omar Haddad"), due_lines(app)

    switch_language(app, "en")
    app.wait_until(lambda w: due_lines(app) and due_lines(app)[0].startswith("Within 30 days"), "the list in English")
    assert due_lines(app) == [
        f"Within 30 days Omar Haddad — {visible_text(EN['deadline-kind-permit_renewal'])}: "
        f"{typed(today + timedelta(days=20))} (in 20 days)"
    ], due_lines(app)
    app.screenshot("home-en")
    assert serious_violations(app, "home-en") == []


def test_a_quick_contact_for_a_known_person_and_an_anonymous_one_in_a_few_keystrokes(app: App) -> None:
    app.launch()
    complete_first_run(app)
    app.window.set_window_size(1366, 768)
    app.window.set_script_timeout(30)
    new_person(app, "Sow", "Fatou")

    # From the folder: the person is already chosen; the keyboard does the rest.
    click(app, app.window.find_element(By.CSS_SELECTOR, "[data-testid=folder-quick-contact]"))
    wait_for_heading(app, visible_text(IT["quick-contact-heading"]))
    assert "Fatou Sow" in visible_text(app.window.find_element(By.CSS_SELECTOR, "[data-testid=quick-contact-with]").text)
    day = app.window.find_element(By.ID, "quick-on").get_attribute("value")
    assert day == typed(today_in_rome()), day
    # What this login used last is offered (the window keeps it across launches): typed anew.
    language = app.window.find_element(By.ID, "quick-language")
    language.clear()
    language.send_keys("fr")
    app.window.find_element(By.ID, "quick-service-health_access").send_keys(" ")
    app.window.find_element(By.ID, "quick-note").send_keys("Torna giovedì con il passaporto")
    app.screenshot("quick-contact-it")
    assert serious_violations(app, "quick-contact-it") == []
    # Leaving with the note typed and not recorded asks first; staying keeps it.
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["nav-home"])))
    guard = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=leave-guard]"), "the question")[0]
    assert visible_text(IT["unsaved-leave-question"]) in visible_text(guard.text)
    app.screenshot("leave-guard-it")
    assert serious_violations(app, "leave-guard-it") == []
    # The focus is on "stay": Enter stays.
    assert visible_text(app.window.switch_to.active_element.text) == visible_text(IT["unsaved-stay"])
    app.window.switch_to.active_element.send_keys("\ue007")
    app.wait_until(lambda w: not w.find_elements(By.CSS_SELECTOR, "[data-testid=leave-guard]"), "the question gone")
    assert app.window.find_element(By.ID, "quick-note").get_attribute("value") == "Torna giovedì con il passaporto"
    click(app, app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]"))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=quick-contact-saved]"), "the contact recorded")
    saved = app.window.find_element(By.CSS_SELECTOR, "[data-testid=quick-contact-saved]")
    assert "Contatto con Fatou Sow registrato." in visible_text(saved.get_attribute("textContent"))
    # The language typed stays for the next encounter; the note does not.
    assert app.window.find_element(By.ID, "quick-language").get_attribute("value") == "fr"
    assert app.window.find_element(By.ID, "quick-note").get_attribute("value") == ""

    # People who gave no name.
    app.window.find_element(By.ID, "quick-anonymous").send_keys(" ")
    people = app.window.find_element(By.ID, "quick-people")
    people.clear()
    people.send_keys("6")
    app.window.find_element(By.ID, "quick-note").send_keys("Distribuzione di informazioni sul codice STP")
    click(app, app.window.find_element(By.CSS_SELECTOR, "form button.btn-primary[type=submit]"))
    app.wait_until(
        lambda w: "6 persone" in visible_text(w.find_element(By.CSS_SELECTOR, "[data-testid=quick-contact-saved]").get_attribute("textContent")),
        "the anonymous contact recorded",
    )

    # The folder holds the contact and its note.
    app.window.find_element(By.ID, "person-search").send_keys("Sow")
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "#person-search-results [role=option]"), "Fatou found")
    app.window.find_element(By.ID, "person-search").send_keys("\ue007")
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "Fatou's folder")
    assert len(rows(app, "contacts")) == 1
    assert any("Torna giovedì con il passaporto" in row for row in rows(app, "notes"))

    switch_language(app, "en")
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(EN["nav-quick-contact"])))
    wait_for_heading(app, visible_text(EN["quick-contact-heading"]))
    app.screenshot("quick-contact-en")
    assert serious_violations(app, "quick-contact-en") == []
