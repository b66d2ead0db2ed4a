// The folder's sections as forms: each field's stored name, label and kind. The store
// validates; these only turn what was typed into the section's JSON and back.
import type { Entity } from "../bindings/Entity";
import type { Folder } from "../bindings/Folder";
import type { MessageId } from "../bindings/MessageId";
import { formatDay, formatLocalDateTime, parseDateTime, parseDay } from "./format";

export type FieldKind =
  | { kind: "text" }
  | { kind: "textarea" }
  | { kind: "day" }
  | { kind: "datetime" }
  | { kind: "bool" }
  | { kind: "number" }
  /** An amount in euros, stored in cents. */
  | { kind: "euros" }
  | { kind: "choice"; values: readonly string[]; valueLabel: string }
  | { kind: "choices"; values: readonly string[]; valueLabel: string }
  | { kind: "procedure" }
  | { kind: "person" }
  /** An operator of the office (an account id). */
  | { kind: "operator" }
  /** A service of the Ambito's directory (its id); choosing one fills the kind and the name. */
  | { kind: "organisation" }
  /** A list of short texts (language codes), typed separated by commas. */
  | { kind: "list" };

export type FieldSpec = FieldKind & {
  /** The stored name; `cup.service` is the field `service` of the object `cup`. */
  name: string;
  label: MessageId;
  required?: boolean;
};

export type SectionSpec = {
  entity: Entity;
  /** Where the folder keeps its rows. */
  key: keyof Folder & string;
  title: MessageId;
  fields: readonly FieldSpec[];
};

/** The kinds of service a person is referred to (and the directory lists). */
export const REFERRAL_TARGETS = [
  "consultorio",
  "asl",
  "employment_centre",
  "adult_school",
  "legal_clinic",
  "association",
  "employer",
  "other",
] as const;

export const NEED_CATEGORIES = [
  "health_access",
  "residence_permit",
  "citizenship",
  "italian_test",
  "bonus",
  "maternity_cheque",
  "legal",
  "mediation",
  "work",
  "courses",
  "other",
] as const;

/** Who may read a note or a need: everyone who opens the folder, or the health side only. */
const CONFIDENTIALITY: FieldSpec = {
  name: "confidentiality",
  label: "field-confidentiality",
  kind: "choice",
  valueLabel: "confidentiality",
  values: ["normal", "health_restricted"],
  required: true,
};

