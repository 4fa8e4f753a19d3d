import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoStores } from '../adapters/dynamodb/dynamo-stores';
import { type RuleSettings, ruleSettingsFromEnv } from '../domain/rule-settings';
import type { Stores } from '../use-cases/ports';

/**
 * What the Lambda handlers share when they run on AWS: configuration from the environment and
 * SDK clients created once per container. Secrets (`lambda-secrets.ts`) and metrics
 * (`lambda-metrics.ts`) live apart, so a function that needs neither does not bundle them.
 */

export const logger = new Logger({
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

let stores: Stores | undefined;
/** The repositories on the table named by `TABLE_NAME`. */
export const storesFromEnv = (): Stores => {
  stores ??= createDynamoStores({
    documentClient: documentClientFor(new DynamoDBClient({})),
    tableName: requireEnv('TABLE_NAME'),
  });
  return stores;
};

/** `CLAIM_LEASE_SECONDS` (SPEC §6), default 900. */
export const claimLeaseSecondsFromEnv = (): number => {
  const text = process.env.CLAIM_LEASE_SECONDS ?? '900';
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > 86_400)
    throw new Error('CLAIM_LEASE_SECONDS must be a whole number of seconds from 1 to 86400');
  return value;
};

export const settingsFromEnv = (): RuleSettings => ruleSettingsFromEnv(process.env);

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
