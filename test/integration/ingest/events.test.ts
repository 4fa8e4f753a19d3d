import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { storedCandidates } from '../../../bin/cli/open-store';
import { shardOf } from '../../../functions/adapters/dynamodb/item-keys';
import { forecast } from '../../../functions/use-cases/forecast';
import {
  attemptEvent,
  createTestApp,
  emailsTo,
  postEvent,
  runAt,
  type TestApp,
  uniqueId,
} from '../support/harness';
import {
  candidateItems,
  erasedEvent,
  errorKeys,
  expectPendingRemindersMatchDerived,
  foldEvents,
  mergedEvent,
  permutations,
  scanTable,
  snapshotTable,
  type TableItem,
  updateEvent,
  WIDE_RANGE,
  withoutCandidate,
} from './ingest-support';

/** SPEC §2 through the webhook: duplicates, arrival order, profiles, concurrency, erasure, merge. */

let shared: TestApp;

beforeAll(async () => {
  shared = await createTestApp();
});

const post = (testApp: TestApp, event: unknown, id?: string) =>
  postEvent(testApp.app, event, id === undefined ? {} : { id });

const postAll = async (testApp: TestApp, events: readonly unknown[]) => {
  for (const event of events) {
    const result = await post(testApp, event);
    expect(result.statusCode, JSON.stringify(result.json)).toBe(202);
  }
};

const storeForecast = async (testApp: TestApp, candidateId: string) =>
  forecast(await storedCandidates(testApp.app, candidateId), testApp.settings, {
    ...WIDE_RANGE,
    candidateId,
  });

const pureForecast = (events: readonly unknown[], candidateId: string, testApp: TestApp) =>
  forecast(foldEvents(events).candidates(), testApp.settings, { ...WIDE_RANGE, candidateId });

describe('duplicates', () => {
  it('answers a repeated webhook-id with 202 duplicate and stores nothing more', async () => {
    // Prepare
    const id = `msg_${randomUUID()}`;
    const event = attemptEvent({
      candidateId: uniqueId('dup'),
      outcome: 'pass',
      takenAt: '2026-04-01T10:00:00Z',
    });
    expect((await post(shared, event, id)).json).toEqual({ status: 'accepted', id });
    const before = await snapshotTable(shared);

    // Act
    const repeat = await post(shared, event, id);
    const otherBodySameId = await post(
      shared,
      attemptEvent({
        candidateId: uniqueId('dup'),
        outcome: 'fail',
        takenAt: '2026-04-02T10:00:00Z',
      }),
      id,
    );

    // Assess
    expect(repeat.statusCode).toBe(202);
    expect(repeat.json).toEqual({ status: 'duplicate', id });
    expect(otherBodySameId.statusCode).toBe(202);
    expect(otherBodySameId.json).toEqual({ status: 'duplicate', id });
    const after = await snapshotTable(shared);
    expect(after.count).toBe(before.count);
    expect(after.hash).toBe(before.hash);
  });

  it('answers an identical attemptId replayed under a new webhook-id with 202 duplicate, keeping one attempt', async () => {
    // Prepare
    const candidateId = uniqueId('replay');
    const event = attemptEvent({ candidateId, outcome: 'fail', takenAt: '2026-04-03T10:00:00Z' });
    await postAll(shared, [event]);
    const before = candidateItems(await scanTable(shared), candidateId);
    const replayId = `msg_${randomUUID()}`;

    // Act
    const replay = await post(shared, event, replayId);

    // Assess
    expect(replay.statusCode).toBe(202);
    expect(replay.json).toEqual({ status: 'duplicate', id: replayId });
    const items = await scanTable(shared);
    expect(candidateItems(items, candidateId)).toEqual(before);
    expect(items.filter((item) => item.pk === `ATTEMPT#${event.data.attemptId}`)).toHaveLength(1);
    const record = await shared.app.store.loadCandidate(candidateId);
    expect(record.states.flatMap((state) => state.attempts)).toHaveLength(1);
  });

  it('ignores unknown fields anywhere in the event', async () => {
    // Prepare
    const candidateId = uniqueId('extra');
    const base = attemptEvent({
      candidateId,
      outcome: 'pass',
      takenAt: '2026-04-04T10:00:00Z',
      name: 'Ana Lima',
    });
    const event = {
      ...base,
      surplusTop: { nested: true },
      data: {
        ...base.data,
        surplusData: 1,
        candidate: { ...base.data.candidate, surplusCandidate: 'x' },
        credential: { ...base.data.credential, surplusCredential: ['y'] },
      },
    };

    // Act
    const result = await post(shared, event);

    // Assess
    expect(result.statusCode).toBe(202);
    expect(result.json?.status).toBe('accepted');
    const record = await shared.app.store.loadCandidate(candidateId);
    expect(record.profile?.profile).toEqual({
      candidateId,
      email: `${candidateId}@example.com`,
      name: 'Ana Lima',
    });
    expect(JSON.stringify(candidateItems(await scanTable(shared), candidateId))).not.toMatch(
      /surplus/,
    );
  });
});

