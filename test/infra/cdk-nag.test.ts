import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { aws_sqs as sqs, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CDK_JSON_CONTEXT, synthesizeCertReminders } from './cert-reminders-fixture';

/**
 * cdk-nag 3 is a policy validation plugin: its findings are not construct annotations but a
 * report, returned by `validateScope` and, when the plugin is registered on the app, turned into
 * a synthesis failure by CDK. Both are checked here.
 */
describe.each([
  ['the default deployment', {}],
  [
    'a deployment with an SES domain and an alarm email',
    { domain: 'example.org', fromAddress: 'reminders@example.org', alarmEmail: 'ops@example.org' },
  ],
  ['a deployment with outbound webhooks', { outboundWebhookUrl: 'https://receiver.example/hooks' }],
])('cdk-nag AwsSolutions on %s', (_name, context) => {
  // Prepare
  const synthesized = synthesizeCertReminders(context);

  it.each(['stateful', 'stateless'] as const)(
    'finds nothing unacknowledged in the %s stack',
    (which) => {
      // Act
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(
        synthesized[which],
      );

      // Assess
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    },
  );

  it.each(['stateful', 'stateless'] as const)(
    'leaves no CDK warning or error on the %s stack',
    (which) => {
      // Act
      const annotations = Annotations.fromStack(synthesized[which]);

      // Assess
      expect(annotations.findError('*', Match.anyValue())).toEqual([]);
      expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    },
  );
});

describe('synthesis with the cdk-nag plugin and CloudFormation validation, as `cdk synth` runs it', () => {
  it('succeeds: the plugin reports nothing and every template is valid', () => {
    // Prepare
    const { app } = synthesizeCertReminders({}, { builtinCloudFormationValidation: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

    // Act
    const assembly = app.synth();

    // Assess
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual([
      'cert-reminders-dev-stateful',
      'cert-reminders-dev-stateless',
    ]);
  });

  it('fails on a finding nobody acknowledged', () => {
    // Prepare: acknowledgements are per rule and resource, so a new unacknowledged resource fails.
    const { app, stateless } = synthesizeCertReminders({ stage: 'nagged' });
    new sqs.Queue(stateless, 'QueueWithoutDeadLetterQueue', { enforceSSL: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    const synth = () => app.synth({ force: true });

    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS3/);
  });
});

describe('bin/app.ts', () => {
  it('synthesizes offline, without AWS credentials, into environment-agnostic stacks', async () => {
    // Prepare: what `cdk synth` passes to the app, minus bundling and the CloudFormation schema
    // validation (both checked above), and an environment without AWS.
    const outdir = mkdtempSync(join(tmpdir(), 'cert-reminders-synth-'));
    const environment = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(AWS_|CDK_DEFAULT_)/.test(name)),
    );

    try {
      // Act
      await promisify(execFile)('npx', ['tsx', 'bin/app.ts'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: {
          ...environment,
          AWS_EC2_METADATA_DISABLED: 'true',
          CDK_VALIDATION: 'false',
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] }),
        },
      });

      // Assess
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
      const stacks = Object.values(manifest.artifacts).filter(
        (artifact: unknown) => (artifact as { type: string }).type === 'aws:cloudformation:stack',
      );
      expect(stacks.map((stack) => (stack as { environment: string }).environment)).toEqual([
        'aws://unknown-account/unknown-region',
        'aws://unknown-account/unknown-region',
      ]);
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
      expect(
        report.pluginReports.filter(
          (plugin: { conclusion: string }) => plugin.conclusion !== 'success',
        ),
      ).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
