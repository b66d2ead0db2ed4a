import { describe, expect, it } from "vitest";
import type { MessageId } from "../bindings/MessageId";
import { createBundle, ftlSources, LOCALES } from "./messages";

/** The message ids a bundle defines, read back from its sources. */
function idsOf(source: string): string[] {
  return [...source.matchAll(/^([a-z][a-z0-9-]*) =/gm)].map((match) => match[1] as string);
}

describe("the Fluent messages", () => {
  it("are bundled for every interface language", () => {
    for (const locale of LOCALES) {
      expect(ftlSources(locale).length).toBeGreaterThan(0);
    }
  });

  it("define the same messages in every language", () => {
    const [first, ...others] = LOCALES.map((locale) => ftlSources(locale).flatMap(idsOf).sort());
    for (const ids of others) {
      expect(ids).toEqual(first);
    }
  });

  it("format every message without errors in every language", () => {
    const sample: MessageId = "home-heading";
    for (const locale of LOCALES) {
      const bundle = createBundle(locale);
      for (const id of ftlSources(locale).flatMap(idsOf)) {
        const message = bundle.getMessage(id);
        expect(message?.value, `${locale}: ${id}`).toBeTruthy();
        const errors: Error[] = [];
        // Every variable the message uses, read from its source line, gets a value.
        const line = ftlSources(locale)
          .flatMap((source) => source.split("\n"))
          .find((text) => text.startsWith(`${id} =`));
        const variables = Object.fromEntries(
          [...(line ?? "").matchAll(/\$([a-z]+)/g)].map((match) => [match[1] as string, "x"]),
        );
        bundle.formatPattern(message?.value ?? "", variables, errors);
        expect(errors, `${locale}: ${id}`).toEqual([]);
      }
      expect(bundle.hasMessage(sample)).toBe(true);
    }
  });
});
