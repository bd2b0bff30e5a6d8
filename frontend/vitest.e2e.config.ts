import { defineConfig } from 'vitest/config';

// End-to-end: the real app jar (started once in globalSetup) and Debian's headless Chromium.
// Files run one after another: they share the app, and some change its experts.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/globalSetup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // stopping the app drains it and stops its embedded PostgreSQL, which takes longer than the default
    teardownTimeout: 120_000,
  },
});
