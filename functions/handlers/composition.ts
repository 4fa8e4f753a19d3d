import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoStores } from '../adapters/dynamodb/dynamo-stores';
import type { RuntimeConfig } from '../config/runtime-config';
import type { RuleSettings } from '../domain/rule-settings';
import { type Clock, type Stores, systemClock } from '../use-cases/ports';
import { documentClientFor } from './lambda-runtime';

/**
 * What every composition root is given besides the configuration: the SDK clients (AWS on Lambda,
 * the emulators locally) and the wall clock. Each function adds its own (secrets, a queue).
 */
export interface Sources {
  readonly dynamodb: DynamoDBClient;
  readonly clock?: Clock;
}

/** The repositories on the configured table. */
export const storesFor = (config: Pick<RuntimeConfig, 'tableName'>, sources: Sources): Stores =>
  createDynamoStores({
    documentClient: documentClientFor(sources.dynamodb),
    tableName: config.tableName,
  });

/** What most functions take from their sources: the repositories, the rules and the clock. */
export const sharedDeps = (
  config: Pick<RuntimeConfig, 'tableName' | 'settings'>,
  sources: Sources,
): { readonly stores: Stores; readonly settings: RuleSettings; readonly clock: Clock } => ({
  stores: storesFor(config, sources),
  settings: config.settings,
  clock: sources.clock ?? systemClock,
});
