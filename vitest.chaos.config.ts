import { defineConfig } from 'vitest/config';

/**
 * `npm run test:chaos`: the suites that explore faults, races, restarts, load and hostile input
 * (test/chaos). They run one file at a time, so a load or restart test measures the product and
 * not its neighbours; `CHAOS_RUNS` sets how many random scenarios the model-based suite runs
 * (1,000 by default, the size CI runs), `CHAOS_RACE_RUNS` how many races (200), and
 * `LOAD_SECONDS` how long the load test lasts. `npm run test:chaos:model` runs the model-based
 * suite alone.
 */
export default defineConfig({
  test: {
    name: 'chaos',
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    fileParallelism: false,
    // The model-based scenarios take minutes on a small machine.
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
  },
});
