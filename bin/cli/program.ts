import { Command, CommanderError } from 'commander';
import { type CliContext, ruleSettingsOf } from './cli-context';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './cli-errors';
import { registerConsole } from './console-command';
import { registerDev } from './dev-command';
import { registerForecast } from './forecast-command';
import { registerImport } from './import-command';
import { registerPolicy } from './policy-command';
import { registerReindex } from './reindex-command';
import { registerRun } from './run-command';
import { registerSign } from './sign-command';
import { registerTimeline } from './timeline-command';

/**
 * Builds the `reminders` command line. Every command has `--help`; usage errors exit 2, runtime
 * failures exit 1, each with one line on stderr (a stack trace only with `--verbose`).
 */
export const buildProgram = (context: CliContext): Command => {
  const program = new Command('reminders')
    .description(
      'cert-reminders: renewal, retake and expiry reminders for certification programmes',
    )
    .option('--verbose', 'print stack traces of failures')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    });
  registerDev(program, context);
  registerRun(program, context);
  registerForecast(program, context);
  registerImport(program, context);
  registerTimeline(program, context);
  registerSign(program, context);
  registerConsole(program, context);
  registerPolicy(program, context);
  registerReindex(program, context);
  // SPEC §9: no command starts on an invalid POLICY_FILE (`policy check` is the one that reports it).
  program.hook('preAction', (_program, action) => {
    if (action.parent?.name() !== 'policy') ruleSettingsOf(context);
  });
  for (const command of program.commands) command.exitOverride();
  return program;
};

/** Runs the command line and returns the exit code. */
export const runCli = async (argv: readonly string[], context: CliContext): Promise<number> => {
  const program = buildProgram(context);
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
        return EXIT_OK;
      if (error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message.split('\n')[0]}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT_FAILURE;
  }
};