export const SECTIONS: readonly SectionSpec[] = [
  {
    entity: "household_member",
    key: "household",
    title: "section-household",
    fields: [
      { name: "member", label: "field-member", kind: "person", required: true },
      {
        name: "relation",
        label: "field-relation",
        kind: "choice",
        valueLabel: "relation",
        values: ["partner", "child", "parent", "sibling", "other"],
        required: true,
      },
      { name: "arrived_on", label: "field-arrived-on", kind: "day" },
    ],
  },
  {
    entity: "document",
    key: "documents",
    title: "section-documents",
    fields: [
      {
        name: "kind",
        label: "field-kind",
        kind: "choice",
        valueLabel: "document_kind",
        values: [
          "residence_permit",
          "visa",
          "passport",
          "identity_card",
          "health_card",
          "isee",
          "other",
        ],
        required: true,
      },
      { name: "number", label: "field-number", kind: "text" },
      { name: "issued_by", label: "field-issued-by", kind: "text" },
      { name: "issued_on", label: "field-issued-on", kind: "day" },
      { name: "expires_on", label: "field-expires-on", kind: "day" },
      { name: "permit_reason", label: "field-permit-reason", kind: "text" },
      { name: "renewal_requested_on", label: "field-renewal-requested-on", kind: "day" },
      { name: "isee_value_cents", label: "field-isee-value-cents", kind: "euros" },
      { name: "protocol", label: "field-protocol", kind: "text" },
    ],
  },
  {
    entity: "consent",
    key: "consents",
    title: "section-consents",
    fields: [
      {
        name: "kind",
        label: "field-kind",
        kind: "choice",
        valueLabel: "consent_kind",
        values: ["privacy_notice", "share_with_health_services"],
        required: true,
      },
      { name: "given_on", label: "field-given-on", kind: "day", required: true },
      { name: "language", label: "field-language", kind: "text" },
      { name: "withdrawn_on", label: "field-withdrawn-on", kind: "day" },
    ],
  },
  {
    entity: "need",
    key: "needs",
    title: "section-needs",
    fields: [
      {
        name: "category",
        label: "field-category",
        kind: "choice",
        valueLabel: "need_category",
        values: NEED_CATEGORIES,
        required: true,
      },
      { name: "description", label: "field-description", kind: "textarea" },
      { name: "raised_on", label: "field-raised-on", kind: "day", required: true },
      { name: "resolved", label: "field-resolved", kind: "bool" },
      CONFIDENTIALITY,
    ],
  },
  {
    entity: "practice",
    key: "practices",
    title: "section-practices",
    fields: [
      { name: "template", label: "field-template", kind: "procedure", required: true },
      {
        name: "status",
        label: "field-status",
        kind: "choice",
        valueLabel: "practice_status",
        values: ["open", "in_progress", "submitted", "accepted", "refused", "closed"],
        required: true,
      },
      { name: "opened_on", label: "field-opened-on", kind: "day", required: true },
      { name: "deadline", label: "field-deadline", kind: "day" },
      { name: "in_charge", label: "field-in-charge", kind: "operator" },
      { name: "protocol_number", label: "field-protocol-number", kind: "text" },
      { name: "postal_receipt", label: "field-postal-receipt", kind: "text" },
      { name: "booking_code", label: "field-booking-code", kind: "text" },
      { name: "outcome_on", label: "field-outcome-on", kind: "day" },
      { name: "outcome_note", label: "field-outcome-note", kind: "textarea" },
    ],
  },
  {
    entity: "appointment",
    key: "appointments",
    title: "section-appointments",
    fields: [
      { name: "at", label: "field-at", kind: "datetime", required: true },
      { name: "duration_minutes", label: "field-duration-minutes", kind: "number" },
      { name: "place", label: "field-place", kind: "text", required: true },
      { name: "purpose", label: "field-purpose", kind: "text" },
      { name: "operator", label: "field-operator", kind: "operator" },
      { name: "mediator", label: "field-mediator", kind: "text" },
      { name: "language", label: "field-language", kind: "text" },
      { name: "cup.service", label: "field-cup-service", kind: "text" },
      { name: "cup.facility", label: "field-cup-facility", kind: "text" },
      { name: "cup.booking_code", label: "field-booking-code", kind: "text" },
      { name: "cancelled", label: "field-cancelled", kind: "bool" },
    ],
  },
  {
    entity: "contact",
    key: "contacts",
    title: "section-contacts",
    fields: [
      { name: "on", label: "field-on", kind: "day", required: true },
      {
        name: "place_kind",
        label: "field-place-kind",
        kind: "choice",
        valueLabel: "place_kind",
        values: ["office", "outdoor", "phone"],
        required: true,
      },
      { name: "place", label: "field-place", kind: "text" },
      { name: "mediator", label: "field-mediator", kind: "text" },
      { name: "language", label: "field-language", kind: "text" },
      { name: "duration_minutes", label: "field-duration-minutes", kind: "number", required: true },
      {
        name: "services",
        label: "field-services",
        kind: "choices",
        valueLabel: "need_category",
        values: NEED_CATEGORIES,
      },
    ],
  },
  {
    entity: "referral",
    key: "referrals",
    title: "section-referrals",
    fields: [
      { name: "organisation", label: "field-organisation", kind: "organisation" },
      {
        name: "target",
        label: "field-target",
        kind: "choice",
        valueLabel: "referral_target",
        values: REFERRAL_TARGETS,
        required: true,
      },
      { name: "service_name", label: "field-service-name", kind: "text" },
      { name: "on", label: "field-on", kind: "day", required: true },
      { name: "reason", label: "field-reason", kind: "text" },
      {
        name: "status",
        label: "field-status",
        kind: "choice",
        valueLabel: "referral_status",
        values: ["sent", "accepted", "completed", "declined"],
        required: true,
      },
      { name: "feedback", label: "field-feedback", kind: "textarea" },
    ],
  },
  {
    entity: "note",
    key: "notes",
    title: "section-notes",
    fields: [
      { name: "text", label: "field-note-text", kind: "textarea", required: true },
      CONFIDENTIALITY,
    ],
  },
];

/** A service of the directory, as its form shows it (administrators keep it). */
export const ORGANISATION_FIELDS: readonly FieldSpec[] = [
  { name: "name", label: "field-name", kind: "text", required: true },
  {
    name: "kind",
    label: "field-kind",
    kind: "choice",
    valueLabel: "referral_target",
    values: REFERRAL_TARGETS,
    required: true,
  },
  { name: "municipality", label: "field-municipality", kind: "text" },
  { name: "address", label: "field-address", kind: "text" },
  { name: "phone", label: "field-phone", kind: "text" },
  { name: "email", label: "field-email", kind: "text" },
  { name: "opening_hours", label: "field-opening-hours", kind: "text" },
  { name: "note", label: "field-note", kind: "textarea" },
  { name: "closed", label: "field-closed", kind: "bool" },
];

/** The days of the week, as mediators' availability names them. */
export const WEEKDAYS = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

