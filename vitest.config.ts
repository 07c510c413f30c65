import { defineConfig } from 'vitest/config';

/**
 * Workspace packages export their TypeScript sources under the `b-route-source` condition and
 * their build (dist/) otherwise: tests and dev tools see the sources without a build, while
 * `node` and an installed package see the JavaScript.
 */
const SOURCE = 'b-route-source';

export default defineConfig({
  resolve: { conditions: [SOURCE, 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: [SOURCE, 'module', 'node', 'development|production'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/*.hw.test.ts', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Child processes the tests spawn (`node --import tsx …`) resolve the sources too.
    env: { NODE_OPTIONS: `--conditions=${SOURCE}` },
    reporters: ['default', './scripts/vitest/summary-reporter.ts'],
    // One embedded PostgreSQL for the whole run; each test file gets its own fresh database.
    globalSetup: ['packages/store/src/testing/test-global-setup.ts'],
  },
});
