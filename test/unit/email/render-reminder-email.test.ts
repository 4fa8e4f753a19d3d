import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeHtml, singleLine } from '../../../functions/email/escape';
import {
  type EmailReminder,
  type ReminderEmailInput,
  renderReminderEmail,
} from '../../../functions/email/render-reminder-email';
import { expired, renewal } from '../support/email-reminders';

/**
 * Golden sentences here were written by hand from SPEC §4 and the weekdays of a calendar; none
 * of them comes from running the code.
 */

const UNSUBSCRIBE_URL = 'https://reminders.example.com/unsubscribe?token=v1.Y2FuZC1hbmE.sig&x=1';

const expiring: EmailReminder = {
  kind: 'expiring_soon',
  credentialId: 'aws-sls',
  key: 'aws-sls#expiring_soon#att-1',
  credentialName: 'AWS Serverless Microcredential',
  dueOn: '2028-01-29',
  daysBefore: 30,
  dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-28', expiresOn: '2028-02-28' },
};

const firstRetake: EmailReminder = {
  kind: 'retake_available',
  credentialId: 'k8s-admin',
  key: 'k8s-admin#retake_available#att-1',
  credentialName: 'Kubernetes Platform Administrator',
  dueOn: '2027-06-27',
  dates: { failedOn: '2027-06-02', retakeFrom: '2027-06-27' },
};

const renewalRetake: EmailReminder = {
  kind: 'retake_available',
  credentialId: 'k8s-admin',
  key: 'k8s-admin#retake_available#att-1',
  credentialName: 'Kubernetes Platform Administrator',
  dueOn: '2027-10-10',
  dates: {
    failedOn: '2027-06-01',
    retakeFrom: '2027-10-10',
    passedOn: '2027-01-10',
    renewalOpensOn: '2027-10-10',
    expiresOn: '2028-01-10',
  },
};

const lapsedRetake: EmailReminder = {
  kind: 'retake_available',
  credentialId: 'k8s-admin',
  key: 'k8s-admin#retake_available#att-1',
  credentialName: 'Kubernetes Platform Administrator',
  dueOn: '2027-05-30',
  dates: {
    failedOn: '2027-05-05',
    retakeFrom: '2027-05-30',
    passedOn: '2026-03-01',
    renewalOpensOn: '2026-12-01',
    expiresOn: '2027-03-01',
  },
};

const emailOf = (
  reminders: readonly EmailReminder[],
  overrides: Partial<ReminderEmailInput> = {},
  profile: Omit<ReminderEmailInput['profile'], 'candidateId'> = { name: 'Ana Silva' },
) =>
  renderReminderEmail({
    profile: { candidateId: 'cand-ana', ...profile },
    reminders,
    unsubscribeUrl: UNSUBSCRIBE_URL,
    ...overrides,
  });

describe('the subject', () => {
  it.each([
    [renewal, 'You can now renew AWS Serverless Microcredential'],
    [firstRetake, 'You can now retake Kubernetes Platform Administrator'],
    [expiring, 'AWS Serverless Microcredential expires in 30 days'],
    [expired, 'AWS Serverless Microcredential has expired'],
  ])('names the credential of a single %s reminder', (reminder, expected) => {
    // Act
    const { subject } = emailOf([reminder]);

    // Assess
    expect(subject).toBe(expected);
  });

  it('counts the reminders of a digest', () => {
    // Prepare
    const reminders = [renewal, firstRetake, expired];

    // Act
    const { subject } = emailOf(reminders);

    // Assess
    expect(subject).toBe('3 updates about your certifications');
  });

  it('counts the days left from the day the email goes out', () => {
    // Prepare: sent seven days after the warning was due.
    const today = '2028-02-05';

    // Act
    const { subject, text } = emailOf([expiring], { today });

    // Assess
    expect(subject).toBe('AWS Serverless Microcredential expires in 23 days');
    expect(text).toContain('23 days left.');
  });

  it('strips line breaks from a credential name so no header can be injected', () => {
    // Prepare
    const injected = {
      ...renewal,
      credentialName: 'Cloud\r\nBcc: victim@example.com\r\n\r\n<b>body</b>',
    };

    // Act
    const { subject } = emailOf([injected]);

    // Assess
    expect(subject).toBe('You can now renew Cloud Bcc: victim@example.com <b>body</b>');
    expect(subject).not.toMatch(/[\r\n]/);
  });
});

