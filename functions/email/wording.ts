import { daysBetween, type LocalDate } from '../domain/calendar';
import type { ReminderKind } from '../domain/reminder-rules';
import type { Catalogue, LinkedSentence } from './catalogue';
import type { DateWriter } from './dates';
import type { EmailReminder, ReminderEmailInput } from './email-input';
import { singleLine } from './escape';
import { programmeNameOf } from './programme';

/**
 * What the reminder email says, before it is laid out as text or HTML (SPEC §4): for each
 * reminder, what the candidate can now do and the dates that matter; around them, the subject,
 * the greeting and the footer. The rules (which sentence, which dates, how many days are left)
 * live here; the words come from a {@link Catalogue}, the dates from a {@link DateWriter}.
 *
 * Every candidate-supplied string is flattened to one line here, and left unescaped: the HTML
 * layout escapes.
 */

/** A date worth showing next to a reminder, with what it means. */
export interface KeyDate {
  readonly label: string;
  readonly date: LocalDate;
  /** The date in words, without the ISO form, e.g. "Monday 29 November 2027". */
  readonly words: string;
}

/** What one reminder says. */
export interface ReminderWording {
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

/** What the whole email says, ready for a layout. */
export interface EmailWording {
  /** The language of the copy (the HTML `lang`). */
  readonly language: string;
  /** The locale the dates are written in (the `lang` of dates in words). */
  readonly dateLocale: string;
  readonly subject: string;
  readonly programme: string;
  readonly eyebrow: string;
  readonly greeting: string;
  readonly intro: string;
  readonly reminders: readonly ReminderWording[];
  readonly signOff: string;
  readonly reason: string;
  /** Only for a teen account, whose guardian gets a copy. */
  readonly guardianNote?: string;
  readonly unsubscribeUrl: string;
  readonly unsubscribeText: string;
  readonly unsubscribeHtml: LinkedSentence;
  readonly credentialIdLabel: string;
  readonly daysLeftLabel: string;
  /** Between a label and its value, e.g. ": ". */
  readonly labelSeparator: string;
}

/** How a reminder is worded: in which language, with which dates, judged on which day. */
export interface WordingContext {
  readonly catalogue: Catalogue;
  readonly dates: DateWriter;
  /** The day days left and expiry are judged on; defaults to the reminder's due date. */
  readonly today?: LocalDate;
}

type KindWording = Pick<
  ReminderWording,
  'status' | 'subject' | 'sentences' | 'keyDates' | 'daysLeft'
>;

interface KindFacts {
  readonly reminder: EmailReminder;
  readonly name: string;
  readonly catalogue: Catalogue;
  readonly dates: DateWriter;
  readonly today: LocalDate;
}

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

const keyDate = (dates: DateWriter, label: string, date: LocalDate): KeyDate => ({
  label,
  date,
  words: dates.words(date),
});

const renewal = ({ reminder, name, catalogue, dates }: KindFacts): KindWording => {
  const copy = catalogue.reminders.renewal_window_open;
  const expiresOn = requireDate(reminder.dates.expiresOn, 'expiresOn', reminder);
  return {
    status: copy.status,
    subject: copy.subject({ credential: name }),
    sentences: [
      copy.windowOpen({ credential: name }),
      copy.renewBetween({ from: dates.long(reminder.dueOn), until: dates.short(expiresOn) }),
      copy.advice,
    ],
    keyDates: [
      keyDate(dates, copy.labels.renewFrom, reminder.dueOn),
      keyDate(dates, copy.labels.expiresOn, expiresOn),
    ],
  };
};

const retake = ({ reminder, name, catalogue, dates, today }: KindFacts): KindWording => {
  const copy = catalogue.reminders.retake_available;
  const { failedOn, passedOn, expiresOn } = reminder.dates;
  const sentences = [
    failedOn === undefined
      ? copy.waitOver({ credential: name })
      : copy.waitOverSince({ credential: name, failedOn: dates.short(failedOn) }),
    copy.retakeFrom({ from: dates.long(reminder.dueOn) }),
  ];
  const keyDates = [keyDate(dates, copy.labels.retakeFrom, reminder.dueOn)];
  if (failedOn !== undefined) keyDates.push(keyDate(dates, copy.labels.lastAttempt, failedOn));
  if (expiresOn !== undefined && daysBetween(today, expiresOn) > 0) {
    sentences.push(copy.stillValid({ expiresOn: dates.short(expiresOn) }));
    keyDates.push(keyDate(dates, copy.labels.validUntil, expiresOn));
  } else if (expiresOn !== undefined) {
    sentences.push(
      passedOn === undefined
        ? copy.lapsed({ expiresOn: dates.short(expiresOn) })
        : copy.lapsedSincePass({
            passedOn: dates.short(passedOn),
            expiresOn: dates.short(expiresOn),
          }),
    );
    keyDates.push(keyDate(dates, copy.labels.expiredOn, expiresOn));
  }
  return { status: copy.status, subject: copy.subject({ credential: name }), sentences, keyDates };
};

const expiring = ({ reminder, name, catalogue, dates, today }: KindFacts): KindWording => {
  const copy = catalogue.reminders.expiring_soon;
  const expiresOn = requireDate(reminder.dates.expiresOn, 'expiresOn', reminder);
  const daysLeft = Math.max(0, daysBetween(today, expiresOn));
  return {
    status: copy.status({ daysLeft }),
    subject: copy.subject({ credential: name, daysLeft }),
    sentences: [
      copy.expiresOn({ credential: name, expiresOn: dates.long(expiresOn), daysLeft }),
      copy.advice,
    ],
    keyDates: [keyDate(dates, copy.labels.expiresOn, expiresOn)],
    daysLeft,
  };
};

const expired = ({ reminder, name, catalogue, dates }: KindFacts): KindWording => {
  const copy = catalogue.reminders.expired;
  const { passedOn, retakeFrom } = reminder.dates;
  const keyDates = [keyDate(dates, copy.labels.expiredOn, reminder.dueOn)];
  if (passedOn !== undefined) keyDates.push(keyDate(dates, copy.labels.passedOn, passedOn));
  if (retakeFrom !== undefined) keyDates.push(keyDate(dates, copy.labels.retakeFrom, retakeFrom));
  return {
    status: copy.status,
    subject: copy.subject({ credential: name }),
    sentences: [
      copy.expiredOn({ credential: name, expiredOn: dates.long(reminder.dueOn) }),
      retakeFrom === undefined
        ? copy.retakeAnyTime
        : copy.retakeFrom({ from: dates.long(retakeFrom) }),
    ],
    keyDates,
  };
};

const KINDS: Readonly<Record<ReminderKind, (facts: KindFacts) => KindWording>> = {
  renewal_window_open: renewal,
  retake_available: retake,
  expiring_soon: expiring,
  expired,
};

/**
 * What one reminder says: its status, its subject on its own, its sentences and its key dates.
 * The credential is named by its name, else its id, else the catalogue's stand-in.
 *
 * @throws {TypeError} when a reminder lacks a date its kind needs (e.g. an expiry warning
 *   without `dates.expiresOn`).
 * @example
 * const wording = wordReminder(
 *   { kind: 'expired', credentialId: 'aws-sls', credentialName: 'AWS Serverless',
 *     dueOn: '2028-02-28', dates: { expiresOn: '2028-02-28' } },
 *   { catalogue: en, dates: createDateWriter('en-GB') },
 * );
 * wording.sentences[0]; // 'AWS Serverless expired on Monday 28 February 2028 (2028-02-28).'
 */
export const wordReminder = (reminder: EmailReminder, context: WordingContext): ReminderWording => {
  const { catalogue, dates } = context;
  const credentialId = singleLine(reminder.credentialId);
  const name =
    singleLine(reminder.credentialName) || credentialId || catalogue.email.unnamedCredential;
  const today = context.today ?? reminder.dueOn;
  return {
    kind: reminder.kind,
    credentialId,
    credentialName: name,
    ...KINDS[reminder.kind]({ reminder, name, catalogue, dates, today }),
  };
};

/**
 * The subject (SPEC §4): the credential's own subject for one reminder, how many there are for
 * several. Always one line.
 *
 * @example
 * subjectOf([renewalWording], en); // 'You can now renew AWS Serverless Microcredential'
 * subjectOf([renewalWording, expiredWording], en); // '2 updates about your certifications'
 */
export const subjectOf = (reminders: readonly ReminderWording[], catalogue: Catalogue): string => {
  const [only] = reminders;
  const subject =
    reminders.length === 1 && only !== undefined
      ? only.subject
      : catalogue.email.digestSubject({ count: reminders.length });
  return singleLine(subject);
};

/**
 * What the whole email says: the reminders, in order, and the frame around them.
 *
 * @throws {TypeError} as {@link wordReminder} does.
 * @example
 * const wording = wordEmail(input, { catalogue: en, dates: createDateWriter('en-GB') });
 * wording.greeting; // 'Dear Ana Silva,'
 */
export const wordEmail = (
  input: ReminderEmailInput,
  context: Omit<WordingContext, 'today'>,
): EmailWording => {
  const { catalogue, dates } = context;
  const copy = catalogue.email;
  const reminders = input.reminders.map((reminder) =>
    wordReminder(reminder, { catalogue, dates, today: input.today }),
  );
  const programme = programmeNameOf(input.programmeName);
  const name = singleLine(input.profile.name ?? '');
  return {
    language: catalogue.language,
    dateLocale: dates.locale,
    subject: subjectOf(reminders, catalogue),
    programme,
    eyebrow: copy.eyebrow,
    greeting: name === '' ? copy.greetingWithoutName : copy.greeting({ name }),
    intro: copy.intro({ count: reminders.length }),
    reminders,
    signOff: copy.signOff,
    reason: copy.reason({ programme }),
    ...(input.profile.guardianEmail ? { guardianNote: copy.guardianNote } : {}),
    unsubscribeUrl: input.unsubscribeUrl,
    unsubscribeText: copy.unsubscribeText({ url: input.unsubscribeUrl }),
    unsubscribeHtml: copy.unsubscribeHtml,
    credentialIdLabel: copy.credentialIdLabel,
    daysLeftLabel: copy.daysLeftLabel,
    labelSeparator: copy.labelSeparator,
  };
};
