import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { MOCK_ACTIVATION_CODE, MOCK_RECOVERY_KEY, mockBackend } from "../backend/mock";
import { plain, renderApp } from "../test-utils";

async function heading(): Promise<string> {
  return plain((await screen.findByRole("heading", { level: 1 })).textContent);
}

async function fill(label: string, value: string) {
  await userEvent.type(screen.getByLabelText(label), value);
}

describe("first run", () => {
  it("asks for the computer and the administrator, then shows the recovery key once", async () => {
    const backend = mockBackend({
      session: { state: "not_set_up" },
      database: { state: "not_created" },
    });
    renderApp(backend);
    expect(await heading()).toBe("Prima configurazione di questo computer");
    await fill("Nome del computer", "Portatile 1");
    await fill("Ufficio", "Galatina");
    await fill("Nome e cognome", "Anna Esempio");
    await fill("Nome utente", "anna");
    await fill("Frase segreta", "una frase lunga e rara");
    await fill("Ripeti la frase segreta", "una frase lunga e rara");
    await userEvent.click(screen.getByRole("button", { name: "Crea l'archivio cifrato" }));

    expect(await heading()).toBe("Chiave di recupero");
    expect(screen.getByTestId("recovery-key").textContent).toBe(MOCK_RECOVERY_KEY);
    const proceed = screen.getByRole("button", { name: "Continua" }) as HTMLButtonElement;
    expect(proceed.disabled).toBe(true);
    await userEvent.click(screen.getByLabelText("Ho stampato o ricopiato la chiave di recupero"));
    await userEvent.click(proceed);

    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
    expect(plain(screen.getByTestId("session-operator").textContent)).toBe("anna (amministratore)");
    expect(backend.calls).toContain("setUp:anna");
  });

  it("catches two different passphrases before sending anything", async () => {
    const backend = mockBackend({ session: { state: "not_set_up" } });
    renderApp(backend);
    await heading();
    await fill("Frase segreta", "una frase lunga e rara");
    await fill("Ripeti la frase segreta", "un'altra frase lunga");
    await userEvent.click(screen.getByRole("button", { name: "Crea l'archivio cifrato" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Le due frasi segrete non sono uguali. Riscrivile.",
    );
    expect(backend.calls.some((call) => call.startsWith("setUp"))).toBe(false);
  });
});

describe("a locked store", () => {
  it("refuses a wrong passphrase with the shell's message and opens with the right one", async () => {
    const backend = mockBackend({
      session: { state: "locked", logins: ["admin"], activations: [] },
    });
    renderApp(backend);
    expect(await heading()).toBe("Sblocca Porta");
    await fill("Frase segreta", "non è questa");
    await userEvent.click(screen.getByRole("button", { name: "Sblocca" }));
    expect(await screen.findByText(/Frase segreta sbagliata/)).toBeTruthy();
    expect((screen.getByLabelText("Frase segreta") as HTMLInputElement).value).toBe("");

    await fill("Frase segreta", "una frase lunga e rara");
    await userEvent.click(screen.getByRole("button", { name: "Sblocca" }));
    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
  });

  it("says that the store is opening while it does, which after an update takes long", async () => {
    const backend = mockBackend({
      session: { state: "locked", logins: ["admin"], activations: [] },
    });
    let open = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    const unlock = backend.unlock;
    backend.unlock = async (login, passphrase) => {
      await opened;
      return unlock(login, passphrase);
    };
    renderApp(backend);
    expect(await heading()).toBe("Sblocca Porta");
    const status = screen.getByTestId("opening-status");
    expect(status.getAttribute("role")).toBe("status");
    expect(plain(status.textContent)).toBe("");
    await fill("Frase segreta", "una frase lunga e rara");
    await userEvent.click(screen.getByRole("button", { name: "Sblocca" }));
    await waitFor(() =>
      expect(plain(status.textContent)).toContain(
        "Apertura dell'archivio… Dopo un aggiornamento di Porta la prima apertura può durare qualche minuto: non chiudere la finestra.",
      ),
    );
    expect((screen.getByRole("button", { name: "Sblocca" }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    open();
    await waitFor(async () => expect(await heading()).toBe("Benvenuta, benvenuto in Porta"));
  });

  it("sets a new passphrase with the recovery key", async () => {
    const backend = mockBackend({
      session: { state: "locked", logins: ["admin"], activations: [] },
    });
    renderApp(backend);
    await heading();
    await userEvent.click(screen.getByRole("button", { name: "Ho dimenticato la frase segreta" }));
    expect(await heading()).toBe("Nuova frase segreta con la chiave di recupero");
    await fill("Chiave di recupero", MOCK_RECOVERY_KEY.toLowerCase());
    await fill("Nuova frase segreta", "la mia frase nuova");
    await fill("Ripeti la frase segreta", "la mia frase nuova");
    await userEvent.click(
      screen.getByRole("button", { name: "Sblocca e cambia la frase segreta" }),
    );
    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
    expect(backend.calls).toContain("resetPassphrase:admin");
  });

  it("gives an Ambito operator a first access with the activation code", async () => {
    const backend = mockBackend({
      session: { state: "locked", logins: ["admin"], activations: ["m.rossi"] },
    });
    renderApp(backend);
    expect(await heading()).toBe("Sblocca Porta");
    await userEvent.click(
      screen.getByRole("button", { name: "Primo accesso con il codice di attivazione" }),
    );
    expect(await heading()).toBe("Primo accesso su questo dispositivo");
    expect((screen.getByLabelText("Nome utente") as HTMLSelectElement).value).toBe("m.rossi");
    await fill("Codice di attivazione", "AAAA-BBBB-CCCC");
    await fill("Nuova frase segreta", "la frase di Maria Rossi");
    await fill("Ripeti la frase segreta", "la frase di Maria Rossi");
    await userEvent.click(screen.getByRole("button", { name: "Attiva e sblocca" }));
    expect(await screen.findByText(/Codice di attivazione sbagliato/)).toBeTruthy();
    await userEvent.clear(screen.getByLabelText("Codice di attivazione"));
    await fill("Codice di attivazione", MOCK_ACTIVATION_CODE.toLowerCase());
    await userEvent.click(screen.getByRole("button", { name: "Attiva e sblocca" }));
    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
    expect(backend.calls.filter((call) => call === "activate:m.rossi")).toHaveLength(2);
  });

  it("locks from the header and shows the unlock screen", async () => {
    renderApp(mockBackend());
    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
    await userEvent.click(screen.getByRole("button", { name: "Blocca" }));
    await waitFor(async () => expect(await heading()).toBe("Sblocca Porta"));
    expect(screen.queryByTestId("session-operator")).toBeNull();
  });
});

describe("a health role without the health key here", () => {
  it("is told that health content stays closed and what to ask for", async () => {
    const backend = mockBackend({
      session: {
        state: "unlocked",
        operator: { login: "s.verdi", displayName: "Sara Verdi", role: "health_liaison" },
        healthKeyMissing: true,
      },
    });
    renderApp(backend);
    const notice = await screen.findByText(/I contenuti sanitari su questo computer sono cifrati/);
    expect(notice.getAttribute("role")).toBe("status");
    expect(notice.textContent).toContain("nuovo codice di attivazione");
  });

  it("says nothing when the key is here", async () => {
    renderApp(mockBackend());
    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
    expect(screen.queryByText(/I contenuti sanitari su questo computer sono cifrati/)).toBeNull();
  });
});
