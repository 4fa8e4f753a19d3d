import { defineConfig } from 'vitest/config';

/**
 * One `npm test` runs every project:
 * - the rule tests (and the forecast's, which turn rules into dates) three times, under host time
 *   zones west of, at and east of UTC, to prove the host's zone never changes a result;
 * - the other unit tests;
 * - integration tests against the DynamoDB and SES emulators started by the global setup;
 * - CDK template assertions.
 */
const hostZones = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata'];
const zoneTests = [
  'test/unit/domain/**/*.test.ts',
  'test/unit/use-cases/forecast.test.ts',
  'test/unit/bin/cli/forecast-command.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      ...hostZones.map((zone) => ({
        test: {
          name: `rules (TZ=${zone})`,
          include: zoneTests,
          env: { TZ: zone },
        },
      })),
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: zoneTests,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
