// The desk's reads and writes, as TanStack Query hooks over the generated commands.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type BackendError, useBackend } from "../backend";
import type { AccessView } from "../bindings/AccessView";
import type { AgendaItem } from "../bindings/AgendaItem";
import type { AgendaQuery } from "../bindings/AgendaQuery";
import type { AttachmentContent } from "../bindings/AttachmentContent";
import type { ChangeView } from "../bindings/ChangeView";
import type { Colleague } from "../bindings/Colleague";
import type { Country } from "../bindings/Country";
import type { DirectoryView } from "../bindings/DirectoryView";
import type { DueList } from "../bindings/DueList";
import type { Entity } from "../bindings/Entity";
import type { FolderDocument } from "../bindings/FolderDocument";
import type { FolderView } from "../bindings/FolderView";
import type { PersonDetails } from "../bindings/PersonDetails";
import type { PersonHit } from "../bindings/PersonHit";
import type { PracticeFilter } from "../bindings/PracticeFilter";
import type { PracticeList } from "../bindings/PracticeList";
import type { PrintedView } from "../bindings/PrintedView";
import type { ProcedureView } from "../bindings/ProcedureView";
import type { QuickContactForm } from "../bindings/QuickContactForm";
import type { QuickContactInput } from "../bindings/QuickContactInput";
import type { Role } from "../bindings/Role";
import type { RowDetails } from "../bindings/RowDetails";
import type { SettingsInput } from "../bindings/SettingsInput";
import type { SettingsView } from "../bindings/SettingsView";
import type { StpEniCode } from "../bindings/StpEniCode";
import type { StpEniKind } from "../bindings/StpEniKind";

const folderKey = (id: string) => ["folder", id] as const;
const DUE_KEY = ["due"] as const;

/** How often Home reads the due list again while shown (pulled entries change it too). */
const DUE_REFRESH_MS = 30_000;

/**
 * What falls due across the folders this operator may read, overdue first. Like a folder,
 * it names people: nothing of it stays in memory once Home is not shown.
 */
export function useDueList() {
  const backend = useBackend();
  return useQuery<DueList, BackendError>({
    queryKey: DUE_KEY,
    queryFn: () => backend.dueList(),
    refetchInterval: DUE_REFRESH_MS,
    gcTime: 0,
  });
}

