import "bootstrap-italia/dist/css/bootstrap-italia.min.css";
import "./styles/fonts.css";
import "./styles/app.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router-dom";
import { App, appRoutes, newQueryClient } from "./App";
import { tauriBackend } from "./backend/tauri";

const root = document.getElementById("root");
if (root === null) {
  throw new Error("index.html has no #root element");
}
const router = createBrowserRouter(appRoutes);
createRoot(root).render(
  <StrictMode>
    <App backend={tauriBackend} queryClient={newQueryClient()}>
      <RouterProvider router={router} />
    </App>
  </StrictMode>,
);
