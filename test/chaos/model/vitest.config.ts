import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The model-based chaos suites on their own, against the emulators started by the integration
 * tests' global setup: `npx vitest run --config test/chaos/model/vitest.config.ts`.
 *
 * `CHAOS_RUNS` sets the number of fault scenarios (default 1000; 10000 for a full run),
 * `CHAOS_RACE_RUNS` the number of race scenarios (default 200), and `CHAOS_SEED` replays the
 * scenarios of a failure fast-check reported.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    name: 'chaos-model',
    include: ['test/chaos/model/**/*.test.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // The files share the emulators' one thread: one at a time keeps the timings comparable.
    fileParallelism: false,
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
  },
});
