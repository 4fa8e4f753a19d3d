import { describe, expect, it } from 'vitest';
import type { EmailReminder, ReminderEmailInput } from '../../../functions/email/email-input';
import { reminderUid } from '../../../functions/email/reminder-calendar';
import { renderReminderEmail } from '../../../functions/email/render-reminder-email';
import { MESSAGE_FILES, messagesOf, TRANSLATIONS } from './support/message-files';
import { parseCalendar } from './support/parse-calendar';

/**
 * Every kind of reminder, alone and in a digest, with and without a guardian, rendered in every
 * language: nothing but names, ids, ISO dates and URLs may be left in English, and the calendar
 * attachment must parse (with `ical.js`) into the entries SPEC §4 describes.
 */

const CANDIDATE = 'cand-ana';
const UNSUBSCRIBE_URL = 'https://reminders.example.com/unsubscribe?token=v1.Y2FuZC1hbmE.sig';
const PROGRAMME = 'Nimbus Academy';

/** The credential names, all words that no catalogue uses. */
const NAMES = {
  sls: 'Zephyr Serverless Microcredential',
  k8s: 'Quokka Kubernetes Administrator',
  net: 'Xylo Networking Specialty',
};

const REMINDERS = {
  renewal: {
    kind: 'renewal_window_open',
    credentialId: 'aws-sls',
    key: 'aws-sls#renewal_window_open#att-1',
    credentialName: NAMES.sls,
    dueOn: '2027-11-29',
    dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-29', expiresOn: '2028-02-28' },
  },
  firstRetake: {
    kind: 'retake_available',
    credentialId: 'k8s-admin',
    key: 'k8s-admin#retake_available#att-2',
    credentialName: NAMES.k8s,
    dueOn: '2027-11-29',
    dates: { failedOn: '2027-11-04', retakeFrom: '2027-11-29' },
  },
  renewalRetake: {
    kind: 'retake_available',
    credentialId: 'k8s-admin',
    key: 'k8s-admin#retake_available#att-3',
    credentialName: NAMES.k8s,
    dueOn: '2027-11-29',
    dates: {
      failedOn: '2027-09-01',
      retakeFrom: '2027-11-29',
      passedOn: '2027-02-28',
      renewalOpensOn: '2027-11-28',
      expiresOn: '2028-02-28',
    },
  },
  lapsedRetake: {
    kind: 'retake_available',
    credentialId: 'k8s-admin',
    key: 'k8s-admin#retake_available#att-4',
    credentialName: NAMES.k8s,
    dueOn: '2027-11-29',
    dates: {
      failedOn: '2027-11-04',
      retakeFrom: '2027-11-29',
      passedOn: '2026-03-01',
      expiresOn: '2027-03-01',
    },
  },
  expiring30: {
    kind: 'expiring_soon',
    credentialId: 'net-spec',
    key: 'net-spec#expiring_soon#att-5#30',
    credentialName: NAMES.net,
    dueOn: '2027-11-29',
    daysBefore: 30,
    dates: { passedOn: '2026-12-29', renewalOpensOn: '2027-09-29', expiresOn: '2027-12-29' },
  },
  expiring1: {
    kind: 'expiring_soon',
    credentialId: 'net-spec',
    key: 'net-spec#expiring_soon#att-5#1',
    credentialName: NAMES.net,
    dueOn: '2027-12-28',
    daysBefore: 1,
    dates: { passedOn: '2026-12-29', renewalOpensOn: '2027-09-29', expiresOn: '2027-12-29' },
  },
  expired: {
    kind: 'expired',
    credentialId: 'aws-sls',
    key: 'aws-sls#expired#att-6',
    credentialName: NAMES.sls,
    dueOn: '2027-11-29',
    dates: { passedOn: '2026-11-29', renewalOpensOn: '2027-08-29', expiresOn: '2027-11-29' },
  },
  expiredWaiting: {
    kind: 'expired',
    credentialId: 'aws-sls',
    key: 'aws-sls#expired#att-7',
    credentialName: NAMES.sls,
    dueOn: '2027-11-29',
    dates: {
      passedOn: '2026-11-29',
      renewalOpensOn: '2027-08-29',
      expiresOn: '2027-11-29',
      retakeFrom: '2027-12-10',
    },
  },
} satisfies Record<string, EmailReminder>;

