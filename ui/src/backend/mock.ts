// An in-memory Backend for component tests: the same interface, no shell.
import type { AppInfo } from "../bindings/AppInfo";
import type { ConflictView } from "../bindings/ConflictView";
import type { Entity } from "../bindings/Entity";
import type { FirstRunInput } from "../bindings/FirstRunInput";
import type { Locale } from "../bindings/Locale";
import type { Resolution } from "../bindings/Resolution";
import type { SyncView } from "../bindings/SyncView";
import { type Backend, BackendError } from "./index";
import { mockDesk } from "./mockDesk";

export const sampleAppInfo: AppInfo = {
  version: "0.1.0",
  ambitoName: "Ambito Territoriale Sociale di Prova",
  locale: "it",
  dataDir: "/home/operatore/.local/share/porta",
  database: { state: "present", bytes: 4096 },
  settingsProblem: null,
  session: {
    state: "unlocked",
    operator: { login: "admin", displayName: "Anna Esempio", role: "administrator" },
    healthKeyMissing: false,
  },
  lockAfterMinutes: 10,
  demo: null,
};

export const MOCK_RECOVERY_KEY = "7K3QD-M9XWT-0BZ4H-RPJ2V-6CN8F";
/** The activation code every operator awaiting a first access has in the mock. */
export const MOCK_ACTIVATION_CODE = "4TQX-9MKD-2HWP";

/** The one enrollment code the mock server accepts. */
export const MOCK_ENROLLMENT_CODE = "ZJW9-B11N-V7ZG-4RTA";

/** A device not yet enrolled. */
export const notEnrolled: SyncView = {
  enrollment: null,
  reenrollments: [],
  status: {
    state: "not_enrolled",
    waiting: 3,
    lastSuccessMs: null,
    lastError: null,
    rejected: 0,
    heldForOwner: 0,
    conflicts: 0,
    scansToSend: 1,
    scansToReceive: 2,
    clockOffsetMs: null,
    pulling: null,
    update: null,
  },
};

/** Two offline edits of one person's given names, as the store lists them. */
export const sampleConflict: ConflictView = {
  person: "Aminata Diallo",
  entity: "person",
  rowId: "01a2192a-0000-7000-8000-000000000001",
  folderId: "01a2192a-0000-7000-8000-000000000001",
  inDirectory: false,
  field: "given_names",
  deletion: false,
  topic: "given_names",
  versions: [
    {
      field: "given_names",
      value: "Aminata Fatou",
      writtenMs: 1795683600000,
      version: "1795683600000-00000000-01a2192a000070008000000000000002",
      operatorId: "01a2192a-0000-7000-8000-00000000000a",
    },
    {
      field: "given_names",
      value: "Aminatà",
      writtenMs: 1795683660000,
      version: "1795683660000-00000000-01a2192a000070008000000000000003",
      operatorId: "01a2192a-0000-7000-8000-00000000000b",
    },
  ],
};

export interface MockBackend extends Backend {
  /** Makes the next call of `method` fail with this error. */
  failNext(method: keyof Backend, error: BackendError): void;
  readonly calls: string[];
}

