import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/*.hw.test.ts', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './scripts/vitest/summary-reporter.ts'],
    // One embedded PostgreSQL for the whole run; each test file gets its own fresh database.
    globalSetup: ['packages/store/src/testing/test-global-setup.ts'],
  },
});
