import { describe, expect, it } from 'vitest';
import {
  addressKey,
  attemptKey,
  candidateKey,
  duePk,
  runKey,
  suppressionKey,
  webhookKey,
} from '../../functions/adapters/dynamodb/item-keys';
import { TABLE_DESIGN } from '../../functions/adapters/dynamodb/table-design';
import {
  ADDRESS_INDEX_LEADING_KEY,
  DUE_INDEX_LEADING_KEY,
  LEADING_KEYS,
} from '../../lib/constructs/table-access';
import {
  allStatements,
  keyPolicyStatements,
  logicalIdOf,
  type ReadableStatement,
  readable,
  statementsOfRole,
  synthesizeCertReminders,
} from './cert-reminders-fixture';

/** How the resources of the policies read once flattened (see `readable`). */
const TABLE = '<cert-reminders-dev-stateful:PublishOutputRefRemindersTable';
const tableArn = expect.stringMatching(
  new RegExp(`^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${TABLE}\\w*>$`),
);
const dueIndexArn = expect.stringMatching(
  new RegExp(
    `^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${TABLE}\\w*>/index/due-index$`,
  ),
);
const indexArn = (indexName: string) =>
  expect.stringMatching(
    new RegExp(
      `^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${TABLE}\\w*>/index/${indexName}$`,
    ),
  );
const addressIndexArns = [indexArn('by-email'), indexArn('by-guardian-email')];
const secretArn = (name: string) =>
  expect.stringMatching(new RegExp(`^<cert-reminders-dev-stateful:PublishOutputRef${name}\\w*>$`));
const allow = (actions: string[], resources: unknown[]): ReadableStatement => ({
  effect: 'Allow',
  actions: [...actions].sort(),
  resources: resources as string[],
});
/** DynamoDB `actions` on `resource`, for the items whose partition key matches `leadingKeys`. */
const onItems = (
  actions: string[],
  leadingKeys: string[],
  resource: unknown = tableArn,
): ReadableStatement => ({
  ...allow(
    actions.map((action) => `dynamodb:${action}`),
    [resource],
  ),
  conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys } },
});
const isDynamoDb = (statement: ReadableStatement) =>
  statement.actions.some((action) => action.startsWith('dynamodb:'));
