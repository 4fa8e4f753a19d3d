import type { Command } from 'commander';
import { Temporal } from 'temporal-polyfill';
import type { RunReport } from '../local/local-app';
import type { CliContext } from './cli-context';
import { localConfigOf } from './cli-context';
import { RuntimeFailure } from './cli-errors';
import { parseRunInstant } from './cli-options';
import { openApp } from './open-store';

interface RunOptions {
  readonly now?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly target?: string;
}

/** The SPEC §5 `run` document. */
export const runDocument = (report: RunReport) => ({
  runAt: report.runAt,
  dryRun: report.dryRun,
  emails: report.emails.map((email) => ({
    candidateId: email.candidateId,
    to: email.to,
    cc: email.cc,
    messageId: email.messageId,
    subject: email.subject,
    reminders: email.reminders,
  })),
  skipped: report.skipped,
  ...(report.failed.length > 0 ? { failed: report.failed } : {}),
});

/** A few readable lines about a run. */
export const describeRun = (report: RunReport): string => {
  const verb = report.dryRun ? 'would send' : 'sent';
  const lines = [
    `Run at ${report.runAt}${report.dryRun ? ' (dry run: nothing sent or recorded)' : ''}: ${report.emails.length} email${report.emails.length === 1 ? '' : 's'} ${verb}, ${report.skipped.length} reminder${report.skipped.length === 1 ? '' : 's'} skipped.`,
  ];
  // Candidate ids and what was due, never addresses, names or subjects: this is also the local
  // stack's running log (SPEC §11). `--json` gives the addresses of SPEC §5.
  for (const email of report.emails) {
    const cc = email.cc.length > 0 ? ' (copied to their guardian)' : '';
    lines.push(`  ${verb} to candidate ${email.candidateId}${cc}:`);
    for (const reminder of email.reminders)
      lines.push(`    - ${reminder.kind} ${reminder.credentialId} due ${reminder.dueOn}`);
  }
  for (const skip of report.skipped) {
    lines.push(
      `  skipped ${skip.kind} ${skip.credentialId} of ${skip.candidateId} due ${skip.dueOn}: ${skip.reason}`,
    );
  }
  for (const failure of report.failed)
    lines.push(`  FAILED for ${failure.candidateId}: ${failure.error}`);
  return lines.join('\n');
};

/** Fails clearly when the SES emulator does not answer (a real run needs it). */
const checkSes = async (endpoint: string) => {
  try {
    await fetch(new URL('/health-check', endpoint), { signal: AbortSignal.timeout(3000) });
  } catch {
    throw new RuntimeFailure(
      `nothing answers at ${endpoint} (SES_ENDPOINT): start the local stack with \`npm start\``,
    );
  }
};

export const registerRun = (program: Command, context: CliContext) => {
  program
    .command('run')
    .description(
      'Run the daily job once: email every reminder due by --now that was not emailed before.',
    )
    .option(
      '--now <instant>',
      'the run instant: ISO 8601 with offset, or a date meaning 13:00 UTC (default: now)',
      parseRunInstant,
    )
    .option('--dry-run', 'show what would be sent; send and record nothing')
    .option('--target <where>', 'with --dry-run: read the deployed table with "aws"')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  npm run reminders -- run --now 2027-11-29 --dry-run\n  npm run reminders -- run --now 2027-11-29T13:00:00Z --json',
    )
    .action(async (options: RunOptions) => {
      const app = await openApp(context, {
        ...(options.target ? { target: options.target } : {}),
        readOnly: options.dryRun === true,
        needsSecrets: options.dryRun !== true,
      });
      if (!options.dryRun) await checkSes(localConfigOf(context).sesEndpoint);
      const runAt = options.now
        ? Temporal.Instant.from(options.now)
        : Temporal.Instant.fromEpochMilliseconds(context.now().getTime());
      const report = await app.run(runAt, { dryRun: options.dryRun === true });
      context.print(
        options.json ? JSON.stringify(runDocument(report), null, 2) : describeRun(report),
      );
      if (report.failed.length > 0)
        throw new RuntimeFailure(
          `${report.failed.length} email${report.failed.length === 1 ? '' : 's'} could not be sent`,
        );
    });
};
