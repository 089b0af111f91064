import { defineConfig } from 'vitest/config';

// make bench-web: Lighthouse on the reader's pages, one at a time.
export default defineConfig({
  test: {
    include: ['bench/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
