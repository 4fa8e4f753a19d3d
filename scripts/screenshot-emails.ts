/**
 * Screenshots of the reminder email for the README: the same digest in English and in German,
 * rendered by the code that sends it and shot in Debian's Chromium; beside them, the digest's
 * `reminders.ics` as the email attaches it.
 *
 *   npx tsx scripts/screenshot-emails.ts    # writes docs/images/email-digest-{en,de}.png
 *                                           # and docs/images/email-digest.ics
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { EmailReminder } from '../functions/email/email-input';
import { renderReminderEmail } from '../functions/email/render-reminder-email';
import { launchChromium } from '../test/browser/console-stack';

const OUT = 'docs/images';

/** One candidate's digest on 2027-11-29: a renewal, an expiry warning and a retake. */
const REMINDERS: readonly EmailReminder[] = [
  {
    kind: 'renewal_window_open',
    credentialId: 'aws-serverless',
    key: 'aws-serverless#renewal_window_open#att-1042',
    credentialName: 'AWS Serverless Microcredential',
    dueOn: '2027-11-29',
    dates: { passedOn: '2027-02-28', renewalOpensOn: '2027-11-29', expiresOn: '2028-02-28' },
  },
  {
    kind: 'expiring_soon',
    credentialId: 'k8s-admin',
    key: 'k8s-admin#expiring_soon#att-0977#30',
    credentialName: 'Kubernetes Platform Administrator',
    dueOn: '2027-11-29',
    daysBefore: 30,
    dates: { passedOn: '2026-12-29', renewalOpensOn: '2027-09-29', expiresOn: '2027-12-29' },
  },
  {
    kind: 'retake_available',
    credentialId: 'data-eng',
    key: 'data-eng#retake_available#att-1101',
    credentialName: 'Data Engineering Professional',
    dueOn: '2027-11-29',
    dates: { failedOn: '2027-11-04', retakeFrom: '2027-11-29' },
  },
];

const render = (locale: string) =>
  renderReminderEmail({
    profile: { candidateId: 'demo-chloe', name: 'Chloé Martin', locale },
    reminders: REMINDERS,
    unsubscribeUrl: 'https://reminders.example.com/unsubscribe?token=v1.ZGVtby1jaGxvZQ.sig',
    programmeName: 'Cloud Skills Certification',
    today: '2027-11-29',
    sentAt: '2027-11-29T13:00:00Z',
  });

await mkdir(OUT, { recursive: true });
const browser = await launchChromium();
try {
  for (const locale of ['en', 'de']) {
    const page = await browser.newPage({ viewport: { width: 680, height: 900 } });
    await page.setContent(render(locale).html, { waitUntil: 'load' });
    const file = `${OUT}/email-digest-${locale}.png`;
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`wrote ${file}\n`);
    await page.close();
  }
} finally {
  await browser.close();
}
await writeFile(`${OUT}/email-digest.ics`, render('de').calendar);
process.stdout.write(`wrote ${OUT}/email-digest.ics\n`);
