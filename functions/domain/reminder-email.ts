import { daysBetween, type LocalDate } from './calendar';
import type { CandidateProfile } from './candidate-profile';
import type { Reminder, ReminderKind } from './reminder-rules';

/**
 * The reminder email (SPEC §4): one digest per candidate per run, with a subject, a plain-text
 * part and an HTML part. Pure: no I/O, no clock, no host time zone.
 *
 * Only the date format follows the candidate's `locale`; the sentences stay English. Every
 * candidate-supplied string is flattened to one line before use and HTML-escaped in the HTML part.
 */

/** The locale used when a candidate has none, or one that `Intl` does not support. */
export const DEFAULT_LOCALE = 'en-GB';

/** The programme name shown in the header and footer when the caller gives none. */
export const DEFAULT_PROGRAMME_NAME = 'Certification Reminders';

/** One reminder of the digest, with the credential's display name. */
export type EmailReminder = Pick<
  Reminder,
  'kind' | 'credentialId' | 'dueOn' | 'daysBefore' | 'dates'
> & {
  readonly credentialName: string;
};

export interface ReminderEmailInput {
  readonly profile: Pick<CandidateProfile, 'name' | 'locale' | 'guardianEmail'>;
  /** The reminders of the digest, in the order they should appear; at least one. */
  readonly reminders: readonly EmailReminder[];
  /** `{PUBLIC_URL}/unsubscribe?token=…`, linked from the footer. */
  readonly unsubscribeUrl: string;
  /** Shown in the header and footer; defaults to {@link DEFAULT_PROGRAMME_NAME}. */
  readonly programmeName?: string;
  /**
   * The candidate's local date on which the email goes out. Days left and whether a credential
   * has already expired are judged on it; defaults to each reminder's due date.
   */
  readonly today?: LocalDate;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A date worth showing next to a reminder, with what it means. */
interface KeyDate {
  readonly label: string;
  readonly date: LocalDate;
}

/** What one reminder says, before it is written as text or HTML. */
interface ReminderMessage {
  readonly kind: ReminderKind;
  readonly credentialId: string;
  readonly credentialName: string;
  /** A short status, e.g. "Renewal window open". */
  readonly status: string;
  /** The subject line when the email holds only this reminder. */
  readonly subject: string;
  readonly sentences: readonly string[];
  readonly keyDates: readonly KeyDate[];
  readonly daysLeft?: number;
}

/** Writes dates in one locale, in words, with and without the weekday. */
interface DateWriter {
  readonly locale: string;
  /** E.g. "Monday 29 November 2027 (2027-11-29)". */
  readonly long: (date: LocalDate) => string;
  /** E.g. "28 February 2028 (2028-02-28)". */
  readonly short: (date: LocalDate) => string;
  /** E.g. "Monday 29 November 2027", without the ISO form. */
  readonly words: (date: LocalDate) => string;
}

const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * Flattens candidate-supplied text to one line: control characters (CR, LF, tab, NUL, …) and
 * Unicode line separators become spaces, runs of spaces collapse, ends are trimmed. Whatever a
 * name holds, the result can never start a new header line.
 *
 * @example
 * singleLine('Ana\r\nBcc: victim@example.com'); // 'Ana Bcc: victim@example.com'
 */
export const singleLine = (value: string): string =>
  value.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('<script>alert("x")</script>'); // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
 */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);

/**
 * The locale dates are written in: `locale` when `Intl` supports it, else {@link DEFAULT_LOCALE}.
 *
 * @example
 * resolveLocale('pt-PT'); // 'pt-PT'
 * resolveLocale('not a locale'); // 'en-GB'
 * resolveLocale(undefined); // 'en-GB'
 */
export const resolveLocale = (locale: string | undefined): string => {
  if (locale === undefined || locale.trim() === '') return DEFAULT_LOCALE;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale.trim()])[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
};

/** A plain date as a `Date` at UTC midnight: formatted in UTC, the host zone never shifts it. */
const utcMidnight = (date: LocalDate): Date => new Date(`${date}T00:00:00Z`);

