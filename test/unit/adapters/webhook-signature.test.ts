import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  parseWebhookSecrets,
  signWebhook,
  verifyWebhook,
} from '../../../functions/adapters/webhook-signature';

/** Secrets of the programme: `whsec_` followed by the base64 of the key. */
const SECRET_A = `whsec_${Buffer.from('the first secret key, 32 bytes!!').toString('base64')}`;
const SECRET_B = `whsec_${Buffer.from('the second secret key, rotated in').toString('base64')}`;
const FOREIGN = `whsec_${Buffer.from('somebody else entirely, not ours').toString('base64')}`;

const NOW = new Date('2027-11-29T13:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const BODY = '{"type":"candidate.updated","timestamp":"2027-11-29T12:59:00Z","data":{}}';

/** SPEC §3: `v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>`, computed independently. */
const expectedSignature = (secret: string, id: string, seconds: number, body: string) =>
  `v1,${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${seconds}.${body}`)
    .digest('base64')}`;

const headersAt = (secret: string, seconds: number, body = BODY, id = 'msg_1') => ({
  'webhook-id': id,
  'webhook-timestamp': String(seconds),
  'webhook-signature': expectedSignature(secret, id, seconds, body),
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('parseWebhookSecrets', () => {
  it('accepts one whsec_ secret', () => {
    // Act
    const secrets = parseWebhookSecrets(SECRET_A);

    // Assess
    expect(secrets).toEqual([SECRET_A]);
  });

  it('accepts several comma-separated secrets with spaces, in their order', () => {
    // Act
    const secrets = parseWebhookSecrets(` ${SECRET_B} , ${SECRET_A} `);

    // Assess
    expect(secrets).toEqual([SECRET_B, SECRET_A]);
  });

  it.each([
    ['an empty value', '', /WEBHOOK_SECRET is empty/],
    ['only commas', ' , ', /WEBHOOK_SECRET is empty/],
    ['a secret without the whsec_ prefix', 'c2VjcmV0', /WEBHOOK_SECRET must hold whsec_/],
    ['a secret with another prefix', 'wh_c2VjcmV0', /WEBHOOK_SECRET must hold whsec_/],
    ['a bare prefix', 'whsec_', /WEBHOOK_SECRET must hold whsec_/],
    ['characters outside base64', 'whsec_c2Vj!mV0', /WEBHOOK_SECRET must hold whsec_/],
    ['too much padding', 'whsec_A===', /WEBHOOK_SECRET must hold whsec_/],
    ['one bad secret among good ones', `${SECRET_A},nope`, /WEBHOOK_SECRET must hold whsec_/],
  ])('refuses %s with a message naming WEBHOOK_SECRET', (_label, value, message) => {
    // Act
    const parse = () => parseWebhookSecrets(value);

    // Assess
    expect(parse).toThrow(message);
  });

  it.each([
    ['a base64 text of the wrong length', 'whsec_abc'],
    ['a single base64 character', 'whsec_A'],
  ])('refuses %s (bad base64) with a message naming WEBHOOK_SECRET', (_label, value) => {
    // Act
    const parse = () => parseWebhookSecrets(value);

    // Assess: it is refused, and the one-line message should say which setting is wrong.
    expect(parse).toThrow();
    expect(parse).toThrow(/WEBHOOK_SECRET/);
  });
});

describe('verifyWebhook', () => {
  it('accepts a request signed with the secret', () => {
    // Act
    const problem = verifyWebhook([SECRET_A], BODY, headersAt(SECRET_A, NOW_SECONDS));

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each([
    ['the first', SECRET_A],
    ['the second', SECRET_B],
  ])('accepts a request signed with %s of several secrets', (_label, signer) => {
    // Act
    const problem = verifyWebhook([SECRET_A, SECRET_B], BODY, headersAt(signer, NOW_SECONDS));

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each([
    [
      'signed with a secret we do not hold',
      [SECRET_A, SECRET_B],
      headersAt(FOREIGN, NOW_SECONDS),
      BODY,
    ],
    ['a body other than the one signed', [SECRET_A], headersAt(SECRET_A, NOW_SECONDS), `${BODY} `],
    [
      'an id other than the one signed',
      [SECRET_A],
      { ...headersAt(SECRET_A, NOW_SECONDS), 'webhook-id': 'msg_2' },
      BODY,
    ],
    [
      'a timestamp other than the one signed',
      [SECRET_A],
      { ...headersAt(SECRET_A, NOW_SECONDS), 'webhook-timestamp': String(NOW_SECONDS - 1) },
      BODY,
    ],
    [
      'only a signature of another version',
      [SECRET_A],
      {
        ...headersAt(SECRET_A, NOW_SECONDS),
        'webhook-signature': headersAt(SECRET_A, NOW_SECONDS)['webhook-signature'].replace(
          'v1,',
          'v2,',
        ),
      },
      BODY,
    ],
    [
      'a signature that is not base64',
      [SECRET_A],
      { ...headersAt(SECRET_A, NOW_SECONDS), 'webhook-signature': 'v1,???' },
      BODY,
    ],
    ['no secrets held at all', [], headersAt(SECRET_A, NOW_SECONDS), BODY],
  ])('refuses a request whose signature does not match: %s', (_label, secrets, headers, body) => {
    // Act
    const problem = verifyWebhook(secrets, body, headers);

    // Assess
    expect(problem).toBe('no signature matches');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
    'refuses a request without a %s header (absent or empty)',
    (name) => {
      // Prepare
      const { [name]: _dropped, ...rest } = headersAt(SECRET_A, NOW_SECONDS);
      const empty = { ...headersAt(SECRET_A, NOW_SECONDS), [name]: '' };

      // Act
      const problems = [
        verifyWebhook([SECRET_A], BODY, rest),
        verifyWebhook([SECRET_A], BODY, empty),
      ];

      // Assess
      expect(problems).toEqual([
        'missing webhook-id, webhook-timestamp or webhook-signature header',
        'missing webhook-id, webhook-timestamp or webhook-signature header',
      ]);
    },
  );

  it.each([
    ['letters', 'soon'],
    ['a fraction', `${NOW_SECONDS}.5`],
    ['a negative number', `-${NOW_SECONDS}`],
    ['an ISO date', '2027-11-29T13:00:00Z'],
    ['milliseconds (13 digits)', String(NOW.getTime())],
    ['a leading space', ` ${NOW_SECONDS}`],
  ])('refuses a timestamp that is not Unix seconds: %s', (_label, timestamp) => {
    // Prepare
    const headers = { ...headersAt(SECRET_A, NOW_SECONDS), 'webhook-timestamp': timestamp };

    // Act
    const problem = verifyWebhook([SECRET_A], BODY, headers);

    // Assess
    expect(problem).toBe('webhook-timestamp must be Unix seconds');
  });

  it.each([
    ['exactly 5 minutes old', -300, undefined],
    ['5 minutes and 1 second old', -301, 'webhook-timestamp is more than 5 minutes off'],
    ['an hour old', -3600, 'webhook-timestamp is more than 5 minutes off'],
    ['exactly 5 minutes ahead', 300, undefined],
    ['5 minutes and 1 second ahead', 301, 'webhook-timestamp is more than 5 minutes off'],
  ])('judges a timestamp %s', (_label, offsetSeconds, expected) => {
    // Prepare
    const headers = headersAt(SECRET_A, NOW_SECONDS + offsetSeconds);

    // Act
    const problem = verifyWebhook([SECRET_A], BODY, headers);

    // Assess
    expect(problem).toBe(expected);
  });

  it('refuses an expired timestamp even when the signature is from a secret we do not hold', () => {
    // Act
    const problem = verifyWebhook([SECRET_A], BODY, headersAt(FOREIGN, NOW_SECONDS - 3600));

    // Assess
    expect(problem).toBe('webhook-timestamp is more than 5 minutes off');
  });

  it.each([
    ['after a wrong one', (good: string) => `v1,d3Jvbmc= ${good}`],
    ['before a wrong one', (good: string) => `${good} v1,d3Jvbmc=`],
    ['after a signature of another version', (good: string) => `v2,abc ${good}`],
    [
      'among two signatures from two secrets',
      (good: string) => `${good} ${expectedSignature(FOREIGN, 'msg_1', NOW_SECONDS, BODY)}`,
    ],
  ])('accepts a space-separated list with a matching signature %s', (_label, list) => {
    // Prepare
    const good = headersAt(SECRET_A, NOW_SECONDS)['webhook-signature'];
    const headers = { ...headersAt(SECRET_A, NOW_SECONDS), 'webhook-signature': list(good) };

    // Act
    const problem = verifyWebhook([SECRET_A], BODY, headers);

    // Assess
    expect(problem).toBeUndefined();
  });

  it('accepts an empty body when it is signed', () => {
    // Act
    const problem = verifyWebhook([SECRET_A], '', headersAt(SECRET_A, NOW_SECONDS, ''));

    // Assess
    expect(problem).toBeUndefined();
  });

  it('does not parse the body: a signed body that is not JSON is still verified', () => {
    // Act
    const problem = verifyWebhook(
      [SECRET_A],
      'not json {',
      headersAt(SECRET_A, NOW_SECONDS, 'not json {'),
    );

    // Assess
    expect(problem).toBeUndefined();
  });
});

describe('signWebhook', () => {
  it('signs {id}.{timestamp}.{body} with HMAC-SHA256 of the secret key, in Unix seconds', () => {
    // Prepare
    const at = new Date('2027-11-29T12:59:30.900Z');

    // Act
    const headers = signWebhook(SECRET_A, 'msg_7', at, BODY);

    // Assess
    const seconds = Math.floor(at.getTime() / 1000);
    expect(headers).toEqual({
      'webhook-id': 'msg_7',
      'webhook-timestamp': String(seconds),
      'webhook-signature': expectedSignature(SECRET_A, 'msg_7', seconds, BODY),
    });
  });

  it('round-trips through verifyWebhook', () => {
    // Prepare
    const headers = { ...signWebhook(SECRET_B, 'msg_8', NOW, BODY) };

    // Act
    const problem = verifyWebhook(parseWebhookSecrets(`${SECRET_A},${SECRET_B}`), BODY, headers);

    // Assess
    expect(problem).toBeUndefined();
  });

  it('is refused by verifyWebhook for another body', () => {
    // Prepare
    const headers = { ...signWebhook(SECRET_A, 'msg_9', NOW, BODY) };

    // Act
    const problem = verifyWebhook([SECRET_A], `${BODY}\n`, headers);

    // Assess
    expect(problem).toBe('no signature matches');
  });
});
