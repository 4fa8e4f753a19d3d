import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import startSesEmulator from 'aws-ses-v2-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifySesError,
  createSesMailer,
  MailerError,
} from '../../functions/adapters/ses-mailer';
import {
  createUnsubscribeToken,
  unsubscribeUrlOf,
  verifyUnsubscribeToken,
} from '../../functions/domain/unsubscribe-token';
import {
  CALENDAR_CONTENT_TYPE,
  CALENDAR_FILE_NAME,
  reminderUid,
} from '../../functions/email/reminder-calendar';
import { renderReminderEmail } from '../../functions/email/render-reminder-email';
import { parseCalendar } from '../unit/email/support/parse-calendar';

/** One email as `GET /store` of aws-ses-v2-local returns it. */
interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly replyTo: string[];
  readonly destination: { to: string[]; cc: string[]; bcc: string[] };
  readonly subject: string;
  readonly body: { html?: string; text?: string };
  readonly headers?: { name: string; value: string }[];
  /** Each attachment with its content in base64. */
  readonly attachments?: {
    filename: string;
    contentType: string;
    contentDisposition?: string;
    content: string;
  }[];
  readonly at: number;
}

const SECRET = 'integration-secret';

const clientFor = (endpoint: string) =>
  new SESv2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });

const closeServer = (server: Server) =>
  new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );

describe('the SES mailer against aws-ses-v2-local', () => {
  let emulator: Server;
  let endpoint: string;

  beforeAll(async () => {
    emulator = await startSesEmulator({ host: '127.0.0.1', port: 0 });
    endpoint = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await closeServer(emulator);
  });

  const storedEmail = async (messageId: string): Promise<StoredEmail | undefined> => {
    const response = await fetch(`${endpoint}/store`);
    const store = (await response.json()) as { emails: StoredEmail[] };
    return store.emails.find((email) => email.messageId === messageId);
  };

  it('delivers a rendered digest with To, Cc, both parts, the unsubscribe headers and the calendar', async () => {
    // Prepare
    const unsubscribeUrl = unsubscribeUrlOf(
      'https://reminders.example.com',
      createUnsubscribeToken('cand-joao', SECRET),
    );
    const { calendar, language, ...rendered } = renderReminderEmail({
      profile: {
        candidateId: 'cand-joao',
        name: 'João Conceição',
        guardianEmail: 'mae@example.com',
        locale: 'pt-PT',
      },
      reminders: [
        {
          kind: 'renewal_window_open',
          credentialId: 'aws-sls',
          key: 'aws-sls#renewal_window_open#att-1',
          credentialName: 'AWS Serverless Microcredential',
          dueOn: '2027-11-29',
          dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-29', expiresOn: '2028-02-28' },
        },
        {
          kind: 'expired',
          credentialId: 'k8s-admin',
          key: 'k8s-admin#expired#att-1',
          credentialName: 'Kubernetes <Admin> Ünïcode',
          dueOn: '2027-11-29',
          dates: { passedOn: '2026-11-29', renewalOpensOn: '2027-08-29', expiresOn: '2027-11-29' },
        },
      ],
      unsubscribeUrl,
      programmeName: 'Cloud Skills Certification',
    });
    const mailer = createSesMailer({ client: clientFor(endpoint) });

    // Act
    const { messageId } = await mailer.send({
      from: 'Certification Reminders <reminders@example.com>',
      to: ['joao@example.com'],
      cc: ['mae@example.com'],
      unsubscribeUrl,
      ...rendered,
      attachments: [
        { fileName: CALENDAR_FILE_NAME, contentType: CALENDAR_CONTENT_TYPE, content: calendar },
      ],
    });

    // Assess
    const email = await storedEmail(messageId);
    expect(email).toBeDefined();
    expect(email?.from).toBe('Certification Reminders <reminders@example.com>');
    expect(email?.destination).toEqual({
      to: ['joao@example.com'],
      cc: ['mae@example.com'],
      bcc: [],
    });
    expect(language).toBe('pt-BR');
    expect(email?.subject).toBe('2 avisos sobre suas certificações');
    expect(email?.body.text).toBe(rendered.text);
    expect(email?.body.text).toContain('Prezado(a) João Conceição,');
    expect(email?.body.text).toContain('segunda-feira, 29 de novembro de 2027 (2027-11-29)');
    expect(email?.body.html).toBe(rendered.html);
    expect(email?.body.html).toContain('Kubernetes &lt;Admin&gt; Ünïcode');
    expect(email?.headers).toEqual([
      { name: 'List-Unsubscribe', value: `<${unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
    const linked = new URL(email?.headers?.[0]?.value.slice(1, -1) ?? '');
    expect(verifyUnsubscribeToken(linked.searchParams.get('token'), SECRET)).toBe('cand-joao');
    expect(email?.attachments).toHaveLength(1);
    const [attachment] = email?.attachments ?? [];
    expect(attachment?.filename).toBe('reminders.ics');
    expect(attachment?.contentType).toMatch(/^text\/calendar; method=PUBLISH/);
    expect(attachment?.contentDisposition?.toLowerCase()).toBe('attachment');
    const stored = Buffer.from(attachment?.content ?? '', 'base64').toString('utf8');
    expect(stored).toBe(calendar);
    const parsed = parseCalendar(stored);
    expect(parsed.method).toBe('PUBLISH');
    expect(
      parsed.events.map(({ uid, start, end, summary }) => ({ uid, start, end, summary })),
    ).toEqual([
      {
        uid: reminderUid('cand-joao', 'aws-sls#renewal_window_open#att-1'),
        start: '2027-11-29',
        end: '2028-02-28',
        summary: 'Período de renovação de AWS Serverless Microcredential',
      },
      {
        uid: reminderUid('cand-joao', 'k8s-admin#expired#att-1'),
        start: '2027-11-29',
        end: '2027-11-30',
        summary: 'Kubernetes <Admin> Ünïcode expirou',
      },
    ]);
  });

  it('sends to the candidate alone when there is no guardian', async () => {
    // Prepare
    const mailer = createSesMailer({ client: clientFor(endpoint) });

    // Act
    const { messageId } = await mailer.send({
      from: 'reminders@example.com',
      to: ['ana@example.com'],
      subject: 'You can now renew AWS Serverless Microcredential',
      text: 'text part',
      html: '<p>html part</p>',
      unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=t',
    });

    // Assess
    const email = await storedEmail(messageId);
    expect(email?.destination).toEqual({ to: ['ana@example.com'], cc: [], bcc: [] });
    expect(email?.subject).toBe('You can now renew AWS Serverless Microcredential');
  });

  it('classifies a refused connection as a failure of the sending account (the reminders stay due)', async () => {
    // Prepare: an endpoint where nothing listens any more.
    const closed = await startSesEmulator({ host: '127.0.0.1', port: 0 });
    const closedEndpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await closeServer(closed);
    const mailer = createSesMailer({ client: clientFor(closedEndpoint) });

    // Act
    const error = await mailer
      .send({
        from: 'reminders@example.com',
        to: ['ana@example.com'],
        subject: 'subject',
        text: 'text',
        html: '<p>html</p>',
        unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=t',
      })
      .catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(MailerError);
    expect(error).toMatchObject({ failure: 'account', retryable: true });
    expect(classifySesError(error)).toBe('account');
  });
});
