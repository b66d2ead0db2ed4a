import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { MOCK_ENROLLMENT_CODE, mockBackend, notEnrolled } from "../backend/mock";
import type { PullProgress } from "../bindings/PullProgress";
import { formatInstant } from "../desk/format";
import { plain, renderApp } from "../test-utils";

describe("the sync screen", () => {
  it("enrolls with the administrator's code and then shows the status", async () => {
    const backend = mockBackend();
    renderApp(backend, "/sync");
    expect(plain((await screen.findByRole("heading", { level: 1 })).textContent)).toBe(
      "Sincronizzazione con il server dell'Ambito",
    );
    expect(plain((await screen.findByTestId("sync-state")).textContent)).toBe("Non attivato");
    expect(screen.getByTestId("sync-waiting").textContent).toBe("3");

    await userEvent.type(
      screen.getByLabelText("Indirizzo del server"),
      "https://porta.ambito.example",
    );
    await userEvent.type(screen.getByLabelText("Codice di attivazione"), "AAAA-BBBB-CCCC");
    await userEvent.click(screen.getByRole("button", { name: "Attiva" }));
    expect((await screen.findByText(/non è valido/)).textContent).toContain("già stato usato");

    const code = screen.getByLabelText("Codice di attivazione");
    await userEvent.clear(code);
    await userEvent.type(code, MOCK_ENROLLMENT_CODE);
    await userEvent.click(screen.getByRole("button", { name: "Attiva" }));
    expect((await screen.findByTestId("sync-server")).textContent).toBe(
      "https://porta.ambito.example",
    );
    expect(plain(screen.getByTestId("sync-state").textContent)).toBe("Aggiornato");
    expect(screen.getByTestId("sync-last-success").textContent).toBe("26/11/2026, 10:05");
    expect(screen.getByTestId("sync-conflicts").textContent).toBe("1");
    expect(plain(screen.getByTestId("sync-clock-off").textContent)).toContain(
      "è avanti di 12 minuti rispetto al server",
    );
    expect(screen.getByTestId("sync-certificate").textContent).toBe(
      "AB:01:".repeat(16).slice(0, -1),
    );
    // The enrollment form is gone; only joining again (behind its own heading) remains.
    expect(document.getElementById("sync-code")).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Sincronizza ora" }));
    expect(backend.calls).toContain("syncNow");
    expect(backend.calls).toContain("enrollDevice:https://porta.ambito.example");
  });

  it("writes times on the wall clock in Rome, summer time included", () => {
    expect(formatInstant(Date.UTC(2026, 6, 1, 22, 30), "it")).toBe("02/07/2026, 00:30");
    expect(formatInstant(Date.UTC(2026, 0, 31, 23, 0), "en")).toBe("01/02/2026, 00:00");
  });

  it("tells the operator, on the first screen, that the administrator had the data erased", async () => {
    const backend = mockBackend({
      session: { state: "not_set_up" },
      database: { state: "not_created" },
    });
    const wiped = "L'amministratore ha ordinato di cancellare i dati di questo dispositivo.";
    backend.syncStatus = async () => ({
      ...notEnrolled,
      status: {
        ...notEnrolled.status,
        state: "stopped",
        lastError: { code: "wipe_ordered", message: wiped },
      },
    });
    renderApp(backend);
    expect((await screen.findByText(wiped)).closest("[data-code]")?.getAttribute("data-code")).toBe(
      "wipe_ordered",
    );
  });

  it("says that edits of folders that moved to another office are kept, not lost", async () => {
    const backend = mockBackend();
    backend.syncStatus = async () => ({
      ...notEnrolled,
      status: { ...notEnrolled.status, state: "up_to_date", rejected: 3, heldForOwner: 2 },
    });
    renderApp(backend, "/sync");
    const held = plain((await screen.findByTestId("sync-held")).textContent);
    expect(held).toContain("passate a un altro ufficio prima che arrivassero: 2.");
    expect(held).toContain("l'amministratore le consegna");
  });

  it("says how many scans are still on their way, each way", async () => {
    const backend = mockBackend();
    backend.syncStatus = async () => ({
      ...notEnrolled,
      status: { ...notEnrolled.status, state: "offline", scansToSend: 4, scansToReceive: 1 },
    });
    renderApp(backend, "/sync");
    const scans = plain((await screen.findByTestId("sync-scans")).textContent);
    expect(scans).toBe("da inviare al server: 4; in arrivo su questo computer: 1");
    // No long pull under way: no bar.
    expect(screen.queryByTestId("sync-pulling")).toBeNull();
  });

  /** The Sync page while a long pull runs, as far as `pulling` says. */
  function renderPulling(pulling: PullProgress) {
    const backend = mockBackend();
    backend.syncStatus = async () => ({
      ...notEnrolled,
      status: { ...notEnrolled.status, state: "syncing", pulling },
    });
    renderApp(backend, "/sync");
  }

  it("shows a long pull with a bar and the time still needed", async () => {
    renderPulling({ percent: 37, remainingSeconds: 250 });
    const bar = await screen.findByLabelText(/Dati in arrivo dal server/);
    expect(plain(screen.getByText(/Dati in arrivo dal server/).textContent)).toBe(
      "Dati in arrivo dal server: 37%",
    );
    expect(bar.getAttribute("value")).toBe("37");
    expect(bar.getAttribute("max")).toBe("100");
    expect(plain(screen.getByTestId("sync-pulling-remaining").textContent)).toBe(
      "Mancano circa 5 minuti. Porta si può usare intanto.",
    );
  });

  it("says which version of Porta is ready for the next start, with the Ambito's notes", async () => {
    const backend = mockBackend();
    backend.syncStatus = async () => ({
      ...notEnrolled,
      status: {
        ...notEnrolled.status,
        state: "up_to_date",
        update: {
          kind: "ready",
          version: "0.1.1",
          notes: "Stampe più veloci.\nNuovo modulo ISEE.",
        },
      },
    });
    renderApp(backend, "/sync");
    const ready = await screen.findByTestId("sync-update-ready");
    expect(plain(ready.querySelector("h3")?.textContent ?? "")).toBe(
      "È pronta la versione 0.1.1 di Porta",
    );
    expect(plain(ready.textContent ?? "")).toContain("Verrà installata al prossimo avvio di Porta");
    expect(screen.getByTestId("sync-update-notes").textContent).toBe(
      "Stampe più veloci.\nNuovo modulo ISEE.",
    );
  });

  it("shows a refused update as the error it is, and no ready update", async () => {
    const backend = mockBackend();
    const message =
      "Il server ha offerto un aggiornamento di Porta che non porta la firma di chi pubblica Porta.";
    backend.syncStatus = async () => ({
      ...notEnrolled,
      status: {
        ...notEnrolled.status,
        state: "up_to_date",
        update: { kind: "refused", error: { code: "update_refused", message } },
      },
    });
    renderApp(backend, "/sync");
    const refused = await screen.findByTestId("sync-update-refused");
    expect(refused.textContent).toBe(message);
    expect(refused.getAttribute("data-code")).toBe("update_refused");
    expect(screen.queryByTestId("sync-update-ready")).toBeNull();
  });

  it("says it is still working out the time at the start of a long pull", async () => {
    renderPulling({ percent: 0, remainingSeconds: null });
    expect(plain((await screen.findByTestId("sync-pulling-remaining")).textContent)).toBe(
      "Calcolo del tempo che manca…",
    );
  });

  it("lets an administrator join the device again, explicitly, and shows it was done", async () => {
    const backend = mockBackend();
    renderApp(backend, "/sync");
    await userEvent.type(
      await screen.findByLabelText("Indirizzo del server"),
      "https://porta.ambito.example",
    );
    await userEvent.type(screen.getByLabelText("Codice di attivazione"), MOCK_ENROLLMENT_CODE);
    await userEvent.click(screen.getByRole("button", { name: "Attiva" }));
    const again = await screen.findByTestId("sync-reenroll");
    await userEvent.click(screen.getByText("Collega di nuovo", { selector: "summary" }));
    const address = screen.getByLabelText("Indirizzo del server");
    expect((address as HTMLInputElement).value).toBe("https://porta.ambito.example");
    await userEvent.clear(address);
    await userEvent.type(address, "https://porta2.ambito.example");
    await userEvent.type(screen.getByLabelText("Codice di attivazione"), MOCK_ENROLLMENT_CODE);
    const join = screen.getByRole("button", { name: "Collega di nuovo" });
    expect(join).toHaveProperty("disabled", true);
    await userEvent.click(screen.getByLabelText(/Confermo di voler collegare di nuovo/));
    await userEvent.click(join);
    expect(plain((await screen.findByTestId("sync-reenrollments")).textContent)).toBe(
      "Collegato di nuovo il 26/11/2026, 10:30: da https://porta.ambito.example a https://porta2.ambito.example",
    );
    expect((screen.getByLabelText("Codice di attivazione") as HTMLInputElement).value).toBe("");
    expect(again).toBeTruthy();
    expect(backend.calls).toContain("reenrollDevice:https://porta2.ambito.example");
  });
});
