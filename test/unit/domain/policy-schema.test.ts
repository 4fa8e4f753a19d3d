import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parsePolicyDocument,
  parsePolicyText,
  settingsWithPolicy,
} from '../../../functions/domain/policy-schema';
import { DEFAULT_RULE_SETTINGS } from '../../../functions/domain/rule-settings';

const FALLBACK = { expiryWarningDays: [30] };
const SPEC_EXAMPLE = {
  default: {
    validityMonths: 12,
    renewalOpensAfterMonths: 9,
    retakeWaitDays: 25,
    expiryWarningDays: [30],
  },
  credentials: {
    'aws-solutions-architect-associate': [
      {
        effectiveFrom: '2000-01-01',
        validityMonths: 36,
        renewalOpensAfterMonths: 30,
        retakeWaitDays: 14,
        expiryWarningDays: [90, 30, 7],
      },
    ],
    'aws-cloud-practitioner-legacy': [{ effectiveFrom: '2000-01-01', renewable: false }],
  },
};

const issuesOf = (document: unknown, fallback = FALLBACK) => {
  const parsed = parsePolicyDocument(document, fallback);
  return parsed.ok ? [] : parsed.issues;
};

const version = (fields: Record<string, unknown>) => ({
  credentials: { 'aws-x': [{ effectiveFrom: '2020-01-01', ...fields }] },
});

describe('parsePolicyDocument: valid files (SPEC §9)', () => {
  it('accepts the example of SPEC §9 and resolves each version with the default', () => {
    // Act
    const parsed = parsePolicyDocument(SPEC_EXAMPLE, FALLBACK);

    // Assess
    expect(parsed).toEqual({
      ok: true,
      policies: {
        default: {
          validityMonths: 12,
          renewalOpensAfterMonths: 9,
          renewable: true,
          retakeWaitDays: 25,
          expiryWarningDays: [30],
        },
        credentials: {
          'aws-solutions-architect-associate': [
            {
              effectiveFrom: '2000-01-01',
              validityMonths: 36,
              renewalOpensAfterMonths: 30,
              renewable: true,
              retakeWaitDays: 14,
              expiryWarningDays: [90, 30, 7],
            },
          ],
          'aws-cloud-practitioner-legacy': [
            {
              effectiveFrom: '2000-01-01',
              validityMonths: 12,
              renewalOpensAfterMonths: 9,
              renewable: false,
              retakeWaitDays: 25,
              expiryWarningDays: [30],
            },
          ],
        },
      },
    });
  });

  it('accepts examples/policies.json', () => {
    // Prepare
    const text = readFileSync(new URL('../../../examples/policies.json', import.meta.url), 'utf8');

    // Act & Assess
    expect(parsePolicyText(text, FALLBACK).ok).toBe(true);
  });

  it('takes the warnings of EXPIRY_WARNING_DAYS when the default sets none, and SPEC §1 for the rest', () => {
    // Act
    const parsed = parsePolicyDocument({ credentials: {} }, { expiryWarningDays: [60, 7] });

    // Assess
    expect(parsed.ok && parsed.policies.default).toEqual({
      validityMonths: 12,
      renewalOpensAfterMonths: 9,
      renewable: true,
      retakeWaitDays: 25,
      expiryWarningDays: [60, 7],
    });
  });

  it('accepts an empty expiryWarningDays (no warnings) and an empty file (the default)', () => {
    // Act
    const empty = parsePolicyDocument(version({ expiryWarningDays: [] }), FALLBACK);

    // Assess
    expect(empty.ok && empty.policies.credentials['aws-x']?.[0]?.expiryWarningDays).toEqual([]);
    expect(parsePolicyDocument({}, FALLBACK).ok).toBe(true);
  });

  it('sorts warnings largest first, as the stages read them', () => {
    // Act
    const parsed = parsePolicyDocument(version({ expiryWarningDays: [7, 90, 30] }), FALLBACK);

    // Assess
    expect(parsed.ok && parsed.policies.credentials['aws-x']?.[0]?.expiryWarningDays).toEqual([
      90, 30, 7,
    ]);
  });

  it('does not ask a version that is not renewable for a renewal window shorter than its validity', () => {
    // Act & Assess: validity 6 with the default's 9-month renewal, but nothing to renew
    expect(issuesOf(version({ validityMonths: 6, renewable: false }))).toEqual([]);
  });
});