const createDateWriter = (locale: string): DateWriter => {
  const withWeekday = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const withoutWeekday = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  // House style for British English, as SPEC §4 writes it: "Monday 29 November 2027", whether
  // or not this ICU version puts a comma after the weekday. Other locales keep CLDR's format.
  const words = (date: LocalDate): string =>
    locale === DEFAULT_LOCALE
      ? withWeekday
          .formatToParts(utcMidnight(date))
          .map((part, index, parts) =>
            part.type === 'literal' && parts[index - 1]?.type === 'weekday' ? ' ' : part.value,
          )
          .join('')
      : withWeekday.format(utcMidnight(date));
  return {
    locale,
    words,
    long: (date) => `${words(date)} (${date})`,
    short: (date) => `${withoutWeekday.format(utcMidnight(date))} (${date})`,
  };
};

const daysText = (days: number): string => (days === 1 ? '1 day' : `${days} days`);

const requireDate = (
  date: LocalDate | undefined,
  field: string,
  reminder: EmailReminder,
): LocalDate => {
  if (date === undefined) {
    throw new TypeError(`a ${reminder.kind} reminder needs dates.${field}`);
  }
  return date;
};

const renewalMessage = (reminder: EmailReminder, name: string, dates: DateWriter) => {
  const expiresOn = requireDate(reminder.dates.expiresOn, 'expiresOn', reminder);
  return {
    status: 'Renewal window open',
    subject: `You can now renew ${name}`,
    sentences: [
      `The renewal window for ${name} is open.`,
      `You can renew from ${dates.long(reminder.dueOn)} until ${dates.short(expiresOn)}, when your current credential expires.`,
      'Renewing before then keeps you certified without a gap.',
    ],
    keyDates: [
      { label: 'Renew from', date: reminder.dueOn },
      { label: 'Expires on', date: expiresOn },
    ],
  };
};

const retakeMessage = (
  reminder: EmailReminder,
  name: string,
  dates: DateWriter,
  today: LocalDate,
) => {
  const { failedOn, passedOn, expiresOn } = reminder.dates;
  const sentences = [
    failedOn === undefined
      ? `The waiting period before you can sit ${name} again is over.`
      : `The waiting period after your attempt at ${name} on ${dates.short(failedOn)} is over.`,
    `You can retake the exam from ${dates.long(reminder.dueOn)}.`,
  ];
  const keyDates: KeyDate[] = [{ label: 'Retake from', date: reminder.dueOn }];
  if (failedOn !== undefined) keyDates.push({ label: 'Last attempt', date: failedOn });
  if (expiresOn !== undefined && daysBetween(today, expiresOn) > 0) {
    sentences.push(
      `Your current credential remains valid until it expires on ${dates.short(expiresOn)}, so this counts as a renewal attempt.`,
    );
    keyDates.push({ label: 'Valid until', date: expiresOn });
  } else if (expiresOn !== undefined) {
    sentences.push(
      passedOn === undefined
        ? `Your earlier credential expired on ${dates.short(expiresOn)}; passing the exam certifies you again.`
        : `Your earlier credential, passed on ${dates.short(passedOn)}, expired on ${dates.short(expiresOn)}; passing the exam certifies you again.`,
    );
    keyDates.push({ label: 'Expired on', date: expiresOn });
  }
  return {
    status: 'Retake available',
    subject: `You can now retake ${name}`,
    sentences,
    keyDates,
  };
};

const expiringMessage = (
  reminder: EmailReminder,
  name: string,
  dates: DateWriter,
  today: LocalDate,
) => {
  const expiresOn = requireDate(reminder.dates.expiresOn, 'expiresOn', reminder);
  const daysLeft = Math.max(0, daysBetween(today, expiresOn));
  const remaining = daysLeft === 0 ? 'today' : `in ${daysText(daysLeft)}`;
  return {
    status: daysLeft === 0 ? 'Expires today' : `Expires in ${daysText(daysLeft)}`,
    subject: `${name} expires ${remaining}`,
    sentences: [
      `${name} expires on ${dates.long(expiresOn)}: ${daysText(daysLeft)} left.`,
      'Renew before then to stay certified without a gap.',
    ],
    keyDates: [{ label: 'Expires on', date: expiresOn }],
    daysLeft,
  };
};

