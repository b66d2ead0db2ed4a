import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useMemo } from "react";
import { Route, type RouteObject, Routes } from "react-router-dom";
import { type Backend, BackendContext } from "./backend";
import { Layout } from "./components/Layout";
import { SessionGate } from "./components/SessionGate";
import { UnsavedChangesProvider } from "./components/UnsavedChanges";
import { LocaleContext, type LocaleState } from "./i18n/LocaleContext";
import { Localization } from "./i18n/Localization";
import { About } from "./pages/About";
import { Agenda } from "./pages/Agenda";
import { Conflicts } from "./pages/Conflicts";
import { Directory } from "./pages/Directory";
import { FolderAccesses, FolderHistory } from "./pages/FolderHistory";
import { FolderPage } from "./pages/FolderPage";
import { Home } from "./pages/Home";
import { MergeFolders } from "./pages/MergeFolders";
import { NewPerson } from "./pages/NewPerson";
import { Practices } from "./pages/Practices";
import { QuickContact } from "./pages/QuickContact";
import { Settings } from "./pages/Settings";
import { Sync } from "./pages/Sync";
import { useAppInfo, useSetLocale } from "./queries";

export function newQueryClient(): QueryClient {
  // Everything comes from the local shell: no network retries, no refetch on focus.
  return new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
  });
}

/** The whole app for `backend`; `children` is the router over [`appRoutes`] (a browser
 * router in the app, a memory router in tests): a data router, so a page with unsaved changes
 * can hold the operator before leaving. */
export function App({
  backend,
  queryClient,
  children,
}: {
  backend: Backend;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  return (
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={queryClient}>
        <LocalizedApp>
          <UnsavedChangesProvider>{children}</UnsavedChangesProvider>
        </LocalizedApp>
      </QueryClientProvider>
    </BackendContext.Provider>
  );
}

/** What every router of the app serves: the pages, under the layout. */
export const appRoutes: RouteObject[] = [{ path: "*", element: <AppRoutes /> }];

function LocalizedApp({ children }: { children: ReactNode }) {
  const info = useAppInfo();
  const switchLocale = useSetLocale();
  const locale = info.data?.locale ?? "it";
  const state = useMemo<LocaleState>(
    () => ({
      locale,
      setLocale: (next) => switchLocale.mutate(next),
      switchError: switchLocale.error?.message ?? null,
    }),
    [locale, switchLocale.mutate, switchLocale.error],
  );
  return (
    <Localization locale={locale}>
      <LocaleContext.Provider value={state}>{children}</LocaleContext.Provider>
    </Localization>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route
          index
          element={
            <SessionGate>
              <Home />
            </SessionGate>
          }
        />
        <Route
          path="sync"
          element={
            <SessionGate>
              <Sync />
            </SessionGate>
          }
        />
        <Route
          path="conflicts"
          element={
            <SessionGate>
              <Conflicts />
            </SessionGate>
          }
        />
        {(
          [
            ["new-person", <NewPerson key="new" />],
            ["contact", <QuickContact key="contact" />],
            ["practices", <Practices key="practices" />],
            ["agenda", <Agenda key="agenda" />],
            ["directory", <Directory key="directory" />],
            ["folder/:id", <FolderPage key="folder" />],
            ["folder/:id/history", <FolderHistory key="history" />],
            ["folder/:id/accesses", <FolderAccesses key="accesses" />],
            ["folder/:id/merge", <MergeFolders key="merge" />],
            ["settings", <Settings key="settings" />],
          ] as const
        ).map(([path, page]) => (
          <Route key={path} path={path} element={<SessionGate>{page}</SessionGate>} />
        ))}
        <Route path="about" element={<About />} />
      </Route>
    </Routes>
  );
}
