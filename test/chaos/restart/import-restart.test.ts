import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptKey, candidateKey } from '../../../functions/adapters/dynamodb/item-keys';
import { attemptHistory, writeEventsFile } from './event-files';
import {
  commandEnv,
  dueIndexMismatches,
  getItems,
  heldAttempts,
  type RunningStack,
  registeredAttempts,
  runReminders,
  type StackSetup,
  scanTable,
  sleep,
  spawnReminders,
  stackSetup,
  startStack,
  waitUntil,
} from './stack-process';

/**
 * Restart safety of `reminders import` (SPEC §5: idempotent), on the real local stack as a child
 * process: the importer is SIGKILLed while it registers the attempt ids, then again while it writes
 * the candidates, then the whole stack is SIGKILLed while a third import runs; the stack starts
 * again on the same DATA_DIR and the file is imported again. Nothing is
 * lost (every attempt of the file is held by its candidate and registered, the stored forecast
 * equals the file's) and nothing doubled (every attempt held once; the re-import reports what
 * was stored as duplicates; one more import changes nothing).
 */

const CANDIDATES = Number(process.env.CHAOS_IMPORT_CANDIDATES ?? 4000);

interface ImportSummary {
  readonly read: number;
  readonly imported: number;
  readonly duplicates: number;
  readonly rejected: readonly unknown[];
}

