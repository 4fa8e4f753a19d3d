import { defineConfig } from 'vitest/config';

/**
 * `npm run test:chaos`: the suites that explore faults, races, restarts, load and hostile input
 * (test/chaos). They run one file at a time, so a load or restart test measures the product and
 * not its neighbours; `CHAOS_RUNS` sets how many random scenarios the model-based suite runs
 * (1,000 by default, the size CI runs) and `LOAD_SECONDS` how long the load test lasts.
 */
export default defineConfig({
  test: {
    name: 'chaos',
    include: ['test/chaos/**/*.test.ts'],
    // The model-based suite still finds open merge races (README, Reliability): it runs on its
    // own with `npm run test:chaos:model` and joins this run once they are fixed.
    exclude: ['test/chaos/model/**'],
    globalSetup: ['test/integration/global-setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
