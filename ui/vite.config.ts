/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const assets = fileURLToPath(new URL("../assets", import.meta.url));
// design-react-kit's package.json "exports" names only the non-standard "module" condition,
// which Node (and so Vitest) does not use: point at its ES module build directly.
const designReactKit = fileURLToPath(
  new URL("./node_modules/design-react-kit/dist/index.js", import.meta.url),
);

export default defineConfig({
  plugins: process.env.VITEST ? [] : [react()],
  // Under Vitest, design-react-kit is inlined (below) and React's CommonJS jsx-dev-runtime
  // then loses its named exports; the production JSX runtime has none of that trouble.
  oxc: process.env.VITEST ? { jsx: { runtime: "automatic", development: false } } : undefined,
  // Relative asset URLs: the app is served by Tauri's own protocol, never from a web server.
  base: "./",
  resolve: {
    alias: [
      { find: "@assets", replacement: assets },
      { find: /^design-react-kit$/, replacement: designReactKit },
    ],
  },
  server: { fs: { allow: [".", assets] } },
  build: {
    target: "es2022",
    // No asset becomes a data: URL; fonts and images stay files served by the app (CSP: 'self').
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test-setup.ts"],
    css: false,
    // Its ES build imports files without extensions, which Node refuses: let Vite load it.
    server: { deps: { inline: ["design-react-kit"] } },
  },
});
