import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { BackendError } from "./index";
import { sampleAppInfo } from "./mock";
import { tauriBackend } from "./tauri";

afterEach(() => clearMocks());

describe("the Tauri backend", () => {
  it("calls the shell's commands with their arguments", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((command, args) => {
      seen.push([command, args]);
      return { ...sampleAppInfo, locale: "en" };
    });
    const info = await tauriBackend.setLocale("en");
    expect(info.locale).toBe("en");
    expect(seen).toEqual([["set_locale", { locale: "en" }]]);
  });

  it("turns a {code, message} failure into a BackendError the UI can branch on", async () => {
    mockIPC(() => {
      throw { code: "unknown_locale", message: "La lingua non è disponibile." };
    });
    const failure = await tauriBackend.setLocale("en").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendError);
    expect((failure as BackendError).code).toBe("unknown_locale");
    expect((failure as BackendError).message).toBe("La lingua non è disponibile.");
  });

  it("reports a failure of another shape as an internal error", async () => {
    mockIPC(() => {
      throw "command app_info not allowed";
    });
    const failure = await tauriBackend.appInfo().catch((error: unknown) => error);
    expect((failure as BackendError).code).toBe("internal");
  });
});
