import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoStores } from '../adapters/dynamodb/dynamo-stores';
import type { RuntimeConfig } from '../config/runtime-config';
import type { Clock, Stores } from '../use-cases/ports';
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