/** People matching `query` (nothing below two characters). */
export function useFindPeople(query: string, includeArchived: boolean) {
  const backend = useBackend();
  const trimmed = query.trim();
  return useQuery<PersonHit[], BackendError>({
    queryKey: ["people", trimmed, includeArchived],
    queryFn: () => backend.findPeople(trimmed, includeArchived),
    enabled: trimmed.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

/**
 * A person's folder; opening it is an audited read. Nothing of it stays in memory once no
 * screen shows it: opening it again reads it again (and is logged again).
 */
export function useFolder(id: string) {
  const backend = useBackend();
  return useQuery<FolderView, BackendError>({
    queryKey: folderKey(id),
    queryFn: () => backend.openFolder(id),
    gcTime: 0,
  });
}

/** The states of the world, for choosing a country. */
export function useCountries() {
  const backend = useBackend();
  return useQuery<Country[], BackendError>({
    queryKey: ["countries"],
    queryFn: () => backend.countries(),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** A country's Italian name by its ANPR code (the code itself until the list is read). */
export function useCountryName(): (code: string) => string {
  const countries = useCountries();
  return (code) => countries.data?.find((country) => country.code === code)?.name ?? code;
}

export function usePossibleDuplicates(details: PersonDetails, enabled: boolean) {
  const backend = useBackend();
  return useQuery<PersonHit[], BackendError>({
    queryKey: ["duplicates", details],
    queryFn: () => backend.possibleDuplicates(details),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useCheckCodiceFiscale(details: PersonDetails, code: string) {
  const backend = useBackend();
  return useQuery({
    queryKey: ["codice-fiscale", details, code],
    queryFn: () => backend.checkCodiceFiscale(details, code),
    enabled: code.trim().length > 0,
  });
}

/** After a write: the folder, every search and the due list are read again. */
function useFolderChanged() {
  const queryClient = useQueryClient();
  return (folderId: string) => {
    void queryClient.invalidateQueries({ queryKey: folderKey(folderId) });
    void queryClient.invalidateQueries({ queryKey: ["people"] });
    void queryClient.invalidateQueries({ queryKey: DUE_KEY });
    void queryClient.invalidateQueries({ queryKey: ["agenda"] });
    void queryClient.invalidateQueries({ queryKey: ["open-practices"] });
    void queryClient.invalidateQueries({ queryKey: ["history", folderId] });
  };
}

/** The appointments of `day` (yyyy-mm-dd) across the folders; like a folder, kept only while shown. */
export function useAppointmentsOn(day: string) {
  const backend = useBackend();
  return useQuery<AgendaItem[], BackendError>({
    queryKey: ["agenda", day],
    queryFn: () => backend.appointmentsOn(day),
    refetchInterval: DUE_REFRESH_MS,
    gcTime: 0,
  });
}

/** What the quick-contact form starts from: today, the Ambito's places, the mediator. */
export function useQuickContactForm() {
  const backend = useBackend();
  return useQuery<QuickContactForm, BackendError>({
    queryKey: ["quick-contact-form"],
    queryFn: () => backend.quickContactForm(),
  });
}

/** Records an encounter; a known person's folder is read again, and the due list. */
export function useRecordQuickContact() {
  const backend = useBackend();
  const changed = useFolderChanged();
  const queryClient = useQueryClient();
  return useMutation<string, BackendError, QuickContactInput>({
    mutationFn: (input) => backend.recordQuickContact(input),
    onSuccess: (_id, input) => {
      if (input.person !== null) changed(input.person);
      else void queryClient.invalidateQueries({ queryKey: DUE_KEY });
    },
  });
}

/** Issues (or renews) an STP or ENI code from this device's numbers; the folder is read again. */
export function useIssueStpEniCode(folderId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<StpEniCode, BackendError, StpEniKind>({
    mutationFn: (kind) => backend.issueStpEniCode(folderId, kind),
    onSuccess: () => changed(folderId),
  });
}

/** Opens a folder with no name, named by the STP code issued for it; answers its id. */
export function useIssueAnonymousStp() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation<string, BackendError, PersonDetails>({
    mutationFn: (person) => backend.issueAnonymousStpEniCode(person, "stp"),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["people"] }),
  });
}

export function useCreatePerson() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation<string, BackendError, PersonDetails>({
    mutationFn: (details) => backend.createPerson(details),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["people"] }),
  });
}

export function useUpdatePerson(folderId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<void, BackendError, PersonDetails>({
    mutationFn: (details) => backend.updatePerson(folderId, details),
    onSuccess: () => changed(folderId),
  });
}

export function useSaveRow(folderId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<
    string,
    BackendError,
    { entity: Entity; rowId: string | null; details: RowDetails }
  >({
    mutationFn: ({ entity, rowId, details }) => backend.saveRow(folderId, entity, rowId, details),
    onSuccess: () => changed(folderId),
  });
}

export function useDeleteRow(folderId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<void, BackendError, { entity: Entity; rowId: string }>({
    mutationFn: ({ entity, rowId }) => backend.deleteRow(entity, rowId),
    onSuccess: () => changed(folderId),
  });
}

export function useSetArchived(folderId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<void, BackendError, boolean>({
    mutationFn: (archived) => backend.setArchived(folderId, archived),
    onSuccess: () => changed(folderId),
  });
}

export function useEraseFolder(folderId: string) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation<void, BackendError, void>({
    mutationFn: () => backend.eraseFolder(folderId),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: folderKey(folderId) });
      void queryClient.invalidateQueries({ queryKey: ["people"] });
    },
  });
}

export function useFolderHistory(folderId: string) {
  const backend = useBackend();
  return useQuery<ChangeView[], BackendError>({
    queryKey: ["history", folderId],
    queryFn: () => backend.folderHistory(folderId),
  });
}

export function useFolderAccesses(folderId: string, enabled: boolean) {
  const backend = useBackend();
  return useQuery<AccessView[], BackendError>({
    queryKey: ["accesses", folderId],
    queryFn: () => backend.folderAccesses(folderId),
    enabled,
  });
}

