import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: the operations console in Debian's Chromium (`/usr/bin/chromium`,
 * driven by playwright-core) against the local stack with demo data, one file at a time.
 */
export default defineConfig({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
