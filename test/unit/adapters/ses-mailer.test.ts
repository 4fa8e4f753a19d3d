import {
  AccountSuspendedException,
  BadRequestException,
  InternalServiceErrorException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  type SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  type SendEmailCommandInput,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it, vi } from 'vitest';
import {
  classifySesError,
  createRateLimiter,
  createSesMailer,
  type EmailMessage,
  MailerError,
} from '../../../functions/adapters/ses-mailer';

const message: EmailMessage = {
  from: 'Certification Reminders <reminders@example.com>',
  to: ['ana@example.com'],
  cc: ['guardian@example.com'],
  subject: 'You can now renew AWS Serverless Microcredential',
  text: 'Dear Ana Silva,\n…',
  html: '<!DOCTYPE html><html lang="en">…</html>',
  unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=v1.Y2FuZC0x.sig',
};

/** An SES client double that records each command and answers with `answer`. */
const fakeClient = (answer: () => Promise<unknown>) => {
  const commands: SendEmailCommand[] = [];
  const client = {
    send: vi.fn(async (command: SendEmailCommand) => {
      commands.push(command);
      return answer();
    }),
  } as unknown as SESv2Client;
  return { client, commands };
};

const metadata = (httpStatusCode?: number) => ({ $metadata: { httpStatusCode } });

const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

const serviceError = (name: string, httpStatusCode: number, fault: 'client' | 'server') =>
  new SESv2ServiceException({ name, $fault: fault, message: name, ...metadata(httpStatusCode) });

