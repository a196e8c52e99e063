import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/graphql": { target: "http://127.0.0.1:8000", changeOrigin: false },
      "/export": { target: "http://127.0.0.1:8000", changeOrigin: false },
      "/import": { target: "http://127.0.0.1:8000", changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
});
