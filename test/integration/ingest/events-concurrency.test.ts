import { describe, expect, it } from 'vitest';
import { attemptEvent, createTestApp, uniqueId } from '../support/harness';
import { scanTable } from '../support/table';
import {
  erasedEvent,
  mergedEvent,
  post,
  postAll,
  pureForecast,
  storeForecast,
} from './ingest-support';
import { expectAlias, expectPendingRemindersMatchDerived, expectTombstone } from './stored-layout';

/**
 * SPEC §2 under concurrency: events for one candidate posted at once, and erasures and merges
 * arriving while that candidate's attempts are still coming in. Each test has its own table.
 */

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
    expectTombstone(items, candidateId, {
      attemptIds: attempts.map((event) => event.data.attemptId),
    });
    expect(items.filter((item) => String(item.pk).startsWith(`ATTEMPT#${candidateId}`))).toEqual(
      [],
    );
    expect(JSON.stringify(items)).not.toContain('Racing Person');
    expect(JSON.stringify(items)).not.toContain(`${candidateId}@example.com`);
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
    expectAlias(await scanTable(testApp), from, to);
    await expectPendingRemindersMatchDerived(testApp, to);
    expect(await storeForecast(testApp, to)).toEqual(
      pureForecast([own, ...attempts, merge], to, testApp),
    );
  });
});
