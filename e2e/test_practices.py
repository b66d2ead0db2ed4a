"""Practices and the agenda in the real window: a maternity-cheque practice started from its
template, its steps ticked, its deadline on Home and in the operator's open practices; an
appointment booked with a CUP code, moved in the agenda, and its reminder printed in French; a
referral to a service of the Ambito's directory, whose letter prints where to find it.
Screenshots and axe in both languages."""

from __future__ import annotations

import re
from datetime import timedelta

from selenium.webdriver.common.by import By

from conftest import App, visible_text
from test_desk import add_row, button, choose, click, new_person, pdf_text, rows, section, set_value
from test_home import due_lines, go_home, today_in_rome, typed
from test_window import EN, IT, complete_first_run, serious_violations, switch_language, wait_for_heading


def text_of(element) -> str:
    return " ".join(visible_text(element.get_attribute("textContent")).split())


def field(form, label: str):
    return form.find_element(By.XPATH, f".//label[normalize-space()='{label}']/following-sibling::input")


def checklist(app: App) -> str:
    return text_of(section(app, "practices").find_element(By.TAG_NAME, "legend"))


def fresh_app(app: App) -> None:
    """A new device, past its first run, in a laptop-sized window."""
    app.launch()
    complete_first_run(app)
    app.window.set_window_size(1366, 768)
    app.window.set_script_timeout(30)


def test_a_maternity_cheque_practice_from_its_template_with_steps_ticked_and_its_deadline_on_home(app: App) -> None:
    fresh_app(app)
    today = today_in_rome()
    new_person(app, "Sow", "Fatou")

    practices = section(app, "practices")
    start = practices.find_element(By.CSS_SELECTOR, "[data-testid=start-practice] select")
    app.wait_until(lambda w: len(start.find_elements(By.TAG_NAME, "option")) > 1, "the templates")
    choose(app, start, "maternity-cheque")
    click(app, button(practices, IT["practice-start"]))
    app.wait_until(lambda w: len(rows(app, "practices")) == 1, "the practice started")
    assert visible_text(IT["procedure-maternity-cheque"]) in rows(app, "practices")[0], rows(app, "practices")
    assert checklist(app) == "Passaggi fatti: 0 su 3", checklist(app)

    # Each step is ticked from the keyboard and saved at once.
    for step, done in [("check-isee-threshold", 1), ("collect-documents", 2)]:
        box = section(app, "practices").find_element(By.CSS_SELECTOR, f"[data-testid=step-{step}]")
        app.window.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.send_keys(" ")
        app.wait_until(lambda w: checklist(app) == f"Passaggi fatti: {done} su 3", f"{done} steps done")

    # With no birth recorded the template's rule cannot say when: the operator sets it.
    due = today + timedelta(days=20)
    click(app, button(section(app, "practices"), IT["section-edit"]))
    form = section(app, "practices").find_element(By.TAG_NAME, "form")
    set_value(app, field(form, visible_text(IT["field-deadline"])), typed(due))
    click(app, button(form, IT["section-save"]))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=practice-deadline]"), "the deadline shown")
    assert checklist(app) == "Passaggi fatti: 2 su 3", "the ticks survive an edit of the practice"
    app.screenshot("practice-it")
    assert serious_violations(app, "practice-it") == []

    # Home lists it; "my open practices" holds it.
    go_home(app)
    app.wait_until(lambda w: due_lines(app), "the practice's deadline on Home")
    assert due_lines(app) == [
        f"Entro 30 giorni Fatou Sow — {visible_text(IT['deadline-kind-practice_deadline'])}: {typed(due)} (tra 20 giorni)"
    ], due_lines(app)
    click(app, app.window.find_element(By.CSS_SELECTOR, "[data-testid=home-my-practices]"))
    wait_for_heading(app, visible_text(IT["practices-heading"]))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=practice-line]"), "my open practice")
    lines = [text_of(line) for line in app.window.find_elements(By.CSS_SELECTOR, "[data-testid=practice-line]")]
    assert lines == [
        f"Entro 30 giorni Fatou Sow — {visible_text(IT['procedure-maternity-cheque'])} · Aperta · {typed(due)} · Passaggi fatti: 2 su 3"
    ], lines
    app.screenshot("practices-it")
    assert serious_violations(app, "practices-it") == []

    # The line opens the folder at the practice.
    click(app, app.window.find_element(By.CSS_SELECTOR, "[data-testid=practice-line] a"))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=folder-header]"), "Fatou's folder")
    assert app.window.switch_to.active_element.get_attribute("id").startswith("row-")

    switch_language(app, "en")
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(EN["nav-practices"])))
    wait_for_heading(app, visible_text(EN["practices-heading"]))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=practice-line]"), "the list in English")
    app.screenshot("practices-en")
    assert serious_violations(app, "practices-en") == []


