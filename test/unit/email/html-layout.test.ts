import { describe, expect, it } from 'vitest';
import { renderHtmlLayout } from '../../../functions/email/html-layout';
import type { EmailWording } from '../../../functions/email/wording';

const wording: EmailWording = {
  language: 'x-test',
  dateLocale: 'de-AT',
  subject: 'Subject <1>',
  programme: 'P & Q',
  eyebrow: 'Eyebrow',
  greeting: 'Greeting',
  intro: 'Intro',
  reminders: [
    {
      kind: 'expiring_soon',
      credentialId: 'c-1',
      credentialName: 'Name',
      status: 'Status',
      subject: 'Subject <1>',
      sentences: ['On Montag, 28. Februar 2028 (2028-02-28).'],
      keyDates: [{ label: 'Label', date: '2028-02-28', words: 'Montag, 28. Februar 2028' }],
      daysLeft: 3,
    },
  ],
  signOff: 'Sign-off',
  reason: 'Reason',
  unsubscribeUrl: 'https://x.example/u?a=1&b=2',
  unsubscribeText: 'unused',
  unsubscribeHtml: { before: "L'avant ", link: '<Link>', after: ' & after' },
  credentialIdLabel: 'Id label',
  daysLeftLabel: 'Days label',
  labelSeparator: ': ',
};

describe('renderHtmlLayout', () => {
  it('marks the copy and the dates in words with their own languages', () => {
    // Act
    const html = renderHtmlLayout(wording);

    // Assess
    expect(html).toContain('<html lang="x-test">');
    expect(html).toContain(
      '<strong lang="de-AT" style="font-weight:600;">Montag, 28. Februar 2028</strong>',
    );
  });

  it('escapes every string it is given, catalogue copy included', () => {
    // Act
    const html = renderHtmlLayout(wording);

    // Assess
    expect(html).toContain('<title>Subject &lt;1&gt;</title>');
    expect(html).toContain('P &amp; Q');
    expect(html).toContain(
      'L&#39;avant <a href="https://x.example/u?a=1&amp;b=2" style="color:#1c2733;text-decoration:underline;">&lt;Link&gt;</a> &amp; after',
    );
  });

  it('shows the labels, the days left and the credential id of each card', () => {
    // Act
    const html = renderHtmlLayout(wording);

    // Assess
    expect(html).toContain('>Label</td>');
    expect(html).toContain('>Days label</td>');
    expect(html).toContain('<strong style="font-weight:600;">3</strong>');
    expect(html).toContain('Id label: <span');
    expect(html).toContain('<span style="white-space:nowrap;">(2028-02-28)</span>');
  });
});
