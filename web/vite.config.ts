// Builds the dashboard into web/dist (served by `outlast serve`). The Web Worker imports the
// checker and the engine straight from ../src: they import nothing from Node.
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 2000 },
  worker: { format: "es" },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  server: { fs: { allow: [".."] }, proxy: { "/api": "http://127.0.0.1:4873" } },
});
