import { type CliContext, ruleSettingsOrUsageError } from './cli-context';
import { RuntimeFailure } from './cli-errors';

/** The real context: process environment, wall clock, stdout and stderr. */
export const defaultCliContext = (): CliContext => ({
  env: process.env,
  now: () => new Date(),
  ruleSettings: () => ruleSettingsOrUsageError(process.env),
  print: (text) => process.stdout.write(`${text}\n`),
  warn: (text) => process.stderr.write(`${text}\n`),
  openStore: async () => {
    throw new RuntimeFailure('the store is not wired yet');
  },
});
