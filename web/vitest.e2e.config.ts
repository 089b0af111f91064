import { defineConfig } from 'vitest/config';

// The browser tests (e2e/): the real binary and Chromium, one file at a
// time, each with a server of its own. npm run test:e2e; make test runs
// them after the binary is built.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
