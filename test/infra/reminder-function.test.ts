import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, aws_logs as logs, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ReminderFunction } from '../../lib/constructs/reminder-function';

describe('ReminderFunction bundling', () => {
  // Prepare: one function, really bundled by esbuild (the other tests skip bundling).
  const outdir = mkdtempSync(join(tmpdir(), 'cert-reminders-bundle-'));
  const stack = new Stack(new App({ outdir }), 'BundlingTest');
  new ReminderFunction(stack, 'SesEvents', {
    handler: 'ses-events',
    description: 'bundling test',
    defaults: {
      serviceName: 'cert-reminders-test',
      metricsNamespace: 'CertReminders',
      logLevel: 'INFO',
      logRetention: logs.RetentionDays.ONE_DAY,
    },
    environment: {},
  });
  const template = Template.fromStack(stack);
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
  const assetDirectory = join(outdir, `asset.${fn?.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('produces a minified ES module with an external source map', () => {
    // Act
    const code = readFileSync(join(assetDirectory, 'index.mjs'), 'utf8');
    const averageLineLength = code.length / code.split('\n').length;

    // Assess: minified code has few, very long lines (newlines remain only in template literals).
    expect(averageLineLength).toBeGreaterThan(1000);
    expect(code.trimEnd()).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map$/);
    expect(existsSync(join(assetDirectory, 'index.mjs.map'))).toBe(true);
  });

  it('provides `require` to the CommonJS modules bundled into the ES module', () => {
    // Act
    const code = readFileSync(join(assetDirectory, 'index.mjs'), 'utf8');

    // Assess
    expect(
      code.startsWith(
        "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      ),
    ).toBe(true);
  });

  it('bundles every dependency, the AWS SDK included', () => {
    // Act
    const code = readFileSync(join(assetDirectory, 'index.mjs'), 'utf8');

    // Assess
    expect(code).not.toMatch(/from\s*["'](@aws-sdk|@smithy|@aws-lambda-powertools)\//);
    expect(code).toContain('DynamoDB');
  });

  it('keeps the source map small: file names and lines, not the sources', () => {
    // Act
    const map = JSON.parse(readFileSync(join(assetDirectory, 'index.mjs.map'), 'utf8'));

    // Assess
    expect(map.sources).toEqual(
      expect.arrayContaining([expect.stringMatching(/functions\/handlers\/ses-events\.ts$/)]),
    );
    expect(map.sourcesContent).toBeUndefined();
  });
});
