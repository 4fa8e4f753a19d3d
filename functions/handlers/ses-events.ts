import type { SNSEvent } from 'aws-lambda';
import type { RuntimeConfig } from '../config/runtime-config';
import { type Clock, type Stores, systemClock } from '../use-cases/ports';
import { type Sources, storesFor } from './composition';
import { dynamoClient, lambdaEntry, logger } from './lambda-runtime';

/** The parts of an SES notification (identity notifications or configuration-set events) we read. */
interface SesNotification {
  readonly notificationType?: string;
  readonly eventType?: string;
  readonly bounce?: {
    readonly bounceType?: string;
    readonly bouncedRecipients?: ReadonlyArray<{ readonly emailAddress?: string }>;
  };
  readonly complaint?: {
    readonly complainedRecipients?: ReadonlyArray<{ readonly emailAddress?: string }>;
  };
}

/** Addresses to suppress, with why: permanent bounces and complaints (transient bounces are not). */
export const addressesToSuppress = (
  notification: SesNotification,
): Array<{ email: string; reason: string }> => {
  const type = notification.notificationType ?? notification.eventType;
  if (type === 'Bounce' && notification.bounce?.bounceType === 'Permanent') {
    return (notification.bounce.bouncedRecipients ?? []).flatMap((recipient) =>
      recipient.emailAddress ? [{ email: recipient.emailAddress, reason: 'bounce' }] : [],
    );
  }
  if (type === 'Complaint') {
    return (notification.complaint?.complainedRecipients ?? []).flatMap((recipient) =>
      recipient.emailAddress ? [{ email: recipient.emailAddress, reason: 'complaint' }] : [],
    );
  }
  return [];
};

/** An address as SES writes it, possibly `"Name" <a@b>`: just the address. */
const bareAddress = (value: string) => (/<([^>]+)>/.exec(value)?.[1] ?? value).trim();

export interface SesEventsDeps {
  readonly stores: Pick<Stores, 'suppressions'>;
  readonly clock: Clock;
  readonly log?: Pick<typeof logger, 'info' | 'warn'>;
}

/**
 * SES bounce and complaint notifications, delivered by SNS: a hard bounce or a complaint
 * suppresses the address, so no reminder is sent to it again.
 *
 * @example
 * await makeSesEvents({ stores, clock })(snsEvent);
 */
export const makeSesEvents =
  (deps: SesEventsDeps) =>
  async (event: SNSEvent): Promise<{ suppressed: number }> => {
    let suppressed = 0;
    for (const record of event.Records) {
      let notification: SesNotification;
      try {
        notification = JSON.parse(record.Sns.Message) as SesNotification;
      } catch {
        deps.log?.warn('ignored an SNS message that is not JSON', {
          messageId: record.Sns.MessageId,
        });
        continue;
      }
      for (const { email, reason } of addressesToSuppress(notification)) {
        await deps.stores.suppressions.suppress(
          bareAddress(email),
          reason,
          deps.clock.now().toISOString(),
        );
        suppressed += 1;
        deps.log?.info('address suppressed', { reason });
      }
    }
    return { suppressed };
  };

/** The ses-events function's composition root, for Lambda and the local stack alike. */
export const buildSesEventsDeps = (
  config: RuntimeConfig,
  sources: Sources & { readonly log?: SesEventsDeps['log'] },
): SesEventsDeps => ({
  stores: storesFor(config, sources),
  clock: sources.clock ?? systemClock,
  ...(sources.log ? { log: sources.log } : {}),
});

/** The Lambda entry point subscribed to the SES notifications topic. */
export const handler = lambdaEntry((config) =>
  makeSesEvents(buildSesEventsDeps(config, { dynamodb: dynamoClient(), log: logger })),
);