describe('arrival order never matters', () => {
  it('gives the same forecast and stored reminders for fail, pass, fail in every arrival order', async () => {
    // Prepare
    const history = (candidateId: string) => [
      attemptEvent({
        candidateId,
        attemptId: `${candidateId}-f1`,
        outcome: 'fail',
        takenAt: '2026-01-10T09:00:00Z',
        timeZone: 'America/Los_Angeles',
      }),
      attemptEvent({
        candidateId,
        attemptId: `${candidateId}-p1`,
        outcome: 'pass',
        takenAt: '2026-02-15T23:30:00Z',
        timeZone: 'America/Los_Angeles',
      }),
      attemptEvent({
        candidateId,
        attemptId: `${candidateId}-f2`,
        outcome: 'fail',
        takenAt: '2026-06-20T05:00:00Z',
        timeZone: 'America/Los_Angeles',
      }),
    ];
    const orders = permutations([0, 1, 2]);
    const candidates = orders.map(() => uniqueId('order'));

    // Act
    await Promise.all(
      orders.map((order, index) => {
        const events = history(candidates[index] as string);
        return postAll(
          shared,
          order.map((position) => events[position]),
        );
      }),
    );

    // Assess
    const inOrder = candidates[0] as string;
    const expected = withoutCandidate(pureForecast(history(inOrder), inOrder, shared));
    expect(expected.length).toBeGreaterThan(0);
    for (const candidateId of candidates) {
      expect(withoutCandidate(await storeForecast(shared, candidateId))).toEqual(expected);
      await expectPendingRemindersMatchDerived(shared, candidateId);
    }
  });
});

describe('arrival order never matters for random histories', () => {
  it('gives the store the forecast of the pure fold, whatever order attempts, profile updates and erasures arrive in', async () => {
    const zones = [
      'UTC',
      'America/Los_Angeles',
      'Asia/Tokyo',
      'Pacific/Kiritimati',
      'Asia/Kathmandu',
    ];
    const instant = fc
      .integer({ min: Date.parse('2025-06-01T00:00:00Z'), max: Date.parse('2026-11-01T00:00:00Z') })
      .map((ms) => new Date(ms).toISOString());
    const stepArb = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('attempt' as const),
          who: fc.nat(2),
          credential: fc.constantFrom('aws-serverless', 'gcp-ace'),
          outcome: fc.constantFrom('pass' as const, 'fail' as const),
          takenAt: instant,
          zone: fc.option(fc.constantFrom(...zones), { nil: undefined }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('update' as const),
          who: fc.nat(2),
          at: instant,
          zone: fc.option(fc.constantFrom(...zones), { nil: null }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('erase' as const), who: fc.nat(2), at: instant }),
      },
    );
    const scenarioArb = fc.array(stepArb, { minLength: 2, maxLength: 8 }).chain((steps) =>
      fc.tuple(
        fc.constant(steps),
        fc.shuffledSubarray(
          steps.map((_, index) => index),
          { minLength: steps.length },
        ),
      ),
    );

    await fc.assert(
      fc.asyncProperty(scenarioArb, async ([steps, order]) => {
        // Prepare
        const ids = [uniqueId('rnd-a'), uniqueId('rnd-b'), uniqueId('rnd-c')];
        const events = steps.map((step, index) => {
          const candidateId = ids[step.who] as string;
          if (step.kind === 'attempt') {
            return attemptEvent({
              candidateId,
              attemptId: `${candidateId}-${index}`,
              credentialId: step.credential,
              outcome: step.outcome,
              takenAt: step.takenAt,
              ...(step.zone ? { timeZone: step.zone } : {}),
            });
          }
          if (step.kind === 'update')
            return updateEvent(candidateId, step.at, { timeZone: step.zone });
          return erasedEvent(candidateId, step.at);
        });

        // Act
        await postAll(
          shared,
          order.map((index) => events[index]),
        );

        // Assess
        for (const candidateId of ids) {
          expect(await storeForecast(shared, candidateId)).toEqual(
            pureForecast(events, candidateId, shared),
          );
          const { erased } = await shared.app.store.resolveCandidate(candidateId);
          if (!erased) await expectPendingRemindersMatchDerived(shared, candidateId);
        }
      }),
      { numRuns: 15 },
    );
  }, 30_000);
});