describe('classifySesError', () => {
  it.each([
    [
      'TooManyRequestsException',
      new TooManyRequestsException({ message: 'slow', ...metadata(429) }),
    ],
    ['LimitExceededException', new LimitExceededException({ message: 'quota', ...metadata(400) })],
    ['SendingPausedException', new SendingPausedException({ message: 'paused', ...metadata(400) })],
    [
      'InternalServiceErrorException',
      new InternalServiceErrorException({ message: 'oops', ...metadata(500) }),
    ],
    ['ThrottlingException', serviceError('ThrottlingException', 400, 'client')],
    ['Throttling (daily quota)', serviceError('Throttling', 400, 'client')],
    ['an unnamed 503', serviceError('SomethingNew', 503, 'server')],
    ['an unnamed 429', serviceError('SomethingNew', 429, 'client')],
    [
      'an error marked $retryable',
      Object.assign(serviceError('SomethingNew', 400, 'client'), { $retryable: {} }),
    ],
    ['ECONNREFUSED', networkError('ECONNREFUSED')],
    ['ECONNRESET', networkError('ECONNRESET')],
    ['ETIMEDOUT', networkError('ETIMEDOUT')],
    ['EAI_AGAIN', networkError('EAI_AGAIN')],
    ['a wrapped ECONNRESET', new Error('socket hang up', { cause: networkError('ECONNRESET') })],
    ['TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['AbortError', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['an error that says nothing', new Error('something odd')],
    ['a thrown string', 'boom'],
    [
      'AccountSuspendedException',
      new AccountSuspendedException({ message: 'suspended', ...metadata(400) }),
    ],
    [
      'MailFromDomainNotVerifiedException',
      new MailFromDomainNotVerifiedException({ message: 'domain', ...metadata(400) }),
    ],
    [
      'NotFoundException (a missing configuration set)',
      new NotFoundException({ message: 'no set', ...metadata(404) }),
    ],
    [
      'MessageRejected saying the sender identity is not verified',
      new MessageRejected({
        message:
          'Email address is not verified. The following identities failed the check in region US-EAST-1: reminders@example.com',
        ...metadata(400),
      }),
    ],
    [
      'a wrapped MessageRejected saying the identity is not verified',
      new Error('send failed', {
        cause: new MessageRejected({ message: 'Email address is not verified.', ...metadata(400) }),
      }),
    ],
    ['an account MailerError', new MailerError('later', 'account')],
  ])('blames the sending account for %s, so the reminders stay due', (_label, error) => {
    // Act
    const failure = classifySesError(error);

    // Assess
    expect(failure).toBe('account');
  });

  it.each([
    [
      'MessageRejected for the recipient',
      new MessageRejected({
        message: 'Recipient address rejected: mailbox does not exist.',
        ...metadata(400),
      }),
    ],
    [
      'a wrapped MessageRejected for the recipient',
      new Error('send failed', {
        cause: new MessageRejected({ message: 'Invalid mailbox.', ...metadata(400) }),
      }),
    ],
    ['BadRequestException', new BadRequestException({ message: 'bad', ...metadata(400) })],
    ['ValidationException', serviceError('ValidationException', 400, 'client')],
    ['an unnamed 403', serviceError('AccessDenied', 403, 'client')],
    ['an unnamed 400', serviceError('SomethingNew', 400, 'client')],
    ['a message MailerError', new MailerError('never', 'message')],
  ])('blames the message for %s, so its reminders are recorded as failed', (_label, error) => {
    // Act
    const failure = classifySesError(error);

    // Assess
    expect(failure).toBe('message');
  });
});

describe('createSesMailer', () => {
  it('sends simple content with both parts, Cc and the one-click unsubscribe headers', async () => {
    // Prepare
    const { client, commands } = fakeClient(async () => ({ MessageId: 'ses-1', $metadata: {} }));
    const mailer = createSesMailer({ client, configurationSetName: 'reminders' });

    // Act
    const result = await mailer.send(message);

    // Assess
    expect(result).toEqual({ messageId: 'ses-1' });
    expect(commands).toHaveLength(1);
    expect(commands[0]).toBeInstanceOf(SendEmailCommand);
    expect(commands[0]?.input).toEqual<SendEmailCommandInput>({
      FromEmailAddress: 'Certification Reminders <reminders@example.com>',
      Destination: { ToAddresses: ['ana@example.com'], CcAddresses: ['guardian@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            Html: { Data: message.html, Charset: 'UTF-8' },
          },
          Headers: [
            {
              Name: 'List-Unsubscribe',
              Value: '<https://reminders.example.com/unsubscribe?token=v1.Y2FuZC0x.sig>',
            },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
      ConfigurationSetName: 'reminders',
    });
  });

  it('attaches the calendar as UTF-8 bytes beside the unsubscribe headers', async () => {
    // Prepare
    const { client, commands } = fakeClient(async () => ({ MessageId: 'ses-3', $metadata: {} }));
    const mailer = createSesMailer({ client });
    const calendar = 'BEGIN:VCALENDAR\r\nSUMMARY:Gültig bis\r\nEND:VCALENDAR\r\n';

    // Act
    await mailer.send({
      ...message,
      attachments: [
        {
          fileName: 'reminders.ics',
          contentType: 'text/calendar; method=PUBLISH',
          content: calendar,
        },
      ],
    });

    // Assess
    const simple = commands[0]?.input.Content?.Simple;
    expect(simple?.Headers?.map((header) => header.Name)).toEqual([
      'List-Unsubscribe',
      'List-Unsubscribe-Post',
    ]);
    expect(simple?.Attachments).toEqual([
      {
        FileName: 'reminders.ics',
        ContentType: 'text/calendar; method=PUBLISH; charset=UTF-8',
        ContentDisposition: 'ATTACHMENT',
        ContentTransferEncoding: 'BASE64',
        RawContent: new TextEncoder().encode(calendar),
      },
    ]);
    expect(new TextDecoder().decode(simple?.Attachments?.[0]?.RawContent)).toBe(calendar);
  });

  it('sends no Attachments field for a message without attachments', async () => {
    // Prepare
    const { client, commands } = fakeClient(async () => ({ MessageId: 'ses-4', $metadata: {} }));
    const mailer = createSesMailer({ client });

    // Act
    await mailer.send(message);

    // Assess
    expect(commands[0]?.input.Content?.Simple).not.toHaveProperty('Attachments');
  });

  it.each([
    ['a file name with a line break', { fileName: 'x.ics\r\nBcc: a@b.c' }],
    ['a file name with a quote', { fileName: 'x".ics' }],
    ['a type with a control character', { contentType: 'text/calendar\u0000' }],
  ])('refuses %s as a rejection of the message, sending nothing', async (_case, field) => {
    // Prepare
    const { client } = fakeClient(async () => ({ MessageId: 'never', $metadata: {} }));
    const mailer = createSesMailer({ client });
    const attachment = { fileName: 'reminders.ics', contentType: 'text/calendar', content: '' };

    // Act
    const send = mailer.send({ ...message, attachments: [{ ...attachment, ...field }] });

    // Assess
    await expect(send).rejects.toMatchObject({ name: 'MailerError', failure: 'message' });
    expect(client.send).not.toHaveBeenCalled();
  });

  it('leaves out Cc and the configuration set when there are none', async () => {
    // Prepare
    const { client, commands } = fakeClient(async () => ({ MessageId: 'ses-2', $metadata: {} }));
    const mailer = createSesMailer({ client });

    // Act
    await mailer.send({ ...message, cc: [] });

    // Assess
    const input = commands[0]?.input;
    expect(input?.Destination).toEqual({ ToAddresses: ['ana@example.com'] });
    expect(input).not.toHaveProperty('ConfigurationSetName');
  });

  it('throws SES failures as classified MailerErrors that keep the cause', async () => {
    // Prepare
    const throttled = new TooManyRequestsException({
      message: 'Maximum sending rate exceeded.',
      ...metadata(429),
    });
    const rejected = new MessageRejected({
      message: 'Recipient address rejected: mailbox does not exist.',
      ...metadata(400),
    });
    const answers = [throttled, rejected];
    const { client } = fakeClient(async () => {
      throw answers.shift();
    });
    const mailer = createSesMailer({ client });

    // Act
    const first = await mailer.send(message).catch((error: unknown) => error);
    const second = await mailer.send(message).catch((error: unknown) => error);

    // Assess
    expect(first).toBeInstanceOf(MailerError);
    expect(first).toMatchObject({ failure: 'account', retryable: true, cause: throttled });
    expect((first as Error).message).toContain('TooManyRequestsException');
    expect(second).toMatchObject({ failure: 'message', retryable: false, cause: rejected });
    expect((second as Error).message).toContain('MessageRejected');
    expect(classifySesError(first)).toBe('account');
    expect(classifySesError(second)).toBe('message');
  });

  it.each([
    ['a subject', { subject: 'Hello\r\nBcc: victim@example.com' }],
    ['an address', { to: ['ana@example.com\nBcc: victim@example.com'] }],
    ['a Cc address', { cc: ['guardian@example.com\r'] }],
    ['the unsubscribe URL', { unsubscribeUrl: 'https://x.example/u?t=1>\r\nX-Evil: 1' }],
  ])('refuses a line break in %s before calling SES', async (_label, change) => {
    // Prepare
    const { client } = fakeClient(async () => ({ MessageId: 'never', $metadata: {} }));
    const mailer = createSesMailer({ client });

    // Act
    const error = await mailer.send({ ...message, ...change }).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(MailerError);
    expect(classifySesError(error)).toBe('message');
    expect(client.send).not.toHaveBeenCalled();
  });

  it('refuses a message without a recipient', async () => {
    // Prepare
    const { client } = fakeClient(async () => ({ MessageId: 'never', $metadata: {} }));
    const mailer = createSesMailer({ client });

    // Act
    const error = await mailer.send({ ...message, to: [] }).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toMatchObject({ failure: 'message', message: 'no recipient' });
    expect(client.send).not.toHaveBeenCalled();
  });

  it('does not retry an accepted email that came back without a message id', async () => {
    // Prepare
    const { client } = fakeClient(async () => ({ $metadata: {} }));
    const mailer = createSesMailer({ client });

    // Act
    const error = await mailer.send(message).catch((thrown: unknown) => thrown);

    // Assess: a retry would release the claims and could deliver the same email twice
    expect(error).toBeInstanceOf(MailerError);
    expect(error).toMatchObject({ failure: 'message', retryable: false });
  });
});

/** A manual clock: `sleep` moves time forward and records how long each caller waited. */
const manualClock = () => {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
    clock: {
      now: () => now,
      sleep: async (milliseconds: number) => {
        waits.push(milliseconds);
      },
    },
  };
};

describe('createRateLimiter', () => {
  it('lets a second of burst through, then spaces calls at the rate', async () => {
    // Prepare
    const { clock, waits } = manualClock();
    const limiter = createRateLimiter(10, clock);

    // Act: fourteen calls at the same instant.
    await Promise.all(Array.from({ length: 14 }, () => limiter.acquire()));

    // Assess: ten pass at once, the next four queue 100 ms apart.
    expect(waits.map(Math.round)).toEqual([100, 200, 300, 400]);
  });

  it('refills over time, never beyond one second of burst', async () => {
    // Prepare
    const { clock, waits, advance } = manualClock();
    const limiter = createRateLimiter(2, clock);
    await limiter.acquire();
    await limiter.acquire();

    // Act: after ten idle seconds, three calls at once.
    advance(10_000);
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();

    // Assess
    expect(waits.map(Math.round)).toEqual([500]);
  });

  it('handles rates below one per second', async () => {
    // Prepare
    const { clock, waits } = manualClock();
    const limiter = createRateLimiter(0.5, clock);

    // Act
    await limiter.acquire();
    await limiter.acquire();

    // Assess
    expect(waits.map(Math.round)).toEqual([2000]);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a rate of %s', (rate) => {
    // Act
    const create = () => createRateLimiter(rate);

    // Assess
    expect(create).toThrow(RangeError);
  });
});
