import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnsubscribeToken } from '../../../functions/domain/unsubscribe-token';
import { runAt, UNSUBSCRIBE_SECRET } from '../../integration/support/harness';
import { createPool, type Served, serveTestApp } from './hostile-support';
import { type RawResponse, sendRaw } from './raw-http';
import type { PoolCandidate } from './signed-requests';
import { diffTables, readTable } from './table-diff';

/**
 * SPEC §3 and §4 unsubscribe links over real HTTP: a forged, truncated, bit-flipped, spliced or
 * foreign token changes nothing (a 400 page); `GET` with a valid token only shows the
 * confirmation form; a `POST` (RFC 8058 one-click, or that form) unsubscribes exactly the
 * candidate the token was signed for, and the next run emails them nothing.
 */

const RUN = randomBytes(4).toString('hex');
let served: Served;
let ana: PoolCandidate;
let bo: PoolCandidate;
let cy: PoolCandidate;

beforeAll(async () => {
  served = await serveTestApp();
  // Each passed on 2026-01-10: their renewal windows open on 2026-10-10.
  [ana, bo, cy] = (await createPool(served.testApp, `unsub${RUN}`, 3)) as [
    PoolCandidate,
    PoolCandidate,
    PoolCandidate,
  ];
});

afterAll(async () => {
  await served?.close();
});

const ONE_CLICK = Buffer.from('List-Unsubscribe=One-Click');
const FORM = ['Content-Type', 'application/x-www-form-urlencoded'] as const;

const get = (query: string, method = 'GET') =>
  sendRaw(served.port, { method, target: `/unsubscribe${query}`, headers: [] });
const post = (query: string, body = ONE_CLICK) =>
  sendRaw(served.port, { method: 'POST', target: `/unsubscribe${query}`, headers: [FORM], body });
const tokenQuery = (token: string) => `?token=${encodeURIComponent(token)}`;

const unsubscribedAt = async (candidate: PoolCandidate) =>
  (await served.testApp.app.store.loadCandidate(candidate.candidateId)).profile?.unsubscribedAt;

const expectInvalidPage = (response: RawResponse, label: string) => {
  expect(response.status, label).toBe(400);
  expect(response.headers['content-type'], label).toMatch(/^text\/html/);
  expect(response.text, label).toContain('<!DOCTYPE html>');
};

/** Every token that must not verify, made from Ana's and Bo's valid ones. */
const forgeries = (): Array<{ label: string; token: string }> => {
  const valid = ana.token;
  const [version, payload, signature] = valid.split('.') as [string, string, string];
  const [, boPayload, boSignature] = bo.token.split('.') as [string, string, string];
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
  const list: Array<{ label: string; token: string }> = [];
  for (let length = 0; length < valid.length; length += 1)
    list.push({ label: `truncated to ${length}`, token: valid.slice(0, length) });
  for (let position = 0; position < valid.length; position += 1) {
    const original = valid[position] as string;
    const replacement = alphabet[
      (alphabet.indexOf(original) + 1 + position) % alphabet.length
    ] as string;
    if (replacement === original) continue;
    list.push({
      label: `character ${position} changed`,
      token: valid.slice(0, position) + replacement + valid.slice(position + 1),
    });
  }
  const signatureBytes = Buffer.from(signature, 'base64url');
  for (let bit = 0; bit < signatureBytes.length * 8; bit += 7) {
    const flipped = Buffer.from(signatureBytes);
    flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
    list.push({
      label: `signature bit ${bit} flipped`,
      token: `${version}.${payload}.${flipped.toString('base64url')}`,
    });
  }
  list.push(
    { label: "Ana's id with Bo's signature", token: `${version}.${payload}.${boSignature}` },
    { label: "Bo's id with Ana's signature", token: `${version}.${boPayload}.${signature}` },
    {
      label: 'signed with another secret',
      token: createUnsubscribeToken(ana.candidateId, `${UNSUBSCRIBE_SECRET}!`),
    },
    {
      label: 'random signature',
      token: `${version}.${payload}.${randomBytes(32).toString('base64url')}`,
    },
    { label: 'v2 prefix', token: `v2.${payload}.${signature}` },
    { label: 'padded base64', token: `${version}.${payload}=.${signature}` },
    {
      label: 'standard base64 signature',
      token: `${version}.${payload}.${signatureBytes.toString('base64')}`,
    },
    { label: 'extra part', token: `${valid}.x` },
    { label: 'doubled', token: `${valid}${valid}` },
    { label: 'empty id', token: `${version}..${signature}` },
    { label: 'unicode', token: `${valid.slice(0, 5)}é${valid.slice(5)}` },
    { label: 'over 256 characters', token: `${valid}${'A'.repeat(300)}` },
  );
  return list;
};

