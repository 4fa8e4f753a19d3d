import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoStore } from '../adapters/dynamodb/dynamo-store';
import { splitSecrets } from '../adapters/webhook-signature';
import { type RuleSettings, ruleSettingsFromEnv } from '../domain/rule-settings';
import type { CertificationStore } from '../use-cases/ports';

/**
 * What the Lambda handlers share when they run on AWS: configuration from the environment,
 * SDK clients created once per container, and secrets fetched (and cached) from Secrets Manager.
 * The local stack builds the same dependencies its own way and calls the same `make…` factories.
 */

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cert-reminders',
});
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CertReminders',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cert-reminders',
});

export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

/** A DynamoDB document client that drops `undefined` attributes. */
export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

let store: CertificationStore | undefined;
/** The store on the table named by `TABLE_NAME`. */
export const storeFromEnv = (): CertificationStore => {
  store ??= createDynamoStore({
    documentClient: documentClientFor(new DynamoDBClient({})),
    tableName: requireEnv('TABLE_NAME'),
  });
  return store;
};

export const settingsFromEnv = (): RuleSettings => ruleSettingsFromEnv(process.env);

/**
 * A secret's value: the variable itself when set (e.g. `WEBHOOK_SECRET`), otherwise the Secrets
 * Manager secret named by `<NAME>_ARN`, cached for five minutes so rotations are picked up.
 */
export const secretFromEnv = async (name: string): Promise<string> => {
  const direct = process.env[name];
  if (direct) return direct;
  const value = await getSecret(requireEnv(`${name}_ARN`), { maxAge: 300 });
  if (typeof value !== 'string' || value === '') throw new Error(`secret ${name} is empty`);
  return value;
};

/** The unsubscribe signing secrets; the first signs new links. */
export const unsubscribeSecretsFromEnv = async (): Promise<string[]> =>
  splitSecrets(await secretFromEnv('UNSUBSCRIBE_SECRET'));

/** Builds a handler on first use, so importing a module never needs its configuration. */
export const lazily = <Event, Result>(build: () => Promise<(event: Event) => Promise<Result>>) => {
  let built: Promise<(event: Event) => Promise<Result>> | undefined;
  return async (event: Event): Promise<Result> => {
    built ??= build().catch((error) => {
      built = undefined;
      throw error;
    });
    return (await built)(event);
  };
};
