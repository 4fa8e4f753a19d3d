import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from './build-plans';
import { describePlan, type Plan, planArb } from './hostile-plans';
import { createPool, problemsOf, SECRETS, type Served, serveTestApp } from './hostile-support';
import { type RawResponse, sendRaw } from './raw-http';
import type { Built, Delivered, PoolCandidate } from './signed-requests';
import { diffTables, readTable, type TableState } from './table-diff';

/**
 * SPEC §3 under hostile input, over real HTTP: 10,000 generated requests (bodies, headers, sizes,
 * encodings, content types, signatures, timestamps, replays, webhook-ids, path tricks, methods)
 * to every route of the local API, served by the real gateway (`startHttpGateway`) in front of
 * the local app on a real table. Every answer is judged against the contract (never a 5xx, the
 * SPEC's JSON errors with the right code, the unsubscribe pages in HTML), and after every batch
 * the whole table is read back: each item added, changed or removed must belong to a request
 * that was valid, correctly signed and answered with success.
 */

const TOTAL = Number(process.env.HOSTILE_REQUESTS ?? 10_000);
const BATCH = 50;
const RUN = randomBytes(4).toString('hex');

let served: Served;
let pool: PoolCandidate[];

beforeAll(async () => {
  served = await serveTestApp();
  pool = await createPool(served.testApp, `hxpool${RUN}`, 8);
});

afterAll(async () => {
  await served?.close();
});

type Sent = Built & {
  readonly plan: Plan;
  readonly tracer: string;
  readonly response?: RawResponse;
  readonly failure?: unknown;
};

const succeeded = (sent: Sent) =>
  sent.response !== undefined &&
  (sent.response.status === 202 ||
    (sent.response.status === 200 && sent.expect.successOn200 === true));

const ingestStatusOf = (sent: Sent): string | undefined => {
  if (sent.response?.status !== 202) return undefined;
  try {
    return (JSON.parse(sent.response.text) as { status?: string }).status;
  } catch {
    return undefined;
  }
};

describe('the local HTTP API under hostile input', () => {
  it(`answers ${TOTAL} hostile requests by the contract and stores only what was valid and signed`, async () => {
    // Prepare
    let sequence = 0;
    const delivered: Delivered[] = [];
    let table: TableState = await readTable(served.testApp);
    const seen = new Map<string, number>();
    const statuses = new Map<number, number>();
    let stored = 0;

    // Act / Assess (batch by batch)
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: BATCH, maxLength: BATCH }), async (plans) => {
        const built = plans.map((plan) => {
          sequence += 1;
          const tracer = `hx${RUN}n${sequence}z`;
          const ctx = { tracer, nowMs: Date.now(), secrets: SECRETS, pool, delivered };
          return { plan, tracer, ...buildPlan(plan, ctx) };
        });
        const sent: Sent[] = await Promise.all(
          built.map((one) =>
            sendRaw(served.port, one.request).then(
              (response) => ({ ...one, response }),
              (failure: unknown) => ({ ...one, failure }),
            ),
          ),
        );
        const after = await readTable(served.testApp);
        const changes = diffTables(table, after);
        table = after;

        const violations: string[] = [];
        const report = (one: Sent, problem: string) =>
          violations.push(
            `${problem}\n  plan: ${describePlan(one.plan)}\n  answer: ${one.response ? `${one.response.head.split('\r\n')[0]} ${one.response.text.slice(0, 300)}` : String(one.failure)}`,
          );
        const allowed = new Set<string>();
        const storedKeys = new Set([...after.values()].map((item) => item.pk));
        for (const one of sent) {
          seen.set(one.plan.kind, (seen.get(one.plan.kind) ?? 0) + 1);
          if (one.response === undefined) {
            report(one, 'no answer');
            continue;
          }
          statuses.set(one.response.status, (statuses.get(one.response.status) ?? 0) + 1);
          for (const problem of problemsOf(one.request.method, one.response, one.expect))
            report(one, problem);
          if (!succeeded(one)) continue;
          const outcome = ingestStatusOf(one);
          const keys =
            outcome === 'duplicate'
              ? (one.expect.mayChangeOnDuplicate ?? [])
              : one.expect.mayChange;
          for (const key of keys) allowed.add(key);
          if (outcome === 'accepted' || outcome === 'duplicate') {
            const required =
              outcome === 'accepted'
                ? (one.expect.mustStore ?? [])
                : (one.expect.mayChangeOnDuplicate ?? []);
            for (const key of required)
              if (!storedKeys.has(key)) report(one, `answered ${outcome} but stored no ${key}`);
          }
          if (outcome === 'accepted') stored += 1;
          if (outcome === 'accepted' && one.expect.replayable && one.delivered)
            delivered.push(one.delivered);
        }
        const refusedTracers = sent.filter((one) => !succeeded(one)).map((one) => one.tracer);
        for (const change of changes) {
          if (!allowed.has(change.pk))
            violations.push(
              `${change.change} ${change.pk} though no request answered with success may change it: ${change.text.slice(0, 400)}`,
            );
          const tracer = refusedTracers.find((candidate) => change.text.includes(candidate));
          if (tracer !== undefined) {
            const culprit = sent.find((one) => one.tracer === tracer) as Sent;
            report(culprit, `refused, yet ${change.pk} (${change.change}) holds its data`);
          }
        }
        if (served.gatewayErrors.length > 0)
          violations.push(
            `errors escaped the route: ${served.gatewayErrors.map(String).join('; ')}`,
          );
        if (violations.length > 0)
          throw new Error(
            `${violations.length} violation(s):\n${violations.slice(0, 10).join('\n\n')}`,
          );
      }),
      { numRuns: Math.ceil(TOTAL / BATCH), endOnFailure: true },
    );

    // Assess, once over: the run reached every kind of request and every answer of the contract.
    const summary = [...statuses.entries()].sort(([a], [b]) => a - b);
    console.info(
      `hostile requests: ${sequence}; statuses ${summary.map(([status, count]) => `${status}×${count}`).join(' ')}; events stored ${stored}`,
    );
    expect(sequence).toBeGreaterThanOrEqual(TOTAL);
    expect(Object.prototype).not.toHaveProperty('pollutedByHostileInput');
    for (const kind of [
      'valid',
      'body',
      'wrongType',
      'size',
      'contentType',
      'encoding',
      'signature',
      'timestamp',
      'replay',
      'webhookId',
      'path',
      'method',
      'headers',
      'unsubscribe',
      'unknownRoute',
    ])
      expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(0);
    for (const status of [200, 202, 400, 401, 404, 405, 413, 415])
      expect(statuses.get(status) ?? 0, String(status)).toBeGreaterThan(0);
    expect(stored).toBeGreaterThan(0);
  }, 900_000);
});
