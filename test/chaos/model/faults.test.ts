import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type ChaosWorld, createChaosWorld } from './support/chaos-world';
import {
  commandsArb,
  emptyFigures,
  FaultScenario,
  firstAttemptsArb,
  firstRunArb,
  scenarioParamsArb,
} from './support/fault-scenario';
import { figureBlock, sesStoreCount } from './support/figures';

/**
 * SPEC §1 "A run" under faults, model-based: random scenarios of events and runs where DynamoDB
 * fails, throttles or times out after a write, SES fails as the account's fault or rejects the
 * message, processes crash at any step (also after SES accepted and before the send is recorded),
 * queue messages come twice, out of order or late, and the wall clock jumps past the claim lease.
 * After each scenario the system heals (no faults, clock past the lease, every run instant again)
 * and must agree with the model: no reminder lost, none emailed twice except once per crash in
 * the documented window, every skip justified, every stored candidate the fold's.
 *
 * `CHAOS_RUNS` scenarios (default 1000), `CHAOS_SEED` to replay one that failed.
 */

const RUNS = Number(process.env.CHAOS_RUNS ?? 1000);
const SEED = process.env.CHAOS_SEED === undefined ? undefined : Number(process.env.CHAOS_SEED);
/** With `CHAOS_SEED`, the `path` fast-check printed replays the shrunk counterexample alone. */
const REPLAY =
  SEED === undefined
    ? {}
    : { seed: SEED, ...(process.env.CHAOS_PATH ? { path: process.env.CHAOS_PATH } : {}) };
const MAX_COMMANDS = 12;
const TRACE = process.env.CHAOS_TRACE === '1';

describe('chaos: faults at every step of events and runs', () => {
  let world: ChaosWorld;
  const figures = emptyFigures();
  const startedAt = Date.now();

  beforeAll(async () => {
    world = await createChaosWorld({ label: 'faults' });
  });

  afterAll(async () => {
    if (world === undefined) return;
    const stored = await sesStoreCount(/^f\d+-[0-9a-f]{8}-c\d/);
    console.log(
      figureBlock('Chaos: model-based fault injection (SPEC §1, §2)', [
        ['scenarios run (shrinking included)', figures.scenarios],
        [
          'scenarios with no DynamoDB/SES/crash fault (checked step by step)',
          figures.exactScenarios,
        ],
        ['commands', figures.commands],
        ['runs (+ heal runs)', `${figures.runs} (+ ${figures.healRuns})`],
        ['sender deliveries', figures.deliveries],
        ['DynamoDB requests', world.figures.requests],
        ['faults injected', [...world.figures.faults.values()].reduce((a, b) => a + b, 0)],
        ...[...world.figures.faults.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([kind, n]) => [`  ${kind}`, n] as [string, number]),
        [
          '  clock jumps (past the lease)',
          `${figures.clockJumps} (${figures.clockJumpsPastLease})`,
        ],
        ['processes crashed', world.figures.crashes],
        ['messages dead-lettered', world.figures.deadLetters],
        ['emails accepted by SES', figures.emails],
        ['  in the SES emulator store', stored],
        ['window: SES accepted, then crash before recording', figures.windowEmails],
        ['  extra emails sent for them (allowed: 1 each)', figures.windowExtraEmails],
        ['accepted, then not recorded without a crash', figures.unrecordedEmails],
        ['lost reminders', figures.lost],
        ['duplicates outside the window', figures.duplicatesOutsideWindow],
        ['other violations', figures.otherViolations],
        ['time', `${((Date.now() - startedAt) / 1000).toFixed(1)} s`],
      ]),
    );
  });

  it('loses no reminder and emails none twice outside the documented window', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioParamsArb,
        firstAttemptsArb,
        firstRunArb,
        commandsArb(MAX_COMMANDS),
        async (params, firstAttempts, firstRun, commands) => {
          const scenario = new FaultScenario(world, params, figures);
          try {
            for (const command of [...firstAttempts, firstRun]) await command.run(scenario, world);
            await fc.asyncModelRun(() => ({ model: scenario, real: world }), commands);
            await scenario.heal();
            await scenario.verify();
          } finally {
            await scenario.cleanup();
          }
          if (TRACE) console.log(scenario.trace.join('\n'));
          scenario.assertClean();
        },
      ),
      { numRuns: RUNS, ...REPLAY },
    );
  });
});
