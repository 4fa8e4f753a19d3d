import type { Command } from 'commander';
import { buildTimeline, type Timeline } from '../../functions/use-cases/timeline';
import type { CliContext } from './cli-context';
import { ruleSettingsOf } from './cli-context';
import { RuntimeFailure } from './cli-errors';
import { formatTable } from './cli-options';
import { openApp } from './open-store';

/** A readable page about one candidate. */
export const describeTimeline = (timeline: Timeline): string => {
  const { profile } = timeline;
  const lines = [
    `${profile.name ?? timeline.candidateId} <${profile.email ?? 'no email'}>  (${timeline.candidateId})`,
    `  time zone ${timeline.timeZone}, locale ${profile.locale ?? 'en-GB'}${profile.guardianEmail ? `, guardian ${profile.guardianEmail}` : ''}${timeline.unsubscribed ? ', UNSUBSCRIBED' : ''}`,
    `  today ${timeline.today}`,
  ];
  for (const credential of timeline.credentials) {
    lines.push(
      '',
      `${credential.name} (${credential.credentialId}): ${credential.status.replace('_', ' ')}`,
    );
    const dates = [
      credential.passedOn && `passed ${credential.passedOn}`,
      credential.renewalOpensOn && `renewal opens ${credential.renewalOpensOn}`,
      credential.expiresOn && `expires ${credential.expiresOn}`,
      credential.nextAttemptFrom && `next attempt from ${credential.nextAttemptFrom}`,
    ].filter(Boolean);
    if (dates.length > 0) lines.push(`  ${dates.join(', ')}`);
    lines.push('  attempts:');
    for (const attempt of credential.attempts) {
      lines.push(
        `    ${attempt.takenOn}  ${attempt.outcome.padEnd(4)}  ${attempt.attemptId}  (${attempt.takenAt})`,
      );
    }
    if (credential.upcoming.length > 0) {
      lines.push('  reminders to come (or due and not yet sent):');
      for (const reminder of credential.upcoming)
        lines.push(`    ${reminder.dueOn}  ${reminder.kind}  ${reminder.why}`);
    }
  }
  const { emailed, skipped, failed } = timeline.reminders;
  if (emailed.length + skipped.length + failed.length > 0) {
    lines.push(
      '',
      formatTable(
        ['due on', 'credential', 'kind', 'outcome'],
        [
          ...emailed.map((r) => [
            r.dueOn,
            r.credentialId,
            r.kind,
            `emailed ${r.messageId ?? ''}`.trim(),
          ]),
          ...skipped.map((r) => [r.dueOn, r.credentialId, r.kind, `skipped: ${r.reason ?? ''}`]),
          ...failed.map((r) => [r.dueOn, r.credentialId, r.kind, 'failed']),
        ],
      ),
    );
  } else {
    lines.push('', 'No reminder emailed yet.');
  }
  return lines.join('\n');
};

export const registerTimeline = (program: Command, context: CliContext) => {
  program
    .command('timeline')
    .description(
      "One candidate's profile, each credential's state and dates, attempts, and reminders emailed and upcoming.",
    )
    .argument('<candidateId>', 'the candidate (a merged-away id leads to the surviving account)')
    .option('--target <where>', 'read the deployed table with "aws"')
    .option('--json', 'print one JSON document')
    .action(async (candidateId: string, options: { json?: boolean; target?: string }) => {
      const app = await openApp(context, {
        readOnly: true,
        ...(options.target ? { target: options.target } : {}),
      });
      const resolved = await app.store.resolveCandidate(candidateId);
      if (resolved.erased) throw new RuntimeFailure(`candidate ${candidateId} was erased`);
      const record = await app.store.loadCandidate(resolved.candidateId);
      if (!record.profile && record.states.length === 0)
        throw new RuntimeFailure(`no candidate ${candidateId} in the store`);
      const timeline = buildTimeline(record, ruleSettingsOf(context), context.now());
      const document =
        resolved.candidateId === candidateId ? timeline : { ...timeline, requestedId: candidateId };
      context.print(options.json ? JSON.stringify(document, null, 2) : describeTimeline(timeline));
    });
};
