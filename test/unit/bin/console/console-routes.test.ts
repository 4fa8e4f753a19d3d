import { describe, expect, it } from 'vitest';
import { createConsoleReader } from '../../../../bin/console/console-data';
import { consoleRoutes, PAGE_CSP, PREVIEW_CSP } from '../../../../bin/console/console-routes';
import type { EmailPreview } from '../../../../bin/console/email-preview';
import type { TableSnapshot } from '../../../../bin/console/table-scan';
import type { CandidateState } from '../../../../functions/domain/candidate-state';
import { DEFAULT_RULE_SETTINGS } from '../../../../functions/domain/rule-settings';
import { candidateRecordOf } from '../../../../functions/use-cases/candidate-record';
import { passedOnce } from '../../support/candidates';

const settings = DEFAULT_RULE_SETTINGS;
const NOW = new Date('2027-10-01T09:00:00Z');
const HOSTILE = '<script>alert("x")</script>';

const snapshotOf = (states: readonly CandidateState[]): TableSnapshot => ({
  candidates: states.map((state) => ({ state, version: 1 })),
  runs: [{ runAt: '2027-09-30T13:00:00Z', counts: { candidates: 0, durationMs: 4 } }],
  suppressions: [{ reason: 'bounce' }, { reason: 'complaint' }],
  items: states.length + 3,
  segments: 4,
  readAt: NOW.toISOString(),
  tookMs: 3,
});

const consoleOf = (
  options: {
    readonly states?: readonly CandidateState[];
    readonly scan?: () => Promise<TableSnapshot>;
    readonly preview?: EmailPreview;
  } = {},
) => {
  const states = options.states ?? [
    passedOnce('cand-a'),
    passedOnce('cand-evil', { email: 'evil@example.com', name: HOSTILE }),
  ];
  const byId = new Map(states.map((state) => [state.candidateId, state]));
  const reader = createConsoleReader({
    settings,
    now: () => NOW,
    store: {
      resolveCandidate: async (candidateId) => ({ candidateId, erased: false }),
      loadCandidate: async (candidateId) => {
        const state = byId.get(candidateId);
        return state
          ? candidateRecordOf({ state, version: 1 }, settings)
          : { candidateId, version: 0, states: [], reminders: [], erased: false };
      },
    },
    scan: options.scan ?? (async () => snapshotOf(states)),
    preview: async (_candidateId, runAt) =>
      options.preview ?? {
        runAt,
        skipped: [],
        message: {
          from: 'Reminders <r@example.com>',
          to: ['a@example.com'],
          subject: 'Your renewal window is open',
          text: 'text',
          html: '<!DOCTYPE html><p>email</p>',
          unsubscribeUrl: 'http://127.0.0.1:3000/unsubscribe?token=preview-placeholder',
        },
      },
  });
  return consoleRoutes({
    reader,
    target: 'a test table',
    mounts: ['', '/console'],
    segments: 4,
    cacheSeconds: 60,
    now: () => NOW,
  });
};

const get = (path: string, method = 'GET') => {
  const url = new URL(path, 'http://127.0.0.1');
  return { method, path: url.pathname, query: url.searchParams };
};

