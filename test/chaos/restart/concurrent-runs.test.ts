import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueHistory } from './event-files';
import {
  commandEnv,
  inbox,
  type RunningStack,
  runReminders,
  sleep,
  spawnReminders,
  stackSetup,
  startStack,
  waitUntil,
} from './stack-process';

/**
 * SPEC §1: "Two runs at the same time never send the same reminder twice", and a claim is taken
 * over only once its lease has run out, so "no run … ever takes a claim that is still being
 * worked on". Nothing is killed here: one `run --now T` sends to many due candidates at a low
 * SES_MAX_SEND_RATE with a short CLAIM_LEASE_SECONDS; a second `run --now T` starts once the
 * first has been sending for longer than the lease. The first sender is alive all along, so the
 * second must not send anything the first sends.
 */

const CANDIDATES = Number(process.env.CHAOS_RUN_CANDIDATES_CONCURRENT ?? 100);
const LEASE_SECONDS = 5;
const SEND_RATE = 5;

describe('restart safety: a second run while the first still sends', () => {
  let directory: string;
  let stack: RunningStack | undefined;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'chaos-concurrent-'));
  });
  afterAll(async () => {
    await stack?.kill();
    await rm(directory, { recursive: true, force: true });
  });

  it('never sends what a live sender is still sending, however long it queues', async () => {
    const { lines, credentialsOf, t1 } = dueHistory('two-runs', CANDIDATES);
    const file = join(directory, 'history.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`, 'utf8');
    const setup = await stackSetup(join(directory, 'data'), {
      CLAIM_LEASE_SECONDS: String(LEASE_SECONDS),
      SES_MAX_SEND_RATE: String(SEND_RATE),
    });
    stack = await startStack(setup);
    const env = commandEnv(setup);
    const imported = await runReminders(['import', file, '--json'], env);
    expect(imported.code, imported.stderr).toBe(0);

    const ses = stack.ses;
    const first = spawnReminders(['run', '--now', t1, '--json'], env);
    await waitUntil('the first run to send', async () => (await inbox(ses)).length > 0, 60_000, 20);
    // Sending takes CANDIDATES / SEND_RATE seconds; start the second run past the lease.
    await sleep((LEASE_SECONDS + 0.5) * 1000);
    const stillSending = !first.hasExited();
    const second = await runReminders(['run', '--now', t1, '--json'], env);
    const firstExit = await first.exited;
    expect(firstExit.code, first.stderr()).toBe(0);
    expect(second.code, second.stderr).toBe(0);

    const firstEmails = (JSON.parse(first.stdout()) as { emails: unknown[] }).emails.length;
    const secondEmails = (JSON.parse(second.stdout) as { emails: unknown[] }).emails.length;
    const perCandidate = new Map<string, number>();
    for (const email of await inbox(ses)) {
      const to = email.destination.to[0] ?? '';
      perCandidate.set(to, (perCandidate.get(to) ?? 0) + 1);
    }
    const twice = [...perCandidate].filter(([, count]) => count > 1).map(([to]) => to);
    console.log(
      [
        `restart safety / two runs of the same T (${CANDIDATES} candidates, SES_MAX_SEND_RATE=${SEND_RATE}, CLAIM_LEASE_SECONDS=${LEASE_SECONDS})`,
        `  the second started ${LEASE_SECONDS + 0.5} s after the first email, the first ${stillSending ? 'still sending' : 'already done'}`,
        `  first run: ${firstEmails} emails; second run: ${secondEmails} emails; candidates emailed: ${perCandidate.size}/${credentialsOf.size}; emailed twice: ${twice.length}`,
      ].join('\n'),
    );
    expect(perCandidate.size).toBe(credentialsOf.size);
    expect(twice).toEqual([]);
    await stack.stop();
    stack = undefined;
  });
});
