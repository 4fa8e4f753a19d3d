import { describe, expect, it } from 'vitest';
import { readRuntimeConfig } from '../../../functions/config/runtime-config';
import { policyFor } from '../../../functions/domain/credential-policy';

/**
 * The policy a function runs with (SPEC §9): the document `cdk synth` bundles as
 * `POLICY_DOCUMENT`, parsed once per container with the same parser as `policy check`.
 */

const DOCUMENT = JSON.stringify({
  credentials: {
    'aws-pro': [{ effectiveFrom: '2000-01-01', validityMonths: 36, renewalOpensAfterMonths: 30 }],
  },
});

describe('readRuntimeConfig and the bundled policy', () => {
  it('without a policy, the settings hold none: the default policy for every credential', () => {
    // Act
    const config = readRuntimeConfig({});

    // Assess
    expect(config.settings.policies).toBeUndefined();
  });

  it('resolves the bundled policy, with the warnings of EXPIRY_WARNING_DAYS as the default’s', () => {
    // Act
    const config = readRuntimeConfig({ POLICY_DOCUMENT: DOCUMENT, EXPIRY_WARNING_DAYS: '60,7' });

    // Assess
    const policies = config.settings.policies;
    expect(policies && policyFor(policies, 'aws-pro', '2027-01-01')).toMatchObject({
      validityMonths: 36,
      renewalOpensAfterMonths: 30,
      expiryWarningDays: [60, 7],
    });
  });

  it('fails at start with one line naming the field and the reason', () => {
    // Act & Assess
    expect(() =>
      readRuntimeConfig({ POLICY_DOCUMENT: '{"credentials":{"aws-pro":[{"effectiveFrom":"x"}]}}' }),
    ).toThrow(
      'the bundled policy: credentials.aws-pro[0].effectiveFrom: must be a date YYYY-MM-DD',
    );
  });
});
