import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockBackend } from "../backend/mock";
import { EMPTY_PERSON, toPersonDetails } from "../desk/PersonFields";
import { plain, renderApp } from "../test-utils";

describe("the quick contact", () => {
  it("records a contact from a folder with its note, and is ready for the next one", async () => {
    const backend = mockBackend();
    const id = await backend.createPerson({
      ...toPersonDetails(EMPTY_PERSON, null),
      family_name: "Diallo",
      given_names: "Amina",
    });
    const user = userEvent.setup();
    renderApp(backend, `/folder/${id}`);
    await user.click(await screen.findByTestId("folder-quick-contact"));
    expect(plain((await screen.findByTestId("quick-contact-with")).textContent)).toContain(
      "Con Amina Diallo",
    );
    // Today, the desk's first office: prefilled.
    expect((screen.getByLabelText("Luogo") as HTMLInputElement).value).toBe(
      "Sportello di Galatina",
    );
    await user.click(screen.getByLabelText("Accesso alla sanità"));
    await user.type(screen.getByLabelText("Nota breve"), "Torna giovedì");
    await user.click(screen.getByRole("button", { name: "Registra il contatto" }));
    const saved = await screen.findByTestId("quick-contact-saved");
    expect(plain(saved.textContent)).toContain("Contatto con Amina Diallo registrato.");
    expect(backend.calls).toContain(`recordQuickContact:${id}`);
    // Ready for the next: no person, no services, no note; the place stays.
    expect(screen.queryByTestId("quick-contact-with")).toBeNull();
    expect((screen.getByLabelText("Accesso alla sanità") as HTMLInputElement).checked).toBe(false);
    expect((screen.getByLabelText("Nota breve") as HTMLTextAreaElement).value).toBe("");
    expect((screen.getByLabelText("Luogo") as HTMLInputElement).value).toBe(
      "Sportello di Galatina",
    );

    await user.click(within(saved).getByRole("link"));
    const folder = await screen.findByTestId("rows-contacts");
    expect(folder.querySelectorAll(".folder-row")).toHaveLength(1);
    expect(plain((await screen.findByTestId("rows-notes")).textContent)).toContain("Torna giovedì");
  });

  it("records people who gave no name, and asks for a person otherwise", async () => {
    const backend = mockBackend();
    const user = userEvent.setup();
    renderApp(backend, "/contact");
    await user.click(await screen.findByRole("button", { name: "Registra il contatto" }));
    expect(plain((await screen.findByRole("alert")).textContent)).toContain(
      "Scegli la persona incontrata",
    );
    expect(backend.calls.filter((call) => call.startsWith("recordQuickContact"))).toEqual([]);

    await user.click(screen.getByLabelText("Persone senza nome (contatto anonimo)"));
    const people = screen.getByLabelText("Persone incontrate");
    await user.clear(people);
    await user.type(people, "0");
    await user.click(screen.getByRole("button", { name: "Registra il contatto" }));
    expect(plain((await screen.findByRole("alert")).textContent)).toContain("Persone incontrate");
    expect((screen.getByLabelText("Persone incontrate") as HTMLInputElement).value).toBe("0");

    await user.clear(people);
    await user.type(people, "6");
    await user.click(screen.getByRole("button", { name: "Registra il contatto" }));
    expect(plain((await screen.findByTestId("quick-contact-saved")).textContent)).toContain(
      "Contatto anonimo registrato: 6 persone.",
    );
  });
});
