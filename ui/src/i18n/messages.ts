// The Fluent messages of assets/locales/, bundled into the app at build time: the same
// files the Rust side reads, so the UI and the documents never disagree.
import { FluentBundle, FluentResource } from "@fluent/bundle";
import type { Locale } from "../bindings/Locale";

const sources = import.meta.glob<string>("../../../assets/locales/*/*.ftl", {
  query: "?raw",
  import: "default",
  eager: true,
});

/** The `.ftl` sources of one locale, in file-name order. */
export function ftlSources(locale: Locale): string[] {
  return Object.entries(sources)
    .filter(([path]) => path.includes(`/locales/${locale}/`))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, source]) => source);
}

/** A bundle with every message of `locale`; throws if a file does not parse. */
export function createBundle(locale: Locale): FluentBundle {
  const bundle = new FluentBundle(locale);
  for (const source of ftlSources(locale)) {
    const errors = bundle.addResource(new FluentResource(source));
    if (errors.length > 0) {
      throw new Error(`assets/locales/${locale}: ${errors.map(String).join("; ")}`);
    }
  }
  return bundle;
}

/** The name of every interface language, written in that language. */
export const LANGUAGE_NAMES: Record<Locale, string> = { it: "Italiano", en: "English" };
export const LOCALES: readonly Locale[] = ["it", "en"];
