import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createUnsubscribeToken,
  unsubscribeUrlOf,
  verifyUnsubscribeToken,
} from '../../../functions/domain/unsubscribe-token';

const SECRET = 'current-secret-0123456789';
const OLD_SECRET = 'previous-secret-9876543210';

const flipLastCharacter = (text: string): string =>
  `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;

describe('unsubscribe tokens', () => {
  it('round-trips a candidate id', () => {
    // Prepare
    const candidateId = 'cand-ana.silva:42@lisbon_2';

    // Act
    const token = createUnsubscribeToken(candidateId, SECRET);

    // Assess
    expect(verifyUnsubscribeToken(token, SECRET)).toBe(candidateId);
  });

  it('is URL-safe and versioned', () => {
    // Act
    const token = createUnsubscribeToken('cand-1', SECRET);

    // Assess
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('is the same token every time for the same candidate and secret', () => {
    // Act
    const first = createUnsubscribeToken('cand-1', SECRET);
    const second = createUnsubscribeToken('cand-1', SECRET);

    // Assess
    expect(first).toBe(second);
  });

  it('rejects a token signed with another secret', () => {
    // Prepare
    const token = createUnsubscribeToken('cand-1', 'someone-elses-secret');

    // Act
    const candidateId = verifyUnsubscribeToken(token, SECRET);

    // Assess
    expect(candidateId).toBeUndefined();
  });

  it('rejects a token whose candidate id was swapped for another', () => {
    // Prepare
    const [version, , signature] = createUnsubscribeToken('cand-1', SECRET).split('.');
    const victim = Buffer.from('cand-2').toString('base64url');

    // Act
    const candidateId = verifyUnsubscribeToken(`${version}.${victim}.${signature}`, SECRET);

    // Assess
    expect(candidateId).toBeUndefined();
  });

  it('rejects a tampered signature', () => {
    // Prepare
    const token = flipLastCharacter(createUnsubscribeToken('cand-1', SECRET));

    // Act
    const candidateId = verifyUnsubscribeToken(token, SECRET);

    // Assess
    expect(candidateId).toBeUndefined();
  });

  it('rejects a bare HMAC of the id made without the purpose label', () => {
    // Prepare: what a naive signer with the same secret would produce.
    const payload = Buffer.from('cand-1').toString('base64url');
    const naive = createHmac('sha256', SECRET).update('cand-1').digest('base64url');

    // Act
    const candidateId = verifyUnsubscribeToken(`v1.${payload}.${naive}`, SECRET);

    // Assess
    expect(candidateId).toBeUndefined();
  });

  it('rejects every truncation of a valid token', () => {
    // Prepare
    const token = createUnsubscribeToken('cand-1', SECRET);

    // Act
    const accepted = Array.from({ length: token.length }, (_, end) =>
      verifyUnsubscribeToken(token.slice(0, end), SECRET),
    ).filter((candidateId) => candidateId !== undefined);

    // Assess
    expect(accepted).toEqual([]);
  });

  it.each([
    ['an empty string', ''],
    ['no separators', 'v1'],
    ['empty parts', 'v1..'],
    ['an unknown version', 'v2.Y2FuZC0x.AAAA'],
    ['an extra part', `${'v1.Y2FuZC0x.'}${'A'.repeat(43)}.extra`],
    ['a padded payload', `v1.Y2FuZC0x=.${'A'.repeat(43)}`],
    ['a short signature', 'v1.Y2FuZC0x.AAAA'],
    ['characters outside base64url', `v1.Y2Fu+C0x.${'A'.repeat(43)}`],
    [
      'an invalid candidate id',
      `v1.${Buffer.from('bad id!').toString('base64url')}.${'A'.repeat(43)}`,
    ],
    ['a huge string', `v1.${'A'.repeat(100_000)}.${'A'.repeat(43)}`],
    ['a number', 42],
    ['null', null],
    ['an array', ['v1', 'x', 'y']],
  ])('returns undefined, without throwing, for %s', (_label, token) => {
    // Act
    const candidateId = verifyUnsubscribeToken(token, SECRET);

    // Assess
    expect(candidateId).toBeUndefined();
  });

  it('never throws and never accepts a random string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (token) => {
        // Act
        const candidateId = verifyUnsubscribeToken(token, SECRET);

        // Assess
        expect(candidateId).toBeUndefined();
      }),
    );
  });

  it('round-trips any valid candidate id', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/),
        fc.string({ minLength: 1 }),
        (candidateId, secret) => {
          // Act
          const token = createUnsubscribeToken(candidateId, secret);

          // Assess
          expect(verifyUnsubscribeToken(token, secret)).toBe(candidateId);
        },
      ),
    );
  });

  it('refuses to sign an invalid candidate id or with an empty secret', () => {
    // Act
    const badId = () => createUnsubscribeToken('has space', SECRET);
    const tooLong = () => createUnsubscribeToken('a'.repeat(129), SECRET);
    const noSecret = () => createUnsubscribeToken('cand-1', '');

    // Assess
    expect(badId).toThrow(RangeError);
    expect(tooLong).toThrow(RangeError);
    expect(noSecret).toThrow(RangeError);
  });
});

describe('secret rotation', () => {
  it('accepts links signed with the previous secret while it is still listed', () => {
    // Prepare
    const oldLink = createUnsubscribeToken('cand-1', OLD_SECRET);
    const newLink = createUnsubscribeToken('cand-1', SECRET);

    // Act
    const secrets = [SECRET, OLD_SECRET];

    // Assess
    expect(verifyUnsubscribeToken(oldLink, secrets)).toBe('cand-1');
    expect(verifyUnsubscribeToken(newLink, secrets)).toBe('cand-1');
  });

  it('rejects links of a secret once it is retired', () => {
    // Prepare
    const oldLink = createUnsubscribeToken('cand-1', OLD_SECRET);

    // Act
    const candidateId = verifyUnsubscribeToken(oldLink, [SECRET]);

    // Assess
    expect(candidateId).toBeUndefined();
  });

  it('ignores empty secrets and accepts nothing without a secret', () => {
    // Prepare
    const token = createUnsubscribeToken('cand-1', SECRET);

    // Act
    const withBlank = verifyUnsubscribeToken(token, ['', SECRET]);
    const withNone = verifyUnsubscribeToken(token, []);
    const withEmpty = verifyUnsubscribeToken(token, '');

    // Assess
    expect(withBlank).toBe('cand-1');
    expect(withNone).toBeUndefined();
    expect(withEmpty).toBeUndefined();
  });
});

describe('unsubscribe links', () => {
  it.each([
    ['https://reminders.example.com', 'https://reminders.example.com/unsubscribe?token=v1.abc.def'],
    [
      'https://reminders.example.com/',
      'https://reminders.example.com/unsubscribe?token=v1.abc.def',
    ],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000/unsubscribe?token=v1.abc.def'],
    ['https://api.example.com/prod/', 'https://api.example.com/prod/unsubscribe?token=v1.abc.def'],
  ])('puts the token under %s', (publicUrl, expected) => {
    // Act
    const url = unsubscribeUrlOf(publicUrl, 'v1.abc.def');

    // Assess
    expect(url).toBe(expected);
  });

  it('carries a real token that verifies after URL parsing', () => {
    // Prepare
    const token = createUnsubscribeToken('cand-1', SECRET);

    // Act
    const url = new URL(unsubscribeUrlOf('https://reminders.example.com', token));

    // Assess
    expect(verifyUnsubscribeToken(url.searchParams.get('token'), SECRET)).toBe('cand-1');
  });
});