/** A mock whose operators' passphrase is `passphrase` (per login, set at first run). */
export function mockBackend(initial: Partial<AppInfo> = {}): MockBackend {
  let info: AppInfo = { ...sampleAppInfo, ...initial };
  let sync: SyncView = notEnrolled;
  let conflicts: ConflictView[] = [sampleConflict];
  const passphrases = new Map<string, string>([["admin", "una frase lunga e rara"]]);
  const failures = new Map<keyof Backend, BackendError>();
  const calls: string[] = [];
  const record = (call: string, method: keyof Backend) => {
    calls.push(call);
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      throw failure;
    }
  };
  const unlocked = (login: string): AppInfo => ({
    ...info,
    database: { state: "present", bytes: 4096 },
    session: {
      state: "unlocked",
      operator: {
        login,
        displayName: login === "admin" ? "Anna Esempio" : login,
        role: "administrator",
      },
      healthKeyMissing: false,
    },
  });
  return {
    ...mockDesk(record),
    async tryDemo() {
      record("tryDemo", "tryDemo");
      passphrases.set("demo", "porta demo galatina");
      info = {
        ...info,
        session: { state: "locked", logins: ["demo"], activations: [] },
        demo: { login: "demo", passphrase: "porta demo galatina", filling: null, failure: null },
      };
      return info;
    },
    calls,
    failNext(method, error) {
      failures.set(method, error);
    },
    async appInfo() {
      record("appInfo", "appInfo");
      return info;
    },
    async setLocale(locale: Locale) {
      record(`setLocale:${locale}`, "setLocale");
      info = { ...info, locale };
      return info;
    },
    async setUp(input: FirstRunInput) {
      record(`setUp:${input.adminLogin}`, "setUp");
      passphrases.set(input.adminLogin, input.passphrase);
      info = unlocked(input.adminLogin);
      return { recoveryKey: MOCK_RECOVERY_KEY, info };
    },
    async unlock(login: string, passphrase: string) {
      record(`unlock:${login}`, "unlock");
      if (passphrases.get(login) !== passphrase) {
        throw new BackendError({
          code: "wrong_passphrase",
          message: "Frase segreta sbagliata. Tentativi rimasti prima del blocco: 9.",
        });
      }
      info = unlocked(login);
      return info;
    },
    async resetPassphrase(login: string, recoveryKey: string, newPassphrase: string) {
      record(`resetPassphrase:${login}`, "resetPassphrase");
      if (
        recoveryKey.replaceAll(/[\s-]/g, "").toUpperCase() !== MOCK_RECOVERY_KEY.replaceAll("-", "")
      ) {
        throw new BackendError({
          code: "wrong_recovery_key",
          message: "Chiave di recupero sbagliata.",
        });
      }
      passphrases.set(login, newPassphrase);
      info = unlocked(login);
      return info;
    },
    async activate(login: string, activationCode: string, newPassphrase: string) {
      record(`activate:${login}`, "activate");
      if (
        activationCode.replaceAll(/[\s-]/g, "").toUpperCase() !==
        MOCK_ACTIVATION_CODE.replaceAll("-", "")
      ) {
        throw new BackendError({
          code: "wrong_passphrase",
          message: "Codice di attivazione sbagliato.",
        });
      }
      passphrases.set(login, newPassphrase);
      info = unlocked(login);
      return info;
    },
    async lock() {
      record("lock", "lock");
      info = {
        ...info,
        session: { state: "locked", logins: [...passphrases.keys()], activations: [] },
      };
      return info;
    },
    async keepAlive() {
      record("keepAlive", "keepAlive");
    },
    async syncStatus() {
      record("syncStatus", "syncStatus");
      return sync;
    },
    async syncNow() {
      record("syncNow", "syncNow");
      return sync;
    },
    async conflicts() {
      record("conflicts", "conflicts");
      return conflicts;
    },
    async resolveConflict(_entity: Entity, rowId: string, topic: string, resolution: Resolution) {
      const chosen = resolution.kind === "keep" ? resolution.hlc : resolution.kind;
      record(`resolveConflict:${topic}:${chosen}`, "resolveConflict");
      conflicts = conflicts.filter((view) => view.rowId !== rowId || view.topic !== topic);
      return conflicts;
    },
    async reenrollDevice(serverUrl: string, code: string) {
      record(`reenrollDevice:${serverUrl}`, "reenrollDevice");
      if (sync.enrollment === null || code.trim().toUpperCase() !== MOCK_ENROLLMENT_CODE) {
        throw new BackendError({
          code: "enrollment_code_invalid",
          message: "Il codice di attivazione non è valido o è già stato usato.",
        });
      }
      sync = {
        ...sync,
        enrollment: { ...sync.enrollment, serverUrl },
        reenrollments: [
          ...sync.reenrollments,
          {
            atMs: Date.UTC(2026, 10, 26, 9, 30),
            operatorId: "0192f0c4-0000-7000-8000-000000000001",
            fromServer: sync.enrollment.serverUrl,
            toServer: serverUrl,
          },
        ],
      };
      return sync;
    },
    async enrollDevice(serverUrl: string, code: string) {
      record(`enrollDevice:${serverUrl}`, "enrollDevice");
      if (code.trim().toUpperCase() !== MOCK_ENROLLMENT_CODE) {
        throw new BackendError({
          code: "enrollment_code_invalid",
          message: "Il codice di attivazione non è valido o è già stato usato.",
        });
      }
      sync = {
        reenrollments: [],
        enrollment: {
          serverUrl: serverUrl,
          deviceName: "Portatile 1",
          ambito: "Ambito di Galatina",
          office: "PUA Galatina",
          enrolledMs: Date.UTC(2026, 10, 26, 9, 0),
          serverCertificate: serverUrl.startsWith("https://") ? "ab01".repeat(16) : null,
        },
        status: {
          ...notEnrolled.status,
          state: "up_to_date",
          waiting: 0,
          lastSuccessMs: Date.UTC(2026, 10, 26, 9, 5),
          conflicts: 1,
          // This computer's clock twelve minutes ahead of the server's.
          clockOffsetMs: -12 * 60_000,
        },
      };
      return sync;
    },
  };
}
