import type { Command } from 'commander';
import { countLines } from '../../functions/adapters/event-file-reader';
import { importEvents } from '../../functions/use-cases/import-events';
import type { CliContext } from './cli-context';
import { ruleSettingsOf } from './cli-context';
import { RuntimeFailure } from './cli-errors';
import { openApp } from './open-store';
import { startProgress } from './progress';

export const registerImport = (program: Command, context: CliContext) => {
  program
    .command('import')
    .description(
      'Bulk-load an events file (.jsonl, one event a line, or .csv) into the store. Idempotent.',
    )
    .argument('<file>', 'the events file')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nCSV columns: attemptId,candidateId,email,name,timeZone,credentialId,credentialName,outcome,takenAt,guardianEmail\n\nExample:\n  npm run reminders -- import examples/events.jsonl',
    )
    .action(async (file: string, options: { json?: boolean }) => {
      const total = await countLines(file).catch(() => {
        throw new RuntimeFailure(`cannot read ${file}`);
      });
      const app = await openApp(context);
      const progress = startProgress(context, 'Importing', total, 'lines');
      const summary = await importEvents(
        { stores: app.stores, settings: ruleSettingsOf(context), clock: { now: context.now } },
        file,
        { onProgress: ({ read }) => progress.update(read) },
      ).finally(() => progress.stop());
      if (options.json) context.print(JSON.stringify(summary, null, 2));
      else {
        context.print(
          `Read ${summary.read} event${summary.read === 1 ? '' : 's'}: ${summary.imported} imported, ${summary.duplicates} duplicate${summary.duplicates === 1 ? '' : 's'}, ${summary.rejected.length} rejected.`,
        );
      }
      for (const line of summary.rejected) context.warn(`line ${line.line}: ${line.error}`);
      if (summary.rejected.length > 0) {
        throw new RuntimeFailure(
          `${summary.rejected.length} line${summary.rejected.length === 1 ? '' : 's'} of ${file} rejected`,
        );
      }
    });
};
