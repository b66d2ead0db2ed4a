import { createContext, useContext } from "react";
import type { Locale } from "../bindings/Locale";

export interface LocaleState {
  locale: Locale;
  /** Switches the interface language; the shell remembers it. */
  setLocale(locale: Locale): void;
  /** Why the last switch failed, in words for the operator, if it did. */
  switchError: string | null;
}

export const LocaleContext = createContext<LocaleState | null>(null);

export function useLocale(): LocaleState {
  const state = useContext(LocaleContext);
  if (state === null) {
    throw new Error("useLocale outside <LocaleContext.Provider>");
  }
  return state;
}