describe('restart safety: SIGKILL during an import', () => {
  let directory: string;
  let setup: StackSetup;
  let stack: RunningStack | undefined;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'chaos-import-'));
  });
  afterAll(async () => {
    await stack?.kill();
    await rm(directory, { recursive: true, force: true });
  });

  it('loses nothing and doubles nothing when the importer, then the stack, is killed', async () => {
    const started = performance.now();
    const lines = attemptHistory({
      prefix: 'imp',
      candidates: CANDIDATES,
      seed: 20_261_201,
      // Recent attempts: nothing is due yet, so the catch-up run at each start has no work.
      from: new Date(Date.now() - 20 * 86_400_000),
      to: new Date(Date.now() - 3_600_000),
    });
    const file = await writeEventsFile(join(directory, 'history.jsonl'), lines);
    const owner = new Map(lines.map((entry) => [entry.attemptId, entry.candidateId]));
    const candidateIds = [...new Set(lines.map((entry) => entry.candidateId))];
    // An even sample of the candidates tells how far an import's writes have got.
    const sample = candidateIds.filter((_, index) => index % 20 === 0);
    setup = await stackSetup(join(directory, 'data'), { CLAIM_LEASE_SECONDS: '5' });
    stack = await startStack(setup);
    const env = commandEnv(setup);
    const progress = async () =>
      (await getItems(setup, sample.map(candidateKey))).size / sample.length;
    const attemptSample = lines
      .filter((_, index) => index % 20 === 0)
      .map((entry) => entry.attemptId);
    const registryProgress = async () =>
      (await getItems(setup, attemptSample.map(attemptKey))).size / attemptSample.length;
    const timeline: string[] = [];
    const mark = (what: string) =>
      timeline.push(`${((performance.now() - started) / 1000).toFixed(1)}s ${what}`);
    mark(
      `stack up (${stack.startMs} ms), ${lines.length} lines, ${candidateIds.length} candidates`,
    );

    // 1. SIGKILL the importer while it registers the attempt ids (before any candidate write).
    const registering = spawnReminders(['import', file, '--json'], env);
    await waitUntil(
      'the first import to register a third of the attempt ids',
      async () => {
        if (registering.hasExited())
          throw new Error(`the import ended before it could be killed: ${registering.stdout()}`);
        return (await registryProgress()) >= 0.3;
      },
      180_000,
      20,
    );
    registering.signal('SIGKILL');
    expect((await registering.exited).signal).toBe('SIGKILL');
    const afterRegistering = await scanTable(setup);
    mark(
      `importer SIGKILLed while registering: ${heldAttempts(afterRegistering).size} attempts held, ${registeredAttempts(afterRegistering).size} registered`,
    );
    expect(registeredAttempts(afterRegistering).size).toBeGreaterThan(0);
    expect(registeredAttempts(afterRegistering).size).toBeLessThan(lines.length);
    expect(await dueIndexMismatches(setup, afterRegistering)).toEqual([]);

    // 2. SIGKILL the importer once a third of the candidates are written.
    const first = spawnReminders(['import', file, '--json'], env);
    await waitUntil(
      'the second import to write a third of the candidates',
      async () => {
        if (first.hasExited())
          throw new Error(`the import ended before it could be killed: ${first.stdout()}`);
        return (await progress()) >= 0.3;
      },
      180_000,
      50,
    );
    first.signal('SIGKILL');
    const firstExit = await first.exited;
    expect(firstExit.signal).toBe('SIGKILL');
    const afterFirst = await scanTable(setup);
    const heldAfterFirst = heldAttempts(afterFirst);
    mark(
      `importer SIGKILLed while writing candidates: ${heldAfterFirst.size} attempts held, ${registeredAttempts(afterFirst).size} registered`,
    );
    expect(heldAfterFirst.size).toBeGreaterThan(0);
    expect(heldAfterFirst.size).toBeLessThan(lines.length);
    expect(await dueIndexMismatches(setup, afterFirst)).toEqual([]);

    // 3. SIGKILL the whole stack half-way through the rest of a third import.
    const second = spawnReminders(['import', file, '--json'], env);
    const base = await progress();
    await waitUntil(
      'the third import to write half of the rest',
      async () => {
        if (second.hasExited())
          throw new Error(`the import ended before the stack could be killed: ${second.stdout()}`);
        return (await progress()) >= base + (1 - base) * 0.5;
      },
      180_000,
      50,
    );
    await stack.kill();
    stack = undefined;
    mark('stack SIGKILLed during the third import');
    const secondExit = await Promise.race([second.exited, sleep(120_000).then(() => undefined)]);
    if (secondExit === undefined) second.signal('SIGKILL');
    mark(
      `third importer ended: ${JSON.stringify(secondExit ?? 'hung, SIGKILLed')}, stderr "${second.stderr().trim().split('\n')[0] ?? ''}"`,
    );
    expect(secondExit?.code).toBe(1);

    // 4. Start again on the same DATA_DIR: what was there is still there.
    stack = await startStack(setup);
    const afterRestart = await scanTable(setup);
    const heldAfterRestart = heldAttempts(afterRestart);
    const registeredAfterRestart = registeredAttempts(afterRestart);
    mark(
      `stack restarted (${stack.startMs} ms): ${heldAfterRestart.size} attempts held, ${registeredAfterRestart.size} registered`,
    );
    const lostOverRestart = [...heldAfterFirst.keys()].filter((id) => !heldAfterRestart.has(id));
    expect(lostOverRestart).toEqual([]);
    expect(await dueIndexMismatches(setup, afterRestart)).toEqual([]);

    // 5. Import again, to the end: everything already held is a duplicate, nothing is rejected.
    const third = await runReminders(['import', file, '--json'], env);
    expect(third.code, third.stderr).toBe(0);
    const thirdSummary = JSON.parse(third.stdout) as ImportSummary;
    expect(thirdSummary.read).toBe(lines.length);
    expect(thirdSummary.rejected).toEqual([]);
    expect(thirdSummary.imported + thirdSummary.duplicates).toBe(lines.length);
    expect(thirdSummary.imported).toBeLessThanOrEqual(lines.length - heldAfterRestart.size);
    expect(thirdSummary.duplicates).toBeGreaterThanOrEqual(heldAfterRestart.size);
    mark(
      `re-import to the end: ${JSON.stringify(thirdSummary)} in ${third.ms} ms; it stored the ${lines.length - heldAfterRestart.size} attempts still missing`,
    );

    // 6. Once more: everything is a duplicate.
    const fourth = await runReminders(['import', file, '--json'], env);
    expect(fourth.code).toBe(0);
    const fourthSummary = JSON.parse(fourth.stdout) as ImportSummary;
    expect(fourthSummary).toEqual({
      read: lines.length,
      imported: 0,
      duplicates: lines.length,
      rejected: [],
    });
    mark(`one more import: ${JSON.stringify(fourthSummary)} in ${fourth.ms} ms`);

    // 7. The table: every attempt held exactly once, by its own candidate, and registered.
    const final = await scanTable(setup);
    const held = heldAttempts(final);
    const problems: string[] = [];
    for (const [attemptId, candidateId] of owner) {
      const holders = held.get(attemptId) ?? [];
      if (holders.length !== 1 || holders[0] !== candidateId)
        problems.push(`${attemptId}: held by [${holders.join(', ')}], expected ${candidateId}`);
    }
    for (const attemptId of held.keys())
      if (!owner.has(attemptId)) problems.push(`${attemptId}: not in the file`);
    const registered = registeredAttempts(final);
    for (const attemptId of owner.keys())
      if (!registered.has(attemptId)) problems.push(`${attemptId}: not registered`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(await dueIndexMismatches(setup, final)).toEqual([]);

    // 8. The stored forecast is the file's forecast.
    const day = (offsetDays: number) =>
      new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const range = ['--from', day(-30), '--to', day(3 * 366), '--json'];
    const [fromStore, fromFile] = await Promise.all([
      runReminders(['forecast', ...range], env),
      runReminders(['forecast', '--input', file, ...range], env),
    ]);
    expect(fromStore.code).toBe(0);
    expect(fromFile.code).toBe(0);
    const stored = JSON.parse(fromStore.stdout) as { reminders: unknown[] };
    const computed = JSON.parse(fromFile.stdout) as { reminders: unknown[] };
    expect(stored.reminders.length).toBeGreaterThan(0);
    expect(stored.reminders).toEqual(computed.reminders);
    mark(`forecast: ${stored.reminders.length} reminders, store = file`);

    await stack.stop();
    stack = undefined;
    console.log(
      [
        'restart safety / import',
        ...timeline.map((line) => `  ${line}`),
        `  result: ${lines.length} attempts, 0 lost, 0 doubled`,
      ].join('\n'),
    );
  });
});