/** The procedure templates this operator may start a practice from, with their checklists. */
export function usePracticeTemplates() {
  const backend = useBackend();
  return useQuery<ProcedureView[], BackendError>({
    queryKey: ["practice-templates"],
    queryFn: () => backend.practiceTemplates(),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Starts a practice from a template in the folder today; answers its id. */
export function useStartPractice(folderId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<string, BackendError, string>({
    mutationFn: (template) => backend.startPractice(folderId, template),
    onSuccess: () => changed(folderId),
  });
}

/** The open practices a filter asks for; like the due list, nothing stays once not shown. */
export function useOpenPractices(filter: PracticeFilter) {
  const backend = useBackend();
  return useQuery<PracticeList, BackendError>({
    queryKey: ["open-practices", filter],
    queryFn: () => backend.openPractices(filter),
    placeholderData: keepPreviousData,
    gcTime: 0,
  });
}

/** The operators of this office, the one at the keyboard first. */
export function useColleagues() {
  const backend = useBackend();
  return useQuery<Colleague[], BackendError>({
    queryKey: ["colleagues"],
    queryFn: () => backend.colleagues(),
    staleTime: 60_000,
  });
}

const DIRECTORY_KEY = ["directory"] as const;

/** The directory of the territory's services (it names no person: kept while the app runs). */
export function useDirectory(enabled = true) {
  const backend = useBackend();
  return useQuery<DirectoryView, BackendError>({
    queryKey: DIRECTORY_KEY,
    queryFn: () => backend.directory(),
    enabled,
    staleTime: 30_000,
  });
}

/** Adds a service to the directory or changes one (administrators). */
export function useSaveOrganisation() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<string, BackendError, { id: string | null; details: RowDetails }>({
    mutationFn: ({ id, details }) => backend.saveOrganisation(id, details),
    onSuccess: () => client.invalidateQueries({ queryKey: DIRECTORY_KEY }),
  });
}

/** Adds a mediator to the directory or changes one (administrators). */
export function useSaveMediator() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<string, BackendError, { id: string | null; details: RowDetails }>({
    mutationFn: ({ id, details }) => backend.saveMediator(id, details),
    onSuccess: () => client.invalidateQueries({ queryKey: DIRECTORY_KEY }),
  });
}

/** The appointments of a day or a week, of one operator if asked. */
export function useAppointments(query: AgendaQuery) {
  const backend = useBackend();
  return useQuery<AgendaItem[], BackendError>({
    queryKey: ["agenda", query],
    queryFn: () => backend.appointments(query),
    placeholderData: keepPreviousData,
    refetchInterval: DUE_REFRESH_MS,
    gcTime: 0,
  });
}

const SETTINGS_KEY = ["settings"] as const;

/** The settings and the operators of this device (administrators). */
export function useSettingsView() {
  const backend = useBackend();
  return useQuery<SettingsView, BackendError>({
    queryKey: SETTINGS_KEY,
    queryFn: () => backend.settingsView(),
  });
}

/** A mutation whose answer is the new settings view; the header's Ambito is read again. */
function useSettingsChange<Variables>(change: (variables: Variables) => Promise<SettingsView>) {
  const queryClient = useQueryClient();
  return useMutation<SettingsView, BackendError, Variables>({
    mutationFn: change,
    onSuccess: (view) => {
      queryClient.setQueryData(SETTINGS_KEY, view);
      void queryClient.invalidateQueries({ queryKey: ["app-info"] });
    },
  });
}

export function useSaveSettings() {
  const backend = useBackend();
  return useSettingsChange<SettingsInput>((input) => backend.saveSettings(input));
}

export function useAddOperator() {
  const backend = useBackend();
  return useSettingsChange<{ login: string; displayName: string; role: Role; passphrase: string }>(
    ({ login, displayName, role, passphrase }) =>
      backend.addOperator(login, displayName, role, passphrase),
  );
}

export function useSetOperatorRole() {
  const backend = useBackend();
  return useSettingsChange<{ login: string; role: Role }>(({ login, role }) =>
    backend.setOperatorRole(login, role),
  );
}

export function useResetOperatorPassphrase() {
  const backend = useBackend();
  return useSettingsChange<{ login: string; recoveryKey: string; newPassphrase: string }>(
    ({ login, recoveryKey, newPassphrase }) =>
      backend.resetOperatorPassphrase(login, recoveryKey, newPassphrase),
  );
}

/** Prints a person-facing document of a folder; answers where the PDF was saved. */
/** Prints a document for the person; what is handed over is kept among the attachments. */
export function usePrintDocument(folderId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<PrintedView, BackendError, FolderDocument>({
    mutationFn: (document) => backend.printDocument(folderId, document),
    onSuccess: () => changed(folderId),
  });
}

/** Attaches a file to the folder. */
export function useAddAttachment(folderId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<string, BackendError, { fileName: string; contentBase64: string }>({
    mutationFn: ({ fileName, contentBase64 }) =>
      backend.addAttachment(folderId, fileName, contentBase64),
    onSuccess: () => changed(folderId),
  });
}

/** An attachment's content, read when the operator asks to see it (an audited read). */
export function useAttachmentContent() {
  const backend = useBackend();
  return useMutation<AttachmentContent, BackendError, string>({
    mutationFn: (id) => backend.attachmentContent(id),
  });
}

/** Saves a copy of an attachment to open outside the app. */
export function useExportAttachment() {
  const backend = useBackend();
  return useMutation<PrintedView, BackendError, string>({
    mutationFn: (id) => backend.exportAttachment(id),
  });
}

/** Merges two folders, with the person's details chosen field by field. */
export function useMergeFolders() {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<
    void,
    BackendError,
    { keepId: string; absorbedId: string; person: PersonDetails }
  >({
    mutationFn: ({ keepId, absorbedId, person }) =>
      backend.mergeFolders(keepId, absorbedId, person),
    onSuccess: (_, { keepId, absorbedId }) => {
      changed(keepId);
      changed(absorbedId);
    },
  });
}

/** Undoes a merge. */
export function useUndoMerge(keepId: string) {
  const backend = useBackend();
  const changed = useFolderChanged();
  return useMutation<void, BackendError, string>({
    mutationFn: (absorbedId) => backend.undoMerge(absorbedId),
    onSuccess: (_, absorbedId) => {
      changed(keepId);
      changed(absorbedId);
    },
  });
}