describe('arrival order never matters across a merge', () => {
  /**
   * The source account lives in Asia/Tokyo; the target's own profile (no zone, so UTC) arrives
   * either before or after the merge. The pass at 2026-02-20T20:00Z is on 2026-02-20 in UTC and
   * on 2026-02-21 in Tokyo, so the zone the target ends up with shows in every due date.
   */
  const history = (source: string, target: string) => [
    attemptEvent({
      candidateId: source,
      timeZone: 'Asia/Tokyo',
      outcome: 'pass',
      takenAt: '2026-02-20T20:00:00Z',
    }),
    mergedEvent(source, target, '2026-03-01T00:00:00Z'),
    attemptEvent({
      candidateId: target,
      credentialId: 'gcp-ace',
      credentialName: 'GCP ACE',
      outcome: 'pass',
      takenAt: '2026-04-01T10:00:00Z',
    }),
  ];

  it("gives the same forecast whether the target's own profile arrives before or after the merge", async () => {
    // Prepare
    const orders = [
      [0, 2, 1],
      [2, 0, 1],
      [0, 1, 2],
    ];
    const pairs = orders.map(() => ({ source: uniqueId('mo-from'), target: uniqueId('mo-to') }));

    // Act
    for (const [index, order] of orders.entries()) {
      const { source, target } = pairs[index] as { source: string; target: string };
      const events = history(source, target);
      await postAll(
        shared,
        order.map((position) => events[position]),
      );
    }

    // Assess
    const forecasts = await Promise.all(
      pairs.map(async ({ target }) => withoutCandidate(await storeForecast(shared, target))),
    );
    const { source, target } = pairs[0] as { source: string; target: string };
    const reference = withoutCandidate(pureForecast(history(source, target), target, shared));
    expect(forecasts[0]).toEqual(reference);
    expect(forecasts[1]).toEqual(reference);
    expect(forecasts[2], 'merge first, target profile last').toEqual(reference);
  });
});

