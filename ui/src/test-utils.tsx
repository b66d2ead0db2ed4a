import { render } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { App, appRoutes, newQueryClient } from "./App";
import type { Backend } from "./backend";

/** Renders the whole app on `backend` at `path`, as the shell would, without the shell. */
export function renderApp(backend: Backend, path = "/") {
  const router = createMemoryRouter(appRoutes, { initialEntries: [path] });
  return render(
    <App backend={backend} queryClient={newQueryClient()}>
      <RouterProvider router={router} />
    </App>,
  );
}

/** Text without Fluent's bidi isolation marks. */
export function plain(text: string | null | undefined): string {
  return (text ?? "").replace(/[\u2068\u2069]/g, "");
}
