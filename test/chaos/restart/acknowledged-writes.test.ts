import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandEnv,
  type DueIndexMismatch,
  describeMismatch,
  dueIndexMismatches,
  heldAttempts,
  type RunningStack,
  registeredAttempts,
  runReminders,
  type StackSetup,
  scanTable,
  sleep,
  stackSetup,
  startStack,
} from './stack-process';
import { attemptBody, type Delivery, deliver, newWebhookSecret } from './webhooks';

/**
 * `reminders dev` keeps DynamoDB under DATA_DIR (SPEC §5). What it acknowledged must survive a
 * SIGKILL: the stack is killed while 64 senders post signed webhooks; started again on the same
 * DATA_DIR, every event answered 202 `accepted` is held by its candidate, registered and its
 * webhook-id remembered, and the due index agrees with the items. Every delivery is then sent
 * again (as the programme would retry those it got no answer for): answered ones are duplicates,
 * and in the end every event is held exactly once. Several kill cycles on one DATA_DIR.
 *
 * Each candidate passes one credential again and again, a day later each time, so that every
 * write of an existing candidate moves its due-index entry (the renewal of the latest pass), and
 * every due instant lies in the future (the catch-up run at each start has nothing to do). The
 * candidates are all written once before the first kill.
 */

const CYCLES = Number(process.env.CHAOS_KILL_CYCLES ?? 3);
/** Many writes in flight at the kill: the more there are, the likelier one is torn. */
const SENDERS = Number(process.env.CHAOS_SENDERS ?? 64);
const POOL = 300;

interface Sent {
  readonly webhookId: string;
  readonly attemptId: string;
  readonly candidateId: string;
  readonly body: string;
  answer?: Delivery;
}

