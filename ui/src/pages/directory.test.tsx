import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockBackend } from "../backend/mock";
import { EMPTY_PERSON, toPersonDetails } from "../desk/PersonFields";
import { plain, renderApp } from "../test-utils";

describe("the directory of services", () => {
  it("lets an administrator add a service, filters it, and a referral takes its kind and name", async () => {
    const backend = mockBackend();
    await backend.saveOrganisation(null, { name: "Consultorio di Soleto", kind: "consultorio" });
    const user = userEvent.setup();
    renderApp(backend, "/directory");
    await screen.findByRole("heading", { level: 1, name: "Servizi del territorio" });
    await user.click(await screen.findByRole("button", { name: "Aggiungi un servizio" }));
    // A nameless service is refused in words and nothing is saved.
    await user.click(screen.getByRole("button", { name: "Salva" }));
    expect(await screen.findByText(/«Nome» è obbligatorio/)).toBeTruthy();
    await user.type(screen.getByLabelText(/^Nome/), "CPIA di Galatina");
    await user.selectOptions(screen.getByLabelText(/^Tipo$/), "CPIA (scuola per adulti)");
    await user.type(screen.getByLabelText("Orari di apertura"), "lun–gio 16–19");
    await user.click(screen.getByRole("button", { name: "Salva" }));
    const list = await screen.findByTestId("directory-list");
    const service = await within(list).findByRole("heading", { name: "CPIA di Galatina" });
    expect(service.closest("li")?.textContent).toContain("lun–gio 16–19");
    expect(within(list).getAllByTestId("service")).toHaveLength(2);

    // The filters narrow the list, and live in the address.
    await user.selectOptions(screen.getByLabelText("Tipo di servizio"), "Consultorio familiare");
    await waitFor(() => expect(within(list).getAllByTestId("service")).toHaveLength(1));
    expect(within(list).getByRole("heading", { name: "Consultorio di Soleto" })).toBeTruthy();

    // A referral chooses it from the directory: the kind and the name follow.
    const folder = await backend.createPerson({
      ...toPersonDetails(EMPTY_PERSON, null),
      family_name: "Diallo",
      given_names: "Amina",
    });
    renderApp(backend, `/folder/${folder}`);
    const referrals = await screen.findByRole("region", { name: "Invii ad altri servizi" });
    await user.click(within(referrals).getByRole("button", { name: /Aggiungi/ }));
    await within(referrals).findByRole("option", { name: "CPIA di Galatina" });
    await user.selectOptions(
      within(referrals).getByLabelText("Servizio della rubrica"),
      "CPIA di Galatina",
    );
    expect(
      (within(referrals).getByLabelText("Servizio di destinazione") as HTMLSelectElement).value,
    ).toBe("adult_school");
    expect((within(referrals).getByLabelText("Nome del servizio") as HTMLInputElement).value).toBe(
      "CPIA di Galatina",
    );
  });

  it("keeps the mediators, whom the appointment form then shows with their languages and days", async () => {
    const backend = mockBackend();
    const user = userEvent.setup();
    renderApp(backend, "/directory");
    await user.click(await screen.findByRole("button", { name: "Aggiungi un mediatore" }));
    const form = screen.getByRole("button", { name: "Salva" }).closest("form") as HTMLFormElement;
    // Without a language, refused in words.
    await user.type(within(form).getByLabelText(/^Nome/), "Amina");
    await user.click(within(form).getByRole("button", { name: "Salva" }));
    expect(await screen.findByText(/«Lingue parlate» è obbligatorio/)).toBeTruthy();
    await user.type(within(form).getByLabelText(/^Lingue parlate/), "fr, wo");
    await user.click(within(form).getByLabelText("martedì"));
    await user.click(within(form).getByLabelText("giovedì"));
    await user.type(within(form).getByLabelText("Dalle (hh:mm)"), "09:00");
    await user.type(within(form).getByLabelText("Alle (hh:mm)"), "13:00");
    await user.click(within(form).getByRole("button", { name: "Salva" }));
    const list = await screen.findByTestId("mediator-list");
    await within(list).findByRole("heading", { name: "Amina" });
    expect(backend.calls).toContain("saveMediator");

    const folder = await backend.createPerson({
      ...toPersonDetails(EMPTY_PERSON, null),
      family_name: "Diop",
      given_names: "Moussa",
    });
    renderApp(backend, `/folder/${folder}`);
    const appointments = await screen.findByRole("region", { name: "Appuntamenti" });
    await user.click(within(appointments).getByRole("button", { name: /Aggiungi/ }));
    const roster = await screen.findByTestId("mediators-roster");
    expect(plain(roster.textContent)).toContain("Amina (fr, wo): martedì, giovedì 09:00–13:00");
  });
});
