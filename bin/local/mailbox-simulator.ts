import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { SesNotification } from '../../functions/handlers/ses-events';
import type { Clock, EmailMessage, Mailer } from '../../functions/use-cases/ports';

/**
 * SES's mailbox simulator, on this machine (SPEC §4): mail to `bounce@`, `complaint@`,
 * `suppressionlist@` or `success@simulator.amazonses.com` (a `+label` allowed) is still sent to
 * the SES emulator, and shortly after it the notification SES would publish is built and fed,
 * wrapped in an SNS record, to the very handler that processes SES events on AWS.
 */

export type SimulatedOutcome = 'Bounce' | 'Complaint' | 'Delivery';

const SIMULATOR =
  /^(bounce|complaint|suppressionlist|success)(\+[^@]*)?@simulator\.amazonses\.com$/i;

/** An address as written in a header, possibly `"Name" <a@b>`: just the address. */
const bareAddress = (value: string) => (/<([^>]+)>/.exec(value)?.[1] ?? value).trim();

/**
 * What the simulator does with mail to `address`, or `undefined` for an ordinary address.
 *
 * @example
 * simulatedOutcomeOf('bounce@simulator.amazonses.com'); // { outcome: 'Bounce', subType: 'General' }
 */
export const simulatedOutcomeOf = (
  address: string,
): { readonly outcome: SimulatedOutcome; readonly subType?: string } | undefined => {
  const mailbox = SIMULATOR.exec(bareAddress(address))?.[1]?.toLowerCase();
  if (mailbox === 'bounce') return { outcome: 'Bounce', subType: 'General' };
  if (mailbox === 'suppressionlist')
    return { outcome: 'Bounce', subType: 'OnAccountSuppressionList' };
  if (mailbox === 'complaint') return { outcome: 'Complaint' };
  if (mailbox === 'success') return { outcome: 'Delivery' };
  return undefined;
};

/**
 * The SES notifications (as SNS delivers them, `notificationType` …) for one sent message: one
 * per kind of outcome, listing the simulator recipients it concerns. Ordinary recipients get
 * none, as SES sends no notification for a delivery unless asked.
 *
 * @example
 * const notifications = simulatedNotifications(message, 'ses-id-1', new Date());
 * notifications[0]?.notificationType; // 'Bounce'
 */