describe('restart safety: acknowledged writes survive SIGKILL of the stack', () => {
  let directory: string;
  let stack: RunningStack | undefined;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'chaos-acked-'));
  });
  afterAll(async () => {
    await stack?.kill();
    await rm(directory, { recursive: true, force: true });
  });

  it(`keeps every acknowledged event, and the due index, over ${CYCLES} SIGKILLs under webhook load`, async () => {
    const secret = newWebhookSecret();
    const setup: StackSetup = await stackSetup(join(directory, 'data'), {
      WEBHOOK_SECRET: secret,
      CLAIM_LEASE_SECONDS: '5',
    });
    const report: string[] = [];
    const indexProblems: string[] = [];
    const all: Sent[] = [];
    const firstDay = Date.now() - 60 * 86_400_000;
    let sequence = 0;
    const next = (): Sent => {
      const n = sequence;
      sequence += 1;
      const candidateId = `ack-c${n % POOL}`;
      const takenAt = new Date(firstDay + Math.floor(n / POOL) * 86_400_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      const attemptId = `ack-a${n}`;
      return {
        webhookId: `msg_ack_${n}`,
        attemptId,
        candidateId,
        body: attemptBody({ attemptId, candidateId, takenAt, outcome: 'pass' }),
      };
    };

    /** For one candidate out of the index: no run ever plans it, though its reminder falls due. */
    const provesStranded = async (mismatch: DueIndexMismatch) => {
      const dueAt = mismatch.dueSk.slice(0, mismatch.dueSk.indexOf('#'));
      // An hour past the due instant; the local due date is that UTC date or the next.
      const runAt = new Date(Date.parse(dueAt) + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const from = dueAt.slice(0, 10);
      const to = new Date(Date.parse(dueAt) + 86_400_000).toISOString().slice(0, 10);
      const env = commandEnv(setup);
      const [planned, forecast] = await Promise.all([
        runReminders(['run', '--now', runAt, '--dry-run', '--json'], env),
        runReminders(
          ['forecast', '--from', from, '--to', to, '--candidate', mismatch.candidateId, '--json'],
          env,
        ),
      ]);
      const plan = JSON.parse(planned.stdout) as {
        emails: Array<{ candidateId: string }>;
        skipped: Array<{ candidateId: string }>;
      };
      const due = (
        JSON.parse(forecast.stdout) as { reminders: Array<{ kind: string; dueAt: string }> }
      ).reminders.filter((reminder) => reminder.dueAt <= runAt);
      const inPlan = [...plan.emails, ...plan.skipped].some(
        (entry) => entry.candidateId === mismatch.candidateId,
      );
      return `${mismatch.candidateId}: \`forecast\` lists ${due.map((r) => `${r.kind} due ${r.dueAt}`).join(', ') || 'nothing'}; \`run --now ${runAt} --dry-run\` plans ${plan.emails.length} emails and ${inPlan ? 'includes' : 'does NOT include'} it`;
    };

    // Every candidate of the pool first, unhurried: under the kills, every write is then a
    // change of an existing candidate that moves its due-index entry.
    stack = await startStack(setup);
    const warmApi = stack.api;
    const warmUp = Array.from({ length: POOL }, next);
    all.push(...warmUp);
    for (let start = 0; start < warmUp.length; start += SENDERS) {
      await Promise.all(
        warmUp.slice(start, start + SENDERS).map(async (sent) => {
          sent.answer = await deliver(warmApi, secret, sent.webhookId, sent.body);
        }),
      );
    }
    expect(warmUp.filter((sent) => sent.answer?.outcome !== 'accepted')).toEqual([]);
    await stack.stop();
    stack = undefined;

    for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
      stack = await startStack(setup);
      const running = stack;
      // Load, and a kill once it has gone on for a while (a little longer each cycle).
      let killed = false;
      const cycleStart = all.length;
      const senders = Array.from({ length: SENDERS }, async () => {
        while (!killed) {
          const sent = next();
          all.push(sent);
          sent.answer = await deliver(running.api, secret, sent.webhookId, sent.body);
          if (sent.answer.status === 0) return;
        }
      });
      await sleep(1500 + cycle * 700);
      killed = true;
      await running.kill();
      stack = undefined;
      await Promise.all(senders);
      const inCycle = all.slice(cycleStart);
      const answered = inCycle.filter((sent) => sent.answer?.status === 202).length;
      const unanswered = inCycle.filter((sent) => sent.answer?.status === 0).length;
      expect(all.filter((sent) => (sent.answer?.status ?? 0) >= 500)).toEqual([]);

      // Start again on the same DATA_DIR: everything acknowledged is there.
      stack = await startStack(setup);
      const items = await scanTable(setup);
      const held = heldAttempts(items);
      const registered = registeredAttempts(items);
      const remembered = new Set(
        items
          .filter((item) => String(item.pk).startsWith('WEBHOOK#'))
          .map((item) => String(item.pk).slice('WEBHOOK#'.length)),
      );
      const lost: string[] = [];
      for (const sent of all) {
        if (sent.answer?.status !== 202) continue;
        if ((held.get(sent.attemptId) ?? []).length !== 1)
          lost.push(`${sent.attemptId}: held ${(held.get(sent.attemptId) ?? []).length} times`);
        if (!registered.has(sent.attemptId)) lost.push(`${sent.attemptId}: not registered`);
        if (!remembered.has(sent.webhookId)) lost.push(`${sent.webhookId}: not remembered`);
      }
      expect(lost.slice(0, 20)).toEqual([]);
      report.push(
        `  cycle ${cycle}: ${answered} events answered 202, ${unanswered} cut off by the kill; after the restart (${stack.startMs} ms) all ${all.filter((sent) => sent.answer?.status === 202).length} answered so far are stored, registered and remembered`,
      );
      // The due index must agree with the items (DynamoDB writes both at once; see below).
      const mismatches = await dueIndexMismatches(setup, items);
      if (mismatches.length > 0) {
        indexProblems.push(
          ...mismatches.map((mismatch) => `cycle ${cycle}: ${describeMismatch(mismatch)}`),
        );
        report.push(
          `  cycle ${cycle}: the due index DISAGREES with the items after the restart:`,
          ...mismatches.map((mismatch) => `    ${describeMismatch(mismatch)}`),
        );
        const stranded = mismatches.find((mismatch) => mismatch.kind === 'missing');
        if (stranded) report.push(`    so: ${await provesStranded(stranded)}`);
      } else {
        report.push(
          `  cycle ${cycle}: the due index agrees with the ${items.filter((item) => item.sk === 'CANDIDATE').length} candidates`,
        );
      }

      // The programme retries what got no answer; everything answered is a duplicate.
      const retried = await Promise.all(
        all
          .filter((sent) => sent.answer?.status === 0)
          .map(async (sent) => {
            sent.answer = await deliver(stack?.api as string, secret, sent.webhookId, sent.body);
            return sent.answer;
          }),
      );
      expect(retried.filter((answer) => answer.status !== 202)).toEqual([]);
      if (mismatches.length > 0) {
        const left = await dueIndexMismatches(setup, await scanTable(setup));
        report.push(
          `  cycle ${cycle}: after the ${retried.length} cut-off deliveries were retried, ${left.length} mismatches left${left.length ? `: ${left.map(describeMismatch).join('; ')}` : ''}`,
        );
      }
      await stack.kill();
      stack = undefined;
    }

    // Finally: every delivery again. All duplicates, and every event held exactly once.
    stack = await startStack(setup);
    const api = stack.api;
    const again: Delivery[] = [];
    for (let start = 0; start < all.length; start += SENDERS * 4) {
      again.push(
        ...(await Promise.all(
          all
            .slice(start, start + SENDERS * 4)
            .map((sent) => deliver(api, secret, sent.webhookId, sent.body)),
        )),
      );
    }
    expect(
      again.filter((answer) => answer.status !== 202 || answer.outcome !== 'duplicate'),
    ).toEqual([]);
    const items = await scanTable(setup);
    const held = heldAttempts(items);
    const wrong = all
      .filter((sent) => (held.get(sent.attemptId) ?? []).join() !== sent.candidateId)
      .map((sent) => `${sent.attemptId}: held by [${(held.get(sent.attemptId) ?? []).join()}]`);
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(held.size).toBe(all.length);
    const finalMismatches = await dueIndexMismatches(setup, items);
    await stack.stop();
    stack = undefined;
    console.log(
      [
        `restart safety / acknowledged writes (${SENDERS} senders, stack SIGKILLed ${CYCLES} times, one DATA_DIR)`,
        ...report,
        `  finally: ${all.length} events re-delivered, all answered duplicate; each held exactly once; due index mismatches: ${finalMismatches.length}`,
      ].join('\n'),
    );
    // The emulator writes a put's index entries and its item as separate LevelDB writes (index
    // deletes, then index puts, then the item), so a SIGKILL between them tears the index from
    // the item: an entry gone (a candidate out of every run's reach) or one left for an item that
    // was never written. DynamoDB never does this; `dev` promises its data survives.
    expect(indexProblems).toEqual([]);
    expect(finalMismatches.map(describeMismatch)).toEqual([]);
  });
});
