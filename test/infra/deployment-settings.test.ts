import { App, aws_logs as logs } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { schedulerCronExpression } from '../../lib/constructs/planner-schedule';
import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  type DeploymentSettings,
  readDeploymentSettings,
  SENDER_TIMEOUT_SECONDS,
} from '../../lib/stacks/deployment-settings';
import { CDK_JSON_CONTEXT } from './cert-reminders-fixture';

const settingsFrom = (context: Record<string, unknown>): DeploymentSettings =>
  readDeploymentSettings(new App({ context }).node);

describe('readDeploymentSettings', () => {
  it('falls back to the SPEC defaults when no context is set', () => {
    // Act
    const settings = settingsFrom({});

    // Assess
    expect(settings).toEqual({
      stage: 'dev',
      fromAddress: 'Certification Reminders <reminders@example.com>',
      domain: undefined,
      alarmEmail: undefined,
      schedule: '0 13 * * *',
      sesMaxSendRate: 10,
      senderConcurrency: 2,
      claimLeaseSeconds: 900,
      defaultTimeZone: 'UTC',
      sendHour: 0,
      expiryWarningDays: '30',
      maxLatenessDays: 14,
      tableName: undefined,
      logRetention: logs.RetentionDays.ONE_MONTH,
      logLevel: 'INFO',
      apiRateLimit: 50,
      apiBurstLimit: 100,
    });
  });

  it('reads the same defaults from cdk.json as the code falls back to', () => {
    // Act
    const documented = Object.fromEntries(
      Object.keys(DEFAULT_DEPLOYMENT_SETTINGS).map((key) => [key, CDK_JSON_CONTEXT[key]]),
    );

    // Assess
    expect(documented).toEqual(DEFAULT_DEPLOYMENT_SETTINGS);
    expect(CDK_JSON_CONTEXT['cli-telemetry']).toBe(false);
  });

  it('parses values given on the command line, which arrive as strings', () => {
    // Act
    const settings = settingsFrom({
      stage: 'prod',
      domain: 'Example.ORG',
      fromAddress: 'Exams <reminders@mail.example.org>',
      alarmEmail: 'ops@example.org',
      sesMaxSendRate: '14',
      senderConcurrency: '8',
      claimLeaseSeconds: '600',
      sendHour: '9',
      expiryWarningDays: '7, 30',
      logRetentionDays: '90',
      logLevel: 'warn',
      tableName: 'cert-reminders-restored',
    });

    // Assess
    expect(settings).toMatchObject({
      stage: 'prod',
      domain: 'example.org',
      alarmEmail: 'ops@example.org',
      sesMaxSendRate: 14,
      senderConcurrency: 8,
      claimLeaseSeconds: 600,
      sendHour: 9,
      expiryWarningDays: '30,7',
      logRetention: logs.RetentionDays.THREE_MONTHS,
      logLevel: 'WARN',
      tableName: 'cert-reminders-restored',
    });
  });

  it('accepts the expiry warning days as a JSON list, as cdk.json may hold them', () => {
    // Act
    const settings = settingsFrom({ expiryWarningDays: [30, 7, 1] });

    // Assess
    expect(settings.expiryWarningDays).toBe('30,7,1');
  });

  it.each([
    [{ stage: 'Prod' }, /context stage/],
    [{ fromAddress: 'reminders' }, /context fromAddress/],
    [
      { domain: 'example.org', fromAddress: 'reminders@example.com' },
      /must be an address at example\.org/,
    ],
    [{ domain: 'not a domain' }, /context domain/],
    [{ alarmEmail: 'ops' }, /context alarmEmail/],
    [{ schedule: '0 13 * *' }, /five-field cron/],
    [{ senderConcurrency: '1' }, /senderConcurrency must be a whole number from 2 to 1000/],
    [{ sesMaxSendRate: '2.5' }, /sesMaxSendRate/],
    [{ claimLeaseSeconds: '119' }, /claimLeaseSeconds must be a whole number from 120 to 86400/],
    [{ claimLeaseSeconds: '86401' }, /claimLeaseSeconds must be a whole number from 120 to 86400/],
    [{ claimLeaseSeconds: '15m' }, /claimLeaseSeconds/],
    [{ defaultTimeZone: 'Mars/Olympus' }, /DEFAULT_TIME_ZONE/],
    [{ sendHour: '24' }, /SEND_HOUR/],
    [{ logRetentionDays: '31' }, /logRetentionDays/],
    [{ logLevel: 'loud' }, /logLevel/],
  ])('refuses %o, naming the key', (context, message) => {
    // Act
    const read = () => settingsFrom(context);

    // Assess
    expect(read).toThrow(message);
  });

  it('accepts a claim lease as short as the sender timeout', () => {
    // Act
    const settings = settingsFrom({ claimLeaseSeconds: String(SENDER_TIMEOUT_SECONDS) });

    // Assess
    expect(settings.claimLeaseSeconds).toBe(120);
  });

  it('accepts a From address on a subdomain of the domain', () => {
    // Act
    const settings = settingsFrom({
      domain: 'example.org',
      fromAddress: 'reminders@mail.example.org',
    });

    // Assess
    expect(settings.fromAddress).toBe('reminders@mail.example.org');
  });
});

describe('schedulerCronExpression', () => {
  it.each([
    ['0 13 * * *', 'cron(0 13 * * ? *)'],
    ['15 2 1 * *', 'cron(15 2 1 * ? *)'],
    ['30 6 * * 1-5', 'cron(30 6 ? * 2-6 *)'],
    ['0 8 * * 0,6', 'cron(0 8 ? * 1,7 *)'],
    ['0 8 * * 7', 'cron(0 8 ? * 1 *)'],
    ['0 8 * * MON-FRI', 'cron(0 8 ? * MON-FRI *)'],
    ['0 */6 * * *', 'cron(0 */6 * * ? *)'],
    ['cron(0 13 * * ? *)', 'cron(0 13 * * ? *)'],
    ['rate(1 day)', 'rate(1 day)'],
  ])('turns %s into %s', (cron, expression) => {
    // Act
    const converted = schedulerCronExpression(cron);

    // Assess
    expect(converted).toBe(expression);
  });

  it.each([
    ['0 13 1 * 1', /both the day of the month and of the week/],
    ['0 13 * * 5-7', /range Scheduler cannot express/],
    ['13 * * *', /five-field cron/],
  ])('refuses %s', (cron, message) => {
    // Act
    const convert = () => schedulerCronExpression(cron);

    // Assess
    expect(convert).toThrow(message);
  });
});