describe('unsubscribe links', () => {
  it('refuse forged, truncated, bit-flipped and spliced tokens with a 400 page, by GET and POST, and change nothing', async () => {
    // Prepare
    const before = await readTable(served.testApp);
    const list = forgeries();

    // Act
    const answers = [];
    for (const { label, token } of list) {
      answers.push({ label: `GET ${label}`, response: await get(tokenQuery(token)) });
      answers.push({ label: `POST ${label}`, response: await post(tokenQuery(token)) });
    }
    answers.push({ label: 'POST without a token', response: await post('') });
    answers.push({ label: 'POST with an empty token', response: await post('?token=') });

    // Assess
    expect(list.length).toBeGreaterThan(150);
    for (const { label, response } of answers) expectInvalidPage(response, label);
    expect(diffTables(before, await readTable(served.testApp))).toEqual([]);
    expect(await unsubscribedAt(ana)).toBeUndefined();
    expect(await unsubscribedAt(bo)).toBeUndefined();
  }, 120_000);

  it('never unsubscribe on GET or HEAD with a valid token, whatever comes with it', async () => {
    // Prepare
    const before = await readTable(served.testApp);
    const query = tokenQuery(ana.token);

    // Act
    const plain = await get(query);
    const head = await get(query, 'HEAD');
    const again = await get(query);
    const withOneClickBody = await sendRaw(served.port, {
      method: 'GET',
      target: `/unsubscribe${query}`,
      headers: [FORM],
      body: ONE_CLICK,
    });
    const withOneClickQuery = await get(`${query}&List-Unsubscribe=One-Click`);
    const percentEncoded = await get(`?token=${ana.token.replace(/\./g, '%2E')}`);

    // Assess
    for (const [label, response] of Object.entries({
      plain,
      head,
      again,
      withOneClickBody,
      withOneClickQuery,
      percentEncoded,
    })) {
      expect(response.status, label).toBe(200);
      expect(response.headers['content-type'], label).toMatch(/^text\/html/);
    }
    expect(plain.text).toMatch(/<form[^>]*method="post"/i);
    expect(head.text).toBe('');
    expect(diffTables(before, await readTable(served.testApp))).toEqual([]);
    expect(await unsubscribedAt(ana)).toBeUndefined();
  });

  it('unsubscribe exactly the candidate of the token on a one-click POST, once, whoever else the request names', async () => {
    // Prepare
    const before = await readTable(served.testApp);

    // Act: Ana's token, with Bo named everywhere else in the request
    const response = await post(
      `${tokenQuery(ana.token)}&candidateId=${bo.candidateId}`,
      Buffer.from(`List-Unsubscribe=One-Click&candidateId=${bo.candidateId}&token=${bo.token}`),
    );
    const afterFirst = await readTable(served.testApp);
    const replay = await post(tokenQuery(ana.token));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(diffTables(before, afterFirst).map((change) => change.pk)).toEqual([
      `CAND#${ana.candidateId}`,
    ]);
    expect(await unsubscribedAt(ana)).toEqual(expect.any(String));
    expect(await unsubscribedAt(bo)).toBeUndefined();
    expect(await unsubscribedAt(cy)).toBeUndefined();
    expect(replay.status).toBe(200);
    expect(diffTables(afterFirst, await readTable(served.testApp))).toEqual([]);
  });

  it('unsubscribe exactly the candidate of the token through the confirmation form', async () => {
    // Prepare
    const page = await get(tokenQuery(cy.token));
    const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(
      page.text,
    );
    const action = (form?.[1] ?? '').replace(/&amp;/g, '&');
    const fields = [
      ...(form?.[2] ?? '').matchAll(/<input[^>]*name="([^"]*)"[^>]*value="([^"]*)"/gi),
    ].map(
      ([, name, value]) => `${encodeURIComponent(name ?? '')}=${encodeURIComponent(value ?? '')}`,
    );
    const before = await readTable(served.testApp);

    // Act
    const response = await post(
      action.startsWith('?') ? action : `?${action.split('?')[1] ?? ''}`,
      Buffer.from(fields.join('&')),
    );

    // Assess
    expect(action).toContain('token=');
    expect(response.status).toBe(200);
    expect(diffTables(before, await readTable(served.testApp)).map((change) => change.pk)).toEqual([
      `CAND#${cy.candidateId}`,
    ]);
    expect(await unsubscribedAt(cy)).toEqual(expect.any(String));
    expect(await unsubscribedAt(bo)).toBeUndefined();
  });

  it('leave the unsubscribed out of the next run and email the others', async () => {
    // Act
    const report = await runAt(served.testApp.app, '2026-10-12T13:00:00Z');

    // Assess
    expect(report.emails.map((email) => email.candidateId)).toEqual([bo.candidateId]);
    for (const candidate of [ana, cy])
      expect(
        report.skipped
          .filter((skip) => skip.candidateId === candidate.candidateId)
          .map((skip) => skip.reason),
      ).toEqual(['unsubscribed']);
  });
});
