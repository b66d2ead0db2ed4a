import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "../bindings/AppInfo";
import type { Locale } from "../bindings/Locale";
import { type Backend, BackendError, isErrorPayload } from "./index";

/** Calls a command of the shell; its `{code, message}` failures become `BackendError`s. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (failure) {
    if (isErrorPayload(failure)) {
      throw new BackendError(failure);
    }
    throw new BackendError({ code: "internal", message: String(failure) });
  }
}

export const tauriBackend: Backend = {
  appInfo: () => call<AppInfo>("app_info"),
  setLocale: (locale: Locale) => call<AppInfo>("set_locale", { locale }),
};
