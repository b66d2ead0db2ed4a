import type { FluentBundle } from "@fluent/bundle";
import { LocalizationProvider, ReactLocalization, useLocalization } from "@fluent/react";
import { type ReactNode, useCallback, useEffect, useMemo } from "react";
import type { Locale } from "../bindings/Locale";
import type { MessageId } from "../bindings/MessageId";
import { createBundle } from "./messages";

const bundles = new Map<Locale, FluentBundle>();
function bundleFor(locale: Locale): FluentBundle {
  let bundle = bundles.get(locale);
  if (bundle === undefined) {
    bundle = createBundle(locale);
    bundles.set(locale, bundle);
  }
  return bundle;
}

/** Ids asked for but not defined, kept on <html data-missing-messages> where tests look. */
const missing = new Set<string>();
function reportError(error: Error): void {
  const id = /id "([^"]+)"/.exec(error.message)?.[1];
  if (id !== undefined) {
    missing.add(id);
    document.documentElement.dataset.missingMessages = [...missing].join(" ");
  }
  console.error(error.message);
}

/** Provides the messages of `locale` to everything below and sets the page language. */
export function Localization({ locale, children }: { locale: Locale; children: ReactNode }) {
  const l10n = useMemo(
    () => new ReactLocalization([bundleFor(locale)], null, reportError),
    [locale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return <LocalizationProvider l10n={l10n}>{children}</LocalizationProvider>;
}

export type MessageArgs = Record<string, string | number>;

/** `t(id, args)`: the message `id` in the current language. Ids are checked by tsc. */
export function useT(): (id: MessageId, args?: MessageArgs) => string {
  const { l10n } = useLocalization();
  return useCallback((id, args) => l10n.getString(id, args), [l10n]);
}

/** Whether the current language has a message `id` (for ids built from stored names). */
export function useHasMessage(): (id: string) => boolean {
  const { l10n } = useLocalization();
  return useCallback((id) => l10n.getBundle(id) !== null, [l10n]);
}