def agenda_lines(app: App) -> list[str]:
    return [text_of(line) for line in app.window.find_elements(By.CSS_SELECTOR, "[data-testid=agenda-line]")]


def test_an_appointment_booked_with_a_cup_code_is_moved_in_the_agenda_and_its_reminder_printed_in_french(app: App) -> None:
    fresh_app(app)
    today = today_in_rome()
    # The administrator records Amina, who mediates in French and Wolof on Tuesdays and Thursdays.
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["nav-directory"])))
    wait_for_heading(app, visible_text(IT["directory-heading"]))
    click(app, button(app.window.find_element(By.TAG_NAME, "main"), visible_text(IT["directory-add-mediator"])))
    form = app.window.find_element(By.CSS_SELECTOR, "main form.porta-desk-form")
    set_value(app, field(form, visible_text(IT["field-name"])), "Amina")
    set_value(app, field(form, visible_text(IT["field-languages"])), "fr, wo")
    for day in ("tuesday", "thursday"):
        tick = form.find_element(By.XPATH, f".//label[normalize-space()='{IT['value-weekday-' + day]}']/preceding-sibling::input")
        app.window.execute_script("arguments[0].scrollIntoView({block: 'center'})", tick)
        tick.send_keys(" ")
    set_value(app, field(form, visible_text(IT["field-from-time"])), "09:00")
    set_value(app, field(form, visible_text(IT["field-until-time"])), "13:00")
    click(app, button(form, IT["section-save"]))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=mediator]"), "Amina listed")

    new_person(app, "Diop", "Moussa")
    # Moussa reads French.
    click(app, button(section(app, "person"), IT["section-edit"]))
    set_value(app, app.window.find_element(By.ID, "person-preferred-language"), "fr")
    click(app, button(section(app, "person"), IT["section-save"]))
    app.wait_until(lambda w: "fr" in visible_text(section(app, "person").text), "the language saved")

    add_row(app, "appointments", lambda form: [
        set_value(app, field(form, visible_text(IT["field-at"])), f"{typed(today)} 10:00"),
        set_value(app, field(form, visible_text(IT["field-duration-minutes"])), "20"),
        set_value(app, field(form, visible_text(IT["field-place"])), "Ospedale di Galatina"),
        set_value(app, field(form, visible_text(IT["field-cup-service"])), "Visita cardiologica"),
        set_value(app, field(form, visible_text(IT["field-cup-facility"])), "Presidio di Galatina"),
        set_value(app, field(form, visible_text(IT["field-booking-code"])), "CUP-2026-004512"),
        set_value(app, field(form, visible_text(IT["field-mediator"])), "Amina"),
        set_value(app, field(form, visible_text(IT["field-language"])), "fr"),
    ])

    # Booking another: who mediates in which language and when, and the mediators already
    # booked in the next two weeks, are in view.
    click(app, button(section(app, "appointments"), IT["section-add"]))
    busy = app.wait_until(
        lambda w: section(app, "appointments").find_elements(By.CSS_SELECTOR, "[data-testid=agenda-mediators]"),
        "the mediators already booked",
    )
    assert "Amina (fr)" in text_of(busy[0]), text_of(busy[0])
    roster = text_of(section(app, "appointments").find_element(By.CSS_SELECTOR, "[data-testid=mediators-roster]"))
    assert "Amina (fr, wo): martedì, giovedì 09:00–13:00" in roster, roster
    click(app, button(section(app, "appointments"), IT["section-cancel"]))

    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["nav-agenda"])))
    wait_for_heading(app, visible_text(IT["agenda-heading"]))
    app.wait_until(lambda w: agenda_lines(app), "today's appointment")
    line = agenda_lines(app)[0]
    assert line.startswith("10:00 (20 min) Moussa Diop — Ospedale di Galatina (CUP CUP-2026-004512)"), line
    assert "Amina (fr)" in text_of(app.window.find_element(By.CSS_SELECTOR, "[data-testid=agenda-mediators]"))
    app.screenshot("agenda-it")
    assert serious_violations(app, "agenda-it") == []

    # Moved to tomorrow at 11:30: today's agenda is empty, tomorrow's holds it.
    tomorrow = today + timedelta(days=1)
    entry = app.window.find_element(By.CSS_SELECTOR, "[data-testid=agenda-line]")
    click(app, button(entry, IT["agenda-move"]))
    when = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=agenda-line] form input"), "the new time")[0]
    assert app.window.switch_to.active_element == when, "the new time has the focus"
    set_value(app, when, f"{typed(tomorrow)} 11:30")
    click(app, button(entry, IT["agenda-move-save"]))
    app.wait_until(lambda w: not agenda_lines(app), "today emptied")
    click(app, button(app.window.find_element(By.TAG_NAME, "main"), IT["agenda-next"]))
    app.wait_until(lambda w: agenda_lines(app) and agenda_lines(app)[0].startswith("11:30"), "tomorrow's appointment")

    # The reminder, in the person's language.
    entry = app.window.find_element(By.CSS_SELECTOR, "[data-testid=agenda-line]")
    click(app, button(entry, IT["appointment-print-slip"]))
    outcome = app.wait_until(
        lambda w: text_of(w.find_element(By.CSS_SELECTOR, "[data-testid^=print-outcome-agenda-]")), "the slip printed"
    )
    path = re.search(r"(/\S+\.pdf)", outcome)
    assert path, outcome
    slip = pdf_text(path.group(1))
    assert "Rappel de rendez-vous" in slip, slip
    assert typed(tomorrow) in slip and "11:30" in slip, slip
    assert "Médiateur ou médiatrice" in slip and "Amina Français" in slip and "20 minutes" in slip, slip

    # Cancelled, then restored.
    click(app, button(entry, IT["agenda-cancel"]))
    app.wait_until(lambda w: "annullato" in agenda_lines(app)[0], "cancelled")
    click(app, button(app.window.find_element(By.CSS_SELECTOR, "[data-testid=agenda-line]"), IT["agenda-restore"]))
    app.wait_until(lambda w: "annullato" not in agenda_lines(app)[0], "restored")

    # The week, in English.
    app.window.find_element(By.ID, "agenda-view-week").send_keys(" ")
    app.wait_until(lambda w: len(w.find_elements(By.CSS_SELECTOR, "[data-testid=agenda-day]")) == 7, "seven days")
    switch_language(app, "en")
    wait_for_heading(app, visible_text(EN["agenda-heading"]))
    app.wait_until(lambda w: agenda_lines(app), "the week in English")
    app.screenshot("agenda-en")
    assert serious_violations(app, "agenda-en") == []


