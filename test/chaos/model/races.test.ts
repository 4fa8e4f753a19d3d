import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type ChaosWorld, createChaosWorld } from './support/chaos-world';
import { figureBlock } from './support/figures';
import { emptyRaceFigures, RaceScenario, raceSpecArb } from './support/race-scenario';

/**
 * SPEC §1 and §2 under concurrency: several runs at once (at the same and at different instants),
 * every queue message delivered twice, and conflicting events, merges in every direction and
 * erasures for the same candidates racing with each other and with the runs; fast-check's
 * scheduler interleaves every DynamoDB request and SES send. Everything must converge to the
 * model: the pure fold for state (in some order the real-time order allows), SPEC §1 for emails.
 *
 * `CHAOS_RACE_RUNS` races (default 200), `CHAOS_SEED` to replay one that failed.
 */

const RUNS = Number(process.env.CHAOS_RACE_RUNS ?? 200);
const SEED = process.env.CHAOS_SEED === undefined ? undefined : Number(process.env.CHAOS_SEED);
/** With `CHAOS_SEED`, the `path` fast-check printed replays the shrunk counterexample alone. */
const REPLAY =
  SEED === undefined
    ? {}
    : { seed: SEED, ...(process.env.CHAOS_PATH ? { path: process.env.CHAOS_PATH } : {}) };
const TRACE = process.env.CHAOS_TRACE === '1';

describe('chaos: races between runs, merges, erasures and events', () => {
  let world: ChaosWorld;
  const figures = emptyRaceFigures();
  const startedAt = Date.now();

  beforeAll(async () => {
    world = await createChaosWorld({ label: 'races' });
  });

  afterAll(() => {
    if (world === undefined) return;
    console.log(
      figureBlock('Chaos: races (SPEC §1, §2)', [
        ['races run (shrinking included)', figures.scenarios],
        ['racing operations', figures.ops],
        ['runs racing with them', figures.racingRuns],
        ['sender deliveries (every message twice)', figures.deliveries],
        [
          'opposite merges raced (one accepted)',
          `${figures.oppositeMerges} (${figures.oneOfOppositeAccepted})`,
        ],
        ['conflicting attempt repeats refused', figures.conflictsOnTwins],
        ['erasures that returned before a run started', figures.erasuresBeforeRuns],
        ['requests retried after a 5xx', figures.retried500s],
        ['DynamoDB requests', world.figures.requests],
        ['emails accepted by SES', figures.emails],
        ['lost reminders', figures.lost],
        ['duplicate emails', figures.duplicates],
        ['violations', figures.violations],
        ['time', `${((Date.now() - startedAt) / 1000).toFixed(1)} s`],
      ]),
    );
  });

  it('converge to the model: no account lost, one email per reminder, none after an erasure', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), raceSpecArb, async (scheduler, spec) => {
        const race = new RaceScenario(world, spec, figures);
        try {
          const instants = await race.execute(scheduler);
          await race.verify(instants);
        } finally {
          await race.cleanup();
        }
        if (TRACE) console.log(race.trace.join('\n'));
        race.assertClean();
      }),
      { numRuns: RUNS, ...REPLAY },
    );
  });
});
