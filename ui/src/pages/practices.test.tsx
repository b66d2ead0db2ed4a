import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Backend } from "../backend";
import { mockBackend } from "../backend/mock";
import { COLLEAGUE_ME } from "../backend/mockDesk";
import { addDays, formatDay, mondayOf, todayInRome } from "../desk/format";
import { EMPTY_PERSON, toPersonDetails } from "../desk/PersonFields";
import { plain, renderApp } from "../test-utils";

function createPerson(backend: Backend, family: string, given: string): Promise<string> {
  return backend.createPerson({
    ...toPersonDetails(EMPTY_PERSON, null),
    family_name: family,
    given_names: given,
  });
}

describe("practices", () => {
  it("starts a practice from a template and ticks its steps one by one", async () => {
    const backend = mockBackend();
    const id = await createPerson(backend, "Diallo", "Amina");
    const user = userEvent.setup();
    renderApp(backend, `/folder/${id}`);
    const practices = await screen.findByRole("region", { name: "Pratiche" });
    await within(practices).findByRole("option", { name: "Permesso di soggiorno: rinnovo" });
    await user.selectOptions(
      within(practices).getByLabelText("Procedura"),
      "Permesso di soggiorno: rinnovo",
    );
    await user.click(within(practices).getByRole("button", { name: "Avvia la pratica" }));
    expect(backend.calls).toContain("startPractice:permit-renewal");
    const checklist = await within(practices).findByRole("group", { name: /Passaggi fatti/ });
    expect(plain(within(checklist).getByText(/Passaggi fatti/).textContent)).toBe(
      "Passaggi fatti: 0 su 3",
    );
    await user.click(within(checklist).getByLabelText("Verificare la scadenza del permesso"));
    await waitFor(() =>
      expect(plain(within(practices).getByText(/Passaggi fatti/).textContent)).toBe(
        "Passaggi fatti: 1 su 3",
      ),
    );
    expect(backend.calls).toContain("saveRow:practice");
    // What it prints for the person is at hand.
    await user.click(
      within(practices).getByRole("button", { name: "Stampa i documenti da portare" }),
    );
    expect(backend.calls).toContain("printDocument:documents_to_bring");
  });

  it("lists my open practices first and everyone's on request", async () => {
    const backend = mockBackend();
    const amina = await createPerson(backend, "Diallo", "Amina");
    const omar = await createPerson(backend, "Haddad", "Omar");
    await backend.startPractice(amina, "permit-renewal");
    const practice = await backend.startPractice(omar, "stp");
    const folder = await backend.openFolder(omar);
    const details = folder.folder.practices.find((row) => row.id === practice)?.details;
    await backend.saveRow(omar, "practice", practice, { ...details, in_charge: null });
    const user = userEvent.setup();
    renderApp(backend, "/practices");
    const list = await screen.findByTestId("practices-list");
    await waitFor(() => expect(within(list).getAllByTestId("practice-line")).toHaveLength(1));
    expect(within(list).getByRole("link", { name: /Amina Diallo/ })).toBeTruthy();
    await user.selectOptions(
      screen.getByLabelText("Operatore responsabile"),
      "Tutti gli operatori",
    );
    await waitFor(() => expect(within(list).getAllByTestId("practice-line")).toHaveLength(2));
  });
});

describe("the agenda", () => {
  it("shows the week, moves an appointment to another day and cancels it", async () => {
    const backend = mockBackend();
    const amina = await createPerson(backend, "Diallo", "Amina");
    const monday = mondayOf(todayInRome());
    await backend.saveRow(amina, "appointment", null, {
      at: `${monday}T09:30:00`,
      place: "Sportello di Galatina",
      purpose: "Rinnovo",
      cup: null,
      cancelled: false,
      duration_minutes: 30,
      operator: COLLEAGUE_ME,
      mediator: "Fatima",
      language: "fr",
    });
    const user = userEvent.setup();
    renderApp(backend, `/agenda?view=week&day=${monday}`);
    const line = await screen.findByTestId("agenda-line");
    expect(plain(line.textContent)).toContain("09:30");
    expect(plain(screen.getByTestId("agenda-mediators").textContent)).toContain("Fatima (fr)");
    await user.click(within(line).getByRole("button", { name: "Sposta" }));
    const when = within(line).getByLabelText("Nuova data e ora");
    await user.clear(when);
    await user.type(when, `${formatDay(addDays(monday, 2))} 11:00`);
    await user.click(within(line).getByRole("button", { name: "Salva il nuovo orario" }));
    await waitFor(() => expect(plain(screen.getByTestId("agenda-time").textContent)).toBe("11:00"));
    const days = screen.getAllByTestId("agenda-day");
    expect(within(days[2] as HTMLElement).getByTestId("agenda-line")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Annulla l'appuntamento" }));
    expect(await screen.findByText("annullato")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Ripristina l'appuntamento" })).toBeTruthy();
  });
});