describe('the text part', () => {
  it('says when a renewal window opens and until when, in words and as YYYY-MM-DD', () => {
    // Act
    const { text } = emailOf([renewal]);

    // Assess
    expect(text).toContain('The renewal window for AWS Serverless Microcredential is open.');
    expect(text).toContain(
      'You can renew from Monday 29 November 2027 (2027-11-29) until 28 February 2028 (2028-02-28), when your current credential expires.',
    );
  });

  it('says when a first retake is possible after the 25-day wait', () => {
    // Act
    const { text } = emailOf([firstRetake]);

    // Assess
    expect(text).toContain(
      'The waiting period after your attempt at Kubernetes Platform Administrator on 2 June 2027 (2027-06-02) is over.',
    );
    expect(text).toContain('You can retake the exam from Sunday 27 June 2027 (2027-06-27).');
    expect(text).not.toContain('renewal attempt');
    expect(text).not.toContain('expired');
  });

  it('calls a retake while the credential is still valid a renewal attempt, valid until expiry', () => {
    // Act
    const { text } = emailOf([renewalRetake]);

    // Assess
    expect(text).toContain('You can retake the exam from Sunday 10 October 2027 (2027-10-10).');
    expect(text).toContain(
      'Your current credential remains valid until it expires on 10 January 2028 (2028-01-10), so this counts as a renewal attempt.',
    );
  });

  it('says so when the pass before a failed retake has expired', () => {
    // Act
    const { text } = emailOf([lapsedRetake]);

    // Assess
    expect(text).toContain('You can retake the exam from Sunday 30 May 2027 (2027-05-30).');
    expect(text).toContain(
      'Your earlier credential, passed on 1 March 2026 (2026-03-01), expired on 1 March 2027 (2027-03-01); passing the exam certifies you again.',
    );
  });

  it('gives the expiry date and the days left of an expiring credential', () => {
    // Act
    const { text } = emailOf([expiring]);

    // Assess
    expect(text).toContain(
      'AWS Serverless Microcredential expires on Monday 28 February 2028 (2028-02-28): 30 days left.',
    );
    expect(text).toContain('Renew before then to stay certified without a gap.');
  });

  it('gives the expiry date of an expired credential and says a retake is possible any time', () => {
    // Act
    const { text } = emailOf([expired]);

    // Assess
    expect(text).toContain(
      'AWS Serverless Microcredential expired on Monday 28 February 2028 (2028-02-28).',
    );
    expect(text).toContain('You can retake the exam at any time to become certified again.');
  });

  it('says from when a retake is possible, not "at any time", when a 25-day wait outlasts the credential', () => {
    // Prepare: passed 2026-01-10 (expires 2027-01-10), failed on 2027-01-01: a retake from 2027-01-26
    const expiredDuringWait: EmailReminder = {
      kind: 'expired',
      credentialId: 'aws-sls',
      key: 'aws-sls#expired#att-1',
      credentialName: 'AWS Serverless Microcredential',
      dueOn: '2027-01-10',
      dates: {
        passedOn: '2026-01-10',
        renewalOpensOn: '2026-10-10',
        expiresOn: '2027-01-10',
        retakeFrom: '2027-01-26',
      },
    };

    // Act
    const { text } = emailOf([expiredDuringWait]);

    // Assess
    expect(text).toContain('you can retake the exam from Tuesday 26 January 2027 (2027-01-26)');
    expect(text).not.toContain('at any time');
  });

  it('holds every reminder of a digest, in order, each with its credential id', () => {
    // Act
    const { text } = emailOf([renewal, firstRetake]);

    // Assess
    const renewalAt = text.indexOf('AWS Serverless Microcredential: Renewal window open');
    const retakeAt = text.indexOf('Kubernetes Platform Administrator: Retake available');
    expect(renewalAt).toBeGreaterThan(0);
    expect(retakeAt).toBeGreaterThan(renewalAt);
    expect(text).toContain('Credential ID: aws-sls');
    expect(text).toContain('Credential ID: k8s-admin');
  });

  it('greets the candidate by name, or says hello when there is none', () => {
    // Act
    const named = emailOf([renewal]).text;
    const anonymous = emailOf([renewal], {}, {}).text;
    const blank = emailOf([renewal], {}, { name: ' \t ' }).text;

    // Assess
    expect(named.startsWith('Dear Ana Silva,\n')).toBe(true);
    expect(anonymous.startsWith('Hello,\n')).toBe(true);
    expect(blank.startsWith('Hello,\n')).toBe(true);
  });

  it('mentions the guardian copy only for a teen account', () => {
    // Act
    const teen = emailOf([renewal], {}, { name: 'Ana', guardianEmail: 'parent@example.com' });
    const adult = emailOf([renewal]);

    // Assess
    const note = 'a copy of this email is sent to your parent or guardian';
    expect(teen.text).toContain(note);
    expect(teen.html).toContain(note);
    expect(adult.text).not.toContain(note);
    expect(adult.html).not.toContain(note);
  });

  it('ends with why the candidate gets it and the unsubscribe link, and holds no markup', () => {
    // Act
    const { text } = emailOf([renewal], { programmeName: 'Cloud Skills Certification' });

    // Assess
    expect(text).toContain(
      'You are receiving this email because you have taken a certification exam',
    );
    expect(text).toContain('Cloud Skills Certification lets candidates know');
    expect(text).toContain(`unsubscribe here: ${UNSUBSCRIBE_URL}`);
    expect(text).not.toMatch(/<[a-z!/]/i);
  });
});

