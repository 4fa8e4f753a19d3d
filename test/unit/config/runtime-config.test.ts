import { describe, expect, it } from 'vitest';
import { readRuntimeConfig, required } from '../../../functions/config/runtime-config';

describe('readRuntimeConfig', () => {
  it('applies the SPEC §6 defaults to an empty environment', () => {
    // Act
    const config = readRuntimeConfig({});

    // Assess
    expect(config).toEqual({
      tableName: 'cert-reminders',
      emailFrom: 'Certification Reminders <reminders@example.com>',
      sesMaxSendRate: 10,
      senderConcurrency: 1,
      claimLeaseSeconds: 900,
      webhookSecret: {},
      unsubscribeSecret: {},
      outboundWebhookSecret: {},
      settings: {
        defaultTimeZone: 'UTC',
        sendHour: 0,
        expiryWarningDays: [30],
        maxLatenessDays: 14,
      },
    });
  });

  it('reads the outbound webhook variables, and refuses a receiver that is not a URL', () => {
    // Act
    const config = readRuntimeConfig({
      OUTBOUND_WEBHOOK_URL: 'https://receiver.example/hooks',
      OUTBOUND_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:out',
      OUTBOUND_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/outbound',
    });

    // Assess
    expect(config).toMatchObject({
      outboundWebhookUrl: 'https://receiver.example/hooks',
      outboundWebhookSecret: { arn: 'arn:aws:secretsmanager:eu-west-1:1:secret:out' },
      outboundQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/outbound',
    });
    expect(() => readRuntimeConfig({ OUTBOUND_WEBHOOK_URL: 'receiver' })).toThrow(
      'OUTBOUND_WEBHOOK_URL must be a URL',
    );
  });

  it('reads what a deployed function is given', () => {
    // Act
    const config = readRuntimeConfig({
      TABLE_NAME: 'cert-reminders-prod',
      EMAIL_FROM: 'Team <team@example.org>',
      PUBLIC_URL: 'https://api.example.org/',
      SES_MAX_SEND_RATE: '14',
      SENDER_CONCURRENCY: '2',
      CLAIM_LEASE_SECONDS: '300',
      SEND_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/send',
      SES_CONFIGURATION_SET: 'reminders',
      WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook',
      UNSUBSCRIBE_SECRET: 'local-secret',
      EXPIRY_WARNING_DAYS: '60,7',
    });

    // Assess
    expect(config).toMatchObject({
      tableName: 'cert-reminders-prod',
      publicUrl: 'https://api.example.org',
      sesMaxSendRate: 14,
      senderConcurrency: 2,
      claimLeaseSeconds: 300,
      sesConfigurationSet: 'reminders',
      webhookSecret: { arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook' },
      unsubscribeSecret: { value: 'local-secret' },
      settings: { expiryWarningDays: [60, 7] },
    });
  });

  it.each([
    [{ TABLE_NAME: 'x' }, 'TABLE_NAME must be a valid DynamoDB table name'],
    [{ EMAIL_FROM: 'a' }, 'EMAIL_FROM must be an address'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL must be a URL'],
    [{ SES_MAX_SEND_RATE: 'fast' }, 'SES_MAX_SEND_RATE must be a number'],
    [{ SES_MAX_SEND_RATE: '0' }, 'SES_MAX_SEND_RATE must be above 0'],
    [{ SENDER_CONCURRENCY: '0' }, 'SENDER_CONCURRENCY must be at least 1'],
    [{ CLAIM_LEASE_SECONDS: '1.5' }, 'CLAIM_LEASE_SECONDS must be a whole number'],
    [{ CLAIM_LEASE_SECONDS: '90000' }, 'CLAIM_LEASE_SECONDS must be at most 86400'],
    [{ SEND_QUEUE_URL: 'queue' }, 'SEND_QUEUE_URL must be a URL'],
    [{ SEND_HOUR: '24' }, 'SEND_HOUR must be at most 23'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    // Act
    const read = () => readRuntimeConfig(env);

    // Assess
    expect(read).toThrow(message);
    try {
      read();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('treats an empty variable as unset', () => {
    // Act & Assess
    expect(readRuntimeConfig({ TABLE_NAME: '', SES_MAX_SEND_RATE: '' }).sesMaxSendRate).toBe(10);
  });
});

describe('required', () => {
  it('gives the value when there is one', () => {
    expect(required('https://q', 'SEND_QUEUE_URL')).toBe('https://q');
  });

  it.each([undefined, ''])('names the variable when it is %j', (value) => {
    expect(() => required(value, 'SEND_QUEUE_URL')).toThrow('SEND_QUEUE_URL is not set');
  });
});
