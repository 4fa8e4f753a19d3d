import { beforeAll, describe, expect, it } from 'vitest';
import { attemptEvent, createTestApp, type TestApp, uniqueId } from '../support/harness';
import {
  postAll,
  pureForecast,
  storeForecast,
  updateEvent,
  withoutCandidate,
} from './ingest-support';
import { dueEntriesOf, expectPendingRemindersMatchDerived } from './stored-layout';

/** SPEC §2 through the webhook: profile fields last-writer-wins, and what a zone change moves. */

let shared: TestApp;

beforeAll(async () => {
  shared = await createTestApp();
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

describe('a time zone change', () => {
  it('moves the pending reminders to the local dates of the new zone under the same keys, in the due index too', async () => {
    // Prepare
    const candidateId = uniqueId('zone');
    const pass = attemptEvent({ candidateId, outcome: 'pass', takenAt: '2026-03-01T02:00:00Z' });
    const renewalKey = `aws-serverless#renewal_window_open#${pass.data.attemptId}`;
    await postAll(shared, [pass]);
    const inUtc = await expectPendingRemindersMatchDerived(shared, candidateId);
    expect(inUtc.find((reminder) => reminder.key === renewalKey)).toEqual({
      key: renewalKey,
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
    expect(inLosAngeles.find((reminder) => reminder.key === renewalKey)).toEqual({
      key: renewalKey,
      dueOn: '2026-11-28',
      dueAt: '2026-11-28T08:00:00Z',
    });
    expect(inTokyo.find((reminder) => reminder.key === renewalKey)).toEqual({
      key: renewalKey,
      dueOn: '2026-12-01',
      dueAt: '2026-11-30T15:00:00Z',
    });
    const keysOf = (reminders: ReadonlyArray<{ key: string }>) => reminders.map(({ key }) => key);
    expect(keysOf(inLosAngeles)).toEqual(keysOf(inUtc));
    expect(keysOf(inTokyo)).toEqual(keysOf(inUtc));
    expect(await dueEntriesOf(shared, candidateId, '2026-12-31T23:59:59Z')).toEqual([
      { candidateId, dueAt: '2026-11-30T15:00:00Z' },
    ]);
    expect(await dueEntriesOf(shared, candidateId, '2026-11-30T14:59:59Z')).toEqual([]);
  });
});