describe('profile fields are last-writer-wins by timestamp', () => {
  const history = (candidateId: string) => [
    attemptEvent({
      candidateId,
      attemptId: `${candidateId}-a1`,
      outcome: 'pass',
      takenAt: '2026-01-01T10:00:00Z',
      timestamp: '2026-01-01T10:00:00Z',
      name: 'Ana One',
      email: 'ana.one@example.com',
    }),
    updateEvent(candidateId, '2026-03-01T10:00:00Z', {
      name: 'Ana Three',
      guardianEmail: 'guardian@example.com',
      timeZone: 'Asia/Tokyo',
    }),
    updateEvent(candidateId, '2026-02-01T10:00:00Z', { name: 'Ana Two (older)' }),
    updateEvent(candidateId, '2026-04-01T10:00:00Z', { guardianEmail: null }),
    updateEvent(candidateId, '2026-03-15T10:00:00Z', {
      guardianEmail: 'stale-guardian@example.com',
      email: 'ana.newer@example.com',
    }),
  ];
  const orders = [
    [0, 1, 2, 3, 4],
    [4, 3, 2, 1, 0],
    [2, 0, 4, 1, 3],
    [3, 4, 1, 2, 0],
    [1, 3, 0, 4, 2],
    [4, 2, 3, 0, 1],
  ];

  it('keeps the newest write of each field and lets null remove it, whatever the arrival order', async () => {
    // Prepare
    const candidates = orders.map(() => uniqueId('lww'));

    // Act
    await Promise.all(
      orders.map((order, index) => {
        const events = history(candidates[index] as string);
        return postAll(
          shared,
          order.map((position) => events[position]),
        );
      }),
    );

    // Assess
    for (const candidateId of candidates) {
      const record = await shared.app.store.loadCandidate(candidateId);
      expect(record.profile?.profile).toEqual({
        candidateId,
        email: 'ana.newer@example.com',
        name: 'Ana Three',
        timeZone: 'Asia/Tokyo',
      });
      expect(withoutCandidate(await storeForecast(shared, candidateId))).toEqual(
        withoutCandidate(pureForecast(history(candidateId), candidateId, shared)),
      );
      await expectPendingRemindersMatchDerived(shared, candidateId);
    }
  });

  it('lets a later null remove the name, and an older name arriving afterwards does not bring it back', async () => {
    // Prepare
    const candidateId = uniqueId('null');
    const events = [
      attemptEvent({
        candidateId,
        outcome: 'fail',
        takenAt: '2026-05-01T10:00:00Z',
        name: 'Bo Silva',
      }),
      updateEvent(candidateId, '2026-05-03T10:00:00Z', { name: null }),
      updateEvent(candidateId, '2026-05-02T10:00:00Z', { name: 'Bo Stale' }),
    ];

    // Act
    await postAll(shared, events);

    // Assess
    const record = await shared.app.store.loadCandidate(candidateId);
    expect(record.profile?.profile).toEqual({ candidateId, email: `${candidateId}@example.com` });
  });
});

describe('concurrent events for one candidate', () => {
  it('stores all 20 attempts posted at once and keeps exactly the derived pending reminders', async () => {
    // Prepare
    const testApp = await createTestApp();
    const candidateId = uniqueId('burst');
    const start = Date.parse('2026-01-05T12:00:00Z');
    const events = Array.from({ length: 20 }, (_, index) =>
      attemptEvent({
        candidateId,
        attemptId: `${candidateId}-${index}`,
        outcome: index % 3 === 1 ? 'pass' : 'fail',
        takenAt: new Date(start + index * 9 * 86_400_000).toISOString(),
        timeZone: 'Europe/Lisbon',
      }),
    );

    // Act
    const results = await Promise.all(events.map((event) => post(testApp, event)));

    // Assess
    expect(results.map((result) => result.statusCode)).toEqual(events.map(() => 202));
    expect(results.map((result) => result.json?.status)).toEqual(events.map(() => 'accepted'));
    const record = await testApp.app.store.loadCandidate(candidateId);
    expect(record.states).toHaveLength(1);
    expect(record.states[0]?.attempts.map((attempt) => attempt.attemptId).sort()).toEqual(
      events.map((event) => event.data.attemptId).sort(),
    );
    const derived = await expectPendingRemindersMatchDerived(testApp, candidateId);
    expect(derived.length).toBeGreaterThan(0);
    expect(await storeForecast(testApp, candidateId)).toEqual(
      pureForecast(events, candidateId, testApp),
    );
  });
});

