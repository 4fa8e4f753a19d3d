import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  heldAttempts,
  quantile,
  type RunningStack,
  registeredAttempts,
  scanTable,
  stackSetup,
  startStack,
} from '../restart/stack-process';
import { attemptBody, type Delivery, deliver, newWebhookSecret } from '../restart/webhooks';

/**
 * The local HTTP API (`reminders dev`, as a child process) under SENDERS concurrent senders for
 * LOAD_SECONDS (default 60) of signed `attempt.recorded` webhooks, each with its own attemptId;
 * some deliveries are repeated later with the same webhook-id, and some are delivered twice at
 * once. Then: no 5xx and no failed request; every event answered 202 is held by its candidate
 * exactly once and registered, and its webhook-id remembered; a repeated delivery answers
 * `duplicate`; of two deliveries at once at most one answers `accepted`. Prints the figures.
 */

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const SENDERS = Number(process.env.LOAD_SENDERS ?? 32);
/** Share of deliveries that repeat an earlier one (same webhook-id and body, signed afresh). */
const REPEAT_SHARE = 0.05;
/** Share of new events delivered twice at the same moment. */
const TWIN_SHARE = 0.05;

interface Event {
  readonly webhookId: string;
  readonly attemptId: string;
  readonly candidateId: string;
  readonly body: string;
  readonly answers: Delivery[];
  readonly kind: 'single' | 'twin';
  repeats: number;
}

