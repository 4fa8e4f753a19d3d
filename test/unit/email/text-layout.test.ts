import { describe, expect, it } from 'vitest';
import { renderTextLayout } from '../../../functions/email/text-layout';
import type { EmailWording, ReminderWording } from '../../../functions/email/wording';

const reminder: ReminderWording = {
  kind: 'expired',
  credentialId: 'c-1',
  credentialName: 'N',
  status: 'S',
  subject: 'J',
  sentences: ['A.', 'B.'],
  keyDates: [{ label: 'L', date: '2028-02-28', words: 'W' }],
};

const wording: EmailWording = {
  language: 'x-test',
  dateLocale: 'en-GB',
  subject: 'J',
  programme: 'P',
  eyebrow: 'E',
  greeting: 'G',
  intro: 'I',
  reminders: [reminder, { ...reminder, credentialId: 'c-2', credentialName: 'M' }],
  signOff: 'K',
  reason: 'R',
  unsubscribeUrl: 'https://x.example/u',
  unsubscribeText: 'U https://x.example/u',
  unsubscribeHtml: { before: 'B ', link: 'L', after: '.' },
  credentialIdLabel: 'ID',
  daysLeftLabel: 'D',
  labelSeparator: ': ',
};

describe('renderTextLayout', () => {
  it('lays out the words it is given, adding none of its own', () => {
    // Act
    const text = renderTextLayout(wording);

    // Assess
    expect(text).toBe(
      'G\n\nI\n\nN: S\nA.\nB.\nID: c-1\n\nM: S\nA.\nB.\nID: c-2\n\nK\nP\n\nR\n\nU https://x.example/u\n',
    );
  });

  it('puts the guardian note between the reason and the unsubscribe line', () => {
    // Act
    const text = renderTextLayout({ ...wording, guardianNote: 'T' });

    // Assess
    expect(text.endsWith('K\nP\n\nR\n\nT\n\nU https://x.example/u\n')).toBe(true);
  });
});
