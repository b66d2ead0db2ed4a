import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type BackendError, useBackend } from "./backend";
import type { AppInfo } from "./bindings/AppInfo";
import type { ConflictView } from "./bindings/ConflictView";
import type { FirstRunInput } from "./bindings/FirstRunInput";
import type { Locale } from "./bindings/Locale";
import type { Resolution } from "./bindings/Resolution";
import type { SetUpDone } from "./bindings/SetUpDone";
import type { SyncView } from "./bindings/SyncView";

export const APP_INFO_KEY = ["app-info"] as const;

/** How often the state is re-read while unlocked, so an automatic lock shows promptly. */
const UNLOCKED_REFRESH_MS = 15_000;

/** The state of this installation: version, Ambito, language, data folder, session. */
export function useAppInfo() {
  const backend = useBackend();
  return useQuery<AppInfo, BackendError>({
    queryKey: APP_INFO_KEY,
    queryFn: () => backend.appInfo(),
    refetchInterval: (query) =>
      query.state.data?.session.state === "unlocked" ? UNLOCKED_REFRESH_MS : false,
  });
}

/** A mutation whose answer is the new state of the installation. */
function useStateChange<Variables>(change: (variables: Variables) => Promise<AppInfo>) {
  const queryClient = useQueryClient();
  return useMutation<AppInfo, BackendError, Variables>({
    mutationFn: change,
    onSuccess: (info) => queryClient.setQueryData(APP_INFO_KEY, info),
  });
}

/** Switches the interface language. */
export function useSetLocale() {
  const backend = useBackend();
  return useStateChange<Locale>((locale) => backend.setLocale(locale));
}

export function useUnlock() {
  const backend = useBackend();
  return useStateChange<{ login: string; passphrase: string }>(({ login, passphrase }) =>
    backend.unlock(login, passphrase),
  );
}

export function useResetPassphrase() {
  const backend = useBackend();
  return useStateChange<{ login: string; recoveryKey: string; newPassphrase: string }>(
    ({ login, recoveryKey, newPassphrase }) =>
      backend.resetPassphrase(login, recoveryKey, newPassphrase),
  );
}

export function useActivate() {
  const backend = useBackend();
  return useStateChange<{ login: string; activationCode: string; newPassphrase: string }>(
    ({ login, activationCode, newPassphrase }) =>
      backend.activate(login, activationCode, newPassphrase),
  );
}

/** First run: switches to the demo's own data folder, which fills in the background. */
export function useTryDemo() {
  const backend = useBackend();
  return useStateChange<void>(() => backend.tryDemo());
}

export function useLock() {
  const backend = useBackend();
  return useStateChange<void>(() => backend.lock());
}

/**
 * First run. The new state is not published on success: the recovery key is shown first,
 * and `finish` publishes it when the operator has saved the key.
 */
export function useSetUp() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const mutation = useMutation<SetUpDone, BackendError, FirstRunInput>({
    mutationFn: (input) => backend.setUp(input),
  });
  const finish = () => {
    if (mutation.data) {
      queryClient.setQueryData(APP_INFO_KEY, mutation.data.info);
    }
  };
  return { ...mutation, finish };
}

export const SYNC_KEY = ["sync"] as const;

/** How often the sync screen re-reads the background engine's status. */
const SYNC_REFRESH_MS = 5_000;

/** How often while a long pull runs, so that its bar moves. */
const SYNC_PULLING_REFRESH_MS = 1_000;

/** The enrollment and the background sync's status. */
export function useSyncView() {
  const backend = useBackend();
  return useQuery<SyncView, BackendError>({
    queryKey: SYNC_KEY,
    queryFn: () => backend.syncStatus(),
    refetchInterval: (query) =>
      query.state.data?.status.pulling ? SYNC_PULLING_REFRESH_MS : SYNC_REFRESH_MS,
  });
}

/** A mutation whose answer is the new sync view. */
function useSyncChange<Variables>(change: (variables: Variables) => Promise<SyncView>) {
  const queryClient = useQueryClient();
  return useMutation<SyncView, BackendError, Variables>({
    mutationFn: change,
    onSuccess: (view) => queryClient.setQueryData(SYNC_KEY, view),
  });
}

export function useEnrollDevice() {
  const backend = useBackend();
  return useSyncChange<{ serverUrl: string; code: string }>(({ serverUrl, code }) =>
    backend.enrollDevice(serverUrl, code),
  );
}

export function useReenrollDevice() {
  const backend = useBackend();
  return useSyncChange<{ serverUrl: string; code: string }>(({ serverUrl, code }) =>
    backend.reenrollDevice(serverUrl, code),
  );
}

export function useSyncNow() {
  const backend = useBackend();
  return useSyncChange<void>(() => backend.syncNow());
}

const CONFLICTS_KEY = ["conflicts"] as const;

/** The conflicts to review. */
export function useConflicts() {
  const backend = useBackend();
  return useQuery<ConflictView[], BackendError>({
    queryKey: CONFLICTS_KEY,
    queryFn: () => backend.conflicts(),
  });
}

/** Settles a conflict; the list and the sync status are read again. */
export function useResolveConflict() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation<
    ConflictView[],
    BackendError,
    { conflict: ConflictView; resolution: Resolution }
  >({
    mutationFn: ({ conflict, resolution }) =>
      backend.resolveConflict(conflict.entity, conflict.rowId, conflict.topic, resolution),
    onSuccess: (left) => {
      queryClient.setQueryData(CONFLICTS_KEY, left);
      void queryClient.invalidateQueries({ queryKey: SYNC_KEY });
    },
  });
}