const expiredMessage = (reminder: EmailReminder, name: string, dates: DateWriter) => {
  const { passedOn, retakeFrom } = reminder.dates;
  const keyDates: KeyDate[] = [{ label: 'Expired on', date: reminder.dueOn }];
  if (passedOn !== undefined) keyDates.push({ label: 'Passed on', date: passedOn });
  if (retakeFrom !== undefined) keyDates.push({ label: 'Retake from', date: retakeFrom });
  return {
    status: 'Expired',
    subject: `${name} has expired`,
    sentences: [
      `${name} expired on ${dates.long(reminder.dueOn)}.`,
      retakeFrom === undefined
        ? 'You can retake the exam at any time to become certified again.'
        : `After your last attempt, you can retake the exam from ${dates.long(retakeFrom)} to become certified again.`,
    ],
    keyDates,
  };
};

const messageOf = (
  reminder: EmailReminder,
  dates: DateWriter,
  today?: LocalDate,
): ReminderMessage => {
  const credentialName =
    singleLine(reminder.credentialName) || singleLine(reminder.credentialId) || 'your credential';
  const judgedOn = today ?? reminder.dueOn;
  const common = {
    kind: reminder.kind,
    credentialId: singleLine(reminder.credentialId),
    credentialName,
  };
  switch (reminder.kind) {
    case 'renewal_window_open':
      return { ...common, ...renewalMessage(reminder, credentialName, dates) };
    case 'retake_available':
      return { ...common, ...retakeMessage(reminder, credentialName, dates, judgedOn) };
    case 'expiring_soon':
      return { ...common, ...expiringMessage(reminder, credentialName, dates, judgedOn) };
    case 'expired':
      return { ...common, ...expiredMessage(reminder, credentialName, dates) };
  }
};

const subjectOf = (messages: readonly ReminderMessage[]): string => {
  const [only] = messages;
  const subject =
    messages.length === 1 && only !== undefined
      ? only.subject
      : `${messages.length} updates about your certifications`;
  return singleLine(subject);
};

const greetingOf = (name: string | undefined): string => {
  const flat = singleLine(name ?? '');
  return flat === '' ? 'Hello,' : `Dear ${flat},`;
};

const introOf = (count: number): string =>
  count === 1
    ? 'Here is an update about your certification, with the dates that matter.'
    : 'Here is what you can do for each of your certifications, with the dates that matter.';

const reasonOf = (programme: string): string =>
  `You are receiving this email because you have taken a certification exam, and ${programme} lets candidates know when they can renew or retake an exam and before a credential expires.`;

const GUARDIAN_NOTE =
  'This is a teen account, so a copy of this email is sent to your parent or guardian.';

const renderText = (
  input: ReminderEmailInput,
  messages: readonly ReminderMessage[],
  programme: string,
): string => {
  const blocks = messages.map((message) =>
    [
      `${message.credentialName}: ${message.status}`,
      ...message.sentences,
      `Credential ID: ${message.credentialId}`,
    ].join('\n'),
  );
  const footer = [reasonOf(programme)];
  if (input.profile.guardianEmail) footer.push(GUARDIAN_NOTE);
  footer.push(`To stop receiving these reminders, unsubscribe here: ${input.unsubscribeUrl}`);
  return [
    greetingOf(input.profile.name),
    introOf(messages.length),
    ...blocks,
    `Kind regards,\n${programme}`,
    footer.join('\n\n'),
  ]
    .join('\n\n')
    .concat('\n');
};

/** Accent colour (border) and status colour (text, at least 4.5:1 on white) per kind. */
const KIND_COLOURS: Record<ReminderKind, { readonly accent: string; readonly status: string }> = {
  renewal_window_open: { accent: '#2e7d4f', status: '#1f6b40' },
  retake_available: { accent: '#2f6db5', status: '#1f5a9e' },
  expiring_soon: { accent: '#d08a1a', status: '#8a5300' },
  expired: { accent: '#c0392b', status: '#a12b1f' },
};

