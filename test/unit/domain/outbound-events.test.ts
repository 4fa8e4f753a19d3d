import { describe, expect, it } from 'vitest';
import {
  candidateUnsubscribed,
  emailBounced,
  emailComplained,
  reminderSent,
  webhookIdOf,
} from '../../../functions/domain/outbound-events';

/** SPEC §8: the four outbound bodies, ids only, and one stable webhook-id per happening. */

const REMINDERS = [
  { credentialId: 'aws-serverless', kind: 'renewal_window_open', dueOn: '2027-11-28' },
] as const;

describe('outbound event bodies', () => {
  it('reminder.sent carries the candidate, the SES message id and the reminders', () => {
    // Act
    const message = reminderSent({
      candidateId: 'cand-ana',
      messageId: 'ses-1',
      reminders: REMINDERS,
      at: '2027-11-28T13:00:02.000Z',
    });

    // Assess
    expect(message.type).toBe('reminder.sent');
    expect(JSON.parse(message.body)).toEqual({
      type: 'reminder.sent',
      timestamp: '2027-11-28T13:00:02.000Z',
      data: { candidateId: 'cand-ana', messageId: 'ses-1', reminders: REMINDERS },
    });
  });

  it('email.bounced lists each candidate once, sorted, and is always Permanent', () => {
    // Act
    const message = emailBounced({
      candidateIds: ['cand-b', 'cand-a', 'cand-b'],
      messageId: 'ses-2',
      at: '2027-11-28T13:00:05.000Z',
    });

    // Assess
    expect(JSON.parse(message.body)).toEqual({
      type: 'email.bounced',
      timestamp: '2027-11-28T13:00:05.000Z',
      data: { candidateIds: ['cand-a', 'cand-b'], bounceType: 'Permanent' },
    });
  });

  it('email.complained and candidate.unsubscribed carry ids and the instant only', () => {
    // Act
    const complained = emailComplained({ candidateIds: ['cand-a'], messageId: 'ses-3', at: 'T' });
    const unsubscribed = candidateUnsubscribed({
      candidateId: 'cand-a',
      at: '2027-11-29T10:00:00Z',
    });

    // Assess
    expect(JSON.parse(complained.body).data).toEqual({ candidateIds: ['cand-a'] });
    expect(JSON.parse(unsubscribed.body).data).toEqual({
      candidateId: 'cand-a',
      at: '2027-11-29T10:00:00Z',
    });
  });
});

describe('webhook ids', () => {
  it('are the same for the same happening, published twice', () => {
    // Act
    const first = reminderSent({ candidateId: 'c', messageId: 'ses-1', reminders: [], at: 'A' });
    const again = reminderSent({ candidateId: 'c', messageId: 'ses-1', reminders: [], at: 'B' });
    const twice = [1, 2].map(() => candidateUnsubscribed({ candidateId: 'c', at: 'T1' }));

    // Assess
    expect(first.webhookId).toBe(again.webhookId);
    expect(twice[0]?.webhookId).toBe(twice[1]?.webhookId);
    expect(first.webhookId).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it('differ between happenings and between types of the same message', () => {
    // Act
    const ids = [
      webhookIdOf('reminder.sent', ['ses-1']),
      webhookIdOf('reminder.sent', ['ses-2']),
      webhookIdOf('email.bounced', ['ses-1']),
      webhookIdOf('email.complained', ['ses-1']),
      candidateUnsubscribed({ candidateId: 'c', at: 'T1' }).webhookId,
      candidateUnsubscribed({ candidateId: 'c', at: 'T2' }).webhookId,
    ];

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });
});
