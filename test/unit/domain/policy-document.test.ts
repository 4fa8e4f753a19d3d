import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyFor } from '../../../functions/domain/credential-policy';
import {
  resolvePolicyDocument,
  settingsWithBundledPolicy,
} from '../../../functions/domain/policy-document';
import { parsePolicyText } from '../../../functions/domain/policy-schema';
import { DEFAULT_RULE_SETTINGS } from '../../../functions/domain/rule-settings';

/**
 * SPEC §9 without a schema library: resolving a policy document whose shape `cdk synth` checked,
 * as the functions do with the one it bundled.
 */

const FALLBACK = { expiryWarningDays: [30] };
const EXAMPLE = readFileSync('examples/policies.json', 'utf8');

describe('resolvePolicyDocument', () => {
  it('resolves a checked document exactly as the policy schema does', () => {
    // Act
    const resolved = resolvePolicyDocument(JSON.parse(EXAMPLE), FALLBACK);

    // Assess
    expect(resolved).toEqual(parsePolicyText(EXAMPLE, FALLBACK));
    expect(resolved.ok).toBe(true);
  });

  it('fills each version from the default, then SPEC §1, with the warnings sorted largest first', () => {
    // Act
    const resolved = resolvePolicyDocument(
      {
        default: { retakeWaitDays: 20 },
        credentials: { 'aws-x': [{ effectiveFrom: '2020-01-01', expiryWarningDays: [7, 60] }] },
      },
      { expiryWarningDays: [45] },
    );

    // Assess
    expect(resolved.ok && policyFor(resolved.policies, 'aws-x', '2021-01-01')).toEqual({
      effectiveFrom: '2020-01-01',
      validityMonths: 12,
      renewalOpensAfterMonths: 9,
      renewable: true,
      retakeWaitDays: 20,
      expiryWarningDays: [60, 7],
    });
    expect(resolved.ok && resolved.policies.default.expiryWarningDays).toEqual([45]);
  });

  it('refuses a version dated by what is not a calendar date, and versions out of order', () => {
    // Act
    const resolved = resolvePolicyDocument(
      {
        credentials: {
          'aws-x': [{ effectiveFrom: '2020-02-30' }],
          'aws-y': [{ effectiveFrom: '2021-01-01' }, { effectiveFrom: '2020-01-01' }],
        },
      },
      FALLBACK,
    );

    // Assess
    expect(resolved.ok ? [] : resolved.issues.map((issue) => issue.path)).toEqual([
      'credentials.aws-x[0].effectiveFrom',
      'credentials.aws-y[1].effectiveFrom',
    ]);
  });

  it('refuses inherited warnings that fall on or before the pass', () => {
    // Act
    const resolved = resolvePolicyDocument(
      { default: { validityMonths: 2, renewalOpensAfterMonths: 1 } },
      { expiryWarningDays: [60] },
    );

    // Assess
    expect(resolved.ok ? [] : resolved.issues).toEqual([
      {
        path: 'default.expiryWarningDays',
        message:
          'a warning of 60 days (from SPEC §1) must be less than 28 × validityMonths = 56 days (validityMonths 2): it could fall on or before the pass',
      },
    ]);
  });
});

describe('settingsWithBundledPolicy', () => {
  it('leaves the settings as they are without a document', () => {
    // Act & Assess
    expect(settingsWithBundledPolicy(DEFAULT_RULE_SETTINGS, undefined, 'the bundled policy')).toBe(
      DEFAULT_RULE_SETTINGS,
    );
    expect(settingsWithBundledPolicy(DEFAULT_RULE_SETTINGS, ' ', 'the bundled policy')).toBe(
      DEFAULT_RULE_SETTINGS,
    );
  });

  it('gives the settings the resolved policies of the document', () => {
    // Act
    const settings = settingsWithBundledPolicy(
      DEFAULT_RULE_SETTINGS,
      EXAMPLE,
      'the bundled policy',
    );

    // Assess
    const parsed = parsePolicyText(EXAMPLE, DEFAULT_RULE_SETTINGS);
    expect(settings.policies).toEqual(parsed.ok && parsed.policies);
  });

  it.each([
    ['nope', /^the bundled policy: not valid JSON: /],
    [
      '[1]',
      'the bundled policy: a policy file must be a JSON object with "default" and "credentials"',
    ],
    [
      '{"default":{"validityMonths":6,"renewalOpensAfterMonths":6}}',
      'the bundled policy: default.renewalOpensAfterMonths: 6 months must be less than validityMonths (6): the renewal window must open before expiry',
    ],
  ])('refuses %j with one line naming the source', (text, message) => {
    // Act & Assess
    expect(() =>
      settingsWithBundledPolicy(DEFAULT_RULE_SETTINGS, text, 'the bundled policy'),
    ).toThrow(message);
  });
});
