import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Backend } from "../backend";
import { mockBackend, notEnrolled } from "../backend/mock";
import { formatDay, todayInRome } from "../desk/format";
import { EMPTY_PERSON, toPersonDetails } from "../desk/PersonFields";
import { fromForm, SECTIONS, toForm } from "../desk/sections";
import { plain, renderApp } from "../test-utils";

const NOTES = SECTIONS.find((spec) => spec.entity === "note");

/** A person in the mock store, as the new-person form would create them. */
function createPerson(backend: Backend, family: string, given: string): Promise<string> {
  return backend.createPerson({
    ...toPersonDetails(EMPTY_PERSON, null),
    family_name: family,
    given_names: given,
  });
}
const APPOINTMENTS = SECTIONS.find((spec) => spec.entity === "appointment");

describe("the desk", () => {
  it("creates a person from what the search box held, and warns of a possible duplicate", async () => {
    const backend = mockBackend();
    const user = userEvent.setup();
    renderApp(backend, "/new-person?name=Diallo%20Aminata");
    expect((await screen.findByLabelText("Cognome")).getAttribute("value")).toBe("Diallo");
    expect(screen.getByLabelText("Nome").getAttribute("value")).toBe("Aminata");
    await user.type(screen.getByLabelText(/Anno di nascita/), "1990");
    await user.click(screen.getByRole("button", { name: "Crea la scheda" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Aminata Diallo" })).toBeTruthy();

    // A second Diallo: the first is offered, and creating needs a deliberate tick.
    renderApp(backend, "/new-person?name=Diallo%20Fatou");
    const warnings = await screen.findAllByTestId("duplicates");
    const warning = warnings.at(-1) as HTMLElement;
    expect(within(warning).getByRole("link", { name: "Aminata Diallo" })).toBeTruthy();
    const create = screen.getAllByRole("button", { name: "Crea comunque una nuova scheda" }).at(-1);
    expect((create as HTMLButtonElement).disabled).toBe(true);
    await user.click(within(warning).getByLabelText("Ho controllato: è una persona diversa"));
    expect((create as HTMLButtonElement).disabled).toBe(false);
  });

  it("keeps what was typed when the store refuses a new person, and says why", async () => {
    const backend = mockBackend();
    const user = userEvent.setup();
    renderApp(backend, "/new-person");
    await user.type(await screen.findByLabelText(/Anno di nascita/), "2031");
    await user.click(screen.getByRole("button", { name: "Crea la scheda" }));
    expect(plain((await screen.findByRole("alert")).textContent)).toContain(
      "Il campo «Cognome» è obbligatorio",
    );
    expect(screen.getByLabelText(/Anno di nascita/).getAttribute("value")).toBe("2031");
    await user.type(screen.getByLabelText("Cognome"), "Sow");
    await user.click(screen.getByRole("button", { name: "Crea la scheda" }));
    expect(plain((await screen.findByRole("alert")).textContent)).toContain("data futura");
    expect(backend.calls.filter((call) => call === "createPerson")).toHaveLength(2);
  });

  it("adds, refuses, edits and deletes a note in the folder", async () => {
    const backend = mockBackend();
    const id = await createPerson(backend, "Hoxha", "Arben");
    const user = userEvent.setup();
    renderApp(backend, `/folder/${id}`);
    const notes = await screen.findByRole("region", { name: "Note" });
    await user.click(within(notes).getByRole("button", { name: "Aggiungi" }));
    await user.click(within(notes).getByRole("button", { name: "Salva" }));
    expect(plain(within(notes).getByRole("alert").textContent)).toContain("Testo della nota");
    await user.type(within(notes).getByLabelText("Testo della nota"), "Ha portato il passaporto");
    await user.click(within(notes).getByRole("button", { name: "Salva" }));
    expect(await within(notes).findByText("Ha portato il passaporto")).toBeTruthy();

    await user.click(within(notes).getByRole("button", { name: "Modifica" }));
    const text = within(notes).getByLabelText("Testo della nota");
    await user.clear(text);
    await user.type(text, "Passaporto scaduto");
    await user.keyboard("{Escape}");
    expect(within(notes).getByText("Ha portato il passaporto")).toBeTruthy();

    await user.click(within(notes).getByRole("button", { name: "Elimina" }));
    expect(within(notes).getByText(/Eliminare questa voce/)).toBeTruthy();
    await user.click(within(notes).getByRole("button", { name: "Elimina" }));
    expect(await within(notes).findByText("Nessuna voce.")).toBeTruthy();
    expect(backend.calls.some((call) => call.startsWith("deleteRow:"))).toBe(true);
  });

  it("finds people as one types, opens one with Enter, and offers a new person when nobody matches", async () => {
    const backend = mockBackend();
    await createPerson(backend, "Okafor", "Blessing");
    const user = userEvent.setup();
    renderApp(backend, "/");
    const search = await screen.findByRole("combobox", { name: "Cerca una persona" });
    await user.type(search, "oka");
    expect(await screen.findByRole("option", { name: /Blessing Okafor/ })).toBeTruthy();
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("heading", { level: 1, name: "Blessing Okafor" })).toBeTruthy();

    await user.type(screen.getByRole("combobox", { name: "Cerca una persona" }), "Zzyx");
    expect(await screen.findByText(/Nessuna persona trovata/)).toBeTruthy();
    await user.keyboard("{Enter}");
    expect((await screen.findByLabelText("Cognome")).getAttribute("value")).toBe("Zzyx");
  });

  it("lists on Home what falls due, overdue first, each line opening the folder at its row", async () => {
    const backend = mockBackend();
    const empty = renderApp(backend, "/");
    expect(await screen.findByTestId("due-empty")).toBeTruthy();
    empty.unmount();

    const amina = await createPerson(backend, "Diallo", "Amina");
    const omar = await createPerson(backend, "Haddad", "Omar");
    const day = (offset: number) =>
      new Date(Date.parse(todayInRome()) + offset * 86_400_000).toISOString().slice(0, 10);
    const permit = (expires: string) => ({
      kind: "residence_permit" as const,
      number: null,
      issued_by: null,
      issued_on: null,
      expires_on: expires,
      permit_reason: null,
      renewal_requested_on: null,
      isee_value_cents: null,
      protocol: null,
    });
    await backend.saveRow(omar, "document", null, permit(day(40)));
    const expired = await backend.saveRow(amina, "document", null, permit(day(-10)));
    const user = userEvent.setup();
    renderApp(backend, "/");
    const lines = await screen.findAllByTestId("due-line");
    expect(lines.map((line) => plain(line.textContent))).toEqual([
      `Scaduta Amina Diallo — Rinnovo del permesso di soggiorno: ${formatDay(day(-10))} (scaduta da 10 giorni)`,
      `Più avanti Omar Haddad — Rinnovo del permesso di soggiorno: ${formatDay(day(40))} (tra 40 giorni)`,
    ]);
    const open = within(lines[0] as HTMLElement).getByRole("link", {
      name: (name) => plain(name) === "Apri la cartella di Amina Diallo",
    });
    expect(open.getAttribute("href")).toBe(`/folder/${amina}#row-${expired}`);
    await user.click(open);
    expect(await screen.findByRole("heading", { level: 1, name: "Amina Diallo" })).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.id).toBe(`row-${expired}`));
  });

  it("shows on Home today's appointments and what waits for review, each a link to its place", async () => {
    const backend = mockBackend();
    const amina = await createPerson(backend, "Diallo", "Amina");
    const appointment = await backend.saveRow(amina, "appointment", null, {
      at: `${todayInRome()}T09:30:00`,
      place: "Sportello di Galatina",
      purpose: "Rinnovo del permesso",
      cup: null,
      cancelled: false,
    });
    backend.syncStatus = async () => ({
      ...notEnrolled,
      status: { ...notEnrolled.status, conflicts: 2, rejected: 3, heldForOwner: 1 },
    });
    renderApp(backend, "/");
    const line = await screen.findByTestId("today-line");
    expect(plain(line.textContent)).toBe(
      "09:30 Amina Diallo — Sportello di Galatina, Rinnovo del permesso",
    );
    expect(within(line).getByRole("link").getAttribute("href")).toBe(
      `/folder/${amina}#row-${appointment}`,
    );
    const review = await screen.findByTestId("home-review");
    expect(
      within(review)
        .getAllByRole("link")
        .map((link) => plain(link.textContent)),
    ).toEqual([
      "2 conflitti tra modifiche fatte su dispositivi diversi: scegli cosa tenere.",
      "2 modifiche rifiutate dal server: guarda perché nella pagina Sincronizzazione.",
      "Una modifica conservata dal server per l'ufficio che ora ha la scheda.",
    ]);
  });

  it("says on the folder why a person may or may not get an STP or ENI code, and issues one", async () => {
    const backend = mockBackend();
    const youssef = await backend.createPerson({
      ...toPersonDetails(EMPTY_PERSON, null),
      family_name: "Benali",
      given_names: "Youssef",
      citizenships: ["Z330"],
    });
    const user = userEvent.setup();
    renderApp(backend, `/folder/${youssef}`);
    const stp = await screen.findByTestId("stp-eni-stp");
    expect(plain(within(stp).getByTestId("stp-eni-stp-reason").textContent)).toBe(
      "Può ricevere il codice STP.",
    );
    expect(within(screen.getByTestId("stp-eni-eni")).queryByRole("button")).toBeNull();
    await user.click(
      within(stp).getByRole("button", { name: (name) => plain(name) === "Rilascia il codice STP" }),
    );
    const issued = await screen.findByTestId("stp-eni-issued");
    expect(plain(issued.textContent)).toMatch(
      /^Codice rilasciato: STP1601160000\d{3}, valido fino al \d\d\/\d\d\/\d{4}\.$/,
    );
    expect(backend.calls).toContain("issueStpEniCode:stp");
    expect(
      await within(await screen.findByTestId("stp-eni-stp")).findByRole("button", {
        name: (name) => plain(name) === "Rinnova il codice STP",
      }),
    ).toBeTruthy();
  });

  it("opens a folder named by an STP code for a person who gives no name, and prints the card", async () => {
    const backend = mockBackend();
    const user = userEvent.setup();
    renderApp(backend, "/new-person?name=Youssef");
    await user.click(
      await screen.findByRole("button", { name: "Rilascia un codice STP senza nome" }),
    );
    // The name typed is not kept: the folder is named by its code.
    const heading = await screen.findByRole("heading", { level: 1, name: /^STP1601160000\d{3}$/ });
    expect(heading).toBeTruthy();
    expect(backend.calls).toContain("issueAnonymousStpEniCode:stp");
    const stp = await screen.findByTestId("stp-eni-stp");
    await user.click(within(stp).getByRole("button", { name: "Stampa il tesserino" }));
    expect(backend.calls).toContain("printDocument:stp_eni_card");
  });

  it("leaves archived folders out of search until asked for", async () => {
    const backend = mockBackend();
    const id = await createPerson(backend, "Hoxha", "Drita");
    await backend.setArchived(id, true);
    const user = userEvent.setup();
    renderApp(backend, "/");
    await user.type(await screen.findByRole("combobox", { name: "Cerca una persona" }), "Hoxha");
    const archived = await screen.findByRole("option", { name: "Includi le schede archiviate" });
    expect(screen.queryByRole("option", { name: /Drita Hoxha/ })).toBeNull();
    await user.click(archived);
    expect(await screen.findByRole("option", { name: /Drita Hoxha.*archiviata/ })).toBeTruthy();
  });

  it("turns a form into the section's JSON and back, keeping what the form does not show", () => {
    if (!NOTES || !APPOINTMENTS) throw new Error("sections missing");
    const note = fromForm(NOTES, { text: "x", confidentiality: "normal" }, null);
    const needs = SECTIONS.find((spec) => spec.entity === "need");
    if (!needs) throw new Error("sections missing");
    expect(toForm(needs, null, "2026-11-30").raised_on).toBe("30/11/2026");
    expect(
      fromForm(needs, { ...toForm(needs, null, "2026-11-30"), raised_on: "1/2/2026" }, null)
        .raised_on,
    ).toBe("2026-02-01");
    expect(note).toEqual({ text: "x", confidentiality: "normal" });
    const values = toForm(APPOINTMENTS, null, "2026-11-30");
    expect(toForm(APPOINTMENTS, { at: "2026-12-03T09:30:00" }, "2026-11-30").at).toBe(
      "03/12/2026 09:30",
    );
    values.at = "3/12/2026 9:30";
    values.place = "Galatina";
    const appointment = fromForm(APPOINTMENTS, values, { recorded_by: "someone" });
    expect(appointment.at).toBe("2026-12-03T09:30:00");
    expect(appointment.cup).toBeNull();
    expect(appointment.recorded_by).toBe("someone");
    values["cup.service"] = "Visita";
    expect(fromForm(APPOINTMENTS, values, null).cup).toEqual({
      service: "Visita",
      facility: "",
      booking_code: "",
    });
  });
});

