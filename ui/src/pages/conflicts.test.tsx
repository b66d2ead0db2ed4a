import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendError } from "../backend";
import { mockBackend } from "../backend/mock";
import { renderApp } from "../test-utils";

describe("the conflicts page", () => {
  it("shows each version with when it was written, and keeping one settles the conflict", async () => {
    const backend = mockBackend();
    renderApp(backend, "/conflicts");
    const card = await screen.findByRole("region", { name: /Aminata Diallo\W+Nome/ });
    expect(within(card).getByText("Aminata Fatou")).toBeTruthy();
    expect(within(card).getByText("Aminatà")).toBeTruthy();
    expect(within(card).getByText(/scritto il \W*26\/11\/2026, 10:00/)).toBeTruthy();
    expect(
      within(card).getByRole("link", { name: "Apri la scheda a questo dato" }).getAttribute("href"),
    ).toBe("/folder/01a2192a-0000-7000-8000-000000000001#fact-given_names");
    const keep = within(card).getAllByRole("button", { name: "Tieni questo" });
    const second = keep[1];
    if (second === undefined) throw new Error("two versions, two buttons");
    await userEvent.click(second);
    expect(await screen.findByText("Un conflitto risolto.")).toBeTruthy();
    expect(screen.getByTestId("conflicts-none").textContent).toBe(
      "Non ci sono conflitti da rivedere.",
    );
    expect(backend.calls).toContain(
      "resolveConflict:given_names:1795683660000-00000000-01a2192a000070008000000000000003",
    );
  });

  it("says why it cannot list conflicts while the store is locked", async () => {
    const backend = mockBackend();
    backend.failNext(
      "conflicts",
      new BackendError({
        code: "store_locked",
        message: "Porta è bloccato. Sbloccalo con la tua frase segreta, poi riprova.",
      }),
    );
    renderApp(backend, "/conflicts");
    expect(await screen.findByText(/Porta è bloccato/)).toBeTruthy();
  });
});