/** `true` when `value` matches the IAM `StringLike` pattern (`*`, `?` wildcards). */
const stringLike = (pattern: string, value: string) => {
  const escaped = pattern.replace(/[.+^$(){}|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);
};

describe('the IAM policies of the functions', () => {
  // Prepare: the default deployment (no SES domain), as `cdk synth` builds it.
  const { statelessTemplate: template, statefulTemplate } = synthesizeCertReminders();
  const logsOf = (name: string) =>
    allow(
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [`<${logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}LogGroup`)}.Arn>`],
    );
  const queueArn = (prefix: string) => `<${logicalIdOf(template, 'AWS::SQS::Queue', prefix)}.Arn>`;
  const configurationSetArn = `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'EmailConfigurationSet')}>`;
  const dynamoDbStatements = [template, statefulTemplate].flatMap(allStatements).filter(isDynamoDb);

  it('give ingest reads and writes of candidates, attempts and webhook ids, and the webhook secret', () => {
    // Act
    const statements = statementsOfRole(template, 'IngestRole');

    // Assess
    expect(statements).toEqual([
      logsOf('Ingest'),
      onItems(
        ['BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem'],
        ['CAND#*', 'ATTEMPT#*', 'WEBHOOK#*'],
      ),
      allow(['secretsmanager:GetSecretValue'], [secretArn('WebhookSecret')]),
    ]);
  });

  it('let the planner query the due index by shard, write run records and queue sends, nothing else', () => {
    // Act
    const statements = statementsOfRole(template, 'PlannerRole');

    // Assess
    expect(statements).toEqual([
      logsOf('Planner'),
      onItems(['Query'], ['DUE#*'], dueIndexArn),
      onItems(['PutItem'], ['RUN#*']),
      allow(['sqs:SendMessage'], [queueArn('SendQueue4')]),
    ]);
  });

  it('let the sender read candidates and suppressions, write candidates, send with SES, read the unsubscribe key and consume the queue', () => {
    // Act
    const statements = statementsOfRole(template, 'SenderRole');

    // Assess
    expect(statements).toEqual([
      logsOf('Sender'),
      onItems(['BatchGetItem', 'GetItem'], ['CAND#*', 'SUPPRESS#*']),
      onItems(['PutItem'], ['CAND#*']),
      allow(
        ['ses:SendEmail'],
        [
          configurationSetArn,
          'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*',
        ].sort(),
      ),
      allow(['secretsmanager:GetSecretValue'], [secretArn('UnsubscribeSecret')]),
      allow(
        [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        [queueArn('SendQueue4')],
      ),
    ]);
  });

  it('let ses-events write suppression entries only, and dead-letter what it cannot record', () => {
    // Act
    const statements = statementsOfRole(template, 'SesEventsRole');

    // Assess
    expect(statements).toEqual([
      logsOf('SesEvents'),
      allow(['sqs:SendMessage'], [queueArn('SesEventsDeadLetterQueue')]),
      onItems(['PutItem'], ['SUPPRESS#*']),
    ]);
  });

  it('let unsubscribe read and write candidates and read the unsubscribe key, nothing else', () => {
    // Act
    const statements = statementsOfRole(template, 'UnsubscribeRole');

    // Assess
    expect(statements).toEqual([
      logsOf('Unsubscribe'),
      onItems(['BatchGetItem', 'GetItem', 'PutItem'], ['CAND#*']),
      allow(['secretsmanager:GetSecretValue'], [secretArn('UnsubscribeSecret')]),
    ]);
  });

  it('let the scheduler invoke the planner by its unqualified ARN and dead-letter, nothing else', () => {
    // Act
    const statements = statementsOfRole(template, 'SchedulerRoleForTarget');

    // Assess
    expect(statements).toEqual([
      allow(
        ['lambda:InvokeFunction'],
        [`<${logicalIdOf(template, 'AWS::Lambda::Function', 'PlannerFunction')}.Arn>`],
      ),
      allow(['sqs:SendMessage'], [queueArn('PlannerScheduleDeadLetterQueue')]),
    ]);
  });

  it('attach no managed policy to any role', () => {
    // Act
    const roles = Object.values(template.findResources('AWS::IAM::Role'));

    // Assess
    expect(roles).toHaveLength(6);
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('never allow Scan, UpdateItem, DeleteItem, transactions, PartiQL or a DynamoDB wildcard, in either stack', () => {
    // Act
    const actions = [...new Set(dynamoDbStatements.flatMap((statement) => statement.actions))];

    // Assess
    expect(actions.sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    for (const forbidden of ['Scan', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'])
      expect(actions).not.toContain(`dynamodb:${forbidden}`);
    const everyAction = [template, statefulTemplate]
      .flatMap(allStatements)
      .flatMap((statement) => statement.actions);
    expect(everyAction.filter((action) => /^dynamodb:.*\*/.test(action) || action === '*')).toEqual(
      [],
    );
  });

  it('limit every DynamoDB statement to the items of some partition key prefixes', () => {
    // Assess
    expect(dynamoDbStatements.length).toBeGreaterThan(0);
    for (const statement of dynamoDbStatements) {
      const { 'ForAllValues:StringLike': stringLikeAll, ...others } = statement.conditions ?? {};
      expect(others).toEqual({});
      expect(Object.keys(stringLikeAll ?? {})).toEqual(['dynamodb:LeadingKeys']);
      const patterns = stringLikeAll?.['dynamodb:LeadingKeys'] as string[];
      expect(patterns.length).toBeGreaterThan(0);
      for (const pattern of patterns) expect(pattern).toMatch(/^[A-Z]+#\*$/);
    }
  });

  it('never Query the table itself, and allow nothing on the due index but the planner Query', () => {
    // Act
    const queries = dynamoDbStatements.filter((statement) =>
      statement.actions.includes('dynamodb:Query'),
    );
    const onIndex = allStatements(template).filter((statement) =>
      statement.resources.some((resource) => resource.includes('/index/')),
    );

    // Assess
    expect(queries).toEqual([onItems(['Query'], ['DUE#*'], dueIndexArn)]);
    expect(onIndex).toEqual([onItems(['Query'], ['DUE#*'], dueIndexArn)]);
  });
});

describe('the IAM policies of the functions, with outbound webhooks', () => {
  // Prepare: outbound webhooks on, so bounces and complaints name candidates.
  const { statelessTemplate: template } = synthesizeCertReminders({
    outboundWebhookUrl: 'https://receiver.example/hooks',
  });
  const dynamoDbStatements = allStatements(template).filter(isDynamoDb);

  it('let ses-events write suppression entries and Query the address indexes by hash only', () => {
    // Act
    const statements = statementsOfRole(template, 'SesEventsRole').filter(isDynamoDb);

    // Assess
    expect(statements).toEqual([
      onItems(['PutItem'], ['SUPPRESS#*']),
      {
        ...allow(['dynamodb:Query'], addressIndexArns),
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EMAIL#*'] } },
      },
    ]);
  });

  it('never Query the table itself, and Query no index but the due index (planner) and the address indexes (ses-events)', () => {
    // Act
    const queries = dynamoDbStatements.filter((statement) =>
      statement.actions.includes('dynamodb:Query'),
    );
    const onIndex = allStatements(template).filter((statement) =>
      statement.resources.some((resource) => resource.includes('/index/')),
    );
    const addressQuery = {
      ...allow(['dynamodb:Query'], addressIndexArns),
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EMAIL#*'] } },
    };

    // Assess
    expect(queries).toEqual([onItems(['Query'], ['DUE#*'], dueIndexArn), addressQuery]);
    expect(onIndex).toEqual(queries);
  });
});

describe('the leading keys of the IAM policies', () => {
  // Prepare: one key of each kind of item, as the repositories build them.
  const itemKeys = {
    candidates: candidateKey('cand-ana').pk,
    attempts: attemptKey('att-1').pk,
    webhooks: webhookKey('msg_2Kd').pk,
    suppressions: suppressionKey('Ana@Example.com').pk,
    runs: runKey('2027-11-29T13:00:00Z').pk,
  };

  it('match the partition key of their kind of item, and of no other kind', () => {
    // Act
    const matches = Object.fromEntries(
      Object.entries(itemKeys).map(([kind, pk]) => [
        kind,
        Object.entries(LEADING_KEYS)
          .filter(([, pattern]) => stringLike(pattern, pk))
          .map(([patternKind]) => patternKind),
      ]),
    );

    // Assess
    expect(matches).toEqual({
      candidates: ['candidates'],
      attempts: ['attempts'],
      webhooks: ['webhooks'],
      suppressions: ['suppressions'],
      runs: ['runs'],
    });
  });

  it('match every shard of the due index', () => {
    // Act
    const shardKeys = Array.from({ length: TABLE_DESIGN.dueShards }, (_, shard) => duePk(shard));

    // Assess
    expect(shardKeys).toHaveLength(16);
    for (const shardKey of shardKeys)
      expect(stringLike(DUE_INDEX_LEADING_KEY, shardKey)).toBe(true);
  });

  it('match the address-index key of an address, and no table item kind matches it', () => {
    // Act
    const key = addressKey('Ana@Example.com');

    // Assess
    expect(stringLike(ADDRESS_INDEX_LEADING_KEY, key)).toBe(true);
    expect(Object.values(LEADING_KEYS).filter((pattern) => stringLike(pattern, key))).toEqual([]);
    expect(
      Object.values(itemKeys).filter((pk) => stringLike(ADDRESS_INDEX_LEADING_KEY, pk)),
    ).toEqual([]);
  });

  it('let no function reach the local secrets item', () => {
    // Act
    const reaching = [
      ...Object.values(LEADING_KEYS),
      DUE_INDEX_LEADING_KEY,
      ADDRESS_INDEX_LEADING_KEY,
    ].filter((pattern) => stringLike(pattern, 'LOCAL#SECRETS'));

    // Assess
    expect(reaching).toEqual([]);
  });
});

describe('the IAM policies on a restored table', () => {
  // Prepare
  const { statelessTemplate: template } = synthesizeCertReminders({
    tableName: 'cert-reminders-restored',
  });

  it('name the restored table and its due index, and no other', () => {
    // Act
    const resources = allStatements(template)
      .filter(isDynamoDb)
      .flatMap((statement) => statement.resources);

    // Assess
    const restored =
      'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/cert-reminders-restored';
    expect(new Set(resources)).toEqual(new Set([restored, `${restored}/index/due-index`]));
  });

  it('name the address indexes of the restored table, with outbound webhooks', () => {
    // Act
    const { statelessTemplate } = synthesizeCertReminders({
      tableName: 'cert-reminders-restored',
      outboundWebhookUrl: 'https://receiver.example/hooks',
    });
    const resources = allStatements(statelessTemplate)
      .filter(isDynamoDb)
      .flatMap((statement) => statement.resources);

    // Assess
    const restored =
      'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/cert-reminders-restored';
    expect(new Set(resources)).toEqual(
      new Set([
        restored,
        `${restored}/index/due-index`,
        `${restored}/index/by-email`,
        `${restored}/index/by-guardian-email`,
      ]),
    );
  });
});

describe.each([
  ['the default deployment', {}],
  [
    'a deployment with an SES domain and an alarm email',
    { domain: 'example.org', fromAddress: 'reminders@example.org', alarmEmail: 'ops@example.org' },
  ],
])('the KMS key policies of %s', (_name, context) => {
  // Prepare
  const { statefulTemplate, statelessTemplate } = synthesizeCertReminders(context);
  const statements = [statefulTemplate, statelessTemplate].flatMap(keyPolicyStatements);

  it('name only the account itself or an AWS service as principal', () => {
    // Assess
    expect(statements.length).toBeGreaterThan(0);
    for (const { statement } of statements) {
      if (statement.Principal.Service !== undefined) continue;
      expect(readable(statement.Principal.AWS)).toBe(
        'arn:<AWS::Partition>:iam::<AWS::AccountId>:root',
      );
    }
  });

  it('let a service use a key only on behalf of this account and of named resources', () => {
    // Act
    const serviceStatements = statements.filter(
      ({ statement }) => statement.Principal.Service !== undefined,
    );

    // Assess
    expect(serviceStatements.map(({ keyId }) => keyId).sort()).toEqual(
      Object.keys(statelessTemplate.findResources('AWS::KMS::Key')).sort(),
    );
    for (const { statement } of serviceStatements) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({
        Ref: 'AWS::AccountId',
      });
      expect(readable(statement.Condition?.ArnLike?.['aws:SourceArn'])).toMatch(
        /^arn:<AWS::Partition>:[a-z]+:<AWS::Region>:<AWS::AccountId>:/,
      );
    }
  });
});

describe('the IAM policy of the sender with an SES domain', () => {
  // Prepare
  const { statelessTemplate: template } = synthesizeCertReminders({
    domain: 'example.org',
    fromAddress: 'reminders@example.org',
  });

  it('allows ses:SendEmail on the domain identity and the configuration set only', () => {
    // Act
    const sesStatements = statementsOfRole(template, 'SenderRole').filter((statement) =>
      statement.actions.some((action) => action.startsWith('ses:')),
    );

    // Assess
    expect(sesStatements).toEqual([
      allow(
        ['ses:SendEmail'],
        [
          `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${logicalIdOf(template, 'AWS::SES::ConfigurationSet', 'EmailConfigurationSet')}>`,
          `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/<${logicalIdOf(template, 'AWS::SES::EmailIdentity', 'EmailDomainIdentity')}>`,
        ],
      ),
    ]);
  });
});