const FONT = "font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;";
const SERIF = "font-family:Georgia,'Times New Roman',Times,serif;";
const INK = '#1c2733';
const MUTED = '#52606d';
const RULE = '#d9dee5';

/** Keeps each escaped "(YYYY-MM-DD)" on one line; the pattern matches digits only. */
const keepIsoDatesWhole = (escaped: string): string =>
  escaped.replace(/\(\d{4}-\d{2}-\d{2}\)/g, '<span style="white-space:nowrap;">$&</span>');

const keyDatesHtml = (keyDates: readonly KeyDate[], dates: DateWriter, daysLeft?: number) => {
  const rows = keyDates.map(
    ({ label, date }) => `<tr>
<td style="${FONT}padding:6px 16px 6px 0;font-size:13px;line-height:20px;color:${MUTED};white-space:nowrap;vertical-align:top;width:104px;">${escapeHtml(label)}</td>
<td style="${FONT}padding:6px 0;font-size:14px;line-height:20px;color:${INK};vertical-align:top;"><strong lang="${escapeHtml(dates.locale)}" style="font-weight:600;">${escapeHtml(dates.words(date))}</strong> <span style="color:${MUTED};white-space:nowrap;">${escapeHtml(date)}</span></td>
</tr>`,
  );
  if (daysLeft !== undefined) {
    rows.push(`<tr>
<td style="${FONT}padding:6px 16px 6px 0;font-size:13px;line-height:20px;color:${MUTED};white-space:nowrap;vertical-align:top;width:104px;">Days left</td>
<td style="${FONT}padding:6px 0;font-size:14px;line-height:20px;color:${INK};vertical-align:top;"><strong style="font-weight:600;">${daysLeft}</strong></td>
</tr>`);
  }
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;border-top:1px solid ${RULE};margin-top:16px;">
${rows.join('\n')}
</table>`;
};

const cardHtml = (message: ReminderMessage, dates: DateWriter): string => {
  const colours = KIND_COLOURS[message.kind];
  const sentences = message.sentences
    .map(
      (sentence) =>
        `<p style="${FONT}margin:0 0 10px;font-size:15px;line-height:24px;color:${INK};">${keepIsoDatesWhole(escapeHtml(sentence))}</p>`,
    )
    .join('\n');
  return `<tr>
<td class="gutter" style="padding:0 40px 20px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:separate;border:1px solid ${RULE};border-left:4px solid ${colours.accent};border-radius:4px;background-color:#ffffff;">
<tr>
<td class="card" style="padding:20px 24px;">
<p style="${FONT}margin:0 0 6px;font-size:12px;line-height:16px;font-weight:700;letter-spacing:0.08em;text-transform:uppercase;color:${colours.status};">${escapeHtml(message.status)}</p>
<h2 style="${SERIF}margin:0 0 12px;font-size:19px;line-height:26px;font-weight:normal;color:${INK};">${escapeHtml(message.credentialName)}</h2>
${sentences}
${keyDatesHtml(message.keyDates, dates, message.daysLeft)}
<p style="${FONT}margin:12px 0 0;font-size:12px;line-height:18px;color:${MUTED};">Credential ID: <span style="font-family:Menlo,Consolas,'Courier New',monospace;">${escapeHtml(message.credentialId)}</span></p>
</td>
</tr>
</table>
</td>
</tr>`;
};

const renderHtml = (
  input: ReminderEmailInput,
  messages: readonly ReminderMessage[],
  subject: string,
  programme: string,
  dates: DateWriter,
): string => {
  const footerParagraph = (text: string) =>
    `<p style="${FONT}margin:0 0 10px;font-size:12px;line-height:18px;color:${MUTED};">${text}</p>`;
  const footer = [footerParagraph(escapeHtml(reasonOf(programme)))];
  if (input.profile.guardianEmail) footer.push(footerParagraph(escapeHtml(GUARDIAN_NOTE)));
  footer.push(
    footerParagraph(
      `Don't want these reminders? <a href="${escapeHtml(input.unsubscribeUrl)}" style="color:${INK};text-decoration:underline;">Unsubscribe</a>.`,
    ),
  );
  const preheader = messages
    .map((message) => `${message.credentialName}: ${message.status}`)
    .join(' · ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(subject)}</title>
<style>
@media only screen and (max-width: 620px) {
  .page { padding: 12px 6px !important; }
  .gutter { padding-left: 20px !important; padding-right: 20px !important; }
  .card { padding: 16px !important; }
}
</style>
</head>
<body style="margin:0;padding:0;background-color:#eef1f4;">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">${escapeHtml(preheader)}</div>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;background-color:#eef1f4;">
<tr>
<td class="page" align="center" style="padding:32px 12px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="600" style="border-collapse:separate;width:100%;max-width:600px;background-color:#ffffff;border:1px solid ${RULE};border-radius:6px;">
<tr>
<td class="gutter" style="background-color:#13294b;border-radius:5px 5px 0 0;padding:24px 40px;border-bottom:3px solid #c9a227;">
<p style="${FONT}margin:0;font-size:11px;line-height:16px;font-weight:700;letter-spacing:0.14em;text-transform:uppercase;color:#b8c7dc;">Certification notice</p>
<p style="${SERIF}margin:4px 0 0;font-size:22px;line-height:30px;color:#ffffff;">${escapeHtml(programme)}</p>
</td>
</tr>
<tr>
<td class="gutter" style="padding:32px 40px 8px;">
<h1 style="${SERIF}margin:0 0 20px;font-size:24px;line-height:32px;font-weight:normal;color:${INK};">${escapeHtml(subject)}</h1>
<p style="${FONT}margin:0 0 12px;font-size:15px;line-height:24px;color:${INK};">${escapeHtml(greetingOf(input.profile.name))}</p>
<p style="${FONT}margin:0 0 24px;font-size:15px;line-height:24px;color:${INK};">${escapeHtml(introOf(messages.length))}</p>
</td>
</tr>
${messages.map((message) => cardHtml(message, dates)).join('\n')}
<tr>
<td class="gutter" style="padding:8px 40px 32px;">
<p style="${FONT}margin:0;font-size:15px;line-height:24px;color:${INK};">Kind regards,<br>${escapeHtml(programme)}</p>
</td>
</tr>
<tr>
<td class="gutter" style="background-color:#f6f8fa;border-top:1px solid ${RULE};border-radius:0 0 5px 5px;padding:20px 40px 14px;">
${footer.join('\n')}
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;
};

