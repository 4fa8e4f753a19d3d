import type { Browser, Page } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedCandidates } from '../../bin/cli/open-store';
import { addDays, compareDates } from '../../functions/domain/calendar';
import { forecast } from '../../functions/use-cases/forecast';
import { type DemoStack, launchChromium, startDemoStack } from './console-stack';
import { LOWEST_CONTRAST } from './contrast';

/**
 * The operations console (SPEC §10) in a real browser, served by the local stack at /console
 * with its demo data: every page loads cleanly, the chart and its table agree with `forecast`, a
 * search shows a candidate's credentials, the preview's subject is what the run then sends, and
 * markup in a candidate's name stays text.
 */

let demo: DemoStack;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemoStack();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

const today = () => Temporal.Now.plainDateISO('UTC').toString();

/** A page that records console errors, failed loads and uncaught exceptions. */
const watchedPage = async (width = 1280) => {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
  });
  return { page, problems };
};

const open = async (page: Page, path: string) => {
  const response = await page.goto(`${demo.consoleUrl}${path}`, { waitUntil: 'load' });
  await page.waitForSelector('h1');
  // A slow Scan shows its progress first, and the page reloads itself until the Scan is done.
  for (let tries = 0; tries < 30 && (await page.locator('#scan-progress').count()) > 0; tries++)
    await page.waitForEvent('load', { timeout: 5000 }).catch(() => {});
  return response;
};

describe('the operations console in Chromium', () => {
  it('loads every page without a console error, on a laptop and a phone', async () => {
    for (const width of [1280, 375]) {
      // Prepare
      const { page, problems } = await watchedPage(width);

      // Act
      for (const path of ['', '/runs', '/candidate', '/candidate?id=demo-chloe']) {
        const response = await open(page, path);
        expect(response?.status(), path).toBe(200);
        expect(await page.locator('h1').count(), path).toBe(1);
        expect(await page.locator('main').count(), path).toBe(1);
        // Nothing wider than the screen but the scrollable tables.
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        );
        expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
        const [lowest] =
          await page.evaluate<Array<{ ratio: number; text: string }>>(LOWEST_CONTRAST);
        expect(lowest?.ratio ?? 21, `${path}: "${lowest?.text}"`).toBeGreaterThanOrEqual(4.5);
      }

      // Assess
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('charts the next 90 days, with the counts of `forecast` for those days', async () => {
    // Prepare
    const from = today();
    const entries = forecast(await storedCandidates(demo.stack.app), demo.settings, {
      from,
      to: addDays(from, 89),
    });
    const { page, problems } = await watchedPage();

    // Act
    await open(page, '');
    const days = await page.locator('svg g.day').count();
    const rows = await page
      .locator('table.day-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-date'),
          Number(tr.querySelector('td:last-child')?.textContent),
        ]),
      );

    // Assess
    expect(days).toBe(90);
    expect(rows).toHaveLength(90);
    for (const [date, total] of rows)
      expect(total, String(date)).toBe(entries.filter((entry) => entry.dueOn === date).length);
    expect(entries.length).toBeGreaterThan(0);
    expect(await page.locator('#peak-day').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('#scan-note').textContent()).toContain('parallel Scan');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('finds a candidate by id from the keyboard and shows their credentials', async () => {
    // Prepare
    const { page, problems } = await watchedPage();
    await open(page, '/candidate');

    // Act: Tab from the top of the page until the search field has the focus.
    let focused = '';
    for (let presses = 0; presses < 12 && focused !== 'candidate-id'; presses += 1) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate<string>("document.activeElement?.id ?? ''");
    }
    await page.keyboard.type('demo-chloe');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#profile-heading');

    // Assess
    expect(focused).toBe('candidate-id');
    const credentials = await page.locator('article.credential h3').allTextContents();
    expect(credentials.join(' | ')).toContain('AWS Generative AI Microcredential');
    expect(credentials.join(' | ')).toContain('AWS Cloud Security Microcredential');
    expect(await page.locator('label[for="candidate-id"]').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('previews the subject a run on that date then sends', async () => {
    // Prepare: the next date something falls due for the demo teen.
    const from = today();
    const upcoming = forecast(await storedCandidates(demo.stack.app), demo.settings, {
      from: addDays(from, 1),
      to: addDays(from, 400),
      candidateId: 'demo-chloe',
    });
    const date = upcoming[0]?.dueOn as string;
    expect(compareDates(date, from)).toBeGreaterThan(0);
    const { page, problems } = await watchedPage();

    // Act
    await open(page, `/candidate?id=demo-chloe&date=${date}`);
    const previewed = await page.locator('#preview-subject').textContent();
    const frame = page.frameLocator('iframe.preview-frame');
    const frameText = await frame.locator('body').textContent();
    const before = await inbox();
    await demo.stack.run(Temporal.Instant.from(`${date}T13:00:00Z`));
    const sent = (await inbox()).filter(
      (email) =>
        !before.some((old) => old.messageId === email.messageId) &&
        email.destination.to.some((to) => to.includes('chloe.martin@example.com')),
    );

    // Assess
    expect(previewed).toBeTruthy();
    expect(frameText).toContain('Chloé Martin');
    expect(sent.map((email) => email.subject)).toEqual([previewed]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("renders markup in a candidate's name as text, running nothing", async () => {
    // Prepare
    const name = '<script>window.injected = true</script><img src=x onerror="window.injected=1">';
    const takenAt = new Date(Date.now() - 3_600_000).toISOString();
    await demo.post({
      type: 'attempt.recorded',
      timestamp: takenAt,
      data: {
        attemptId: 'browser-hostile-1',
        candidate: { candidateId: 'demo-hostile', email: 'hostile@example.com', name },
        credential: { credentialId: 'aws-serverless', name: '<b>Serverless</b>' },
        outcome: 'pass',
        takenAt,
      },
    });
    const { page, problems } = await watchedPage();

    // Act
    await open(page, `/candidate?id=demo-hostile&date=${today()}`);

    // Assess
    expect(await page.locator('#candidate-name').textContent()).toBe(name);
    expect(await page.locator('main script, main img, main b').count()).toBe(0);
    expect(await page.evaluate('typeof window.injected')).toBe('undefined');
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** The emails the SES emulator has received (`GET /store`). */
const inbox = async () => {
  const answer = await fetch(`${demo.stack.urls.inbox}/store`);
  const { emails } = (await answer.json()) as {
    emails: Array<{
      messageId: string;
      subject: string;
      destination: { to: string[]; cc: string[] };
    }>;
  };
  return emails;
};