describe('account-wide events racing with attempts', () => {
  it('leaves nothing of a candidate whose erasure arrives together with their attempts', async () => {
    // Prepare
    const testApp = await createTestApp();
    const candidateId = uniqueId('race-erase');
    const attempts = Array.from({ length: 8 }, (_, index) =>
      attemptEvent({
        candidateId,
        attemptId: `${candidateId}-${index}`,
        name: 'Racing Person',
        outcome: index % 2 === 0 ? 'fail' : 'pass',
        takenAt: new Date(Date.parse('2026-02-01T10:00:00Z') + index * 86_400_000).toISOString(),
      }),
    );
    await postAll(testApp, attempts.slice(0, 2));

    // Act
    const results = await Promise.all([
      ...attempts.slice(2, 5).map((event) => post(testApp, event)),
      post(testApp, erasedEvent(candidateId, '2026-11-01T00:00:00Z')),
      ...attempts.slice(5).map((event) => post(testApp, event)),
    ]);

    // Assess
    expect(results.map((result) => result.statusCode)).toEqual(results.map(() => 202));
    const items = await scanTable(testApp);
    expect(candidateItems(items, candidateId).map((item) => item.sk)).toEqual(['ERASED']);
    expect(items.filter((item) => String(item.pk).startsWith(`ATTEMPT#${candidateId}`))).toEqual(
      [],
    );
    expect(JSON.stringify(items)).not.toContain('Racing Person');
  });

  it('moves every attempt of the source to the target when the merge arrives together with them', async () => {
    // Prepare
    const testApp = await createTestApp();
    const from = uniqueId('race-from');
    const to = uniqueId('race-to');
    const attempts = Array.from({ length: 16 }, (_, index) =>
      attemptEvent({
        candidateId: from,
        attemptId: `${from}-${index}`,
        outcome: index % 3 === 0 ? 'pass' : 'fail',
        takenAt: new Date(
          Date.parse('2026-03-01T10:00:00Z') + index * 5 * 86_400_000,
        ).toISOString(),
      }),
    );
    const own = attemptEvent({
      candidateId: to,
      outcome: 'pass',
      takenAt: '2026-01-10T10:00:00Z',
      credentialId: 'gcp-ace',
    });
    await postAll(testApp, [own, ...attempts.slice(0, 2)]);
    const merge = mergedEvent(from, to, '2026-06-01T00:00:00Z');

    // Act
    const results = await Promise.all([
      ...attempts.slice(2, 9).map((event) => post(testApp, event)),
      post(testApp, merge),
      ...attempts.slice(9).map((event) => post(testApp, event)),
    ]);

    // Assess
    expect(results.map((result) => result.statusCode)).toEqual(results.map(() => 202));
    const target = await testApp.app.store.loadCandidate(to);
    expect(
      target.states.flatMap((state) => state.attempts.map((attempt) => attempt.attemptId)).sort(),
    ).toEqual([own.data.attemptId, ...attempts.map((event) => event.data.attemptId)].sort());
    expect(candidateItems(await scanTable(testApp), from).map((item) => item.sk)).toEqual([
      'MERGED',
    ]);
    await expectPendingRemindersMatchDerived(testApp, to);
    expect(await storeForecast(testApp, to)).toEqual(
      pureForecast([own, ...attempts, merge], to, testApp),
    );
  });
});

describe('a time zone change', () => {
  it('moves the pending reminders to the local dates of the new zone, in the due index too', async () => {
    // Prepare
    const candidateId = uniqueId('zone');
    await postAll(shared, [
      attemptEvent({ candidateId, outcome: 'pass', takenAt: '2026-03-01T02:00:00Z' }),
    ]);
    const inUtc = await expectPendingRemindersMatchDerived(shared, candidateId);
    expect(inUtc.find((reminder) => reminder.key.includes('renewal_window_open'))).toEqual({
      key: 'aws-serverless#renewal_window_open#2026-03-01',
      dueOn: '2026-12-01',
      dueAt: '2026-12-01T00:00:00Z',
    });

    // Act
    await postAll(shared, [
      updateEvent(candidateId, '2026-03-02T00:00:00Z', { timeZone: 'America/Los_Angeles' }),
    ]);
    const inLosAngeles = await expectPendingRemindersMatchDerived(shared, candidateId);
    await postAll(shared, [
      updateEvent(candidateId, '2026-03-03T00:00:00Z', { timeZone: 'Asia/Tokyo' }),
    ]);
    const inTokyo = await expectPendingRemindersMatchDerived(shared, candidateId);

    // Assess
    expect(inLosAngeles.find((reminder) => reminder.key.includes('renewal_window_open'))).toEqual({
      key: 'aws-serverless#renewal_window_open#2026-02-28',
      dueOn: '2026-11-28',
      dueAt: '2026-11-28T08:00:00Z',
    });
    expect(inTokyo.find((reminder) => reminder.key.includes('renewal_window_open'))).toEqual({
      key: 'aws-serverless#renewal_window_open#2026-03-01',
      dueOn: '2026-12-01',
      dueAt: '2026-11-30T15:00:00Z',
    });
    const shard = shardOf(candidateId);
    const dueOnOldDate = await shared.app.store.queryDue(
      '2026-12-01',
      shard,
      '2026-12-01T23:59:59Z',
    );
    const dueOnNewDate = await shared.app.store.queryDue(
      '2026-11-30',
      shard,
      '2026-11-30T23:59:59Z',
    );
    expect(dueOnOldDate.filter((entry) => entry.candidateId === candidateId)).toEqual([]);
    expect(dueOnNewDate.filter((entry) => entry.candidateId === candidateId)).toEqual([
      expect.objectContaining({ kind: 'renewal_window_open', dueAt: '2026-11-30T15:00:00Z' }),
    ]);
  });
});

