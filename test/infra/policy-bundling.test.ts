import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, aws_logs as logs, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ReminderFunction } from '../../lib/constructs/reminder-function';
import { readDeploymentSettings } from '../../lib/stacks/deployment-settings';
import { synthesizeCertReminders } from './cert-reminders-fixture';

/**
 * SPEC §9 on AWS: `cdk synth` validates the policy file with the functions' own parser (refusing
 * an invalid one with the field and the reason) and bundles it into the functions that compute
 * reminders, so the deployed policy is the one in git.
 */

const EXAMPLE = 'examples/policies.json';
const exampleDocument = JSON.stringify(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const scratch = mkdtempSync(join(tmpdir(), 'cert-reminders-policy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the policy file at synth', () => {
  it('reads the policyFile context key, validated, as the document to bundle', () => {
    // Act
    const settings = readDeploymentSettings(new App({ context: { policyFile: EXAMPLE } }).node, {});

    // Assess
    expect(settings.policyFile).toBe(EXAMPLE);
    expect(settings.policyDocument).toBe(exampleDocument);
  });

  it('falls back on POLICY_FILE, and without either bundles nothing', () => {
    // Act
    const fromEnv = readDeploymentSettings(new App().node, { POLICY_FILE: EXAMPLE });
    const none = readDeploymentSettings(new App().node, {});

    // Assess
    expect(fromEnv.policyDocument).toBe(exampleDocument);
    expect(none.policyDocument).toBeUndefined();
    expect(none).not.toHaveProperty('policyFile');
  });

  it('refuses an invalid file, naming the field and the reason', () => {
    // Prepare
    const file = join(scratch, 'invalid.json');
    writeFileSync(
      file,
      JSON.stringify({
        credentials: {
          'aws-x': [
            {
              effectiveFrom: '2020-01-01',
              validityMonths: 2,
              renewalOpensAfterMonths: 1,
              expiryWarningDays: [60],
            },
          ],
        },
      }),
    );

    // Act & Assess
    expect(() =>
      readDeploymentSettings(new App({ context: { policyFile: file } }).node, {}),
    ).toThrow(
      `context policyFile ${file}: credentials.aws-x[0].expiryWarningDays[0]: a warning of 60 days must be less than 28 × validityMonths = 56 days (validityMonths 2): it could fall on or before the pass`,
    );
  });

  it('refuses a file that cannot be read', () => {
    // Act & Assess
    expect(() => readDeploymentSettings(new App().node, { POLICY_FILE: 'no/such.json' })).toThrow(
      'POLICY_FILE no/such.json: cannot be read (ENOENT)',
    );
  });

  it('bundles it into ingest, unsubscribe and sender only, named by its hash', () => {
    // Act
    const { statelessTemplate } = synthesizeCertReminders({ policyFile: EXAMPLE });

    // Assess
    const functions = Object.values(statelessTemplate.findResources('AWS::Lambda::Function')).map(
      (fn) => ({
        description: String(fn.Properties.Description),
        policy: fn.Properties.Environment?.Variables?.POLICY_SHA256,
      }),
    );
    const withPolicy = functions.filter((fn) => fn.policy !== undefined);
    expect(withPolicy.map((fn) => fn.description.split(' ')[0]).sort()).toEqual([
      'Confirms',
      'Emails',
      'Receives',
    ]);
    for (const fn of withPolicy) expect(fn.policy).toBe(sha256(exampleDocument));
    expect(functions.length).toBeGreaterThan(withPolicy.length);
  });
});

describe('a function bundled with a policy', () => {
  // Prepare: one function really bundled by esbuild, with the policy written into its code.
  const outdir = join(scratch, 'out');
  const stack = new Stack(new App({ outdir }), 'PolicyBundlingTest');
  new ReminderFunction(stack, 'Unsubscribe', {
    handler: 'unsubscribe',
    description: 'policy bundling test',
    defaults: {
      serviceName: 'cert-reminders-test',
      metricsNamespace: 'CertReminders',
      logLevel: 'INFO',
      logRetention: logs.RetentionDays.ONE_DAY,
    },
    environment: {},
    policyDocument: exampleDocument,
  });
  const template = Template.fromStack(stack);
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
  const code = readFileSync(
    join(outdir, `asset.${fn?.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'),
    'utf8',
  );

  it('holds the document in its code, not in its environment', () => {
    // Assess
    expect(code).toContain('aws-solutions-architect-professional');
    expect(code).not.toMatch(/POLICY_DOCUMENT:\s*process\.env\.POLICY_DOCUMENT/);
    expect(JSON.stringify(fn?.Properties.Environment)).not.toContain('validityMonths');
  });
});
