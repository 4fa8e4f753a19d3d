import type { SNSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../functions/domain/outbound-events';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { candidateIdsOf, makeSesEvents } from '../../../functions/handlers/ses-events';

/**
 * ses-events reports the suppressions it records outbound, naming every candidate using the
 * address (the address indexes) and the candidate of the email's token.
 */

const SECRET = 'unsubscribe-key';
const listUnsubscribe = (candidateId: string, secret = SECRET) => ({
  name: 'List-Unsubscribe',
  value: `<https://api.example.org/unsubscribe?token=${createUnsubscribeToken(candidateId, secret)}>`,
});
const snsOf = (notification: unknown): SNSEvent =>
  ({
    Records: [{ Sns: { MessageId: 'sns-1', Message: JSON.stringify(notification) } }],
  }) as unknown as SNSEvent;
const bounce = (bounceType: string, headers: unknown[]) => ({
  notificationType: 'Bounce',
  mail: { messageId: 'ses-1', headers },
  bounce: {
    bounceType,
    timestamp: '2027-11-29T13:00:05.000Z',
    bouncedRecipients: [{ emailAddress: 'ana@example.com' }],
  },
});

const sesEventsWith = (
  unsubscribeSecrets: () => Promise<readonly string[]>,
  usingAddress: (address: string) => Promise<string[]> = async () => [],
) => {
  const suppressed: string[] = [];
  const published: OutboundMessage[] = [];
  const lookedUp: string[] = [];
  const handle = makeSesEvents({
    stores: {
      suppressions: {
        suppress: async (email) => {
          suppressed.push(email);
        },
        suppressed: async () => new Set(),
      },
      candidates: {
        candidatesUsingAddress: async (address) => {
          lookedUp.push(address);
          return usingAddress(address);
        },
      },
    },
    clock: { now: () => new Date('2027-11-29T13:00:06.000Z') },
    outbound: { publish: async (messages) => void published.push(...messages) },
    unsubscribeSecrets,
  });
  return { handle, suppressed, published, lookedUp };
};

describe('candidateIdsOf', () => {
  it('reads the candidate from a genuine token of List-Unsubscribe, and no one from a forged one', () => {
    // Assess
    expect(
      candidateIdsOf({ mail: { headers: [listUnsubscribe('cand-ana')] } }, ['new', SECRET]),
    ).toEqual(['cand-ana']);
    expect(
      candidateIdsOf({ mail: { headers: [listUnsubscribe('cand-ana', 'forged')] } }, [SECRET]),
    ).toEqual([]);
    expect(candidateIdsOf({ mail: { headers: [] } }, [SECRET])).toEqual([]);
  });
});

describe('makeSesEvents, with outbound webhooks', () => {
  it('reports a permanent bounce as email.bounced, after suppressing the address', async () => {
    // Prepare
    const { handle, suppressed, published } = sesEventsWith(async () => [SECRET]);

    // Act
    await handle(snsOf(bounce('Permanent', [listUnsubscribe('cand-ana')])));

    // Assess
    expect(suppressed).toEqual(['ana@example.com']);
    expect(published.map((message) => JSON.parse(message.body))).toEqual([
      {
        type: 'email.bounced',
        timestamp: '2027-11-29T13:00:05.000Z',
        data: { candidateIds: ['cand-ana'], bounceType: 'Permanent' },
      },
    ]);
  });

  it('names every candidate using the address, with the token candidate, sorted and each once', async () => {
    // Prepare
    const { handle, published, lookedUp } = sesEventsWith(
      async () => [SECRET],
      async () => ['cand-teen', 'cand-ana'],
    );
    const complaint = {
      notificationType: 'Complaint',
      mail: { messageId: 'ses-2', headers: [listUnsubscribe('cand-ana')] },
      complaint: {
        timestamp: '2027-11-29T13:00:05.000Z',
        complainedRecipients: [{ emailAddress: '"Parent" <parent@example.com>' }],
      },
    };

    // Act
    await handle(snsOf(complaint));

    // Assess
    expect(lookedUp).toEqual(['parent@example.com']);
    expect(published.map((message) => JSON.parse(message.body).data)).toEqual([
      { candidateIds: ['cand-ana', 'cand-teen'] },
    ]);
  });

  it('names the candidates of the address indexes when the email carries no token', async () => {
    // Prepare
    const { handle, published } = sesEventsWith(
      async () => [SECRET],
      async () => ['cand-bo'],
    );

    // Act
    await handle(snsOf(bounce('Permanent', [])));

    // Assess
    expect(published.map((message) => JSON.parse(message.body).data)).toEqual([
      { candidateIds: ['cand-bo'], bounceType: 'Permanent' },
    ]);
  });

  it('falls back to the token candidate when the address indexes cannot be read', async () => {
    // Prepare
    const { handle, suppressed, published } = sesEventsWith(
      async () => [SECRET],
      async () => Promise.reject(new Error('AccessDeniedException')),
    );

    // Act
    const result = await handle(snsOf(bounce('Permanent', [listUnsubscribe('cand-ana')])));

    // Assess
    expect(result).toEqual({ suppressed: 1 });
    expect(suppressed).toEqual(['ana@example.com']);
    expect(published.map((message) => JSON.parse(message.body).data)).toEqual([
      { candidateIds: ['cand-ana'], bounceType: 'Permanent' },
    ]);
  });

  it('reports nothing for a transient bounce or an email naming no candidate', async () => {
    // Prepare
    const { handle, published } = sesEventsWith(async () => [SECRET]);

    // Act
    await handle(snsOf(bounce('Transient', [listUnsubscribe('cand-ana')])));
    await handle(snsOf(bounce('Permanent', [])));

    // Assess
    expect(published).toEqual([]);
  });

  it('still suppresses, and does not throw, when the unsubscribe secret cannot be read', async () => {
    // Prepare
    const { handle, suppressed, published } = sesEventsWith(async () =>
      Promise.reject(new Error('Secrets Manager unavailable')),
    );

    // Act
    const result = await handle(snsOf(bounce('Permanent', [listUnsubscribe('cand-ana')])));

    // Assess
    expect(result).toEqual({ suppressed: 1 });
    expect(suppressed).toEqual(['ana@example.com']);
    expect(published).toEqual([]);
  });

  it('still names the candidates of the address indexes when the unsubscribe secret cannot be read', async () => {
    // Prepare
    const { handle, published } = sesEventsWith(
      async () => Promise.reject(new Error('Secrets Manager unavailable')),
      async () => ['cand-ana'],
    );

    // Act
    await handle(snsOf(bounce('Permanent', [listUnsubscribe('cand-ana')])));

    // Assess
    expect(published.map((message) => JSON.parse(message.body).data)).toEqual([
      { candidateIds: ['cand-ana'], bounceType: 'Permanent' },
    ]);
  });
});