describe('dates in the candidate locale', () => {
  const originalZone = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalZone;
  });

  it.each([
    [
      'en-GB',
      'You can renew from Monday 29 November 2027 (2027-11-29) until 28 February 2028 (2028-02-28)',
    ],
    [
      'en-US',
      'You can renew from Monday, November 29, 2027 (2027-11-29) until February 28, 2028 (2028-02-28)',
    ],
    [
      'pt-PT',
      'Você pode renovar a partir de segunda-feira, 29 de novembro de 2027 (2027-11-29) até 28 de fevereiro de 2028 (2028-02-28)',
    ],
    [
      'it-IT',
      'You can renew from Monday 29 November 2027 (2027-11-29) until 28 February 2028 (2028-02-28)',
    ],
  ])('writes dates for %s in the language of the copy', (locale, expected) => {
    // Act
    const { text } = emailOf([renewal], {}, { name: 'Ana', locale });

    // Assess
    expect(text).toContain(expected);
  });

  it.each(['not a locale', 'en_GB', 'zz-ZZ', ''])('falls back to en-GB for %j', (locale) => {
    // Act
    const { text } = emailOf([renewal], {}, { name: 'Ana', locale });

    // Assess
    expect(text).toContain('You can renew from Monday 29 November 2027 (2027-11-29)');
  });

  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    'never shifts a date under host zone %s',
    (zone) => {
      // Prepare
      process.env.TZ = zone;

      // Act
      const { text } = emailOf([renewal]);

      // Assess
      expect(text).toContain('Monday 29 November 2027 (2027-11-29)');
      expect(text).toContain('28 February 2028 (2028-02-28)');
    },
  );
});

