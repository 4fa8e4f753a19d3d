import type { Command } from 'commander';
import { reindexDue } from '../../functions/use-cases/reindex-due';
import { type CliContext, ruleSettingsOf } from './cli-context';
import { openApp } from './open-store';
import { startCounter } from './progress';

interface ReindexOptions {
  readonly target?: string;
  readonly json?: boolean;
}

export const registerReindex = (program: Command, context: CliContext) => {
  program
    .command('reindex')
    .description(
      "Rewrite every candidate's due-index entry that differs from the rules and policy in force (after a changed POLICY_FILE, EXPIRY_WARNING_DAYS or SEND_HOUR).",
    )
    .option('--target <where>', 'rebuild the deployed table with "aws" (TABLE_NAME, AWS_REGION)')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  npm run reminders -- reindex\n  npm run reminders -- reindex --target aws --json',
    )
    .action(async (options: ReindexOptions) => {
      const settings = ruleSettingsOf(context);
      const app = await openApp(context, {
        writesOnAws: true,
        ...(options.target ? { target: options.target } : {}),
      });
      // The total is not known before the Scan ends: the bar counts the candidates scanned.
      const progress = startCounter(context, 'Reindexing', 'candidates scanned');
      const report = await reindexDue(
        { candidates: app.stores.candidates, settings },
        { onProgress: ({ scanned }) => progress.update(scanned) },
      ).finally(() => progress.stop());
      context.print(
        options.json
          ? JSON.stringify(report)
          : `Scanned ${report.scanned} candidate${report.scanned === 1 ? '' : 's'}; rewrote ${report.rewritten} due-index ${report.rewritten === 1 ? 'entry' : 'entries'}.`,
      );
    });
};
