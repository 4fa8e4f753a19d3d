import type { CliContext } from './cli-context';

/** The real context: process environment, wall clock, stdout and stderr. */
export const defaultCliContext = (): CliContext => ({
  env: process.env,
  now: () => new Date(),
  print: (text) => process.stdout.write(`${text}\n`),
  warn: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
});