/** A mediator of the Ambito, in the directory (administrators keep it). */
export const MEDIATOR_FIELDS: readonly FieldSpec[] = [
  { name: "name", label: "field-name", kind: "text", required: true },
  { name: "languages", label: "field-languages", kind: "list", required: true },
  {
    name: "weekdays",
    label: "field-weekdays",
    kind: "choices",
    valueLabel: "weekday",
    values: WEEKDAYS,
  },
  { name: "from_time", label: "field-from-time", kind: "text" },
  { name: "until_time", label: "field-until-time", kind: "text" },
  { name: "phone", label: "field-phone", kind: "text" },
  { name: "note", label: "field-note", kind: "textarea" },
  { name: "inactive", label: "field-inactive", kind: "bool" },
];

/** What a form holds while it is typed: text, ticks, or a list of chosen values. */
export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;

function read(row: Record<string, unknown>, name: string): unknown {
  return name.split(".").reduce<unknown>((value, part) => {
    if (value === null || value === undefined || typeof value !== "object") return undefined;
    return (value as Record<string, unknown>)[part];
  }, row);
}

/** A stored row's details as the form shows them. */
export function toForm(
  spec: Pick<SectionSpec, "fields"> & Partial<Pick<SectionSpec, "entity">>,
  row: Record<string, unknown> | null,
  today: string,
): FormValues {
  const values: FormValues = {};
  for (const field of spec.fields) {
    const value = row === null ? undefined : read(row, field.name);
    switch (field.kind) {
      case "bool":
        values[field.name] = value === true;
        break;
      case "choices":
        values[field.name] = Array.isArray(value) ? (value as string[]) : [];
        break;
      case "list":
        values[field.name] = Array.isArray(value) ? (value as string[]).join(", ") : "";
        break;
      case "euros":
        values[field.name] =
          typeof value === "number" ? (value / 100).toFixed(2).replace(".", ",") : "";
        break;
      case "datetime":
        values[field.name] = typeof value === "string" ? formatLocalDateTime(value) : "";
        break;
      case "day":
        values[field.name] =
          typeof value === "string"
            ? formatDay(value)
            : row === null && field.required
              ? formatDay(today)
              : "";
        break;
      case "choice":
        values[field.name] =
          typeof value === "string"
            ? value
            : row === null && field.required
              ? (field.values[0] ?? "")
              : "";
        break;
      default:
        values[field.name] = value === null || value === undefined ? "" : String(value);
    }
  }
  return values;
}

/**
 * The form's values as the section's JSON: empty texts are `null`, an object whose fields
 * are all empty (a CUP booking not made) is `null`, and fields the form does not show (the
 * steps of a practice, who recorded a row) keep their stored values.
 */
export function fromForm(
  spec: Pick<SectionSpec, "fields"> & Partial<Pick<SectionSpec, "entity">>,
  values: FormValues,
  stored: Record<string, unknown> | null,
): Record<string, unknown> {
  const details: Record<string, unknown> = { ...(stored ?? {}) };
  const groups = new Map<string, Record<string, unknown>>();
  for (const field of spec.fields) {
    const raw = values[field.name];
    let value: unknown;
    switch (field.kind) {
      case "bool":
        value = raw === true;
        break;
      case "choices":
        value = raw;
        break;
      case "list":
        value =
          typeof raw === "string"
            ? raw
                .split(",")
                .map((item) => item.trim())
                .filter((item) => item !== "")
            : [];
        break;
      case "number":
        value = typeof raw === "string" && raw.trim() !== "" ? Number(raw.trim()) : null;
        break;
      case "euros": {
        const text = typeof raw === "string" ? raw.trim().replace(/\./g, "").replace(",", ".") : "";
        value = text === "" ? null : Math.round(Number(text) * 100);
        break;
      }
      case "datetime":
        value = typeof raw === "string" && raw.trim() !== "" ? parseDateTime(raw) : null;
        break;
      case "day":
        value = typeof raw === "string" && raw.trim() !== "" ? parseDay(raw) : null;
        break;
      default:
        // A required text left empty goes as it is, for the section to say which is missing.
        value = typeof raw === "string" && (raw.trim() !== "" || field.required) ? raw : null;
    }
    const [group = field.name, inner] = field.name.split(".");
    if (inner === undefined) {
      details[field.name] = value;
    } else {
      const object = groups.get(group) ?? {};
      object[inner] = value ?? "";
      groups.set(group, object);
    }
  }
  for (const [group, object] of groups) {
    const empty = Object.values(object).every((value) => value === "" || value === null);
    details[group] = empty ? null : object;
  }
  if (!("steps_done" in details) && spec.entity === "practice") {
    details.steps_done = [];
  }
  return details;
}
