// The desk's commands in memory, for component tests: people and rows in maps, with the
// store's validation reduced to what the forms' tests need (required fields, future years).
import type { AgendaItem } from "../bindings/AgendaItem";
import type { AppointmentDetails } from "../bindings/AppointmentDetails";
import type { DocumentDetails } from "../bindings/DocumentDetails";
import type { DueItem } from "../bindings/DueItem";
import type { Entity } from "../bindings/Entity";
import type { Folder } from "../bindings/Folder";
import type { FolderView } from "../bindings/FolderView";
import type { MediatorDetails } from "../bindings/MediatorDetails";
import type { OpenPractice } from "../bindings/OpenPractice";
import type { OrganisationDetails } from "../bindings/OrganisationDetails";
import type { PersonDetails } from "../bindings/PersonDetails";
import type { PersonHit } from "../bindings/PersonHit";
import type { PracticeDetails } from "../bindings/PracticeDetails";
import type { RowDetails } from "../bindings/RowDetails";
import type { SettingsView } from "../bindings/SettingsView";
import { todayInRome } from "../desk/format";
import { type Backend, BackendError } from "./index";

type DeskCommands = Pick<
  Backend,
  | "findPeople"
  | "dueList"
  | "issueStpEniCode"
  | "issueAnonymousStpEniCode"
  | "appointmentsOn"
  | "quickContactForm"
  | "recordQuickContact"
  | "possibleDuplicates"
  | "checkCodiceFiscale"
  | "openFolder"
  | "createPerson"
  | "updatePerson"
  | "saveRow"
  | "deleteRow"
  | "setArchived"
  | "eraseFolder"
  | "folderHistory"
  | "folderAccesses"
  | "countries"
  | "practiceTemplates"
  | "startPractice"
  | "openPractices"
  | "colleagues"
  | "directory"
  | "saveOrganisation"
  | "saveMediator"
  | "appointments"
  | "printDocument"
  | "mergeFolders"
  | "undoMerge"
  | "addAttachment"
  | "attachmentContent"
  | "exportAttachment"
  | "settingsView"
  | "saveSettings"
  | "addOperator"
  | "setOperatorRole"
  | "resetOperatorPassphrase"
>;

/** The operator at the keyboard and a colleague, as `colleagues` answers. */
export const COLLEAGUE_ME = "00000000-0000-7000-8000-00000000a001";
export const COLLEAGUE_OTHER = "00000000-0000-7000-8000-00000000a002";

const KEYS: Partial<Record<Entity, keyof Folder>> = {
  attachment: "attachments",
  household_member: "household",
  document: "documents",
  consent: "consents",
  need: "needs",
  practice: "practices",
  appointment: "appointments",
  contact: "contacts",
  referral: "referrals",
  note: "notes",
};

/** The message the store gives for a required field left empty. */
export const missing = (field: string) =>
  new BackendError({
    code: "invalid_input",
    message: `Il campo «${field}» è obbligatorio. Compilalo e riprova.`,
  });

