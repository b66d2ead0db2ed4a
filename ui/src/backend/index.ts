// The one way the UI talks to the desktop shell. Components depend on the `Backend`
// interface; the app provides the Tauri implementation, component tests a mock.
import { createContext, useContext } from "react";
import type { Commands } from "../bindings/commands";
import type { ErrorPayload } from "../bindings/ErrorPayload";

/**
 * Everything the UI may ask of the shell: the generated `Commands`, one method per command of
 * `src-tauri/src/commands.rs`, so names, arguments and answers cannot drift from the Rust side.
 */
export type Backend = Commands;

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
