import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Stores } from '../../use-cases/ports';
import { createDynamoAttemptRegistry } from './attempt-registry';
import { createDynamoCandidateRepository } from './candidate-repository';
import { createItemReader } from './dynamo-requests';
import {
  createDynamoRunLog,
  createDynamoSuppressionList,
  createDynamoWebhookMemory,
} from './small-registries';

/**
 * Every repository on one table, sharing one batching reader, so that reads made together by a
 * use case (a candidate and a webhook id; two addresses) go as one request.
 *
 * @example
 * const stores = createDynamoStores({ documentClient, tableName: 'cert-reminders' });
 * const candidate = await stores.candidates.load('cand-ana');
 */
export const createDynamoStores = (options: {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}): Stores => {
  const reader = createItemReader(options.documentClient, options.tableName);
  const shared = { ...options, reader };
  return {
    candidates: createDynamoCandidateRepository(shared),
    attempts: createDynamoAttemptRegistry(shared),
    webhooks: createDynamoWebhookMemory(shared),
    suppressions: createDynamoSuppressionList(shared),
    runs: createDynamoRunLog(shared),
  };
};
