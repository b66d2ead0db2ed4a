import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockBackend } from "../backend/mock";
import { EMPTY_PERSON, toPersonDetails } from "../desk/PersonFields";
import { renderApp } from "../test-utils";

describe("nothing typed is ever lost", () => {
  it("asks before leaving or locking with a note not yet saved, and staying keeps it", async () => {
    const backend = mockBackend();
    const id = await backend.createPerson({
      ...toPersonDetails(EMPTY_PERSON, null),
      family_name: "Hoxha",
      given_names: "Arben",
    });
    const user = userEvent.setup();
    renderApp(backend, `/folder/${id}`);
    const menu = () => within(screen.getByRole("navigation", { name: "Navigazione principale" }));
    const notes = await screen.findByRole("region", { name: "Note" });
    // An open form with nothing typed lets the operator go.
    await user.click(within(notes).getByRole("button", { name: "Aggiungi" }));
    await user.type(within(notes).getByLabelText("Testo della nota"), "Torna giovedì");

    await user.click(menu().getByRole("link", { name: "Pratiche" }));
    const guard = await screen.findByRole("alertdialog");
    expect(guard.textContent).toContain("modifiche non salvate");
    expect(document.activeElement?.textContent).toBe("Resta qui");
    await user.click(within(guard).getByRole("button", { name: "Resta qui" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect((within(notes).getByLabelText("Testo della nota") as HTMLTextAreaElement).value).toBe(
      "Torna giovedì",
    );

    // Locking asks too; staying keeps the form.
    await user.click(screen.getByRole("button", { name: "Blocca" }));
    expect(await screen.findByTestId("lock-guard")).toBeTruthy();
    await user.click(
      within(screen.getByTestId("lock-guard")).getByRole("button", { name: "Resta qui" }),
    );
    expect(backend.calls).not.toContain("lock");

    // Leaving anyway goes.
    await user.click(menu().getByRole("link", { name: "Pratiche" }));
    await user.click(await screen.findByRole("button", { name: "Esci senza salvare" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Pratiche aperte" })).toBeTruthy();
    // Nothing unsaved any more: Lock locks at once.
    await user.click(screen.getByRole("button", { name: "Blocca" }));
    expect(backend.calls).toContain("lock");
  });
});
