import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// base "./": the built app works from any folder of a static server.
// <cx-report-viewer> is a custom element, not a Vue component.
export default defineConfig({
  base: "./",
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === "cx-report-viewer" } } })],
});
