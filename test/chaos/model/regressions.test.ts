import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AcceptedEmail,
  type ChaosWorld,
  createChaosWorld,
  LEASE_SECONDS,
} from './support/chaos-world';

/**
 * The counterexamples the chaos properties shrank to, replayed step by step (a gate holds one
 * request while the other side of the race runs; a planned fault strikes one step). Each test
 * states what SPEC §1/§2 require, so it passes once the product honours it.
 */

/** A pass whose renewal window opens on 2024-10-15 (UTC): due at the run below. */
const PASS_AT = '2024-01-15T10:00:00Z';
const RUN_AT = '2024-10-15T13:00:00Z';

describe('chaos counterexamples, replayed', () => {
  let world: ChaosWorld;
  let emails: AcceptedEmail[];

  beforeAll(async () => {
    world = await createChaosWorld({ label: 'replays' });
  });

  /** Fresh candidate ids, and an observer that keeps what SES accepted. */
  const begin = (count: number) => {
    const prefix = `x-${randomUUID().slice(0, 8)}`;
    const ids = Array.from({ length: count }, (_, index) => `${prefix}-c${index}`);
    emails = [];
    world.begin(ids, {
      deliveryStarted: () => {},
      deliveryEnded: () => {},
      accepted: (email) => emails.push(email),
      rejected: () => {},
      faultFired: () => {},
    });
    return ids;
  };

  const post = async (event: Record<string, unknown>) => {
    const { result } = await world.ingestOnce(JSON.stringify(event), `msg_${randomUUID()}`);
    return { statusCode: result.statusCode, status: JSON.parse(result.body).status as string };
  };

  const pass = (candidateId: string, attemptId: string) => ({
    type: 'attempt.recorded',
    timestamp: PASS_AT,
    data: {
      attemptId,
      candidate: { candidateId, email: `${candidateId}@example.com` },
      credential: { credentialId: 'cred-x', name: 'Credential X' },
      outcome: 'pass',
      takenAt: PASS_AT,
    },
  });
  const merge = (from: string, to: string) => ({
    type: 'account.merged',
    timestamp: new Date().toISOString(),
    data: { fromCandidateId: from, toCandidateId: to },
  });
  const erase = (candidateId: string) => ({
    type: 'candidate.erased',
    timestamp: new Date().toISOString(),
    data: { candidateId },
  });

  /** The daily job at `runAt`: the planner, then every message it queued, delivered. */
  const run = async (runAt: string) => {
    const planned = await world.plan(runAt);
    await world.deliver(planned.requests);
    return planned;
  };

  const emailsOf = (key: string) => emails.filter((email) => email.keys.includes(key));

  it('SPEC §1: a transient DynamoDB error on the write that records an accepted send does not lead to a second email', async () => {
    const [ana] = begin(1) as [string];
    expect((await post(pass(ana, `${ana}-a1`))).statusCode).toBe(202);
    // Writes of the run: the run record (0), the claim (1), the record of the send (2).
    world.arm([{ kind: 'db.fail-before-write', at: 2, variant: 0 }]);
    await run(RUN_AT);
    world.disarm();
    // The next run, once the claim's lease is over (or the same run retried).
    world.clock.advance((LEASE_SECONDS + 1) * 1000);
    await run(RUN_AT);
    expect(
      emailsOf(`cred-x#renewal_window_open#${ana}-a1`).map((email) => email.outcome),
      'emails of the one renewal reminder (no process crashed)',
    ).toHaveLength(1);
  });

  it('SPEC §2: of two merges of one account into different targets one is refused, and it leaves nothing in its target (nor are reminders emailed twice)', async () => {
    const [a, b, c] = begin(3) as [string, string, string];
    expect((await post(pass(a, `${a}-a1`))).statusCode).toBe(202);
    // A→B has copied A into B and is about to make A its alias; meanwhile A→C is posted.
    const gate = world.holdWrite([`CAND#${a}`, 'mergedInto'], 'the alias write of A→B');
    const first = post(merge(a, b));
    await gate.hit;
    const second = post(merge(a, c));
    // The first merge may be released only once the second has been decided.
    const decided = await Promise.race([second, new Promise((r) => setTimeout(r, 2_000, 'open'))]);
    gate.release();
    const answers = [await first, await second].map((answer) =>
      answer.statusCode === 202 ? answer.status : String(answer.statusCode),
    );
    expect(decided, 'A→C waited for nothing but A→B').not.toBe('open');
    expect([...answers].sort(), 'A→B, A→C').toEqual(['409', 'accepted']);
    const refusedTarget = answers[0] === '409' ? b : c;
    const stored = await world.app.store.loadCandidate(refusedTarget);
    expect(
      stored.states.flatMap((state) => state.attempts.map((attempt) => attempt.attemptId)),
      'attempts stored in the target whose merge was refused',
    ).toEqual([]);
    await run(RUN_AT);
    expect(emailsOf(`cred-x#renewal_window_open#${a}-a1`)).toHaveLength(1);
  });

  it('SPEC §1: a run while a merge is under way emails each reminder once', async () => {
    const [a, b] = begin(2) as [string, string];
    expect((await post(pass(a, `${a}-a1`))).statusCode).toBe(202);
    // A→B has copied A's attempts into B; its alias write of A is held while the run goes.
    const gate = world.holdWrite([`CAND#${a}`, 'mergedInto'], 'the alias write of A→B');
    const merging = post(merge(a, b));
    await gate.hit;
    await run(RUN_AT);
    gate.release();
    expect((await merging).statusCode).toBe(202);
    expect(
      emailsOf(`cred-x#renewal_window_open#${a}-a1`).map((email) => email.candidateId),
      'the accounts the renewal reminder was emailed from',
    ).toHaveLength(1);
  });

  it('SPEC §2: of two opposite merges of an erased account at most one is accepted', async () => {
    const [a, b] = begin(2) as [string, string];
    for (const id of [a, b]) expect((await post(pass(id, `${id}-a1`))).statusCode).toBe(202);
    expect((await post(erase(a))).statusCode).toBe(202);
    // A→B has erased B too and is about to record A's merge; meanwhile B→A is posted.
    const gate = world.holdWrite([`CAND#${a}`, 'mergedInto'], 'the last write of A→B');
    const first = post(merge(a, b));
    await gate.hit;
    const second = await post(merge(b, a));
    gate.release();
    const answers = [await first, second].map((answer) =>
      answer.statusCode === 202 ? answer.status : String(answer.statusCode),
    );
    expect(
      answers.filter((answer) => answer === 'accepted'),
      'A→B, B→A',
    ).toHaveLength(1);
  });

  it('SPEC §2: two merges of one erased account into different targets: one is refused and the other target is not erased', async () => {
    const [a, b, c] = begin(3) as [string, string, string];
    for (const id of [a, b, c]) expect((await post(pass(id, `${id}-a1`))).statusCode).toBe(202);
    expect((await post(erase(a))).statusCode).toBe(202);
    const gate = world.holdWrite([`CAND#${a}`, 'mergedInto'], 'the last write of A→B');
    const first = post(merge(a, b));
    await gate.hit;
    const second = await post(merge(a, c));
    gate.release();
    const answers = [await first, second].map((answer) =>
      answer.statusCode === 202 ? answer.status : String(answer.statusCode),
    );
    expect(answers, 'A→B, A→C').toContain('409');
    const erased = await Promise.all([b, c].map((id) => world.app.store.resolveCandidate(id)));
    expect(
      erased.filter((resolved) => resolved.erased),
      'B and C: only the target of the accepted merge is erased with A',
    ).toHaveLength(1);
  });
});