/**
 * Renders the reminder email for one candidate: one reminder, or a digest of several.
 *
 * The subject names the credential when there is one reminder and counts them when there are
 * several; it never holds a control character. The text part names, for each reminder, the
 * credential, what the candidate can do and the dates, in words (in the candidate's locale) and
 * as `YYYY-MM-DD`. The HTML part escapes every candidate-supplied string.
 *
 * @throws {RangeError} when `reminders` is empty.
 * @example
 * const { subject, text } = renderReminderEmail({
 *   profile: { name: 'Ana Silva' },
 *   reminders: [{
 *     kind: 'renewal_window_open', credentialId: 'aws-sls',
 *     credentialName: 'AWS Serverless Microcredential', dueOn: '2027-11-29',
 *     dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-29', expiresOn: '2028-02-28' },
 *   }],
 *   unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=v1.abc.def',
 * });
 * subject; // 'You can now renew AWS Serverless Microcredential'
 * text.includes('You can renew from Monday 29 November 2027 (2027-11-29) until 28 February 2028 (2028-02-28)'); // true
 */
export const renderReminderEmail = (input: ReminderEmailInput): RenderedEmail => {
  if (input.reminders.length === 0) {
    throw new RangeError('a reminder email needs at least one reminder');
  }
  const dates = createDateWriter(resolveLocale(input.profile.locale));
  const programme = singleLine(input.programmeName ?? '') || DEFAULT_PROGRAMME_NAME;
  const messages = input.reminders.map((reminder) => messageOf(reminder, dates, input.today));
  const subject = subjectOf(messages);
  return {
    subject,
    text: renderText(input, messages, programme),
    html: renderHtml(input, messages, subject, programme, dates),
  };
};
