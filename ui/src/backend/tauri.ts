import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "../bindings/AppInfo";
import type { Conflict } from "../bindings/Conflict";
import type { ConflictView } from "../bindings/ConflictView";
import type { FirstRunInput } from "../bindings/FirstRunInput";
import type { Locale } from "../bindings/Locale";
import type { Resolution } from "../bindings/Resolution";
import type { SetUpDone } from "../bindings/SetUpDone";
import type { SyncView } from "../bindings/SyncView";
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
  setUp: (input: FirstRunInput) => call<SetUpDone>("set_up", { input }),
  unlock: (login: string, passphrase: string) => call<AppInfo>("unlock", { login, passphrase }),
  resetPassphrase: (login: string, recoveryKey: string, newPassphrase: string) =>
    call<AppInfo>("reset_passphrase", { login, recoveryKey, newPassphrase }),
  activate: (login: string, activationCode: string, newPassphrase: string) =>
    call<AppInfo>("activate", { login, activationCode, newPassphrase }),
  lock: () => call<AppInfo>("lock"),
  keepAlive: () => call<void>("keep_alive"),
  syncStatus: () => call<SyncView>("sync_status"),
  syncNow: () => call<SyncView>("sync_now"),
  enrollDevice: (serverUrl: string, code: string) =>
    call<SyncView>("enroll_device", { serverUrl, code }),
  conflicts: () => call<ConflictView[]>("conflicts"),
  resolveConflict: (conflict: Conflict, resolution: Resolution) =>
    call<ConflictView[]>("resolve_conflict", {
      entity: conflict.entity,
      rowId: conflict.row_id,
      topic: conflict.topic,
      resolution,
    }),
};