describe('consoleRoutes', () => {
  it('serves the overview with 90 days in the chart and its table, and the security headers', async () => {
    // Prepare
    const routes = consoleOf();

    // Act
    const response = await routes(get('/'));

    // Assess
    expect(response?.status).toBe(200);
    expect(response?.headers).toMatchObject({
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    const body = response?.body ?? '';
    expect(body.match(/<g class="day/g)).toHaveLength(90);
    expect(body.match(/<tr data-date=/g)).toHaveLength(90);
    expect(body).toContain('<strong id="peak-day">2027-10-10</strong> with 2 reminders');
    expect(body).toContain('parallel Scan of 4 segments');
    expect(body).toContain('<strong id="bounce-count">1</strong>');
    expect(body.match(/<h1>/g)).toHaveLength(1);
    expect(body).toMatch(/<header[\s\S]*<nav[\s\S]*<main[\s\S]*<footer/);
  });

  it('serves the same pages under /console, with links under it', async () => {
    // Act
    const response = await consoleOf()(get('/console/runs'));

    // Assess
    expect(response?.status).toBe(200);
    expect(response?.body).toContain('href="/console/style.css"');
    expect(response?.body).toContain('Run at 2027-09-30T13:00:00Z');
  });

  it('answers nothing outside its mounts', async () => {
    // Prepare
    const reader = createConsoleReader({
      settings,
      now: () => NOW,
      store: {
        resolveCandidate: async () => ({ candidateId: 'x', erased: false }),
        loadCandidate: async () => {
          throw new Error('unused');
        },
      },
      scan: async () => snapshotOf([]),
      preview: async () => ({ runAt: '', skipped: [] }),
    });
    const routes = consoleRoutes({
      reader,
      target: 't',
      mounts: ['/console'],
      segments: 1,
      cacheSeconds: 60,
      now: () => NOW,
    });

    // Act
    const outside = await routes(get('/v1/events'));
    const near = await routes(get('/consoles'));

    // Assess
    expect(outside).toBeUndefined();
    expect(near).toBeUndefined();
  });

  it('only reads: any method but GET and HEAD is a 405', async () => {
    // Act
    const response = await consoleOf()(get('/candidate?id=cand-a', 'POST'));

    // Assess
    expect(response?.status).toBe(405);
    expect(response?.headers.allow).toBe('GET, HEAD');
  });

  it('answers HEAD without a body', async () => {
    // Act
    const response = await consoleOf()(get('/runs', 'HEAD'));

    // Assess
    expect(response?.status).toBe(200);
    expect(response?.body).toBe('');
  });

  it("shows a candidate's timeline with a name that holds markup as text", async () => {
    // Act
    const response = await consoleOf()(get('/candidate?id=cand-evil&date=2027-10-10'));

    // Assess
    const body = response?.body ?? '';
    expect(response?.status).toBe(200);
    expect(body).not.toContain(HOSTILE);
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(body).toContain('Cloud Practitioner');
    expect(body).toContain(
      '<span class="subject" id="preview-subject">Your renewal window is open</span>',
    );
    expect(body).toContain('src="/preview?id=cand-evil&amp;date=2027-10-10"');
  });

  it('refuses an id that is not one with a 400, and says when nobody has it', async () => {
    // Act
    const bad = await consoleOf()(get('/candidate?id=%3Cb%3E'));
    const missing = await consoleOf()(get('/candidate?id=nobody'));

    // Assess
    expect(bad?.status).toBe(400);
    expect(bad?.body).not.toContain('<b>');
    expect(missing?.status).toBe(404);
    expect(missing?.body).toContain('No candidate nobody in the store');
  });

  it('serves the preview email under its own policy, with nothing that runs', async () => {
    // Act
    const response = await consoleOf()(get('/preview?id=cand-a&date=2027-10-10'));

    // Assess
    expect(response?.status).toBe(200);
    expect(response?.headers['content-security-policy']).toBe(PREVIEW_CSP);
    expect(response?.body).toBe('<!DOCTYPE html><p>email</p>');
  });

  it('shows the Scan progress, refreshing, while a large table is read', async () => {
    // Prepare
    const routes = consoleOf({ scan: () => new Promise(() => {}) });

    // Act
    const response = await routes(get('/'));

    // Assess
    expect(response?.status).toBe(200);
    expect(response?.body).toContain('<meta http-equiv="refresh" content="1">');
    expect(response?.body).toContain('<progress id="scan-progress"');
  }, 10_000);

  it('shows a 503 page when the table cannot be read', async () => {
    // Prepare
    const routes = consoleOf({
      scan: async () => {
        throw new Error('nothing answers');
      },
    });

    // Act
    const response = await routes(get('/'));

    // Assess
    expect(response?.status).toBe(503);
    expect(response?.body).toContain('nothing answers');
  });
});

describe('consoleRoutes, fresh reads', () => {
  it('reads the table again with ?fresh=1, and otherwise keeps the Scan', async () => {
    // Prepare
    let scans = 0;
    const routes = consoleOf({
      scan: async () => {
        scans += 1;
        return snapshotOf([passedOnce('cand-a')]);
      },
    });

    // Act
    await routes(get('/'));
    await routes(get('/runs'));
    await routes(get('/?fresh=1'));

    // Assess
    expect(scans).toBe(2);
  });
});
