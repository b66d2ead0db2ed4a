import { invoke } from "@tauri-apps/api/core";
import { commandsOver } from "../bindings/commands";
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

export const tauriBackend: Backend = commandsOver(call);
