import { afterEach, describe, expect, it } from 'vitest';
import type { LocalApp } from '../../../bin/local/local-app';
import { candidateUnsubscribed } from '../../../functions/domain/outbound-events';
import {
  OUTBOUND_MAX_ATTEMPTS,
  OUTBOUND_MAX_DELAY_MS,
} from '../../../functions/domain/outbound-schedule';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { newCandidate, postAccepted } from '../run/run-helpers';
import {
  attemptEvent,
  createTestClock,
  httpEvent,
  runAt,
  type TestClock,
  UNSUBSCRIBE_SECRET,
} from '../support/harness';
import {
  createOutboundTestApp,
  type ReceivedRequest,
  signedAtItsOwnTimestamp,
  startReceiver,
} from './outbound-support';

/**
 * SPEC §8 against a real HTTP receiver: events built where they happen (the sender, ses-events
 * fed by the mailbox simulator, unsubscribe), queued in the table, delivered signed afresh on
 * every attempt, retried on the schedule (the clock is driven, never waited for), and
 * dead-lettered when the schedule is exhausted.
 */

const PASSED_AT = '2026-02-12T09:00:00Z';
const RENEWAL_RUN = '2026-11-12T13:00:00Z';
const NAMES = ['Ana Outbound', 'Bo Bounce', 'Cy Complaint'];

let receivers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  receivers = [];
});

/** Drains the outbox, moving the clock an hour at a time, until nothing is pending. */
const drainUntilSettled = async (app: LocalApp, clock: TestClock) => {
  const outbound = app.outbound;
  if (outbound === undefined) throw new Error('outbound webhooks are off');
  for (let round = 0; round < OUTBOUND_MAX_ATTEMPTS + 5; round += 1) {
    await outbound.outbox.drain(outbound.endpoint);
    const entries = await outbound.outbox.entries();
    if (entries.every((entry) => entry.state !== 'pending')) return entries;
    clock.advance(OUTBOUND_MAX_DELAY_MS);
  }
  throw new Error('the outbox never settled');
};

/** Every event the receiver accepted, once per `webhook-id`, as it would deduplicate them. */
const deduplicated = (requests: readonly ReceivedRequest[]) => {
  const byId = new Map<string, { type: string; data: Record<string, unknown> }>();
  for (const request of requests) {
    if (!signedAtItsOwnTimestamp(request)) continue;
    const id = String(request.headers['webhook-id']);
    if (!byId.has(id)) byId.set(id, JSON.parse(request.body));
  }
  return byId;
};

