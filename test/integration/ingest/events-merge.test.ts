import { beforeAll, describe, expect, it } from 'vitest';
import { storedCandidates } from '../../../bin/cli/open-store';
import {
  attemptEvent,
  createTestApp,
  emailsTo,
  runAt,
  type TestApp,
  uniqueId,
} from '../support/harness';
import { scanTable, snapshotTable, type TableItem } from '../support/table';
import {
  errorKeys,
  mergedEvent,
  post,
  postAll,
  pureForecast,
  storeForecast,
} from './ingest-support';
import { expectAlias, expectPendingRemindersMatchDerived } from './stored-layout';

/** SPEC §2 `account.merged` through the webhook: moves, routing, the ledger, repeats and loops. */

let shared: TestApp;

beforeAll(async () => {
  shared = await createTestApp();
});

describe('account.merged', () => {
  it('moves attempts to the target, deletes the source profile, and routes later attempts for the source to the target', async () => {
    // Prepare
    const from = uniqueId('from');
    const to = uniqueId('to');
    const fromAttempt = attemptEvent({
      candidateId: from,
      name: 'Old Account',
      outcome: 'fail',
      takenAt: '2026-03-01T10:00:00Z',
    });
    const toAttempt = attemptEvent({
      candidateId: to,
      name: 'New Account',
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'pass',
      takenAt: '2026-03-05T10:00:00Z',
    });
    await postAll(shared, [fromAttempt, toAttempt]);

    // Act
    const merged = await post(shared, mergedEvent(from, to, '2026-04-01T00:00:00Z'));
    const later = attemptEvent({
      candidateId: from,
      outcome: 'pass',
      takenAt: '2026-04-10T10:00:00Z',
    });
    const laterResult = await post(shared, later);

    // Assess
    expect(merged.statusCode).toBe(202);
    expect(merged.json?.status).toBe('accepted');
    expect(laterResult.statusCode).toBe(202);
    const target = await shared.app.store.loadCandidate(to);
    const attemptsOf = (record: typeof target) =>
      record.states
        .flatMap((state) =>
          state.attempts.map((attempt) => `${state.credentialId}/${attempt.attemptId}`),
        )
        .sort();
    expect(attemptsOf(target)).toEqual(
      [
        `aws-serverless/${fromAttempt.data.attemptId}`,
        `aws-serverless/${later.data.attemptId}`,
        `gcp-ace/${toAttempt.data.attemptId}`,
      ].sort(),
    );
    expect(target.profile?.profile.name).toBe('New Account');
    const source = await shared.app.store.loadCandidate(from);
    expect(source.profile).toBeUndefined();
    expect(source.states).toEqual([]);
    expect(source.mergedInto).toBe(to);
    expectAlias(await scanTable(shared), from, to);
    expect(await storedCandidates(shared.app, from)).toEqual(
      await storedCandidates(shared.app, to),
    );
    await expectPendingRemindersMatchDerived(shared, to);
    const events = [fromAttempt, toAttempt, mergedEvent(from, to, '2026-04-01T00:00:00Z'), later];
    expect(await storeForecast(shared, to)).toEqual(pureForecast(events, to, shared));
  });

  it('counts reminders already emailed to the source as emailed for the target', async () => {
    // Prepare
    const testApp = await createTestApp();
    const from = uniqueId('ledger-from');
    const to = uniqueId('ledger-to');
    const fromPass = attemptEvent({
      candidateId: from,
      outcome: 'pass',
      takenAt: '2026-02-20T10:00:00Z',
    });
    await postAll(testApp, [
      fromPass,
      attemptEvent({
        candidateId: to,
        credentialId: 'gcp-ace',
        credentialName: 'GCP ACE',
        outcome: 'pass',
        takenAt: '2026-06-01T10:00:00Z',
      }),
    ]);
    const first = await runAt(testApp.app, '2026-11-20T13:00:00Z');
    expect(
      first.emails.filter((sent) => sent.candidateId === from).flatMap((sent) => sent.reminders),
    ).toEqual([
      { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2026-11-20' },
    ]);

    // Act
    const merged = await post(testApp, mergedEvent(from, to, '2026-11-20T15:00:00Z'));
    const second = await runAt(testApp.app, '2026-11-21T13:00:00Z');
    const third = await runAt(testApp.app, '2026-11-25T13:00:00Z');

    // Assess
    expect(merged.statusCode).toBe(202);
    expect([...second.emails, ...third.emails]).toEqual([]);
    expect(await emailsTo(`${to}@example.com`)).toEqual([]);
    const target = await testApp.app.store.loadCandidate(to);
    const renewalKey = `aws-serverless#renewal_window_open#${fromPass.data.attemptId}`;
    expect(target.reminders.find((reminder) => reminder.key === renewalKey)).toMatchObject({
      status: 'sent',
      anchorAttemptId: fromPass.data.attemptId,
      dueOn: '2026-11-20',
    });
    expect(target.reminders.filter((reminder) => reminder.key === renewalKey)).toHaveLength(1);
  });

  it('answers a repeated merge with 202 duplicate, and refuses a merge of the source elsewhere with 409', async () => {
    // Prepare
    const a = uniqueId('ma');
    const b = uniqueId('mb');
    const c = uniqueId('mc');
    await postAll(shared, [
      attemptEvent({ candidateId: a, outcome: 'pass', takenAt: '2026-05-01T10:00:00Z' }),
      attemptEvent({ candidateId: b, outcome: 'fail', takenAt: '2026-05-02T10:00:00Z' }),
      attemptEvent({ candidateId: c, outcome: 'fail', takenAt: '2026-05-03T10:00:00Z' }),
    ]);
    await postAll(shared, [mergedEvent(a, b, '2026-06-01T00:00:00Z')]);
    const before = await snapshotTable(shared);

    // Act
    const repeat = await post(shared, mergedEvent(a, b, '2026-06-01T00:00:00Z'));
    const afterRepeat = await snapshotTable(shared);
    const elsewhere = await post(shared, mergedEvent(a, c, '2026-06-02T00:00:00Z'));

    // Assess
    expect(repeat.statusCode).toBe(202);
    expect(repeat.json?.status).toBe('duplicate');
    expect(elsewhere.statusCode).toBe(409);
    expect(Object.keys(elsewhere.json ?? {}).sort()).toEqual(errorKeys());
    expect(elsewhere.json?.error).toBe('conflict');
    const after = await snapshotTable(shared);
    const withoutWebhooks = (items: readonly TableItem[]) =>
      items.filter((item) => !String(item.pk).startsWith('WEBHOOK#'));
    expect(withoutWebhooks(afterRepeat.items)).toEqual(withoutWebhooks(before.items));
    expect(after.hash).toBe(afterRepeat.hash);
  });

  it('refuses a merge into itself with 400 and a merge that would loop with 409, storing nothing', async () => {
    // Prepare
    const a = uniqueId('loop-a');
    const b = uniqueId('loop-b');
    await postAll(shared, [
      attemptEvent({ candidateId: a, outcome: 'pass', takenAt: '2026-05-01T10:00:00Z' }),
      attemptEvent({ candidateId: b, outcome: 'pass', takenAt: '2026-05-02T10:00:00Z' }),
      mergedEvent(a, b, '2026-06-01T00:00:00Z'),
    ]);
    const before = await snapshotTable(shared);

    // Act
    const self = await post(shared, mergedEvent(b, b, '2026-06-02T00:00:00Z'));
    const loop = await post(shared, mergedEvent(b, a, '2026-06-03T00:00:00Z'));

    // Assess
    expect(self.statusCode).toBe(400);
    expect(self.json?.error).toBe('invalid_payload');
    expect(loop.statusCode).toBe(409);
    expect(loop.json?.error).toBe('conflict');
    expect(Object.keys(loop.json ?? {}).sort()).toEqual(errorKeys());
    const after = await snapshotTable(shared);
    expect(after.count).toBe(before.count);
    expect(after.hash).toBe(before.hash);
    expect((await shared.app.store.resolveCandidate(a)).candidateId).toBe(b);
    expect((await shared.app.store.resolveCandidate(b)).candidateId).toBe(b);
  });

  it('follows a chain of merges: a into b, b into c, then an attempt for a lands on c', async () => {
    // Prepare
    const a = uniqueId('chain-a');
    const b = uniqueId('chain-b');
    const c = uniqueId('chain-c');
    const events = [
      attemptEvent({ candidateId: a, outcome: 'fail', takenAt: '2026-05-01T10:00:00Z' }),
      attemptEvent({ candidateId: b, outcome: 'fail', takenAt: '2026-05-02T10:00:00Z' }),
      attemptEvent({ candidateId: c, outcome: 'pass', takenAt: '2026-05-03T10:00:00Z' }),
      mergedEvent(a, b, '2026-06-01T00:00:00Z'),
      mergedEvent(b, c, '2026-06-02T00:00:00Z'),
      attemptEvent({ candidateId: a, outcome: 'fail', takenAt: '2026-06-10T10:00:00Z' }),
    ];

    // Act
    await postAll(shared, events);

    // Assess
    const target = await shared.app.store.loadCandidate(c);
    expect(target.states.flatMap((state) => state.attempts)).toHaveLength(4);
    expect(await storeForecast(shared, c)).toEqual(pureForecast(events, c, shared));
    await expectPendingRemindersMatchDerived(shared, c);
  });
});
