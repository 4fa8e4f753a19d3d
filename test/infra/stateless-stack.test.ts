import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTION_VARIABLES } from '../../functions/config/runtime-config';
import { SENDER_TIMEOUT_SECONDS } from '../../lib/stacks/deployment-settings';
import { logicalIdOf, readable, synthesizeCertReminders } from './cert-reminders-fixture';

/** The functions, by the construct ID that prefixes their logical IDs. */
const FUNCTIONS = ['Ingest', 'Unsubscribe', 'Planner', 'Sender', 'SesEvents'] as const;

const functionProperties = (template: Template, name: string) =>
  template.toJSON().Resources[logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`)]
    .Properties;

const environmentOf = (template: Template, name: string): Record<string, unknown> =>
  functionProperties(template, name).Environment.Variables;

/** The environment variables as readable strings (see `readable`). */
const readableEnvironmentOf = (template: Template, name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(environmentOf(template, name)).map(([key, value]) => [key, readable(value)]),
  );

describe('the stateless stack', () => {
  // Prepare: the default deployment, as `cdk synth` builds it.
  const { stateless, statelessTemplate: template } = synthesizeCertReminders();

  it('is named after the stage', () => {
    // Assess
    expect(stateless.stackName).toBe('cert-reminders-dev-stateless');
  });

  describe('functions', () => {
    it('are the five handlers, on Node.js 24 and ARM64, as ES module bundles', () => {
      // Assess
      template.resourceCountIs('AWS::Lambda::Function', FUNCTIONS.length);
      for (const name of FUNCTIONS) {
        expect(functionProperties(template, name)).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
        });
      }
    });

    it('enable source maps and configure Powertools logger and metrics', () => {
      // Assess
      for (const name of FUNCTIONS) {
        expect(environmentOf(template, name)).toMatchObject({
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'cert-reminders-dev',
          POWERTOOLS_METRICS_NAMESPACE: 'CertReminders',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        });
      }
    });

    it('each log to a log group of their own, kept 30 days', () => {
      // Assess
      for (const name of FUNCTIONS) {
        const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}LogGroup`);
        expect(functionProperties(template, name).LoggingConfig).toEqual({
          LogGroup: { Ref: logGroupId },
        });
      }
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('all read the table named by the stateful stack', () => {
      // Assess
      for (const name of FUNCTIONS) {
        expect(readableEnvironmentOf(template, name).TABLE_NAME).toMatch(
          /^<cert-reminders-dev-stateful:\w*RemindersTable\w*>$/,
        );
      }
    });

    it('give the rule settings to every function that writes candidates: ingest, unsubscribe and sender', () => {
      // Assess: each write works out the candidate's due-index entry by the rules.
      for (const name of ['Ingest', 'Unsubscribe', 'Sender']) {
        expect(environmentOf(template, name)).toMatchObject({
          DEFAULT_TIME_ZONE: 'UTC',
          SEND_HOUR: '0',
          EXPIRY_WARNING_DAYS: '30',
          MAX_LATENESS_DAYS: '14',
        });
      }
    });

    it.each([
      ['Ingest', 'ingest'],
      ['Unsubscribe', 'unsubscribe'],
      ['Planner', 'planner'],
      ['Sender', 'sender'],
      ['SesEvents', 'ses-events'],
    ] as const)(
      'give %s exactly the variables its code reads, besides the runtime ones',
      (name, fn) => {
        // Act
        const names = Object.keys(environmentOf(template, name)).filter(
          (variable) => !variable.startsWith('POWERTOOLS_') && variable !== 'NODE_OPTIONS',
        );

        // Assess
        expect(names.sort()).toEqual([...FUNCTION_VARIABLES[fn]].sort());
      },
    );

    it('give ingest the webhook secret ARN', () => {
      // Act
      const environment = readableEnvironmentOf(template, 'Ingest');

      // Assess
      expect(environment.WEBHOOK_SECRET_ARN).toMatch(
        /^<cert-reminders-dev-stateful:\w*WebhookSecret\w*>$/,
      );
    });

    it('give the planner the send queue URL', () => {
      // Assess
      expect(environmentOf(template, 'Planner').SEND_QUEUE_URL).toEqual({
        Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'SendQueue4'),
      });
    });

    it('give the sender what it needs to email within the SES rate', () => {
      // Act
      const environment = readableEnvironmentOf(template, 'Sender');

      // Assess
      expect(environment).toMatchObject({
        EMAIL_FROM: 'Certification Reminders <reminders@example.com>',
        PUBLIC_URL: `<${logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'HttpApi')}.ApiEndpoint>`,
        SES_CONFIGURATION_SET: `<${logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'EmailConfigurationSet')}>`,
        SES_MAX_SEND_RATE: '10',
        SENDER_CONCURRENCY: '2',
        CLAIM_LEASE_SECONDS: '900',
      });
      expect(environment.UNSUBSCRIBE_SECRET_ARN).toMatch(
        /^<cert-reminders-dev-stateful:\w*UnsubscribeSecret\w*>$/,
      );
    });

    it('stop the sender before the lease of its claims can run out', () => {
      // Act
      const { Timeout: timeout, Environment: environment } = functionProperties(template, 'Sender');

      // Assess
      expect(timeout).toBe(SENDER_TIMEOUT_SECONDS);
      expect(Number(environment.Variables.CLAIM_LEASE_SECONDS)).toBeGreaterThanOrEqual(timeout);
    });

    it('give unsubscribe its secret and no public URL (its pages link nowhere else)', () => {
      // Act
      const environment = readableEnvironmentOf(template, 'Unsubscribe');

      // Assess
      expect(environment.PUBLIC_URL).toBeUndefined();
      expect(environment.UNSUBSCRIBE_SECRET_ARN).toMatch(
        /^<cert-reminders-dev-stateful:\w*UnsubscribeSecret\w*>$/,
      );
    });

    it('send failed bounce and complaint events of ses-events to its dead-letter queue', () => {
      // Assess
      expect(functionProperties(template, 'SesEvents').DeadLetterConfig).toEqual({
        TargetArn: {
          'Fn::GetAtt': [
            logicalIdOf(template, 'AWS::SQS::Queue', 'SesEventsDeadLetterQueue'),
            'Arn',
          ],
        },
      });
    });
  });

  describe('HTTP API', () => {
    it('routes the SPEC requests to ingest and unsubscribe with payload v2', () => {
      // Prepare
      const integrationOf = (fn: string) => ({
        'Fn::Join': [
          '',
          [
            'integrations/',
            {
              Ref: Object.entries(template.findResources('AWS::ApiGatewayV2::Integration')).find(
                ([, integration]) =>
                  integration.Properties.IntegrationUri['Fn::GetAtt'][0] ===
                  logicalIdOf(template, 'AWS::Lambda::Function', `${fn}Function`),
              )?.[0],
            },
          ],
        ],
      });

      // Assess
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
      template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
      for (const [routeKey, fn] of [
        ['POST /v1/events', 'Ingest'],
        ['GET /v1/health', 'Ingest'],
        ['GET /v1/openapi.json', 'Ingest'],
        ['GET /unsubscribe', 'Unsubscribe'],
        ['POST /unsubscribe', 'Unsubscribe'],
      ] as const) {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: routeKey,
          Target: integrationOf(fn),
        });
      }
    });

    it('lets the functions answer wrong methods and paths with the SPEC JSON errors', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /unsubscribe' });
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
      template.resourceCountIs('AWS::ApiGatewayV2::Route', 7);
    });

    it('throttles its one auto-deployed stage', () => {
      // Assess
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    it('writes JSON access logs, without query strings, to a log group', () => {
      // Act
      const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]
        ?.Properties;
      const format = JSON.parse(stage.AccessLogSettings.Format);

      // Assess
      expect(stage.AccessLogSettings.DestinationArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(template, 'AWS::Logs::LogGroup', 'HttpApiAccessLogs'), 'Arn'],
      });
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
      });
      expect(stage.AccessLogSettings.Format).not.toMatch(/querystring|\$context\.path/i);
    });

    it('outputs its URL', () => {
      // Assess
      template.hasOutput('ApiUrl', {
        Value: {
          'Fn::GetAtt': [logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'HttpApi'), 'ApiEndpoint'],
        },
      });
    });
  });

  describe('planner schedule', () => {
    it('is an EventBridge Scheduler schedule at 13:00 UTC every day', () => {
      // Assess
      template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      template.resourceCountIs('AWS::Events::Rule', 0);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 13 * * ? *)',
        ScheduleExpressionTimezone: 'Etc/UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
      });
    });

    it('invokes the planner with the scheduled time as the run instant', () => {
      // Assess
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: {
          Arn: {
            'Fn::GetAtt': [
              logicalIdOf(template, 'AWS::Lambda::Function', 'PlannerFunction'),
              'Arn',
            ],
          },
          Input: JSON.stringify({ runAt: '<aws.scheduler.scheduled-time>' }),
        },
      });
    });

    it('retries for two hours, then dead-letters the invocation', () => {
      // Assess
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: {
          RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 7200 },
          DeadLetterConfig: {
            Arn: {
              'Fn::GetAtt': [
                logicalIdOf(template, 'AWS::SQS::Queue', 'PlannerScheduleDeadLetterQueue'),
                'Arn',
              ],
            },
          },
        },
      });
    });
  });

  describe('send queue', () => {
    it('redrives to a dead-letter queue after five receives', () => {
      // Assess
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: {
          deadLetterTargetArn: {
            'Fn::GetAtt': [
              logicalIdOf(template, 'AWS::SQS::Queue', 'SendQueueDeadLetterQueue'),
              'Arn',
            ],
          },
          maxReceiveCount: 5,
        },
        VisibilityTimeout: 6 * functionProperties(template, 'Sender').Timeout,
      });
    });

    it('feeds the sender with bounded concurrency and partial batch failures', () => {
      // Assess
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: {
          'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'SendQueue4'), 'Arn'],
        },
        FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'SenderFunction') },
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: 2 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('is, like every queue, encrypted and reachable over TLS only', () => {
      // Act
      const queueIds = Object.keys(template.findResources('AWS::SQS::Queue'));

      // Assess
      expect(queueIds).toHaveLength(4);
      template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      for (const queueId of queueIds) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queueId }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    });

    it('keeps dead letters for the longest time SQS allows', () => {
      // Assess
      for (const prefix of [
        'SendQueueDeadLetterQueue',
        'PlannerScheduleDeadLetterQueue',
        'SesEventsDeadLetterQueue',
      ]) {
        const queue = template.toJSON().Resources[logicalIdOf(template, 'AWS::SQS::Queue', prefix)];
        expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      }
    });
  });

  describe('email', () => {
    it('sends through a configuration set that requires TLS and tracks reputation', () => {
      // Assess
      template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
    });

    it('publishes bounces and complaints to an SNS topic that invokes the ses-events function', () => {
      // Prepare
      const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'EmailBounceAndComplaintTopic');

      // Assess
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint'],
          SnsDestination: { TopicARN: { Ref: topicId } },
        },
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: { Ref: topicId },
        Endpoint: {
          'Fn::GetAtt': [
            logicalIdOf(template, 'AWS::Lambda::Function', 'SesEventsFunction'),
            'Arn',
          ],
        },
      });
    });

    it('lets only SES of this account and configuration set publish to that topic', () => {
      // Assess
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'EmailBounceAndComplaintTopic') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'ses.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: {
                  'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                  'AWS:SourceArn': Match.anyValue(),
                },
              },
            }),
          ]),
        },
      });
    });

    it('creates no identity when no domain is given', () => {
      // Assess
      template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    });
  });

  describe('SNS topics', () => {
    it('are encrypted each with a rotated key of their own that their publisher may use', () => {
      // Prepare: who publishes to each topic, and on behalf of which of this account's resources.
      const configurationSet = logicalIdOf(
        template,
        'AWS::SES::ConfigurationSet',
        'EmailConfigurationSet',
      );
      const publishers = [
        [
          'EmailBounceAndComplaintTopic',
          'ses.amazonaws.com',
          `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSet}>`,
        ],
        [
          'AlarmsAlarmTopic',
          'cloudwatch.amazonaws.com',
          'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
        ],
      ];

      // Assess
      template.resourceCountIs('AWS::SNS::Topic', 2);
      template.resourceCountIs('AWS::KMS::Key', 2);
      template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      for (const [prefix, publisher, sourceArn] of publishers) {
        const keyId = logicalIdOf(template, 'AWS::KMS::Key', `${prefix}Key`);
        template.hasResourceProperties('AWS::SNS::Topic', {
          KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        });
        const statements = template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement;
        const forPublisher = statements.filter(
          (statement: { Principal: { Service?: string } }) =>
            statement.Principal.Service !== undefined,
        );
        expect(forPublisher).toHaveLength(1);
        const [{ Condition: condition, ...statement }] = forPublisher;
        expect(statement).toEqual({
          Sid: 'AllowPublisherToEncryptMessages',
          Effect: 'Allow',
          Principal: { Service: publisher },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        });
        expect(Object.keys(condition).sort()).toEqual(['ArnLike', 'StringEquals']);
        expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
        expect(Object.keys(condition.ArnLike)).toEqual(['aws:SourceArn']);
        expect(readable(condition.ArnLike['aws:SourceArn'])).toBe(sourceArn);
      }
    });

    it('accept publications over TLS only', () => {
      // Assess
      template.resourceCountIs('AWS::SNS::TopicPolicy', 2);
      template.allResourcesProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  });

  describe('alarms', () => {
    // Prepare
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties,
    );
    const alarmTopic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmsAlarmTopic') };

    it('notify the alarm topic, which has no subscription unless alarmEmail is set', () => {
      // Assess
      expect(alarms).toHaveLength(11);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([alarmTopic]);
      template.resourceCountIs('AWS::SNS::Subscription', 1);
    });

    it('let CloudWatch alarms of this account publish to the alarm topic', () => {
      // Assess
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [alarmTopic],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: Match.anyValue(),
              },
            }),
          ]),
        },
      });
    });

    it('fire as soon as any dead-letter queue holds a message', () => {
      // Assess
      for (const prefix of [
        'SendQueueDeadLetterQueue',
        'PlannerScheduleDeadLetterQueue',
        'SesEventsDeadLetterQueue',
      ]) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [
            {
              Name: 'QueueName',
              Value: {
                'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', prefix), 'QueueName'],
              },
            },
          ],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
        });
      }
    });

    it('fire when any function reports an error', () => {
      // Assess
      for (const name of FUNCTIONS) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [
            {
              Name: 'FunctionName',
              Value: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`) },
            },
          ],
          Statistic: 'Sum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
        });
      }
    });

    it('fire when no planner run completed in 26 hours, missing data included', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'CertReminders',
        MetricName: 'RunsCompleted',
        Dimensions: [{ Name: 'service', Value: 'cert-reminders-dev' }],
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: 26,
        DatapointsToAlarm: 26,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
    });

    it('fire on an SES bounce rate above 4 % and a complaint rate above 0.08 %', () => {
      // Assess
      for (const [metricName, threshold] of [
        ['Reputation.BounceRate', 0.04],
        ['Reputation.ComplaintRate', 0.0008],
      ] as const) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SES',
          MetricName: metricName,
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: threshold,
        });
      }
    });
  });
});

describe('the stateless stack configured by context', () => {
  // Prepare: every optional setting, given as strings the way `cdk deploy -c key=value` gives them.
  const { stateless, statelessTemplate: template } = synthesizeCertReminders({
    stage: 'prod',
    domain: 'example.org',
    fromAddress: 'Exams <reminders@mail.example.org>',
    alarmEmail: 'ops@example.org',
    schedule: '30 6 * * 1-5',
    sesMaxSendRate: '14',
    senderConcurrency: '5',
    claimLeaseSeconds: '600',
    defaultTimeZone: 'Europe/Lisbon',
    sendHour: '9',
    expiryWarningDays: '7,30',
    maxLatenessDays: '10',
    logRetentionDays: '90',
    logLevel: 'debug',
    apiRateLimit: '20',
    apiBurstLimit: '40',
    tableName: 'cert-reminders-restored',
  });

  it('names the stacks and the Powertools service after the stage', () => {
    // Assess
    expect(stateless.stackName).toBe('cert-reminders-prod-stateless');
    expect(environmentOf(template, 'Planner').POWERTOOLS_SERVICE_NAME).toBe('cert-reminders-prod');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RunsCompleted',
      Dimensions: [{ Name: 'service', Value: 'cert-reminders-prod' }],
    });
  });

  it('passes the settings to the functions, rule settings normalised', () => {
    // Assess
    expect(environmentOf(template, 'Sender')).toMatchObject({
      EMAIL_FROM: 'Exams <reminders@mail.example.org>',
      SES_MAX_SEND_RATE: '14',
      SENDER_CONCURRENCY: '5',
      CLAIM_LEASE_SECONDS: '600',
      DEFAULT_TIME_ZONE: 'Europe/Lisbon',
      SEND_HOUR: '9',
      EXPIRY_WARNING_DAYS: '30,7',
      MAX_LATENESS_DAYS: '10',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
  });

  it('lets the sender scale to the configured concurrency', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('uses the named table instead of the stateful one', () => {
    // Assess
    for (const name of FUNCTIONS)
      expect(environmentOf(template, name).TABLE_NAME).toBe('cert-reminders-restored');
  });

  it('converts the five-field schedule to a Scheduler cron expression', () => {
    // Assess
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 6 ? * 2-6 *)',
    });
  });

  it('throttles the API and keeps logs as configured', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('verifies the domain with 2048-bit Easy DKIM and the configuration set', () => {
    // Assess
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.org',
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      ConfigurationSetAttributes: {
        ConfigurationSetName: {
          Ref: logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'EmailConfigurationSet'),
        },
      },
    });
  });

  it('outputs the three DKIM CNAME records to publish', () => {
    // Prepare
    const identityId = logicalIdOf(template, 'AWS::SES::EmailIdentity', 'EmailDomainIdentity');

    // Act
    const dkimOutputs = Object.entries(template.findOutputs('*')).filter(([id]) =>
      id.startsWith('EmailDkimRecord'),
    );

    // Assess
    expect(dkimOutputs.map(([, output]) => output.Value)).toEqual(
      [1, 2, 3].map((index) => ({
        'Fn::Join': [
          '',
          [
            { 'Fn::GetAtt': [identityId, `DkimDNSTokenName${index}`] },
            ' CNAME ',
            { 'Fn::GetAtt': [identityId, `DkimDNSTokenValue${index}`] },
          ],
        ],
      })),
    );
  });

  it('subscribes the alarm email to the alarm topic', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
      TopicArn: { Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmsAlarmTopic') },
    });
  });
});
