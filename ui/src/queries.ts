import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type BackendError, useBackend } from "./backend";
import type { AppInfo } from "./bindings/AppInfo";
import type { Locale } from "./bindings/Locale";

export const APP_INFO_KEY = ["app-info"] as const;

/** The state of this installation: version, Ambito, language, data folder, database. */
export function useAppInfo() {
  const backend = useBackend();
  return useQuery<AppInfo, BackendError>({
    queryKey: APP_INFO_KEY,
    queryFn: () => backend.appInfo(),
  });
}

/** Switches the interface language; on success the new state replaces the cached one. */
export function useSetLocale() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation<AppInfo, BackendError, Locale>({
    mutationFn: (locale) => backend.setLocale(locale),
    onSuccess: (info) => queryClient.setQueryData(APP_INFO_KEY, info),
  });
}
