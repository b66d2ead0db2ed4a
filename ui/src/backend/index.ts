// The one way the UI talks to the desktop shell. Components depend on the `Backend`
// interface; the app provides the Tauri implementation, component tests a mock.
import { createContext, useContext } from "react";
import type { AppInfo } from "../bindings/AppInfo";
import type { Conflict } from "../bindings/Conflict";
import type { ConflictView } from "../bindings/ConflictView";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { FirstRunInput } from "../bindings/FirstRunInput";
import type { Locale } from "../bindings/Locale";
import type { Resolution } from "../bindings/Resolution";
import type { SetUpDone } from "../bindings/SetUpDone";
import type { SyncView } from "../bindings/SyncView";

export interface Backend {
  appInfo(): Promise<AppInfo>;
  setLocale(locale: Locale): Promise<AppInfo>;
  /** First run: creates the encrypted store; the recovery key comes back once. */
  setUp(input: FirstRunInput): Promise<SetUpDone>;
  unlock(login: string, passphrase: string): Promise<AppInfo>;
  resetPassphrase(login: string, recoveryKey: string, newPassphrase: string): Promise<AppInfo>;
  activate(login: string, activationCode: string, newPassphrase: string): Promise<AppInfo>;
  lock(): Promise<AppInfo>;
  /** The operator is active: postpones the automatic lock. */
  keepAlive(): Promise<void>;
  /** The enrollment with the Ambito's server, and how background sync is going. */
  syncStatus(): Promise<SyncView>;
  /** Starts a sync round now. */
  syncNow(): Promise<SyncView>;
  /** Enrolls this device with the server, with the administrator's one-time code. */
  enrollDevice(serverUrl: string, code: string): Promise<SyncView>;
  /** The conflicts to review, with the person whose folder each is in. */
  conflicts(): Promise<ConflictView[]>;
  /** Settles one conflict; answers the conflicts still to review. */
  resolveConflict(conflict: Conflict, resolution: Resolution): Promise<ConflictView[]>;
}

/** A failure reported by the shell: `code` to branch on, `message` to show as it is. */
export class BackendError extends Error implements ErrorPayload {
  readonly code: ErrorPayload["code"];

  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = "BackendError";
    this.code = payload.code;
  }
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

export const BackendContext = createContext<Backend | null>(null);

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (backend === null) {
    throw new Error("useBackend outside <BackendContext.Provider>");
  }
  return backend;
}