describe('load: the local API under concurrent signed webhooks', () => {
  let directory: string;
  let stack: RunningStack | undefined;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'chaos-load-'));
  });
  afterAll(async () => {
    await stack?.kill();
    await rm(directory, { recursive: true, force: true });
  });

  it(`stores every accepted event once under ${SENDERS} senders for ${LOAD_SECONDS} s`, async () => {
    const secret = newWebhookSecret();
    const setup = await stackSetup(join(directory, 'data'), { WEBHOOK_SECRET: secret });
    stack = await startStack(setup);
    const api = stack.api;

    const events: Event[] = [];
    const latencies: number[] = [];
    let sequence = 0;
    let random = 0x2f6e2b1;
    const next = () => {
      random = (Math.imul(random ^ (random >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return random / 4294967296;
    };
    const newEvent = (kind: Event['kind']): Event => {
      sequence += 1;
      // Mostly a large pool; one in ten to a few busy candidates (optimistic retries on one
      // item), moved on every 2,000 events so that no item grows without bound.
      const candidateId =
        sequence % 10 === 0
          ? `load-hot-${Math.floor(sequence / 2000)}-${sequence % 4}`
          : `load-c${Math.floor(next() * 2000)}`;
      const attemptId = `load-a${sequence}`;
      const takenAt = new Date(Date.UTC(2025, 0, 1) + Math.floor(next() * 680) * 86_400_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      return {
        webhookId: `msg_load_${sequence}`,
        attemptId,
        candidateId,
        body: attemptBody({
          attemptId,
          candidateId,
          takenAt,
          outcome: next() < 0.7 ? 'pass' : 'fail',
          credentialId: `cred-${sequence % 3}`,
        }),
        answers: [],
        kind,
        repeats: 0,
      };
    };
    const send = async (event: Event) => {
      const answer = await deliver(api, secret, event.webhookId, event.body);
      latencies.push(answer.ms);
      event.answers.push(answer);
      return answer;
    };

    const started = performance.now();
    const deadline = started + LOAD_SECONDS * 1000;
    const sender = async () => {
      while (performance.now() < deadline) {
        const roll = next();
        if (roll < REPEAT_SHARE && events.length > 100) {
          // A repeat of an event answered earlier.
          const earlier = events[Math.floor(next() * (events.length - 50))] as Event;
          earlier.repeats += 1;
          await send(earlier);
        } else if (roll < REPEAT_SHARE + TWIN_SHARE) {
          const event = newEvent('twin');
          events.push(event);
          await Promise.all([send(event), send(event)]);
        } else {
          const event = newEvent('single');
          events.push(event);
          await send(event);
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    const seconds = (performance.now() - started) / 1000;

    // What was answered.
    const answers = events.flatMap((event) => event.answers);
    const byStatus = new Map<string, number>();
    for (const answer of answers) {
      const key =
        answer.status === 0 ? `error ${answer.error}` : `${answer.status} ${answer.outcome}`;
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    }
    const failures = answers.filter((answer) => answer.status !== 202);

    // What is stored.
    const scanStarted = performance.now();
    const items = await scanTable(setup, 8);
    const scanSeconds = (performance.now() - scanStarted) / 1000;
    const held = heldAttempts(items);
    const registered = registeredAttempts(items);
    const remembered = new Set(
      items
        .filter((item) => String(item.pk).startsWith('WEBHOOK#'))
        .map((item) => String(item.pk).slice('WEBHOOK#'.length)),
    );
    const problems: string[] = [];
    let twinsBothDuplicate = 0;
    for (const event of events) {
      const accepted = event.answers.filter((answer) => answer.outcome === 'accepted').length;
      const holders = held.get(event.attemptId) ?? [];
      if (event.answers.some((answer) => answer.status === 202)) {
        if (holders.length !== 1 || holders[0] !== event.candidateId)
          problems.push(`${event.attemptId}: held by [${holders.join(', ')}]`);
        if (!registered.has(event.attemptId)) problems.push(`${event.attemptId}: not registered`);
        if (!remembered.has(event.webhookId)) problems.push(`${event.webhookId}: not remembered`);
      }
      if (accepted > 1) problems.push(`${event.webhookId}: accepted ${accepted} times`);
      if (event.kind === 'single') {
        const [first, ...later] = event.answers;
        if (first && first.status === 202 && first.outcome !== 'accepted')
          problems.push(`${event.webhookId}: first delivery answered ${first.outcome}`);
        for (const answer of later)
          if (answer.status === 202 && answer.outcome !== 'duplicate')
            problems.push(`${event.webhookId}: a repeat answered ${answer.outcome}`);
      } else if (accepted === 0 && event.answers.every((answer) => answer.status === 202)) {
        twinsBothDuplicate += 1;
      }
    }
    const sent = new Set(events.map((event) => event.attemptId));
    for (const attemptId of held.keys())
      if (!sent.has(attemptId)) problems.push(`${attemptId}: held, never sent`);

    latencies.sort((a, b) => a - b);
    const stored = events.filter((event) => held.has(event.attemptId)).length;
    const repeats = events.reduce((total, event) => total + event.repeats, 0);
    const twins = events.filter((event) => event.kind === 'twin').length;
    console.log(
      [
        `load: ${SENDERS} senders for ${seconds.toFixed(1)} s against the local API (reminders dev, child process)`,
        `  requests        ${answers.length} (${(answers.length / seconds).toFixed(1)}/s)`,
        `  events          ${events.length} distinct, ${stored} stored (${(stored / seconds).toFixed(1)} events/s)`,
        `  repeats         ${repeats} later deliveries of an earlier webhook-id, ${twins} events delivered twice at once (${twinsBothDuplicate} of them answered duplicate twice)`,
        `  latency         p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
        `  answers         ${[...byStatus].map(([key, count]) => `${key}: ${count}`).join(', ')}`,
        `  5xx / errors    ${answers.filter((answer) => answer.status >= 500).length} / ${answers.filter((answer) => answer.status === 0).length}`,
        `  store           ${items.length} items scanned in ${scanSeconds.toFixed(1)} s; ${problems.length} problems`,
      ].join('\n'),
    );

    expect(failures.slice(0, 10)).toEqual([]);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(stored).toBe(events.length);
    await stack.stop();
    stack = undefined;
  });
});