export function mockDesk(record: (call: string, method: keyof Backend) => void): DeskCommands {
  const people = new Map<string, { details: PersonDetails; archived: boolean }>();
  const rows = new Map<string, { folder: string; entity: Entity; details: RowDetails }>();
  let next = 1;
  let settings: SettingsView = {
    ambitoName: "Ambito Territoriale Sociale di Prova",
    lockAfterMinutes: 10,
    renewalWindowDays: 60,
    eniValidity: "issuing_region",
    dataController: null,
    operators: [{ login: "admin", displayName: "Anna Esempio", role: "administrator" }],
    enrolled: false,
  };
  const newId = () => `00000000-0000-7000-8000-${String(next++).padStart(12, "0")}`;
  const hit = (id: string): PersonHit => {
    const { details, archived } = people.get(id) as { details: PersonDetails; archived: boolean };
    return {
      id,
      familyName: details.family_name,
      givenNames: details.given_names,
      birthYear: details.birth_date?.year ?? null,
      birthDate: details.birth_date,
      birthCountry: details.birth_country,
      citizenships: details.citizenships,
      municipality: details.domicile?.municipality ?? null,
      stpEniCode: details.stp?.code ?? null,
      openPractices: 0,
      archived,
    };
  };
  const validPerson = (details: PersonDetails) => {
    if (details.family_name.trim() === "" && details.given_names.trim() === "") {
      throw missing("Cognome");
    }
    if (details.birth_date && details.birth_date.year > 2026) {
      throw new BackendError({
        code: "invalid_input",
        message: "Il campo «Data di nascita» contiene una data futura. Controlla l'anno.",
      });
    }
  };
  return {
    async findPeople(query, includeArchived) {
      record(`findPeople:${query}`, "findPeople");
      const wanted = query.toLowerCase();
      return [...people.entries()]
        .filter(([, person]) => includeArchived || !person.archived)
        .filter(([, { details }]) =>
          [details.family_name, details.given_names, details.codice_fiscale ?? ""].some((text) =>
            text.toLowerCase().includes(wanted),
          ),
        )
        .map(([id]) => hit(id));
    },
    async dueList() {
      // The rules live in Rust; here a residence permit is due from 60 days before expiry.
      const today = Date.parse(todayInRome());
      const items: DueItem[] = [];
      for (const [rowId, row] of rows) {
        const document = row.details as DocumentDetails;
        const person = people.get(row.folder);
        if (row.entity !== "document" || document.expires_on === null || person === undefined)
          continue;
        const daysLeft = Math.round((Date.parse(document.expires_on) - today) / 86_400_000);
        if (daysLeft > 60) continue;
        items.push({
          reminder: {
            deadline: {
              kind: "permit_renewal",
              folder: row.folder,
              row: rowId,
              due: document.expires_on,
              from: null,
            },
            daysLeft,
            urgency:
              daysLeft < 0
                ? "overdue"
                : daysLeft <= 7
                  ? "this_week"
                  : daysLeft <= 30
                    ? "this_month"
                    : "later",
          },
          familyName: person.details.family_name,
          givenNames: person.details.given_names,
        });
      }
      items.sort((a, b) => a.reminder.daysLeft - b.reminder.daysLeft);
      return { items, more: 0 };
    },
    async issueStpEniCode(folderId, kind) {
      record(`issueStpEniCode:${kind}`, "issueStpEniCode");
      const person = people.get(folderId);
      if (person === undefined)
        throw new BackendError({ code: "not_found", message: "La scheda non esiste." });
      const today = todayInRome();
      const code = {
        code: `${kind.toUpperCase()}1601160000${String(next++).padStart(3, "0")}`,
        issued_on: today,
        expires_on: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      };
      person.details = { ...person.details, [kind]: code };
      return code;
    },
    async issueAnonymousStpEniCode(details, kind) {
      record(`issueAnonymousStpEniCode:${kind}`, "issueAnonymousStpEniCode");
      const id = newId();
      people.set(id, {
        details: { ...details, family_name: "", given_names: "" },
        archived: false,
      });
      await this.issueStpEniCode(id, kind);
      return id;
    },
    async appointmentsOn(day) {
      return this.appointments({ first: day, days: 1, operator: null });
    },
    async quickContactForm() {
      return {
        today: todayInRome(),
        places: [
          { name: "Sportello di Galatina", kind: "office", address: null },
          { name: "Borgo Mezzanone", kind: "outreach", address: null },
        ],
        mediator: null,
      };
    },
    async recordQuickContact(input) {
      record(`recordQuickContact:${input.person ?? "anonymous"}`, "recordQuickContact");
      const id = newId();
      if (input.person === null) {
        if (input.people < 1) {
          throw new BackendError({
            code: "invalid_input",
            message: "Il campo «Persone incontrate» è fuori dai valori ammessi. Correggilo.",
          });
        }
        return id;
      }
      if (!people.has(input.person)) {
        throw new BackendError({ code: "not_found", message: "La scheda non esiste." });
      }
      const { person, note, people: _count, ...contact } = input;
      rows.set(id, {
        folder: person,
        entity: "contact",
        details: {
          on: contact.on,
          place_kind: contact.placeKind,
          place: contact.place,
          mediator: null,
          language: contact.language,
          duration_minutes: contact.durationMinutes,
          services: contact.services,
          recorded_by: null,
        },
      });
      if (note !== null && note.trim() !== "") {
        rows.set(newId(), {
          folder: person,
          entity: "note",
          details: { text: note.trim(), confidentiality: "normal" },
        });
      }
      return id;
    },
    async possibleDuplicates(details) {
      record("possibleDuplicates", "possibleDuplicates");
      return [...people.entries()]
        .filter(
          ([, person]) =>
            (details.family_name !== "" &&
              person.details.family_name.toLowerCase() === details.family_name.toLowerCase()) ||
            (details.codice_fiscale !== null &&
              person.details.codice_fiscale === details.codice_fiscale),
        )
        .map(([id]) => hit(id));
    },
    async checkCodiceFiscale(_details, code) {
      const wellFormed = code.trim().length === 16;
      return { wellFormed, malformedPart: null, disagreements: [], computed: null };
    },
    async openFolder(id) {
      record(`openFolder:${id}`, "openFolder");
      const person = people.get(id);
      if (person === undefined) {
        throw new BackendError({ code: "not_found", message: "La scheda non esiste." });
      }
      const folder: Folder = {
        person: { id, details: person.details },
        archived: person.archived,
        mergedFrom: [],
        household: [],
        memberOf: [],
        documents: [],
        attachments: [],
        consents: [],
        needs: [],
        practices: [],
        appointments: [],
        contacts: [],
        referrals: [],
        notes: [],
      };
      for (const [rowId, row] of rows) {
        const key = KEYS[row.entity];
        if (row.folder === id && key !== undefined) {
          (folder[key] as unknown as { id: string; details: RowDetails }[]).push({
            id: rowId,
            details: row.details,
          });
        }
      }
      const view: FolderView = {
        folder,
        people: [],
        age: null,
        mayEdit: true,
        healthHidden: false,
        mayErase: true,
        mayReadAccesses: true,
        possibleDuplicates: [],
        scansArriving: [],
        // The rules live in Rust; here a citizen of an EU state (Z1…) gets ENI, others STP.
        stpEni: (() => {
          const eu = person.details.citizenships.some((code) => code.startsWith("Z1"));
          return [
            {
              kind: "stp" as const,
              allowed: !eu,
              reason: eu
                ? "Il codice STP è per i cittadini di Paesi fuori dall'Unione europea."
                : "Può ricevere il codice STP.",
              numbersLeft: 10,
              earlier: [],
            },
            {
              kind: "eni" as const,
              allowed: eu,
              reason: eu
                ? "Può ricevere il codice ENI."
                : "Il codice ENI è per i cittadini dell'Unione europea.",
              numbersLeft: 10,
              earlier: [],
            },
          ];
        })(),
      };
      return view;
    },
    async createPerson(details) {
      record("createPerson", "createPerson");
      validPerson(details);
      const id = newId();
      people.set(id, { details, archived: false });
      return id;
    },
    async updatePerson(id, details) {
      record(`updatePerson:${id}`, "updatePerson");
      validPerson(details);
      const person = people.get(id);
      if (person) person.details = details;
    },
    async saveRow(folderId, entity, rowId, details) {
      record(`saveRow:${entity}`, "saveRow");
      if (entity === "note" && (typeof details.text !== "string" || details.text.trim() === "")) {
        throw missing("Testo della nota");
      }
      const id = rowId ?? newId();
      // Fields a form leaves out are stored as the store's defaults, as serde reads them.
      const defaults: Record<string, unknown> =
        entity === "appointment"
          ? { duration_minutes: null, operator: null, mediator: null, language: null }
          : entity === "practice"
            ? { in_charge: null }
            : {};
      rows.set(id, { folder: folderId, entity, details: { ...defaults, ...details } });
      return id;
    },
    async deleteRow(_entity, rowId) {
      record(`deleteRow:${rowId}`, "deleteRow");
      rows.delete(rowId);
    },
    async setArchived(folderId, archived) {
      record(`setArchived:${archived}`, "setArchived");
      const person = people.get(folderId);
      if (person) person.archived = archived;
    },
    async eraseFolder(folderId) {
      record(`eraseFolder:${folderId}`, "eraseFolder");
      people.delete(folderId);
    },
    async folderHistory() {
      return [];
    },
    async folderAccesses() {
      return [];
    },
    async countries() {
      return [
        { code: "Z343", name: "Senegal", english: "Senegal" },
        { code: "Z330", name: "Marocco", english: "Morocco" },
      ];
    },
    async practiceTemplates() {
      return [
        {
          id: "permit-renewal",
          category: "residence_permit",
          steps: ["check-expiry", "collect-documents", "fill-postal-kit"],
          documents: ["passport"],
          healthRestricted: false,
        },
        {
          id: "stp",
          category: "health_access",
          steps: ["check-no-permit", "issue-code"],
          documents: [],
          healthRestricted: false,
        },
      ];
    },
    async startPractice(folderId, template) {
      record(`startPractice:${template}`, "startPractice");
      const id = newId();
      const details: PracticeDetails = {
        template,
        need: null,
        status: "open",
        opened_on: todayInRome(),
        deadline: null,
        steps_done: [],
        protocol_number: null,
        postal_receipt: null,
        booking_code: null,
        outcome_on: null,
        outcome_note: null,
        in_charge: COLLEAGUE_ME,
      };
      rows.set(id, { folder: folderId, entity: "practice", details });
      return id;
    },
    async openPractices(filter) {
      record("openPractices", "openPractices");
      const items: OpenPractice[] = [];
      for (const [rowId, row] of rows) {
        const details = row.details as PracticeDetails;
        const person = people.get(row.folder);
        if (row.entity !== "practice" || person === undefined) continue;
        if (["accepted", "refused", "closed"].includes(details.status)) continue;
        if (filter.inCharge !== null && details.in_charge !== filter.inCharge) continue;
        items.push({
          folder: row.folder,
          urgency: details.deadline === null ? null : "later",
          practice: { id: rowId, details },
          familyName: person.details.family_name,
          givenNames: person.details.given_names,
        });
      }
      return { items, more: 0 };
    },
    async colleagues() {
      return [
        { id: COLLEAGUE_ME, displayName: "Anna Esempio", role: "administrator", me: true },
        { id: COLLEAGUE_OTHER, displayName: "Bruno Collega", role: "operator", me: false },
      ];
    },
    async directory() {
      const services = [...rows]
        .filter(([, row]) => row.entity === "organisation")
        .map(([id, row]) => ({ id, details: row.details as unknown as OrganisationDetails }))
        .sort((a, b) => a.details.name.localeCompare(b.details.name));
      const mediators = [...rows]
        .filter(([, row]) => row.entity === "mediator")
        .map(([id, row]) => ({ id, details: row.details as unknown as MediatorDetails }));
      return { services, mediators, mayKeep: true };
    },
    async saveMediator(id, details) {
      record("saveMediator", "saveMediator");
      if (!Array.isArray(details.languages) || details.languages.length === 0) {
        throw missing("Lingue parlate");
      }
      const rowId = id ?? newId();
      const defaults = { weekdays: [], from_time: null, until_time: null, phone: null, note: null };
      rows.set(rowId, {
        folder: "directory",
        entity: "mediator",
        details: { ...defaults, inactive: false, ...details },
      });
      return rowId;
    },
    async saveOrganisation(id, details) {
      record("saveOrganisation", "saveOrganisation");
      if (typeof details.name !== "string" || details.name.trim() === "") throw missing("Nome");
      const rowId = id ?? newId();
      const defaults = { municipality: null, address: null, phone: null, email: null };
      rows.set(rowId, {
        folder: "directory",
        entity: "organisation",
        details: { ...defaults, opening_hours: null, note: null, closed: false, ...details },
      });
      return rowId;
    },
    async appointments(query) {
      const first = Date.parse(query.first);
      const items: AgendaItem[] = [];
      for (const [rowId, row] of rows) {
        const details = row.details as AppointmentDetails;
        const person = people.get(row.folder);
        if (row.entity !== "appointment" || person === undefined) continue;
        const day = Date.parse(details.at.slice(0, 10));
        if (day < first || day >= first + query.days * 86_400_000) continue;
        if (query.operator !== null && details.operator !== query.operator) continue;
        items.push({
          folder: row.folder,
          appointment: { id: rowId, details },
          familyName: person.details.family_name,
          givenNames: person.details.given_names,
        });
      }
      return items.sort((a, b) => a.appointment.details.at.localeCompare(b.appointment.details.at));
    },
    async printDocument(_folderId, document) {
      record(`printDocument:${document.kind}`, "printDocument");
      if (document.kind === "privacy_notice" && settings.dataController === null) {
        throw new BackendError({
          code: "controller_missing",
          message:
            "Per stampare l'informativa manca il titolare del trattamento nelle impostazioni.",
        });
      }
      return { path: `/home/operatore/Documenti/Porta/${document.kind}.pdf` };
    },
    async addAttachment(folderId, fileName, contentBase64) {
      record(`addAttachment:${fileName}`, "addAttachment");
      if (contentBase64 === "") {
        throw new BackendError({ code: "attachment_refused", message: "Il file è vuoto." });
      }
      const id = newId();
      rows.set(id, {
        folder: folderId,
        entity: "attachment",
        details: {
          document: null,
          file_name: fileName,
          content_type: "image/png",
          size_bytes: 68,
          sha256: "00",
        },
      });
      return id;
    },
    async attachmentContent() {
      return {
        contentType: "image/png",
        pictureType: "image/png",
        pictures: ["iVBORw0KGgo="],
        pageCount: 1,
      };
    },
    async exportAttachment() {
      return { path: "/home/operatore/Documenti/Porta/scansione.pdf" };
    },
    async mergeFolders(keepId, absorbedId) {
      record(`mergeFolders:${keepId}:${absorbedId}`, "mergeFolders");
    },
    async undoMerge(absorbedId) {
      record(`undoMerge:${absorbedId}`, "undoMerge");
    },
    async settingsView() {
      return settings;
    },
    async saveSettings(input) {
      record("saveSettings", "saveSettings");
      if (input.ambitoName.trim() === "") throw missing("Nome dell'Ambito");
      settings = { ...settings, ...input };
      return settings;
    },
    async addOperator(login, displayName, role) {
      record(`addOperator:${login}`, "addOperator");
      if (login.trim() === "") throw missing("Nome utente");
      settings = { ...settings, operators: [...settings.operators, { login, displayName, role }] };
      return settings;
    },
    async setOperatorRole(login, role) {
      record(`setOperatorRole:${login}:${role}`, "setOperatorRole");
      settings = {
        ...settings,
        operators: settings.operators.map((operator) =>
          operator.login === login ? { ...operator, role } : operator,
        ),
      };
      return settings;
    },
    async resetOperatorPassphrase(login) {
      record(`resetOperatorPassphrase:${login}`, "resetOperatorPassphrase");
      return settings;
    },
  };
}