def test_a_referral_to_a_consultorio_prints_its_letter_and_records_the_feedback(app: App) -> None:
    fresh_app(app)
    # The administrator puts the consultorio in the Ambito's directory of services.
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(IT["nav-directory"])))
    wait_for_heading(app, visible_text(IT["directory-heading"]))
    click(app, button(app.window.find_element(By.TAG_NAME, "main"), visible_text(IT["directory-add"])))
    form = app.window.find_element(By.CSS_SELECTOR, "main form.porta-desk-form")
    select = lambda form, label: form.find_element(By.XPATH, f".//label[normalize-space()='{label}']/following-sibling::select")
    set_value(app, field(form, visible_text(IT["field-name"])), "Consultorio familiare di Galatina")
    choose(app, select(form, visible_text(IT["field-kind"])), "consultorio")
    set_value(app, field(form, visible_text(IT["field-municipality"])), "Galatina")
    set_value(app, field(form, visible_text(IT["field-address"])), "Via dell'Esempio 7")
    set_value(app, field(form, visible_text(IT["field-opening-hours"])), "lun-ven 8:30-12:30")
    click(app, button(form, IT["section-save"]))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=service]"), "the service listed")
    listed = text_of(app.window.find_element(By.CSS_SELECTOR, "[data-testid=service]"))
    assert "Consultorio familiare di Galatina" in listed and "Via dell'Esempio 7, Galatina" in listed, listed
    app.screenshot("directory-it")
    assert serious_violations(app, "directory-it") == []

    new_person(app, "Rahman", "Nasrin")
    # No preferred language recorded: the letter is in Italian, which the service reads too.
    # The service comes from the directory: its kind and name follow it into the referral.
    add_row(app, "referrals", lambda form: [
        app.wait_until(lambda w: len(select(form, visible_text(IT["field-organisation"])).find_elements(By.TAG_NAME, "option")) > 1, "the directory"),
        choose(app, select(form, visible_text(IT["field-organisation"]))),
        set_value(app, field(form, visible_text(IT["field-reason"])), "Prima visita in gravidanza"),
    ])
    referral = section(app, "referrals").find_element(By.CSS_SELECTOR, ".folder-row")
    assert "Consultorio familiare di Galatina" in visible_text(referral.text)

    # The letter the person brings, kept in the folder too.
    click(app, button(referral, visible_text(IT["referral-print-letter"])))
    outcome = app.wait_until(
        lambda w: text_of(w.find_element(By.CSS_SELECTOR, "[data-testid^=print-outcome-row-]")), "the letter printed"
    )
    path = re.search(r"(/\S+\.pdf)", outcome)
    assert path and "lettera-accompagnamento-it-" in path.group(1), outcome
    letter = pdf_text(path.group(1))
    for expected in [
        "Lettera di accompagnamento", "Nasrin Rahman", "Consultorio familiare", "Consultorio familiare di Galatina",
        "Prima visita in gravidanza", "Via dell'Esempio 7, Galatina", "lun-ven 8:30-12:30",
    ]:
        assert expected in letter, (expected, letter)
    app.wait_until(lambda w: any("lettera-accompagnamento-it-" in row for row in rows(app, "attachments")), "the copy kept")

    # The consultorio answers: the referral is concluded, with its feedback.
    click(app, button(section(app, "referrals"), IT["section-edit"]))
    form = section(app, "referrals").find_element(By.TAG_NAME, "form")
    choose(app, select(form, visible_text(IT["field-status"])), "completed")
    form.find_element(By.TAG_NAME, "textarea").send_keys("Presa in carico dall'ostetrica il 3 dicembre")
    click(app, button(form, IT["section-save"]))
    app.wait_until(
        lambda w: "Presa in carico dall'ostetrica" in " ".join(rows(app, "referrals")), "the feedback recorded"
    )
    row = rows(app, "referrals")[0]
    assert visible_text(IT["value-referral_status-completed"]) in row, row
    app.screenshot("referral-it")
    assert serious_violations(app, "referral-it") == []

    # The directory in English, with its edit form open: the same service, the same care.
    switch_language(app, "en")
    click(app, app.window.find_element(By.LINK_TEXT, visible_text(EN["nav-directory"])))
    wait_for_heading(app, visible_text(EN["directory-heading"]))
    service = app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "[data-testid=service]"), "the service")[0]
    click(app, button(service, visible_text(EN["section-edit"])))
    app.wait_until(lambda w: service.find_elements(By.TAG_NAME, "form"), "the service's form")
    app.screenshot("directory-en")
    assert serious_violations(app, "directory-en") == []


def test_the_day_a_person_may_apply_for_citizenship_is_on_home(app: App) -> None:
    fresh_app(app)
    new_person(app, "Khan", "Imran")
    # Legally resident for ten years in ten days' time (non-EU: ten years).
    today = today_in_rome()
    eligible = today + timedelta(days=10)
    if (eligible.month, eligible.day) == (2, 29):
        eligible -= timedelta(days=1)  # ten years before a 29 February may not exist
    since = eligible.replace(year=eligible.year - 10)
    click(app, button(section(app, "person"), IT["section-edit"]))
    set_value(app, app.window.find_element(By.ID, "person-legal-residence-since"), typed(since))
    click(app, button(section(app, "person"), IT["section-save"]))
    app.wait_until(lambda w: w.find_elements(By.CSS_SELECTOR, "#fact-legal_residence_since"), "the date saved")
    go_home(app)
    app.wait_until(lambda w: due_lines(app), "the reminder on Home")
    assert due_lines(app) == [
        f"Entro 30 giorni Imran Khan — {visible_text(IT['deadline-kind-citizenship_eligible'])}: {typed(eligible)} (tra {(eligible - today).days} giorni)"
    ], due_lines(app)