describe('parsePolicyDocument: every refusal names the field and the reason', () => {
  it.each([
    [
      'an unknown field of a version',
      version({ validity: 12 }),
      'credentials.aws-x[0].validity',
      /unknown field/,
    ],
    [
      'an unknown field of the default',
      { default: { renewable: false } },
      'default.renewable',
      /unknown field/,
    ],
    ['an unknown top-level field', { defaults: {} }, 'defaults', /unknown field/],
    [
      'two versions on the same date',
      {
        credentials: {
          'aws-x': [{ effectiveFrom: '2020-01-01' }, { effectiveFrom: '2020-01-01' }],
        },
      },
      'credentials.aws-x[1].effectiveFrom',
      /versions must be sorted by effectiveFrom with no two on the same date/,
    ],
    [
      'versions out of order',
      {
        credentials: {
          'aws-x': [{ effectiveFrom: '2021-01-01' }, { effectiveFrom: '2020-06-01' }],
        },
      },
      'credentials.aws-x[1].effectiveFrom',
      /sorted by effectiveFrom/,
    ],
    [
      'a warning of 28 × validityMonths days',
      version({ validityMonths: 3, expiryWarningDays: [30, 84] }),
      'credentials.aws-x[0].expiryWarningDays[1]',
      /must be less than 28 × validityMonths = 84 days/,
    ],
    [
      'an inherited warning too long for the version',
      version({ validityMonths: 1 }),
      'credentials.aws-x[0].expiryWarningDays',
      /30 days \(from default\) must be less than 28 × validityMonths = 28 days/,
    ],
    [
      'renewalOpensAfterMonths equal to validityMonths',
      version({ validityMonths: 24, renewalOpensAfterMonths: 24 }),
      'credentials.aws-x[0].renewalOpensAfterMonths',
      /must be less than validityMonths \(24\)/,
    ],
    [
      'an inherited renewal that is no longer shorter than the validity',
      version({ validityMonths: 9 }),
      'credentials.aws-x[0].renewalOpensAfterMonths',
      /9 months \(from default\) must be less than validityMonths \(9\)/,
    ],
    [
      'a default whose renewal is not shorter than its validity',
      { default: { validityMonths: 6 } },
      'default.renewalOpensAfterMonths',
      /9 months \(from SPEC §1\) must be less than validityMonths \(6\)/,
    ],
    [
      'a fraction of a month',
      version({ validityMonths: 2.5 }),
      'credentials.aws-x[0].validityMonths',
      /whole number/,
    ],
    [
      'a zero wait',
      version({ retakeWaitDays: 0 }),
      'credentials.aws-x[0].retakeWaitDays',
      /from 1/,
    ],
    [
      'a date that does not exist',
      { credentials: { 'aws-x': [{ effectiveFrom: '2021-02-29' }] } },
      'credentials.aws-x[0].effectiveFrom',
      /YYYY-MM-DD/,
    ],
    [
      'a missing effectiveFrom',
      { credentials: { 'aws-x': [{ validityMonths: 24 }] } },
      'credentials.aws-x[0].effectiveFrom',
      /YYYY-MM-DD/,
    ],
    [
      'a warning given twice',
      version({ expiryWarningDays: [30, 30] }),
      'credentials.aws-x[0].expiryWarningDays[1]',
      /more than once/,
    ],
    [
      'renewable that is not a boolean',
      version({ renewable: 'no' }),
      'credentials.aws-x[0].renewable',
      /true or false/,
    ],
    [
      'a credential without versions',
      { credentials: { 'aws-x': [] } },
      'credentials.aws-x',
      /at least one/,
    ],
    [
      'a credential id with a space',
      { credentials: { 'aws x': [{ effectiveFrom: '2020-01-01' }] } },
      'credentials.aws x',
      /credential ids/,
    ],
    ['a file that is not an object', [1, 2], '', /JSON object/],
  ])('refuses %s', (_title, document, path, message) => {
    // Act
    const issues = issuesOf(document);

    // Assess
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('refuses text that is not JSON', () => {
    // Act
    const parsed = parsePolicyText('{"default": ', FALLBACK);

    // Assess
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues[0]?.message).toMatch(/^not valid JSON/);
  });
});

describe('settingsWithPolicy', () => {
  it('leaves the settings as they are without a policy', () => {
    // Act & Assess
    expect(settingsWithPolicy(DEFAULT_RULE_SETTINGS, undefined, 'POLICY_FILE x')).toBe(
      DEFAULT_RULE_SETTINGS,
    );
  });

  it('throws one line naming the source, the field and the reason, and how many more', () => {
    // Prepare
    const text = JSON.stringify({ default: { validityMonths: 6, x: 1, y: 2 } });

    // Act & Assess
    expect(() => settingsWithPolicy(DEFAULT_RULE_SETTINGS, text, 'POLICY_FILE p.json')).toThrow(
      /^POLICY_FILE p\.json: default\.x: unknown field \(allowed: .*\) \(and 1 more\)$/,
    );
  });
});
