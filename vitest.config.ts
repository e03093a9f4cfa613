import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": import.meta.dirname,
      // Tests run server modules outside React's server environment, where "server-only" would throw: its own empty
      // module, the one Node gets with --conditions=react-server (see the worker and scripts in package.json).
      "server-only": path.join(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["{core,contract,sources,server,worker,simulator,prisma,scripts,components}/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