describe('outbound webhooks', () => {
  it('reach a receiver that fails for a while, each event once after deduplication, ids only', async () => {
    // Prepare: the receiver records then fails the first attempt of every event (500), lets the
    // second time out, and accepts the third.
    const receiver = await startReceiver(({ seenBefore }) =>
      seenBefore === 0 ? 500 : seenBefore === 1 ? 'hang' : 204,
    );
    receivers.push(receiver);
    const clock = createTestClock();
    const { app } = await createOutboundTestApp(receiver.url, clock);
    const ana = newCandidate('out-ana');
    const bounced = newCandidate('out-bounce');
    const complained = newCandidate('out-complaint');
    const emails = [
      ana.email,
      'bounce@simulator.amazonses.com',
      'complaint@simulator.amazonses.com',
    ];
    for (const [index, candidate] of [ana, bounced, complained].entries()) {
      await postAccepted(
        app,
        attemptEvent({
          candidateId: candidate.candidateId,
          email: emails[index] as string,
          name: NAMES[index] as string,
          outcome: 'pass',
          takenAt: PASSED_AT,
        }),
      );
    }

    // Act: one run (three emails, a simulated bounce and complaint), and two clicks on one link.
    const run = await runAt(app, RENEWAL_RUN);
    const token = createUnsubscribeToken(ana.candidateId, UNSUBSCRIBE_SECRET);
    for (let click = 0; click < 2; click += 1) {
      const answer = await app.unsubscribe(
        httpEvent('POST', '/unsubscribe', {
          query: new URLSearchParams({ token }).toString(),
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
      expect(answer.statusCode).toBe(200);
    }
    const entries = await drainUntilSettled(app, clock);

    // Assess: every event delivered, each attempt signed at its own timestamp.
    expect(run.emails).toHaveLength(3);
    expect(entries.map((entry) => entry.state)).toEqual(Array(6).fill('delivered'));
    expect(receiver.requests).toHaveLength(6 * 3);
    expect(receiver.requests.every(signedAtItsOwnTimestamp)).toBe(true);
    for (const entry of entries) {
      const stamps = receiver.requests
        .filter((request) => request.headers['webhook-id'] === entry.webhookId)
        .map((request) => Number(request.headers['webhook-timestamp']));
      expect(new Set(stamps).size).toBe(3);
    }
    const events = [...deduplicated(receiver.requests).values()];
    const ofType = (type: string) => events.filter((event) => event.type === type);
    expect(
      ofType('reminder.sent')
        .map((event) => event.data.candidateId)
        .sort(),
    ).toEqual([ana, bounced, complained].map((candidate) => candidate.candidateId).sort());
    expect(ofType('email.bounced').map((event) => event.data)).toEqual([
      { candidateIds: [bounced.candidateId], bounceType: 'Permanent' },
    ]);
    expect(ofType('email.complained').map((event) => event.data)).toEqual([
      { candidateIds: [complained.candidateId] },
    ]);
    expect(ofType('candidate.unsubscribed').map((event) => event.data.candidateId)).toEqual([
      ana.candidateId,
    ]);
    // The simulator's bounce and complaint suppressed the addresses, through ses-events.
    const suppressed = await app.stores.suppressions.suppressed(emails);
    expect([...suppressed].sort()).toEqual(emails.slice(1).sort());
    // Bodies carry ids, never an address or a name.
    for (const request of receiver.requests) {
      expect(request.body).not.toMatch(/@/);
      for (const name of NAMES) expect(request.body).not.toContain(name);
    }
  });

  it('never lets two workers make the same attempt, nor queues an event twice', async () => {
    // Prepare
    const receiver = await startReceiver(() => 204);
    receivers.push(receiver);
    const clock = createTestClock();
    const { app } = await createOutboundTestApp(receiver.url, clock);
    const outbound = app.outbound;
    if (outbound === undefined) throw new Error('outbound webhooks are off');
    const events = Array.from({ length: 5 }, (_, index) =>
      candidateUnsubscribed({ candidateId: `cand-${index}`, at: '2027-01-10T08:00:00.000Z' }),
    );
    await outbound.outbox.publish(events);
    await outbound.outbox.publish(events.slice(0, 2));

    // Act
    await Promise.all([1, 2, 3].map(() => outbound.outbox.drain(outbound.endpoint)));

    // Assess
    const ids = receiver.requests.map((request) => String(request.headers['webhook-id']));
    expect(ids.sort()).toEqual(events.map((event) => event.webhookId).sort());
    expect((await outbound.outbox.entries()).map((entry) => entry.state)).toEqual(
      Array(5).fill('delivered'),
    );
  });

  it('dead-letters an event after at least 24 hours of retries on the schedule', async () => {
    // Prepare
    const receiver = await startReceiver(() => 503);
    receivers.push(receiver);
    const clock = createTestClock('2027-01-10T08:00:00Z');
    const { app } = await createOutboundTestApp(receiver.url, clock);
    const token = createUnsubscribeToken(newCandidate('out-dead').candidateId, UNSUBSCRIBE_SECRET);
    await app.unsubscribe(
      httpEvent('POST', '/unsubscribe', { query: new URLSearchParams({ token }).toString() }),
    );

    // Act
    const entries = await drainUntilSettled(app, clock);

    // Assess
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ state: 'dead', attempts: OUTBOUND_MAX_ATTEMPTS });
    const stamps = receiver.requests.map((request) => Number(request.headers['webhook-timestamp']));
    expect(stamps).toHaveLength(OUTBOUND_MAX_ATTEMPTS);
    expect((stamps.at(-1) as number) - (stamps[0] as number)).toBeGreaterThanOrEqual(24 * 3600);
  });
});