const CASES: readonly [string, readonly EmailReminder[]][] = [
  ...Object.entries(REMINDERS).map(([name, reminder]): [string, EmailReminder[]] => [
    name,
    [reminder],
  ]),
  [
    'digest',
    [REMINDERS.renewal, REMINDERS.firstRetake, REMINDERS.expiring30, REMINDERS.expiredWaiting],
  ],
];

const render = (
  locale: string,
  reminders: readonly EmailReminder[],
  overrides: Partial<ReminderEmailInput['profile']> = {},
  input: Partial<ReminderEmailInput> = {},
) =>
  renderReminderEmail({
    profile: { candidateId: CANDIDATE, name: 'Ana Quixote', locale, ...overrides },
    reminders,
    unsubscribeUrl: UNSUBSCRIBE_URL,
    programmeName: PROGRAMME,
    ...input,
  });

/** Words of three letters or more, lowercased. */
const wordsOf = (text: string): string[] =>
  [...text.matchAll(/\p{L}{3,}/gu)].map(([word]) => word.toLocaleLowerCase('en'));

/** Every word the English catalogue shows a reader (ICU syntax and argument names left out). */
const ENGLISH_WORDS = new Set(
  messagesOf(MESSAGE_FILES.en as (typeof MESSAGE_FILES)['en']).flatMap(([, source]) =>
    wordsOf(
      source
        .replace(/\{\s*\w+\s*,\s*plural\s*,/g, '')
        .replace(/(?:=\d+|\b(?:zero|one|two|few|many|other))\s*\{/g, '')
        .replace(/\{\s*\w+\s*\}/g, ''),
    ),
  ),
);

/**
 * Words a language shares with English because they are that language's own word too: French
 * "certification", "dates", "parent", "expire" (il expire); Portuguese "expire" (que expire).
 */
const SHARED_WORDS: Readonly<Record<string, readonly string[]>> = {
  fr: ['certification', 'certifications', 'dates', 'parent', 'expire'],
  de: [],
  es: [],
  'pt-BR': ['expire'],
  ja: [],
};

/** The reader-visible text of an HTML part: the body, without tags, entities decoded. */
const htmlText = (html: string): string =>
  (html.split('<body')[1] ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The text left once names, ids, URLs and ISO dates are taken out. */
const withoutNames = (text: string): string =>
  [...Object.values(NAMES), 'Ana Quixote', PROGRAMME, UNSUBSCRIBE_URL]
    .reduce((rest, name) => rest.replaceAll(name, ' '), text)
    .replace(/\b[a-z0-9]+(?:-[a-z0-9]+)+\b/g, ' ')
    .replace(/\d{4}-\d{2}-\d{2}/g, ' ');

const englishLeftIn = (tag: string, text: string): string[] => {
  const shared = new Set(SHARED_WORDS[tag]);
  return [
    ...new Set(wordsOf(withoutNames(text)).filter((w) => ENGLISH_WORDS.has(w) && !shared.has(w))),
  ];
};

describe('the English check itself', () => {
  it('finds English words in an English email, and none in the names alone', () => {
    // Act
    const email = render('en', [REMINDERS.renewal]);

    // Assess
    expect(englishLeftIn('de', email.text)).toEqual(expect.arrayContaining(['renew', 'window']));
    expect(englishLeftIn('de', `${NAMES.sls} ${PROGRAMME} ${UNSUBSCRIBE_URL}`)).toEqual([]);
  });
});

describe.each(TRANSLATIONS)('an email in %s', (tag) => {
  describe.each(CASES)('for %s', (_name, reminders) => {
    it.each([
      ['without a guardian', {}],
      ['with a guardian', { guardianEmail: 'guardian@example.com' }],
    ])('leaves nothing in English %s', (_guardian, profile) => {
      // Act
      const email = render(tag, reminders, profile);

      // Assess
      const calendar = parseCalendar(email.calendar);
      const visible = [
        email.subject,
        email.text,
        htmlText(email.html),
        ...calendar.events.flatMap((event) => [event.summary, event.description]),
      ].join('\n');
      expect(englishLeftIn(tag, visible)).toEqual([]);
      expect(email.language).toBe(tag);
      expect(email.html).toContain(`<html lang="${tag}">`);
    });

    it('names the credential in the subject of one reminder, or counts several', () => {
      // Act
      const { subject } = render(tag, reminders);

      // Assess
      const [only] = reminders;
      if (reminders.length === 1 && only !== undefined) {
        expect(subject).toContain(only.credentialName);
      } else {
        expect(subject).toContain(String(reminders.length));
        for (const reminder of reminders) expect(subject).not.toContain(reminder.credentialName);
      }
    });

    it('attaches one all-day event per reminder, named in the language', () => {
      // Act
      const { calendar } = render(tag, reminders);

      // Assess
      const parsed = parseCalendar(calendar);
      expect(parsed.method).toBe('PUBLISH');
      expect(parsed.events).toHaveLength(reminders.length);
      parsed.events.forEach((event, index) => {
        const reminder = reminders[index] as EmailReminder;
        expect(event.startIsDate && event.endIsDate).toBe(true);
        expect(event.summary).toContain(reminder.credentialName);
        expect(event.summaryLanguage).toBe(tag);
        expect(event.uid).toBe(reminderUid(CANDIDATE, reminder.key));
      });
    });
  });

  it('writes the dates in words in the language, with the ISO form beside them', () => {
    // Act
    const { text } = render(tag, [REMINDERS.expiring30]);

    // Assess: the date in words is expiresOn (SPEC §4), written by Intl in the language.
    const words = new Intl.DateTimeFormat(tag, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date('2027-12-29T00:00:00Z'));
    expect(text).toContain(words);
    expect(text).toContain('2027-12-29');
    expect(text).not.toContain('2027-11-29');
  });
});

describe('plural rules', () => {
  it.each([
    ['de', 'Sie können', '4 Hinweise zu Ihren Zertifizierungen'],
    ['fr', 'Vous pouvez', '4 informations sur vos certifications'],
    ['es', 'Puede', '4 avisos sobre sus certificaciones'],
    ['pt-BR', 'Você pode', '4 avisos sobre suas certificações'],
    ['ja', 'いただけます', '認定資格に関する4件のお知らせ'],
    ['en', 'You can', '4 updates about your certifications'],
  ])('counts a digest in %s', (tag, _sample, expected) => {
    // Act
    const { subject } = render(tag, CASES.at(-1)?.[1] ?? []);

    // Assess
    expect(subject).toBe(expected);
  });

  it.each([
    ['de', 'läuft in 1 Tag ab', 'läuft in 30 Tagen ab'],
    ['fr', 'expire dans 1 jour', 'expire dans 30 jours'],
    ['es', 'caduca en 1 día', 'caduca en 30 días'],
    ['pt-BR', 'expira em 1 dia', 'expira em 30 dias'],
    ['ja', 'あと1日です', 'あと30日です'],
    ['en', 'expires in 1 day', 'expires in 30 days'],
  ])('counts the days left in %s', (tag, one, many) => {
    // Act
    const single = render(tag, [REMINDERS.expiring1]).subject;
    const several = render(tag, [REMINDERS.expiring30]).subject;

    // Assess
    expect(single).toContain(one);
    expect(several).toContain(many);
  });
});

describe('the fallback chain (SPEC §4)', () => {
  it.each([
    ['pt-PT', 'pt-BR'],
    ['de-AT', 'de'],
    ['fr-CA', 'fr'],
    ['es-MX', 'es'],
    ['ja-JP', 'ja'],
    ['it-IT', 'en'],
    ['', 'en'],
  ])('writes a %j candidate in %s', (locale, language) => {
    // Act
    const email = render(locale, [REMINDERS.renewal]);

    // Assess
    expect(email.language).toBe(language);
    expect(email.html).toContain(`<html lang="${language}">`);
  });

  it('keeps the regional date style of a locale whose language has a catalogue', () => {
    // Act
    const { text } = render('de-AT', [REMINDERS.expiring30]);

    // Assess: Austrian German calls December "Dezember" too, but January "Jänner".
    expect(text).toContain('Mittwoch, 29. Dezember 2027 (2027-12-29)');
    expect(render('de-AT', [REMINDERS.renewal]).text).not.toContain('Jänner');
  });
});