describe('candidate.erased', () => {
  it('deletes everything of the candidate but the tombstone, and later events store nothing and send nothing', async () => {
    // Prepare
    const testApp = await createTestApp();
    const candidateId = uniqueId('erase');
    const email = `${candidateId}@example.com`;
    const name = `Erin ${randomUUID().slice(0, 8)}`;
    const attempts = [
      attemptEvent({
        candidateId,
        name,
        guardianEmail: `${candidateId}.parent@example.com`,
        outcome: 'pass',
        takenAt: '2026-02-21T10:00:00Z',
      }),
      attemptEvent({
        candidateId,
        name,
        credentialId: 'gcp-ace',
        credentialName: 'GCP ACE',
        outcome: 'fail',
        takenAt: '2026-11-01T10:00:00Z',
      }),
    ];
    await postAll(testApp, attempts);
    const firstRun = await runAt(testApp.app, '2026-11-21T13:00:00Z');
    expect(firstRun.emails.map((sent) => sent.candidateId)).toContain(candidateId);
    const attemptIds = attempts.map((event) => event.data.attemptId);

    // Act
    const erased = await post(testApp, erasedEvent(candidateId, '2026-11-22T00:00:00Z'));
    const itemsAfterErasure = await scanTable(testApp);
    const later = await post(
      testApp,
      attemptEvent({
        candidateId,
        name,
        credentialId: 'k8s',
        outcome: 'fail',
        takenAt: '2026-11-10T10:00:00Z',
      }),
    );
    const laterUpdate = await post(
      testApp,
      updateEvent(candidateId, '2026-11-23T00:00:00Z', { name: 'Back Again' }),
    );
    const laterRun = await runAt(testApp.app, '2026-12-06T13:00:00Z');
    const retakeRun = await runAt(testApp.app, '2026-11-26T13:00:00Z');

    // Assess
    expect(erased.statusCode).toBe(202);
    expect(erased.json?.status).toBe('accepted');
    expect(later.statusCode).toBe(202);
    expect(later.json?.status).toBe('accepted');
    expect(laterUpdate.statusCode).toBe(202);
    const items = await scanTable(testApp);
    for (const snapshot of [itemsAfterErasure, items]) {
      const left = candidateItems(snapshot, candidateId).filter(
        (item: TableItem) => item.sk !== 'ERASED' && item.sk !== 'MERGED',
      );
      expect(left).toEqual([]);
      expect(
        snapshot.filter(
          (item) => String(item.pk).startsWith('ATTEMPT#') && item.candidateId === candidateId,
        ),
      ).toEqual([]);
      for (const attemptId of attemptIds) {
        expect(snapshot.filter((item) => item.pk === `ATTEMPT#${attemptId}`)).toEqual([]);
      }
      const text = JSON.stringify(snapshot);
      expect(text).not.toContain(email);
      expect(text).not.toContain(name);
      expect(text).not.toContain('.parent@example.com');
    }
    expect(candidateItems(items, candidateId).map((item) => item.sk)).toEqual(['ERASED']);
    expect(laterRun.emails.filter((sent) => sent.candidateId === candidateId)).toEqual([]);
    expect(retakeRun.emails.filter((sent) => sent.candidateId === candidateId)).toEqual([]);
    expect(await storedCandidates(testApp.app, candidateId)).toEqual([]);
    expect((await emailsTo(email)).length).toBe(1);
  });
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
    expect(candidateItems(await scanTable(shared), from).map((item) => item.sk)).toEqual([
      'MERGED',
    ]);
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
    await postAll(testApp, [
      attemptEvent({ candidateId: from, outcome: 'pass', takenAt: '2026-02-20T10:00:00Z' }),
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
    expect(
      target.reminders.find(
        (reminder) => reminder.key === 'aws-serverless#renewal_window_open#2026-02-20',
      )?.status,
    ).toBe('sent');
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
