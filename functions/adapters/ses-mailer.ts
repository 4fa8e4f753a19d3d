import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailMessage, Mailer, SendFailureClass } from '../use-cases/ports';

export type { EmailMessage, Mailer, SendFailureClass };

/**
 * Sending email (SPEC §4): the {@link Mailer} port, its Amazon SES v2 adapter, the
 * classification of send failures (the account's, or this message's), and a rate limiter for
 * `SES_MAX_SEND_RATE`.
 */

/** A failed send, classified so the caller knows whether to try the message again. */
export class MailerError extends Error {
  override readonly name = 'MailerError';

  constructor(
    message: string,
    readonly failure: SendFailureClass,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Whether the sending account failed, so the same message can be sent later. */
  get retryable(): boolean {
    return this.failure === 'account';
  }
}

/**
 * Failures of the sending account itself (SPEC §1): throttling and quotas, sending paused or the
 * account suspended, an unverified sender identity, a missing configuration set, SES faults.
 * They never use up a reminder: it stays due until the account can send again.
 */
const ACCOUNT_NAMES = new Set([
  'AccountSuspendedException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
  'SendingPausedException',
  'InternalServiceErrorException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);

/** Rejections of this one message (an invalid recipient, a malformed request). */
const MESSAGE_NAMES = new Set([
  'MessageRejected',
  'BadRequestException',
  'ValidationException',
  'InvalidParameterValue',
]);

/** A `MessageRejected` that blames the sender's identity (the SES sandbox) is the account's. */
const UNVERIFIED_IDENTITY = /not verified|identity/i;

/** Network failures of Node.js and undici: the request may never have reached SES. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

const asShape = (error: unknown): ErrorShape | undefined =>
  typeof error === 'object' && error !== null ? (error as ErrorShape) : undefined;

/** The error and its causes, outermost first (bounded, in case a cause chain loops). */
const causeChain = (error: unknown): ErrorShape[] => {
  const chain: ErrorShape[] = [];
  for (let shape = asShape(error); shape && chain.length < 5; shape = asShape(shape.cause)) {
    chain.push(shape);
  }
  return chain;
};

/**
 * Classifies a failed send: a {@link MailerError} keeps its classification; an SES or network
 * error is judged as follows.
 *
 * - `account`: the sending account failed (SPEC §1): throttling and quotas, paused or suspended
 *   sending, an unverified identity (also a `MessageRejected` that says so), a missing
 *   configuration set, SES faults (5xx, `$fault: 'server'`, `$retryable`), HTTP 429, timeouts and
 *   network errors (also when wrapped as a `cause`). The reminders stay due.
 * - `message`: this one message was rejected (`MessageRejected`, `BadRequestException`,
 *   `ValidationException`) or any other 4xx. Its reminders are recorded as failed.
 *
 * An error that says nothing either way is the account's: the queue's redrive limit bounds the
 * attempts, while blaming the message would use up a reminder that a retry would have sent.
 *
 * @example
 * classifySesError(new TooManyRequestsException({ message: 'slow down', $metadata: {} })); // 'account'
 * classifySesError(new MessageRejected({ message: 'Invalid recipient', $metadata: {} })); // 'message'
 */
export const classifySesError = (error: unknown): SendFailureClass => {
  if (error instanceof MailerError) return error.failure;
  const chain = causeChain(error);
  for (const shape of chain) {
    const name = typeof shape.name === 'string' ? shape.name : '';
    if (
      name === 'MessageRejected' &&
      UNVERIFIED_IDENTITY.test(String((shape as { message?: unknown }).message ?? ''))
    )
      return 'account';
    if (MESSAGE_NAMES.has(name)) return 'message';
    if (ACCOUNT_NAMES.has(name)) return 'account';
    if (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code)) return 'account';
  }
  const [outer] = chain;
  if (outer === undefined) return 'account';
  if (outer.$retryable || outer.$fault === 'server') return 'account';
  const status = outer.$metadata?.httpStatusCode;
  if (typeof status === 'number') {
    if (status >= 500 || status === 429) return 'account';
    if (status >= 400) return 'message';
  }
  return 'account';
};

/** Refuses any header value with a line break or other control character (header injection). */
const assertHeaderSafe = (field: string, value: string): void => {
  if (/[\p{Cc}\u2028\u2029]/u.test(value)) {
    throw new MailerError(`${field} contains a control character`, 'message');
  }
};

export interface SesMailerOptions {
  readonly client: SESv2Client;
  /** SES configuration set that publishes bounces and complaints (SPEC §4). */
  readonly configurationSetName?: string;
}

/** An attachment's file name or media type: printable, one line, no quote or backslash. */
const SAFE_ATTACHMENT_FIELD = /^[\x20-\x7e]+$/;

const encoder = new TextEncoder();

/**
 * SES `Attachments` for the message's files: UTF-8 bytes (the SDK base64-encodes them), shown as
 * attachments. A `text/…` type without a charset gets `charset=UTF-8`.
 */
const attachmentsOf = (message: EmailMessage) =>
  (message.attachments ?? []).map((attachment) => {
    for (const [field, value] of [
      ['attachment file name', attachment.fileName],
      ['attachment type', attachment.contentType],
    ] as const) {
      if (!SAFE_ATTACHMENT_FIELD.test(value) || /["\\]/.test(value))
        throw new MailerError(`${field} is not a plain header value`, 'message');
    }
    const { contentType } = attachment;
    return {
      FileName: attachment.fileName,
      ContentType:
        contentType.startsWith('text/') && !/charset=/i.test(contentType)
          ? `${contentType}; charset=UTF-8`
          : contentType,
      ContentDisposition: 'ATTACHMENT' as const,
      ContentTransferEncoding: 'BASE64' as const,
      RawContent: encoder.encode(attachment.content),
    };
  });

/**
 * A {@link Mailer} that sends through Amazon SES v2 `SendEmail` with simple content: UTF-8
 * subject, text and HTML parts, the RFC 8058 one-click unsubscribe headers, and the message's
 * attachments (the `reminders.ics` calendar). Simple content keeps the custom headers, which a
 * raw MIME message would have to carry itself.
 *
 * Every failure is thrown as a {@link MailerError} classified by {@link classifySesError}, with
 * the SDK error as its `cause`. A header value (subject, addresses, unsubscribe URL) holding a
 * control character is refused, as a rejection of the message, before anything is sent.
 *
 * @example
 * const mailer = createSesMailer({ client: new SESv2Client({}), configurationSetName: 'reminders' });
 * const { messageId } = await mailer.send({
 *   from: 'Certification Reminders <reminders@example.com>',
 *   to: ['ana@example.com'],
 *   cc: ['guardian@example.com'],
 *   subject, text, html,
 *   unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=v1.abc.def',
 * });
 */
export const createSesMailer = ({ client, configurationSetName }: SesMailerOptions): Mailer => ({
  async send(message) {
    const cc = message.cc ?? [];
    assertHeaderSafe('subject', message.subject);
    assertHeaderSafe('unsubscribe URL', message.unsubscribeUrl);
    for (const address of [message.from, ...message.to, ...cc])
      assertHeaderSafe('address', address);
    if (message.to.length === 0) throw new MailerError('no recipient', 'message');
    const attachments = attachmentsOf(message);
    const command = new SendEmailCommand({
      FromEmailAddress: message.from,
      Destination: {
        ToAddresses: [...message.to],
        ...(cc.length > 0 ? { CcAddresses: [...cc] } : {}),
      },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            Html: { Data: message.html, Charset: 'UTF-8' },
          },
          Headers: [
            { Name: 'List-Unsubscribe', Value: `<${message.unsubscribeUrl}>` },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
          ...(attachments.length > 0 ? { Attachments: attachments } : {}),
        },
      },
      ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
    });
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await client.send(command));
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new MailerError(`SES SendEmail failed (${reason})`, classifySesError(error), {
        cause: error,
      });
    }
    // Accepted without an id: sending again could deliver twice, so do not retry.
    if (!messageId) throw new MailerError('SES accepted the email without a MessageId', 'message');
    return { messageId };
  },
});

