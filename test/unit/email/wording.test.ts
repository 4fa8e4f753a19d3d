import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../../../functions/email/catalogue';
import { englishCatalogue } from '../../../functions/email/catalogues';
import { createDateWriter } from '../../../functions/email/dates';
import type { EmailReminder } from '../../../functions/email/email-input';
import { subjectOf, wordEmail, wordReminder } from '../../../functions/email/wording';
import { expired as expiredReminder, renewal } from '../support/email-reminders';

const en = englishCatalogue();

const dates = createDateWriter('en-GB');

/** Expired while the 25-day wait after a failed renewal attempt still runs. */
const expired: EmailReminder = {
  ...expiredReminder,
  dates: { ...expiredReminder.dates, retakeFrom: '2028-03-10' },
};

/** English with other words for the expired kind and the digest subject. */
const other: Catalogue = {
  ...en,
  language: 'x-test',
  email: { ...en.email, digestSubject: ({ count }) => `[${count} notes]` },
  reminders: {
    ...en.reminders,
    expired: {
      status: '[lapsed]',
      subject: ({ credential }) => `[${credential} lapsed]`,
      expiredOn: ({ credential, expiredOn }) => `[${credential} | ${expiredOn}]`,
      retakeAnyTime: '[any time]',
      retakeFrom: ({ from }) => `[retake ${from}]`,
      labels: { expiredOn: '[E]', passedOn: '[P]', retakeFrom: '[R]' },
      calendar: ({ credential }) => `[${credential} calendar]`,
    },
  },
};

describe('wordReminder', () => {
  it('takes every word from the catalogue and the dates from the date writer', () => {
    // Act
    const wording = wordReminder(expired, { catalogue: other, dates });

    // Assess
    expect(wording.status).toBe('[lapsed]');
    expect(wording.subject).toBe('[AWS Serverless Microcredential lapsed]');
    expect(wording.sentences).toEqual([
      '[AWS Serverless Microcredential | Monday 28 February 2028 (2028-02-28)]',
      '[retake Friday 10 March 2028 (2028-03-10)]',
    ]);
    expect(wording.keyDates).toEqual([
      { label: '[E]', date: '2028-02-28', words: 'Monday 28 February 2028' },
      { label: '[P]', date: '2027-02-28', words: 'Sunday 28 February 2027' },
      { label: '[R]', date: '2028-03-10', words: 'Friday 10 March 2028' },
    ]);
  });

  it('names a credential by its id, else by the catalogue stand-in', () => {
    // Act
    const byId = wordReminder({ ...expired, credentialName: ' ' }, { catalogue: en, dates });
    const unnamed = wordReminder(
      { ...expired, credentialName: '\r\n', credentialId: '\t' },
      { catalogue: en, dates },
    );

    // Assess
    expect(byId.credentialName).toBe('aws-sls');
    expect(unnamed.credentialName).toBe('your credential');
    expect(unnamed.credentialId).toBe('');
  });
});

describe('subjectOf', () => {
  it('uses the reminder subject for one and the catalogue count for several', () => {
    // Prepare
    const one = wordReminder(expired, { catalogue: other, dates });
    const two = wordReminder(renewal, { catalogue: other, dates });

    // Act
    const single = subjectOf([one], other);
    const digest = subjectOf([one, two], other);

    // Assess
    expect(single).toBe('[AWS Serverless Microcredential lapsed]');
    expect(digest).toBe('[2 notes]');
  });
});

describe('wordEmail', () => {
  it('carries the languages of the copy and of the dates apart', () => {
    // Act
    const wording = wordEmail(
      {
        profile: { candidateId: 'cand-ana' },
        reminders: [renewal],
        unsubscribeUrl: 'https://x.example/u',
      },
      { catalogue: other, dates: createDateWriter('de-AT') },
    );

    // Assess
    expect(wording.language).toBe('x-test');
    expect(wording.dateLocale).toBe('de-AT');
    expect(wording.greeting).toBe('Hello,');
    expect(wording.guardianNote).toBeUndefined();
    expect(wording.unsubscribeText).toContain('https://x.example/u');
  });
});
