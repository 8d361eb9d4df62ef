import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ByNameSequencer } from "./test/integration/sequencer";

const root = fileURLToPath(new URL(".", import.meta.url));
// `server-only` throws outside React Server Components; in tests the lib/ modules run in plain Node.
const alias = { "@": root, "server-only": `${root}test/support/empty.ts` };

export default defineConfig({
  resolve: { alias },
  test: {
    // files run in name order (a project-level sequencer is ignored): the final secrets scans come last
    sequence: { sequencer: ByNameSequencer },
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "server/**/*.test.ts", "components/**/*.test.ts", "test/fake-provider/**/*.test.ts", "bench/**/*.test.ts"], environment: "node" } },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "security",
          include: ["test/security/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/security/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "faults",
          include: ["test/faults/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/faults/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
