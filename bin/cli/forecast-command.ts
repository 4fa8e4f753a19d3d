import type { Command } from 'commander';
import { countLines } from '../../functions/adapters/event-file-reader';
import { compareDates } from '../../functions/domain/calendar';
import { foldEventFile, type RejectedLine } from '../../functions/use-cases/fold-event-file';
import { type ForecastEntry, forecast } from '../../functions/use-cases/forecast';
import { type CliContext, ruleSettingsOf } from './cli-context';
import { RuntimeFailure, UsageError } from './cli-errors';
import { formatTable, parseDateOption } from './cli-options';
import { openApp, storedCandidates } from './open-store';
import { startProgress } from './progress';

interface ForecastOptions {
  readonly from: string;
  readonly to: string;
  readonly input?: string;
  readonly candidate?: string;
  readonly json?: boolean;
  readonly target?: string;
}

/** Text output: a table of reminders (rejected lines go to stderr). */
const renderText = (entries: readonly ForecastEntry[]): string => {
  const lines: string[] = [];
  if (entries.length === 0) lines.push('No reminders due in that range.');
  else {
    lines.push(
      formatTable(
        ['due on', 'due at (UTC)', 'candidate', 'credential', 'kind', 'why'],
        entries.map((entry) => [
          entry.dueOn,
          entry.dueAt,
          entry.candidateId,
          entry.credentialId,
          entry.kind,
          entry.why,
        ]),
      ),
    );
    lines.push('', `${entries.length} reminder${entries.length === 1 ? '' : 's'}.`);
  }
  return lines.join('\n');
};

export const registerForecast = (program: Command, context: CliContext) => {
  program
    .command('forecast')
    .description('List every reminder due in a date range, with why. Changes nothing.')
    .requiredOption('--from <date>', 'first local due date, YYYY-MM-DD', parseDateOption('--from'))
    .requiredOption('--to <date>', 'last local due date, YYYY-MM-DD', parseDateOption('--to'))
    .option('--input <file>', 'compute from an events file (.jsonl or .csv) instead of the store')
    .option('--candidate <id>', 'only this candidate')
    .option('--target <where>', 'read the deployed table with "aws" (TABLE_NAME, AWS_REGION)')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  npm run reminders -- forecast --input examples/events.jsonl --from 2027-01-01 --to 2028-12-31\n  npm run reminders -- forecast --from 2027-11-01 --to 2027-11-30 --json',
    )
    .action(async (options: ForecastOptions) => {
      if (compareDates(options.from, options.to) > 0)
        throw new UsageError('--from must not be after --to');
      const settings = ruleSettingsOf(context);
      const query = {
        from: options.from,
        to: options.to,
        ...(options.candidate === undefined ? {} : { candidateId: options.candidate }),
      };
      let entries: ForecastEntry[];
      let rejected: readonly RejectedLine[] = [];
      if (options.input !== undefined) {
        if (options.target !== undefined)
          throw new UsageError('--input and --target cannot be combined');
        const total = await countLines(options.input).catch(() => {
          throw new RuntimeFailure(`cannot read ${options.input}`);
        });
        const progress = startProgress(context, 'Reading', total, 'lines');
        const folded = await foldEventFile(options.input, {
          now: context.now,
          onLine: (line) => progress.update(line),
        }).finally(() => progress.stop());
        const candidateId = query.candidateId && folded.fold.canonical(query.candidateId);
        entries = forecast(folded.fold.candidates(), settings, {
          ...query,
          ...(candidateId ? { candidateId } : {}),
        });
        rejected = folded.rejected;
      } else {
        const app = await openApp(context, {
          readOnly: true,
          ...(options.target ? { target: options.target } : {}),
        });
        entries = forecast(await storedCandidates(app, query.candidateId), settings, query);
      }
      const document = { reminders: entries, ...(rejected.length > 0 ? { rejected } : {}) };
      context.print(options.json ? JSON.stringify(document, null, 2) : renderText(entries));
      for (const line of rejected) context.warn(`line ${line.line}: ${line.error}`);
      if (rejected.length > 0) {
        throw new RuntimeFailure(
          `${rejected.length} line${rejected.length === 1 ? '' : 's'} of ${options.input} rejected`,
        );
      }
    });
};
