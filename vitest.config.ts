import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      {
        // Unit tests: everything except the e2e lab, in parallel.
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/e2e/**"],
        },
      },
      {
        // e2e: real charons in network namespaces. One file at a time (2-core machines; each file owns a lab),
        // in forked processes so SIGINT/SIGTERM handlers can tear the lab down, with longer timeouts.
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          fileParallelism: false,
          pool: "forks",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ["test/e2e/lab/global-setup.ts"],
        },
      },
    ],
  },
});