describe('the HTML part', () => {
  it('escapes a script in the candidate name, credential name and credential id', () => {
    // Prepare
    const hostile: EmailReminder = {
      ...renewal,
      credentialId: 'id"><script>alert(2)</script>',
      credentialName: '<script>alert(1)</script> & <img src=x onerror=alert(3)>',
    };

    // Act
    const { html, text } = emailOf([hostile], {}, { name: '<script>alert("name")</script>' });

    // Assess
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('Dear &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;,');
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(3)&gt;',
    );
    expect(html).toContain('id&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(text).toContain('Dear <script>alert("name")</script>,');
  });

  it('escapes the programme name and the unsubscribe URL', () => {
    // Act
    const { html } = emailOf([renewal], { programmeName: 'R&D <Certs>' });

    // Assess
    expect(html).toContain('R&amp;D &lt;Certs&gt;');
    expect(html).toContain(
      'href="https://reminders.example.com/unsubscribe?token=v1.Y2FuZC1hbmE.sig&amp;x=1"',
    );
  });

  it('lays out one card per reminder with its status, dates and the footer', () => {
    // Act
    const { html } = emailOf([renewal, expiring, firstRetake], {
      programmeName: 'Cloud Skills Certification',
    });

    // Assess
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('max-width:600px');
    expect(html.match(/<h2 /g)).toHaveLength(3);
    expect(html).toContain('<h1 ');
    expect(html).toContain('3 updates about your certifications</h1>');
    expect(html).toContain('Renewal window open');
    expect(html).toContain('Expires in 30 days');
    expect(html).toContain('Retake available');
    expect(html).toContain('Cloud Skills Certification');
    expect(html).toContain('>Unsubscribe</a>');
    expect(html).toContain(
      'You can renew from Monday 29 November 2027 <span style="white-space:nowrap;">(2027-11-29)</span>',
    );
    expect(html).toContain(
      '<strong lang="en-GB" style="font-weight:600;">Monday 28 February 2028</strong>',
    );
  });

  it('has no role-less layout table', () => {
    // Act
    const { html } = emailOf([renewal, expiring]);

    // Assess
    const tables = html.match(/<table[^>]*>/g) ?? [];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(table).toContain('role="presentation"');
  });
});

describe('refusals', () => {
  it('refuses an email without reminders', () => {
    // Act
    const render = () => emailOf([]);

    // Assess
    expect(render).toThrow(RangeError);
  });

  it('refuses an expiry warning without its expiry date', () => {
    // Prepare
    const broken: EmailReminder = { ...expiring, dates: {} };

    // Act
    const render = () => emailOf([broken]);

    // Assess
    expect(render).toThrow('a expiring_soon reminder needs dates.expiresOn');
  });
});

describe('properties', () => {
  const anyText = fc.string({ unit: 'binary', maxLength: 60 });
  const withMarkup = fc
    .tuple(anyText, fc.constantFrom('<', '<script>', '</td>', '<!--', '\r\n'), anyText)
    .map(([before, markup, after]) => `${before}${markup}${after}`);
  const candidateText = fc.oneof(anyText, withMarkup);
  const kindReminder = fc.constantFrom(renewal, expiring, expired, firstRetake, renewalRetake);
  const countOf = (text: string, character: string) => text.split(character).length - 1;

  it('never lets CR, LF or another control character into the subject', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(kindReminder, candidateText), { minLength: 1, maxLength: 3 }),
        candidateText,
        (pairs, name) => {
          // Prepare
          const reminders = pairs.map(([reminder, credentialName]) => ({
            ...reminder,
            credentialName,
          }));

          // Act
          const { subject } = emailOf(reminders, {}, { name });

          // Assess
          expect(subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
          expect(subject.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('never lets a < from candidate text into the HTML unescaped', () => {
    fc.assert(
      fc.property(kindReminder, candidateText, candidateText, (reminder, credentialName, name) => {
        // Prepare: the same email with every < of the candidate text made harmless.
        const defused = (value: string) => value.replaceAll('<', 'x');

        // Act
        const { html } = emailOf([{ ...reminder, credentialName }], {}, { name });
        const { html: reference } = emailOf(
          [{ ...reminder, credentialName: defused(credentialName) }],
          {},
          { name: defused(name) },
        );

        // Assess: candidate text adds no tag, and shows up escaped.
        expect(countOf(html, '<')).toBe(countOf(reference, '<'));
        const shown = escapeHtml(singleLine(credentialName));
        if (shown !== '') expect(html).toContain(shown);
      }),
    );
  });
});
