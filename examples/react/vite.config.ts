import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// base "./": the built app works from any folder of a static server.
export default defineConfig({ base: "./", plugins: [react()] });
