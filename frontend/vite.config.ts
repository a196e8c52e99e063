import react from "@vitejs/plugin-react";
import { visualizer } from "rollup-plugin-visualizer";
import { defineConfig } from "vite";

// `npm run analyze` writes what each chunk holds to bundle-report/ (treemap and markdown).
const analyze = process.env.ANALYZE === "1";

export default defineConfig({
  plugins: [
    react(),
    analyze && visualizer({ filename: "bundle-report/treemap.html", gzipSize: true }),
    analyze &&
      visualizer({ filename: "bundle-report/report.md", template: "markdown", gzipSize: true }),
  ],
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
    // Every browser the app supports preloads modules itself: no polyfill in the first load.
    modulePreload: { polyfill: false },
  },
});
