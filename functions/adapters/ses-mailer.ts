import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

/**
 * Sending email (SPEC §4): the {@link Mailer} port, its Amazon SES v2 adapter, the
 * classification of send failures into retryable and permanent ones, and a rate limiter for
 * `SES_MAX_SEND_RATE`.
 */

/** One rendered email, addressed. */
export interface EmailMessage {
  /** `EMAIL_FROM`, e.g. `Certification Reminders <reminders@example.com>`. */
  readonly from: string;
  readonly to: readonly string[];
  /** The guardian of a teen account (SPEC §2), when there is one. */
  readonly cc?: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Sent as `List-Unsubscribe: <url>` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. */
  readonly unsubscribeUrl: string;
}

/** The port the use cases send through; {@link classifySesError} tells what a failure means. */
export interface Mailer {
  send(message: EmailMessage): Promise<{ readonly messageId: string }>;
}

/** Whether sending the same message again later can succeed. */
export type SendFailureClass = 'retryable' | 'permanent';

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

  /** Whether trying the same message again later can succeed. */
  get retryable(): boolean {
    return this.failure === 'retryable';
  }
}

/** SES errors that a later attempt can get past: throttling, quotas, paused sending, SES faults. */
const RETRYABLE_NAMES = new Set([
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

/** SES errors that the same message will meet again, however often it is sent. */
const PERMANENT_NAMES = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'BadRequestException',
  'NotFoundException',
  'ValidationException',
  'InvalidParameterValue',
]);

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
 * - `retryable`: throttling and quotas (`ThrottlingException`, `TooManyRequestsException`,
 *   `LimitExceededException`), `SendingPausedException` (sending resumes once the account is
 *   re-enabled), SES faults (5xx, `$fault: 'server'`, `$retryable`), HTTP 429, timeouts
 *   (`TimeoutError`, `AbortError`) and network errors (`ECONNREFUSED`, `ECONNRESET`,
 *   `ETIMEDOUT`, …, also when wrapped as a `cause`).
 * - `permanent`: the message or the account is refused (`MessageRejected`,
 *   `MailFromDomainNotVerifiedException`, `AccountSuspendedException`, `BadRequestException`,
 *   `NotFoundException`) and any other 4xx.
 *
 * An error that says nothing either way is `retryable`: the queue's redrive limit bounds the
 * attempts, while calling it permanent could drop a reminder that a retry would have sent.
 *
 * @example
 * classifySesError(new TooManyRequestsException({ message: 'slow down', $metadata: {} })); // 'retryable'
 * classifySesError(new MessageRejected({ message: 'Email address is not verified', $metadata: {} })); // 'permanent'
 */
export const classifySesError = (error: unknown): SendFailureClass => {
  if (error instanceof MailerError) return error.failure;
  const chain = causeChain(error);
  for (const shape of chain) {
    if (typeof shape.name === 'string' && PERMANENT_NAMES.has(shape.name)) return 'permanent';
    if (typeof shape.name === 'string' && RETRYABLE_NAMES.has(shape.name)) return 'retryable';
    if (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code)) return 'retryable';
  }
  const [outer] = chain;
  if (outer === undefined) return 'retryable';
  if (outer.$retryable || outer.$fault === 'server') return 'retryable';
  const status = outer.$metadata?.httpStatusCode;
  if (typeof status === 'number') {
    if (status >= 500 || status === 429) return 'retryable';
    if (status >= 400) return 'permanent';
  }
  return 'retryable';
};

/** Refuses any header value with a line break or other control character (header injection). */
const assertHeaderSafe = (field: string, value: string): void => {
  if (/[\p{Cc}\u2028\u2029]/u.test(value)) {
    throw new MailerError(`${field} contains a control character`, 'permanent');
  }
};

export interface SesMailerOptions {
  readonly client: SESv2Client;
  /** SES configuration set that publishes bounces and complaints (SPEC §4). */
  readonly configurationSetName?: string;
}

/**
 * A {@link Mailer} that sends through Amazon SES v2 `SendEmail` with simple content: UTF-8
 * subject, text and HTML parts, and the RFC 8058 one-click unsubscribe headers.
 *
 * Every failure is thrown as a {@link MailerError} classified by {@link classifySesError}, with
 * the SDK error as its `cause`. A header value (subject, addresses, unsubscribe URL) holding a
 * control character is refused, as a permanent failure, before anything is sent.
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
    if (message.to.length === 0) throw new MailerError('no recipient', 'permanent');
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
    if (!messageId)
      throw new MailerError('SES accepted the email without a MessageId', 'permanent');
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

/**
 * A mailer that waits for the rate limiter before each send.
 *
 * @example
 * const mailer = withRateLimit(createSesMailer({ client }), createRateLimiter(10));
 */
export const withRateLimit = (mailer: Mailer, limiter: RateLimiter): Mailer => ({
  async send(message) {
    await limiter.acquire();
    return mailer.send(message);
  },
});
