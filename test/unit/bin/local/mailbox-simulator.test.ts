import type { SNSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  simulatedNotifications,
  simulatedOutcomeOf,
  withMailboxSimulator,
} from '../../../../bin/local/mailbox-simulator';
import { addressesToSuppress } from '../../../../functions/handlers/ses-events';
import type { EmailMessage } from '../../../../functions/use-cases/ports';

/** SES's mailbox simulator: its addresses produce the notifications SES would publish. */

const message = (to: string, cc: string[] = []): EmailMessage => ({
  from: 'Certification Reminders <reminders@example.com>',
  to: [to],
  cc,
  subject: 'Your renewal window is open',
  text: 'text',
  html: '<p>html</p>',
  unsubscribeUrl: 'http://127.0.0.1:3000/unsubscribe?token=v1.abc.def',
});
const AT = new Date('2027-11-29T13:00:00.000Z');

describe('simulatedOutcomeOf', () => {
  it('knows the simulator’s mailboxes, with a +label, and nothing else', () => {
    // Assess
    expect(simulatedOutcomeOf('bounce@simulator.amazonses.com')?.outcome).toBe('Bounce');
    expect(simulatedOutcomeOf('Bounce+demo@Simulator.AmazonSES.com')?.outcome).toBe('Bounce');
    expect(simulatedOutcomeOf('suppressionlist@simulator.amazonses.com')).toEqual({
      outcome: 'Bounce',
      subType: 'OnAccountSuppressionList',
    });
    expect(simulatedOutcomeOf('complaint@simulator.amazonses.com')?.outcome).toBe('Complaint');
    expect(simulatedOutcomeOf('success@simulator.amazonses.com')?.outcome).toBe('Delivery');
    expect(simulatedOutcomeOf('ana@example.com')).toBeUndefined();
    expect(simulatedOutcomeOf('bounce@simulator.amazonses.com.example')).toBeUndefined();
  });
});

describe('simulatedNotifications', () => {
  it('builds a permanent bounce of the simulator recipients only, with the mail and its headers', () => {
    // Act
    const notifications = simulatedNotifications(
      message('bounce@simulator.amazonses.com', ['parent@example.com']),
      'ses-1',
      AT,
    );

    // Assess
    expect(notifications).toHaveLength(1);
    const [bounce] = notifications;
    expect(bounce).toMatchObject({
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'bounce@simulator.amazonses.com' }],
      },
      mail: {
        messageId: 'ses-1',
        destination: ['bounce@simulator.amazonses.com', 'parent@example.com'],
      },
    });
    expect(bounce?.mail?.headers).toContainEqual({
      name: 'List-Unsubscribe',
      value: '<http://127.0.0.1:3000/unsubscribe?token=v1.abc.def>',
    });
    expect(addressesToSuppress(bounce ?? {})).toEqual([
      { email: 'bounce@simulator.amazonses.com', reason: 'bounce' },
    ]);
  });

  it('builds a complaint, a delivery that suppresses nothing, and nothing for other mail', () => {
    // Act
    const [complaint] = simulatedNotifications(
      message('complaint@simulator.amazonses.com'),
      'm',
      AT,
    );
    const [delivery] = simulatedNotifications(message('success@simulator.amazonses.com'), 'm', AT);
    const none = simulatedNotifications(message('ana@example.com'), 'm', AT);

    // Assess
    expect(addressesToSuppress(complaint ?? {})).toEqual([
      { email: 'complaint@simulator.amazonses.com', reason: 'complaint' },
    ]);
    expect(delivery?.notificationType).toBe('Delivery');
    expect(addressesToSuppress(delivery ?? {})).toEqual([]);
    expect(none).toEqual([]);
  });
});

describe('withMailboxSimulator', () => {
  it('sends through the wrapped mailer, then feeds the SNS-wrapped notification to the handler', async () => {
    // Prepare
    const sent: EmailMessage[] = [];
    const received: SNSEvent[] = [];
    const mailer = withMailboxSimulator(
      {
        send: async (email) => {
          sent.push(email);
          return { messageId: 'ses-7' };
        },
      },
      {
        notify: async (event) => {
          received.push(event);
          return { suppressed: 1 };
        },
        clock: { now: () => AT },
        delayMs: 1,
      },
    );

    // Act
    const result = await mailer.send(message('bounce@simulator.amazonses.com'));
    await mailer.settled();

    // Assess
    expect(result).toEqual({ messageId: 'ses-7' });
    expect(sent).toHaveLength(1);
    expect(received).toHaveLength(1);
    const notification = JSON.parse(received[0]?.Records[0]?.Sns.Message ?? '{}');
    expect(notification.notificationType).toBe('Bounce');
    expect(notification.mail.messageId).toBe('ses-7');
  });

  it('never fails the send when the notification fails', async () => {
    // Prepare
    const lines: string[] = [];
    const mailer = withMailboxSimulator(
      { send: async () => ({ messageId: 'ses-8' }) },
      {
        notify: async () => Promise.reject(new Error('table unavailable')),
        clock: { now: () => AT },
        delayMs: 1,
        log: (line) => lines.push(line),
      },
    );

    // Act
    const result = await mailer.send(message('complaint@simulator.amazonses.com'));
    await mailer.settled();

    // Assess
    expect(result).toEqual({ messageId: 'ses-8' });
    expect(lines.join('\n')).toContain('failed: table unavailable');
    expect(lines.join('\n')).not.toContain('@');
  });
});
