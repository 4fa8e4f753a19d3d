import { randomBytes, randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type { SNSEvent } from 'aws-lambda';
import { expect, vi } from 'vitest';
import type { TableItem } from '../../integration/support/table';

/**
 * SPEC §11 helpers (not a test file itself): distinctive personal data to plant, a capture of
 * everything a process logs, and scans of a table for what must not be there.
 */

/** Personal data no log or leftover item may hold, unique to one test. */
export const piiMarkers = (label: string) => {
  const tag = `${label}${randomBytes(5).toString('hex')}`;
  return {
    tag,
    email: `pii-marker-${tag}@example.com`,
    otherEmail: `pii-marker-${tag}-new@example.com`,
    guardianEmail: `pii-guardian-${tag}@example.org`,
    name: `PiiName${tag} Ñandú`,
    otherName: `PiiName${tag}Renamed`,
    credentialName: `PiiCredential${tag} Architect`,
    /** Every marker above, and the distinctive parts of each, to search for. */
    get all(): string[] {
      return [
        this.email,
        this.otherEmail,
        this.guardianEmail,
        this.name,
        this.otherName,
        this.credentialName,
        `PiiName${tag}`,
        `PiiCredential${tag}`,
        `pii-marker-${tag}`,
        `pii-guardian-${tag}`,
      ];
    },
  };
};

export type PiiMarkers = ReturnType<typeof piiMarkers>;

/** Something shaped like an email address (with an `@` and a dotted domain). */
export const EMAIL_ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/**
 * Everything written to stdout, stderr and the console while it runs: where Powertools' Logger
 * (JSON lines through a `Console` on `process.stdout`/`stderr`, or the global console with
 * `POWERTOOLS_DEV`), EMF metrics, the batch processor and the CLI write.
 */
export const captureOutput = () => {
  const lines: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const record = (stream: string) =>
    ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const text =
        typeof chunk === 'string'
          ? chunk
          : Buffer.from(chunk as Uint8Array).toString(
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            );
      lines.push(`[${stream}] ${text}`);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') done();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = record('stdout');
  process.stderr.write = record('stderr');
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(`[console.${method}] ${format(...args)}`);
    }),
  );
  return {
    lines,
    stop() {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      for (const spy of spies) spy.mockRestore();
    },
  };
};

/** The lines holding a marker (case-insensitive) or any email address, for a failure message. */
export const leaksIn = (lines: readonly string[], markers: readonly string[]): string[] =>
  lines.filter((line) => {
    const lower = line.toLowerCase();
    return (
      markers.some((marker) => lower.includes(marker.toLowerCase())) ||
      (line.match(EMAIL_ADDRESS) ?? []).length > 0
    );
  });

/** An item as text with its `data` attribute parsed, so escaped JSON hides nothing. */
export const itemText = (item: TableItem): string => {
  let data: unknown = item.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      // not JSON: searched as it is
    }
  }
  return `${JSON.stringify(item)}\n${JSON.stringify({ ...item, data })}`;
};

/** Whether `text` names `id` as a whole id (not as part of a longer one). */
export const namesId = (text: string, id: string) =>
  new RegExp(
    `(^|[^A-Za-z0-9._:@-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9._:@-])`,
  ).test(text);

export interface Person {
  /** Every candidate id the person had (merged accounts included). */
  readonly candidateIds: readonly string[];
  readonly emails: readonly string[];
  readonly names: readonly string[];
  readonly attemptIds: readonly string[];
  readonly credentialNames?: readonly string[];
}

/**
 * SPEC §11 after `candidate.erased`: no item holds the person's addresses, names or attempt ids,
 * and only their tombstones (`CAND#<id>`, `erasedAt` set, nothing else) name their candidate ids.
 */
export const expectErased = (items: readonly TableItem[], person: Person) => {
  const problems: string[] = [];
  const tombstoneKeys = new Set(person.candidateIds.map((id) => `CAND#${id}`));
  for (const item of items) {
    const text = itemText(item);
    const lower = text.toLowerCase();
    const where = `${String(item.pk)} / ${String(item.sk)}`;
    for (const email of person.emails)
      if (lower.includes(email.toLowerCase())) problems.push(`${where} holds ${email}`);
    for (const name of [...person.names, ...(person.credentialNames ?? [])])
      if (text.includes(name)) problems.push(`${where} holds ${name}`);
    for (const attemptId of person.attemptIds)
      if (namesId(text, attemptId)) problems.push(`${where} holds attempt ${attemptId}`);
    const named = person.candidateIds.filter((id) => namesId(text, id));
    if (named.length > 0 && !tombstoneKeys.has(String(item.pk)))
      problems.push(
        `${where} names ${named.join(', ')} and is not their tombstone: ${text.split('\n')[1]?.slice(0, 400)}`,
      );
  }
  for (const id of person.candidateIds) {
    const item = items.find((candidate) => candidate.pk === `CAND#${id}`);
    if (item === undefined) {
      problems.push(`no tombstone for ${id}`);
      continue;
    }
    const state = JSON.parse(String(item.data)) as Record<string, unknown>;
    if (typeof state.erasedAt !== 'string') problems.push(`CAND#${id} is not a tombstone`);
    const leftovers = Object.entries(state).filter(
      ([key, value]) =>
        !['candidateId', 'erasedAt', 'mergedInto'].includes(key) &&
        !(value !== null && typeof value === 'object' && Object.keys(value).length === 0),
    );
    if (leftovers.length > 0)
      problems.push(`tombstone CAND#${id} still holds ${leftovers.map(([key]) => key).join(', ')}`);
    const attributes = Object.keys(item).filter(
      (key) => !['pk', 'sk', 'data', 'version'].includes(key),
    );
    if (attributes.length > 0)
      problems.push(`tombstone CAND#${id} still has ${attributes.join(', ')} (due index?)`);
  }
  expect(problems).toEqual([]);
};

/** SNS delivering SES notifications (or anything else) to the ses-events function. */
export const snsEventOf = (messages: readonly string[]): SNSEvent => ({
  Records: messages.map((message) => ({
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:ses:1',
    Sns: {
      Type: 'Notification',
      MessageId: randomUUID(),
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:ses',
      Subject: '',
      Message: message,
      Timestamp: new Date().toISOString(),
      SignatureVersion: '1',
      Signature: '',
      SigningCertUrl: '',
      UnsubscribeUrl: '',
      MessageAttributes: {},
    },
  })),
});

/** An SES bounce (permanent) or complaint notification for addresses, as SES publishes it. */
export const sesNotification = (
  type: 'Bounce' | 'Complaint',
  recipients: readonly string[],
  headers: { readonly to?: string; readonly subject?: string } = {},
) => {
  const mail = {
    timestamp: new Date().toISOString(),
    source: 'Certification Reminders <reminders@example.com>',
    messageId: randomUUID(),
    destination: recipients,
    commonHeaders: {
      from: ['Certification Reminders <reminders@example.com>'],
      to: [headers.to ?? recipients[0] ?? ''],
      subject: headers.subject ?? 'Your certification',
    },
  };
  return JSON.stringify(
    type === 'Bounce'
      ? {
          notificationType: 'Bounce',
          mail,
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: recipients.map((emailAddress) => ({ emailAddress })),
          },
        }
      : {
          notificationType: 'Complaint',
          mail,
          complaint: { complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })) },
        },
  );
};