describe("scans on their way", () => {
  it("says a scan has not arrived yet and offers nothing to open until it has", async () => {
    const backend = mockBackend();
    const id = await createPerson(backend, "Diallo", "Awa");
    const attachment = await backend.addAttachment(id, "permesso.png", "iVBORw0KGgo=");
    const open = backend.openFolder;
    backend.openFolder = async (folder) => ({
      ...(await open(folder)),
      scansArriving: [attachment],
    });
    renderApp(backend, `/folder/${id}`);
    const arriving = await screen.findByTestId("scan-arriving");
    expect(plain(arriving.textContent)).toBe(
      "La scansione non è ancora su questo computer: arriva con la sincronizzazione.",
    );
    const row = arriving.closest("li") as HTMLElement;
    expect(within(row).queryByRole("button", { name: "Visualizza" })).toBeNull();
  });
});

describe("the settings", () => {
  it("names the field a refused save needs, saves the controller, and adds an operator", async () => {
    const backend = mockBackend();
    const user = userEvent.setup();
    renderApp(backend, "/settings");
    const ambito = await screen.findByLabelText("Nome dell'Ambito");
    await user.clear(ambito);
    await user.click(screen.getAllByRole("button", { name: "Salva" })[0] as HTMLElement);
    expect(plain((await screen.findByRole("alert")).textContent)).toContain("Nome dell'Ambito");
    await user.type(ambito, "Ambito di Galatina");
    await user.type(screen.getByLabelText("Titolare del trattamento (ente)"), "Comune di Galatina");
    await user.click(screen.getAllByRole("button", { name: "Salva" })[0] as HTMLElement);
    expect(await screen.findByText("Impostazioni salvate.")).toBeTruthy();
    expect(backend.calls).toContain("saveSettings");
    await user.type(
      screen.getByLabelText("Nome utente", { selector: "#operator-login" }),
      "fatima",
    );
    await user.click(screen.getByRole("button", { name: "Aggiungi operatore" }));
    expect(await within(screen.getByTestId("operators")).findByText("fatima")).toBeTruthy();
  });
});
