// An in-memory Backend for component tests: the same interface, no shell.
import type { AppInfo } from "../bindings/AppInfo";
import type { Locale } from "../bindings/Locale";
import type { Backend, BackendError } from "./index";

export const sampleAppInfo: AppInfo = {
  version: "0.1.0",
  ambitoName: "Ambito Territoriale Sociale di Prova",
  locale: "it",
  dataDir: "/home/operatore/.local/share/porta",
  database: { state: "not_created" },
  settingsProblem: null,
};

export interface MockBackend extends Backend {
  /** Makes the next `setLocale` fail with this payload. */
  failNextSetLocale(error: BackendError): void;
  readonly calls: string[];
}

export function mockBackend(initial: Partial<AppInfo> = {}): MockBackend {
  let info: AppInfo = { ...sampleAppInfo, ...initial };
  let nextFailure: BackendError | null = null;
  const calls: string[] = [];
  return {
    calls,
    failNextSetLocale(error) {
      nextFailure = error;
    },
    async appInfo() {
      calls.push("appInfo");
      return info;
    },
    async setLocale(locale: Locale) {
      calls.push(`setLocale:${locale}`);
      if (nextFailure) {
        const failure = nextFailure;
        nextFailure = null;
        throw failure;
      }
      info = { ...info, locale };
      return info;
    },
  };
}