/** Takes a slot to send, waiting as long as the rate requires. */
export interface RateLimiter {
  acquire(): Promise<void>;
}

export interface RateLimiterClock {
  /** Milliseconds, monotonic enough for spacing sends; defaults to `performance.now`. */
  readonly now?: () => number;
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

const sleepFor = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * A token bucket of `perSecond` tokens refilled continuously, holding at most one second's
 * worth (at least one). Each `acquire` takes a token, reserving it before it waits, so that
 * concurrent callers queue up at the rate instead of all waking at once.
 *
 * @throws {RangeError} when `perSecond` is not a positive finite number.
 * @example
 * const limiter = createRateLimiter(Number(process.env.SES_MAX_SEND_RATE ?? 10));
 * for (const message of messages) {
 *   await limiter.acquire();
 *   await mailer.send(message);
 * }
 */
export const createRateLimiter = (perSecond: number, clock: RateLimiterClock = {}): RateLimiter => {
  if (!Number.isFinite(perSecond) || perSecond <= 0) {
    throw new RangeError('the send rate must be a positive number per second');
  }
  const now = clock.now ?? (() => performance.now());
  const sleep = clock.sleep ?? sleepFor;
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let updatedAt = now();
  return {
    async acquire() {
      const at = now();
      tokens = Math.min(capacity, tokens + ((at - updatedAt) / 1000) * perSecond);
      updatedAt = at;
      tokens -= 1;
      if (tokens < 0) await sleep((-tokens / perSecond) * 1000);
    },
  };
};
