import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { attemptEvent, createTestApp, type TestApp, uniqueId } from '../support/harness';
import { scanTable } from '../support/table';
import {
  erasedEvent,
  mergedEvent,
  permutations,
  postAll,
  pureForecast,
  storeForecast,
  updateEvent,
  withoutCandidate,
} from './ingest-support';
import { expectPendingRemindersMatchDerived, expectTombstone } from './stored-layout';

/** SPEC §1 and §2 through the webhook: the order in which events arrive never matters. */

let shared: TestApp;

beforeAll(async () => {
  shared = await createTestApp();
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
        const items = await scanTable(shared);
        for (const candidateId of ids) {
          expect(await storeForecast(shared, candidateId)).toEqual(
            pureForecast(events, candidateId, shared),
          );
          const { erased } = await shared.app.store.resolveCandidate(candidateId);
          if (!erased) await expectPendingRemindersMatchDerived(shared, candidateId);
          else {
            const attemptIds = steps.flatMap((step, index) =>
              step.kind === 'attempt' && ids[step.who] === candidateId
                ? [`${candidateId}-${index}`]
                : [],
            );
            expectTombstone(items, candidateId, { attemptIds });
          }
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
