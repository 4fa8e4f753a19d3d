import { describe, expect, it } from 'vitest';
import { localConfigFromEnv } from '../../../../bin/local/local-config';

describe('localConfigFromEnv', () => {
  it('applies the SPEC §6 defaults to an empty environment', () => {
    // Act
    const config = localConfigFromEnv({});

    // Assess
    expect(config).toEqual({
      port: 3000,
      dynamodbPort: 8000,
      sesPort: 8005,
      consolePort: 3001,
      dataDir: '.data',
      tableName: 'cert-reminders',
      emailFrom: 'Certification Reminders <reminders@example.com>',
      publicUrl: 'http://127.0.0.1:3000',
      schedule: '0 13 * * *',
      sesMaxSendRate: 10,
      claimLeaseSeconds: 900,
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      sesEndpoint: 'http://127.0.0.1:8005',
      awsRegion: 'us-east-1',
      runtime: expect.objectContaining({
        tableName: 'cert-reminders',
        emailFrom: 'Certification Reminders <reminders@example.com>',
        publicUrl: 'http://127.0.0.1:3000',
        sesMaxSendRate: 10,
        senderConcurrency: 1,
        claimLeaseSeconds: 900,
      }),
    });
  });

  it('treats empty and undefined variables as unset', () => {
    // Act
    const config = localConfigFromEnv({
      PORT: '',
      TABLE_NAME: undefined,
      SES_MAX_SEND_RATE: '',
      CLAIM_LEASE_SECONDS: '',
    });

    // Assess
    expect(config).toMatchObject({
      port: 3000,
      tableName: 'cert-reminders',
      sesMaxSendRate: 10,
      claimLeaseSeconds: 900,
    });
  });

  it('ignores variables it does not know', () => {
    // Act
    const config = localConfigFromEnv({ HOME: '/root', PATH: '/usr/bin' });

    // Assess
    expect(config.port).toBe(3000);
  });

  it('reads every variable that is set', () => {
    // Prepare
    const env = {
      PORT: '3100',
      DYNAMODB_PORT: '8100',
      SES_PORT: '8105',
      CONSOLE_PORT: '3101',
      DATA_DIR: '/tmp/reminders-data',
      TABLE_NAME: 'reminders_test.v2',
      EMAIL_FROM: 'Team <team@example.org>',
      PUBLIC_URL: 'https://reminders.example.org',
      SCHEDULE: '30 6 * * 1-5',
      SES_MAX_SEND_RATE: '2.5',
      CLAIM_LEASE_SECONDS: '120',
      AWS_REGION: 'eu-west-1',
    };

    // Act
    const config = localConfigFromEnv(env);

    // Assess
    expect(config).toEqual({
      port: 3100,
      dynamodbPort: 8100,
      sesPort: 8105,
      consolePort: 3101,
      dataDir: '/tmp/reminders-data',
      tableName: 'reminders_test.v2',
      emailFrom: 'Team <team@example.org>',
      publicUrl: 'https://reminders.example.org',
      schedule: '30 6 * * 1-5',
      sesMaxSendRate: 2.5,
      claimLeaseSeconds: 120,
      dynamodbEndpoint: 'http://127.0.0.1:8100',
      sesEndpoint: 'http://127.0.0.1:8105',
      awsRegion: 'eu-west-1',
      // The functions read the same values through the one runtime configuration.
      runtime: expect.objectContaining({
        tableName: 'reminders_test.v2',
        emailFrom: 'Team <team@example.org>',
        publicUrl: 'https://reminders.example.org',
        sesMaxSendRate: 2.5,
        claimLeaseSeconds: 120,
      }),
    });
  });

  it.each([
    [{ PORT: '3100' }, 'http://127.0.0.1:3100'],
    [
      { PORT: '3100', PUBLIC_URL: 'https://example.org/reminders/' },
      'https://example.org/reminders',
    ],
    [{ PUBLIC_URL: 'https://example.org//' }, 'https://example.org'],
  ])('derives PUBLIC_URL from %j as %s, without a trailing slash', (env, publicUrl) => {
    // Act
    const config = localConfigFromEnv(env);

    // Assess
    expect(config.publicUrl).toBe(publicUrl);
  });

  it.each([
    [{ DYNAMODB_PORT: '9000' }, 'http://127.0.0.1:9000', 'http://127.0.0.1:8005'],
    [{ SES_PORT: '9005' }, 'http://127.0.0.1:8000', 'http://127.0.0.1:9005'],
    [
      {
        DYNAMODB_PORT: '9000',
        DYNAMODB_ENDPOINT: 'http://db.internal:8000',
        SES_ENDPOINT: 'http://ses.internal:8005',
      },
      'http://db.internal:8000',
      'http://ses.internal:8005',
    ],
  ])('derives the endpoints from %j', (env, dynamodbEndpoint, sesEndpoint) => {
    // Act
    const config = localConfigFromEnv(env);

    // Assess
    expect(config).toMatchObject({ dynamodbEndpoint, sesEndpoint });
  });

  it.each([
    ['PORT', '0', 'port', 0],
    ['PORT', '65535', 'port', 65535],
    ['DYNAMODB_PORT', '1', 'dynamodbPort', 1],
    ['SES_PORT', '65535', 'sesPort', 65535],
  ] as const)('accepts %s=%s at the edge of the port range', (name, value, field, port) => {
    // Act
    const config = localConfigFromEnv({ [name]: value });

    // Assess
    expect(config[field]).toBe(port);
  });

  it.each([
    ['1', 1],
    ['60', 60],
    ['900', 900],
    ['86400', 86_400],
  ])('accepts CLAIM_LEASE_SECONDS=%s (1 to 86400 seconds)', (value, seconds) => {
    // Act
    const config = localConfigFromEnv({ CLAIM_LEASE_SECONDS: value });

    // Assess
    expect(config.claimLeaseSeconds).toBe(seconds);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '3000.5'],
    ['PORT', ' 3000'],
    ['DYNAMODB_PORT', 'eight thousand'],
    ['DYNAMODB_PORT', '99999'],
    ['SES_PORT', '-8005'],
    ['TABLE_NAME', 'no spaces allowed'],
    ['TABLE_NAME', 'ab'],
    ['PUBLIC_URL', 'not a url'],
    ['DYNAMODB_ENDPOINT', 'localhost'],
    ['SES_ENDPOINT', '127.0.0.1:8005'],
    ['SES_MAX_SEND_RATE', 'fast'],
    ['SES_MAX_SEND_RATE', '0'],
    ['SES_MAX_SEND_RATE', '-3'],
    ['SES_MAX_SEND_RATE', 'Infinity'],
    ['EMAIL_FROM', 'ab'],
    ['CLAIM_LEASE_SECONDS', '0'],
    ['CLAIM_LEASE_SECONDS', '86401'],
    ['CLAIM_LEASE_SECONDS', '-5'],
    ['CLAIM_LEASE_SECONDS', '1.5'],
    ['CLAIM_LEASE_SECONDS', '1e3'],
    ['CLAIM_LEASE_SECONDS', ' 900'],
    ['CLAIM_LEASE_SECONDS', 'fifteen minutes'],
  ])('refuses %s=%j with a one-line error naming the variable', (name, value) => {
    // Act
    const read = () => localConfigFromEnv({ [name]: value });

    // Assess
    expect(read).toThrow(new RegExp(`\\b${name}\\b`));
    expect(read).toThrow(/^[^\n]+$/);
  });
});
