import { describe, expect, it, vi } from 'vitest';
import { candidateUnsubscribed } from '../../../functions/domain/outbound-events';
import { OUTBOUND_MAX_ATTEMPTS } from '../../../functions/domain/outbound-schedule';
import {
  deliverOutbound,
  publishOutbound,
  quietOutbound,
} from '../../../functions/use-cases/outbound-delivery';
import type { PostOutcome, WebhookEndpoint } from '../../../functions/use-cases/ports';

/** Publishing never throws; one delivery attempt says what comes next. */

const MESSAGE = candidateUnsubscribed({ candidateId: 'cand-a', at: '2027-11-29T10:00:00.000Z' });
const clock = { now: () => new Date('2027-11-29T10:00:05.000Z') };
const endpointAnswering = (
  ...outcomes: Array<PostOutcome | Error>
): WebhookEndpoint & {
  calls: Date[];
} => {
  const calls: Date[] = [];
  return {
    calls,
    async post(_message, at) {
      calls.push(at);
      const next = outcomes.shift() ?? { ok: true, status: 200 };
      if (next instanceof Error) throw next;
      return next;
    },
  };
};

describe('quietOutbound', () => {
  it('hands a failure to publish to onFailure and never throws', async () => {
    // Prepare
    const onFailure = vi.fn();
    const outbound = quietOutbound(
      { publish: async () => Promise.reject(new Error('SQS is down')) },
      onFailure,
    );

    // Act
    await outbound.publish([MESSAGE]);

    // Assess
    expect(onFailure).toHaveBeenCalledWith(expect.any(Error), [MESSAGE]);
  });

  it('survives a failing onFailure too, and publishOutbound without a publisher does nothing', async () => {
    // Prepare
    const outbound = quietOutbound(
      { publish: async () => Promise.reject(new Error('down')) },
      () => {
        throw new Error('logger down');
      },
    );

    // Act & Assess
    await expect(outbound.publish([MESSAGE])).resolves.toBeUndefined();
    await expect(publishOutbound(undefined, [MESSAGE])).resolves.toBeUndefined();
    await expect(
      publishOutbound({ publish: async () => Promise.reject(new Error('x')) }, [MESSAGE]),
    ).resolves.toBeUndefined();
  });
});

describe('deliverOutbound', () => {
  it('reports a 2xx answer as delivered, signed at the clock’s instant', async () => {
    // Prepare
    const endpoint = endpointAnswering({ ok: true, status: 204 });

    // Act
    const next = await deliverOutbound({ endpoint, clock }, MESSAGE, 1);

    // Assess
    expect(next).toEqual({ outcome: 'delivered', status: 204 });
    expect(endpoint.calls).toEqual([clock.now()]);
  });

  it('retries a refusal or a thrown error after the schedule’s delay', async () => {
    // Prepare
    const endpoint = endpointAnswering(
      { ok: false, status: 500, reason: 'the receiver answered 500' },
      new Error('socket hang up'),
    );

    // Act
    const first = await deliverOutbound({ endpoint, clock }, MESSAGE, 1);
    const second = await deliverOutbound({ endpoint, clock }, MESSAGE, 2);

    // Assess
    expect(first).toEqual({
      outcome: 'retry',
      delayMs: 30_000,
      reason: 'the receiver answered 500',
    });
    expect(second).toEqual({ outcome: 'retry', delayMs: 120_000, reason: 'socket hang up' });
  });

  it('dead-letters the last attempt’s failure', async () => {
    // Prepare
    const endpoint = endpointAnswering({ ok: false, reason: 'no answer within 10 s' });

    // Act
    const next = await deliverOutbound({ endpoint, clock }, MESSAGE, OUTBOUND_MAX_ATTEMPTS);

    // Assess
    expect(next).toEqual({ outcome: 'dead-letter', reason: 'no answer within 10 s' });
  });
});
