import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { candidateUnsubscribed } from '../../../functions/domain/outbound-events';
import { OUTBOUND_MAX_ATTEMPTS } from '../../../functions/domain/outbound-schedule';
import { makeOutbound } from '../../../functions/handlers/outbound';
import type { PostOutcome } from '../../../functions/use-cases/ports';

/** The outbound function: one attempt per record; failures delayed by visibility and reported. */

const recordOf = (id: string, body: string, receiveCount: number): SQSRecord => ({
  messageId: id,
  receiptHandle: `receipt-${id}`,
  body,
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:outbound',
  awsRegion: 'us-east-1',
});
const eventOf = (candidateId: string) =>
  JSON.stringify(candidateUnsubscribed({ candidateId, at: '2027-11-29T10:00:00.000Z' }));

const outboundAnswering = (answers: Record<string, PostOutcome>) => {
  const retries: Array<[string, number]> = [];
  const handler = makeOutbound({
    endpoint: {
      post: async (message) => {
        const candidateId = JSON.parse(message.body).data.candidateId as string;
        return answers[candidateId] ?? { ok: true, status: 200 };
      },
    },
    clock: { now: () => new Date('2027-11-29T10:00:05.000Z') },
    retryLater: async (receiptHandle, delayMs) => {
      retries.push([receiptHandle, delayMs]);
    },
  });
  return { handler, retries };
};

describe('makeOutbound', () => {
  it('deletes delivered records and delays each failed one by its attempt’s delay', async () => {
    // Prepare
    const { handler, retries } = outboundAnswering({
      'cand-down': { ok: false, status: 503, reason: 'the receiver answered 503' },
      'cand-slow': { ok: false, reason: 'no answer within 10 s' },
    });
    const event: SQSEvent = {
      Records: [
        recordOf('1', eventOf('cand-ok'), 1),
        recordOf('2', eventOf('cand-down'), 1),
        recordOf('3', eventOf('cand-slow'), 7),
      ],
    };

    // Act
    const response = await handler(event);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);
    expect(retries).toEqual([
      ['receipt-2', 30_000],
      ['receipt-3', 3_600_000],
    ]);
  });

  it('leaves the last attempt’s failure to the redrive policy, without a delay', async () => {
    // Prepare
    const { handler, retries } = outboundAnswering({
      'cand-down': { ok: false, status: 500, reason: 'the receiver answered 500' },
    });

    // Act
    const response = await handler({
      Records: [recordOf('9', eventOf('cand-down'), OUTBOUND_MAX_ATTEMPTS)],
    });

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '9' }]);
    expect(retries).toEqual([]);
  });

  it('drops a record that is not an outbound event', async () => {
    // Prepare
    const { handler } = outboundAnswering({});

    // Act
    const response = await handler({ Records: [recordOf('5', 'not json', 1)] });

    // Assess
    expect(response.batchItemFailures).toEqual([]);
  });
});
