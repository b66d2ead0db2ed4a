import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendError } from "./backend";
import { mockBackend } from "./backend/mock";
import { plain, renderApp } from "./test-utils";

async function heading(): Promise<string> {
  return plain((await screen.findByRole("heading", { level: 1 })).textContent);
}

describe("the app", () => {
  it("opens on the home page in Italian", async () => {
    renderApp(mockBackend());
    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
    expect(document.documentElement.lang).toBe("it");
    expect(screen.getAllByRole("listitem").length).toBeGreaterThanOrEqual(8);
    expect(plain(screen.getByText(/Ambito Territoriale Sociale di Prova/).textContent)).toBe(
      "Ambito Territoriale Sociale di Prova",
    );
  });

  it("opens in the language the operator chose last time", async () => {
    renderApp(mockBackend({ locale: "en" }));
    expect(await heading()).toBe("Welcome to Porta");
    expect(document.documentElement.lang).toBe("en");
  });

  it("switches language through the backend and announces it", async () => {
    const backend = mockBackend();
    renderApp(backend);
    await heading();
    await userEvent.click(screen.getByRole("button", { name: "English" }));
    await waitFor(async () => expect(await heading()).toBe("Welcome to Porta"));
    expect(backend.calls).toContain("setLocale:en");
    expect(screen.getByRole("button", { name: "English" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    expect(plain(screen.getByRole("status", { hidden: true }).textContent)).toBe(
      "Language changed to English.",
    );
  });

  it("keeps the language and shows the backend's message when the switch fails", async () => {
    const backend = mockBackend();
    backend.failNext(
      "setLocale",
      new BackendError({ code: "settings_unwritable", message: "Non riesco a salvare." }),
    );
    renderApp(backend);
    await heading();
    await userEvent.click(screen.getByRole("button", { name: "English" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Non riesco a salvare.");
    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
    expect(document.documentElement.lang).toBe("it");
  });

  it("shows the About page with version, data folder and database status", async () => {
    renderApp(mockBackend({ database: { state: "present", bytes: 2_500_000 } }), "/about");
    expect(await heading()).toBe("Informazioni su Porta");
    expect(screen.getByTestId("version").textContent).toBe("0.1.0");
    expect(screen.getByTestId("data-dir").textContent).toBe("/home/operatore/.local/share/porta");
    expect(plain(screen.getByTestId("database").textContent)).toBe("Presente (2.5 MB)");
  });

  it("warns on the About page when the settings file could not be read", async () => {
    renderApp(
      mockBackend({
        settingsProblem: { code: "settings_unreadable", message: "Il file non è leggibile." },
      }),
      "/about",
    );
    await heading();
    expect(screen.getByText("Il file non è leggibile.")).toBeTruthy();
  });

  it("shows the backend's message and offers a retry when an unexpected error may pass", async () => {
    const backend = mockBackend();
    const appInfo = backend.appInfo;
    let failures = 1;
    backend.appInfo = async () => {
      if (failures-- > 0) {
        throw new BackendError({ code: "internal", message: "Si è verificato un errore." });
      }
      return appInfo();
    };
    renderApp(backend);
    expect(await screen.findByText("Si è verificato un errore.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Riprova" }));
    expect(await heading()).toBe("Benvenuta, benvenuto in Porta");
  });

  it("offers no retry when the person must act first", async () => {
    const backend = mockBackend();
    backend.appInfo = async () => {
      throw new BackendError({ code: "data_dir_unavailable", message: "Imposta PORTA_DATA_DIR." });
    };
    renderApp(backend);
    expect(await screen.findByText("Imposta PORTA_DATA_DIR.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Riprova" })).toBeNull();
  });

  it("navigates with the main navigation and marks the current page", async () => {
    renderApp(mockBackend());
    await heading();
    const about = screen.getByRole("link", { name: "Informazioni" });
    await userEvent.click(about);
    expect(await heading()).toBe("Informazioni su Porta");
    expect(about.getAttribute("aria-current")).toBe("page");
    expect(document.documentElement.dataset.missingMessages).toBeUndefined();
  });
});