export const simulatedNotifications = (
  message: EmailMessage,
  messageId: string,
  at: Date,
): SesNotification[] => {
  const recipients = [...message.to, ...(message.cc ?? [])].map(bareAddress);
  const sentAt = at.toISOString();
  const eventAt = new Date(at.getTime() + 1000).toISOString();
  const mail = {
    timestamp: sentAt,
    messageId,
    source: bareAddress(message.from),
    sourceArn: 'arn:aws:ses:local:000000000000:identity/local',
    destination: recipients,
    headersTruncated: false,
    headers: [
      { name: 'From', value: message.from },
      { name: 'To', value: message.to.join(', ') },
      ...(message.cc && message.cc.length > 0
        ? [{ name: 'Cc', value: message.cc.join(', ') }]
        : []),
      { name: 'Subject', value: message.subject },
      { name: 'List-Unsubscribe', value: `<${message.unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
    commonHeaders: { from: [message.from], to: [...message.to], subject: message.subject },
  };
  const matching = (outcome: SimulatedOutcome) =>
    recipients.flatMap((address) => {
      const simulated = simulatedOutcomeOf(address);
      return simulated?.outcome === outcome ? [{ address, subType: simulated.subType }] : [];
    });
  const notifications: SesNotification[] = [];
  const bounced = matching('Bounce');
  if (bounced.length > 0) {
    const onSuppressionList = bounced.every((b) => b.subType === 'OnAccountSuppressionList');
    notifications.push({
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: onSuppressionList ? 'OnAccountSuppressionList' : 'General',
        bouncedRecipients: bounced.map(({ address, subType }) => ({
          emailAddress: address,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode:
            subType === 'OnAccountSuppressionList'
              ? 'Amazon SES did not send the message to this address because it is on the suppression list for your account.'
              : 'smtp; 550 5.1.1 user unknown',
        })),
        timestamp: eventAt,
        feedbackId: `local-${randomUUID()}`,
        reportingMTA: 'dsn; simulator.amazonses.com',
      },
      mail,
    } as SesNotification);
  }
  const complained = matching('Complaint');
  if (complained.length > 0) {
    notifications.push({
      notificationType: 'Complaint',
      complaint: {
        complainedRecipients: complained.map(({ address }) => ({ emailAddress: address })),
        timestamp: eventAt,
        feedbackId: `local-${randomUUID()}`,
        complaintFeedbackType: 'abuse',
        userAgent: 'Amazon SES Mailbox Simulator',
      },
      mail,
    } as SesNotification);
  }
  const delivered = matching('Delivery');
  if (delivered.length > 0) {
    notifications.push({
      notificationType: 'Delivery',
      delivery: {
        timestamp: eventAt,
        recipients: delivered.map(({ address }) => address),
        processingTimeMillis: 1000,
        smtpResponse: '250 2.6.0 Message received',
        reportingMTA: 'a8-70.smtp-out.amazonses.com',
      },
      mail,
    } as SesNotification);
  }
  return notifications;
};

/**
 * The SNS event that carries `notification` to a Lambda subscribed to the topic.
 *
 * @example
 * await sesEvents(snsEventOf(notification, new Date()));
 */
export const snsEventOf = (notification: SesNotification, at: Date): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `arn:aws:sns:local:000000000000:ses-notifications:${randomUUID()}`,
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: 'arn:aws:sns:local:000000000000:ses-notifications',
        Message: JSON.stringify(notification),
        Timestamp: at.toISOString(),
        SignatureVersion: '1',
        Signature: 'local',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    },
  ],
});

export interface MailboxSimulatorOptions {
  /** The ses-events handler, as built by its composition root. */
  readonly notify: (event: SNSEvent) => Promise<{ readonly suppressed: number }>;
  readonly clock: Clock;
  /** How long after the send the notification arrives (SES: about a second). */
  readonly delayMs?: number;
  /** One line per notification handled (no address: SPEC §11). */
  readonly log?: (line: string) => void;
}

/** A {@link Mailer} with the simulator in front; `settled()` waits for pending notifications. */
export interface SimulatingMailer extends Mailer {
  settled(): Promise<void>;
}

/**
 * Wraps `mailer` so that mail to the simulator's addresses produces SES's notifications, after
 * the real send and without ever failing it: a notification that fails is logged.
 *
 * @example
 * const mailer = withMailboxSimulator(createSesMailer({ client }), { notify: sesEvents, clock });
 */
export const withMailboxSimulator = (
  mailer: Mailer,
  options: MailboxSimulatorOptions,
): SimulatingMailer => {
  const pending = new Set<Promise<void>>();
  const deliver = async (notification: SesNotification, messageId: string) => {
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 200));
    try {
      const { suppressed } = await options.notify(snsEventOf(notification, options.clock.now()));
      options.log?.(
        `Mailbox simulator: ${notification.notificationType} for message ${messageId}` +
          (suppressed > 0
            ? `, ${suppressed} address${suppressed === 1 ? '' : 'es'} suppressed`
            : ', nothing suppressed'),
      );
    } catch (error) {
      options.log?.(
        `Mailbox simulator: the ${notification.notificationType} notification for message ${messageId} failed: ${(error as Error).message}`,
      );
    }
  };
  return {
    async send(message) {
      const sent = await mailer.send(message);
      for (const notification of simulatedNotifications(
        message,
        sent.messageId,
        options.clock.now(),
      )) {
        const task = deliver(notification, sent.messageId);
        pending.add(task);
        void task.finally(() => pending.delete(task));
      }
      return sent;
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
};
