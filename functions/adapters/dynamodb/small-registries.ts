import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RunLog } from '../../use-cases/ports/run-log';
import type { SuppressionList } from '../../use-cases/ports/suppression-list';
import type { WebhookMemory } from '../../use-cases/ports/webhook-memory';
import { type ItemReader, readMany } from './dynamo-requests';
import { runKey, suppressionKey, webhookKey } from './item-keys';

/** How long a `webhook-id` is remembered (SPEC §3 asks for at least 7 days). */
export const WEBHOOK_MEMORY_SECONDS = 8 * 24 * 3600;

interface Options {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly reader: ItemReader;
}

/**
 * Webhook ids with a TTL. dynalite has no TTL, so an expired record also counts as forgotten
 * when read.
 */
export const createDynamoWebhookMemory = ({
  documentClient: db,
  tableName: TableName,
  reader,
}: Options): WebhookMemory => ({
  isSeen: async (webhookId, now) => {
    const item = await reader.get(webhookKey(webhookId));
    return item !== undefined && Number(item.expiresAt) > Math.floor(now.getTime() / 1000);
  },
  remember: async (webhookId, now) => {
    await db.send(
      new PutCommand({
        TableName,
        Item: {
          ...webhookKey(webhookId),
          expiresAt: Math.floor(now.getTime() / 1000) + WEBHOOK_MEMORY_SECONDS,
        },
      }),
    );
  },
});

/** The suppression list: one item per SHA-256 of a lowercased address, never the address. */
export const createDynamoSuppressionList = ({
  documentClient: db,
  tableName: TableName,
  reader,
}: Options): SuppressionList => ({
  suppressed: async (emails) =>
    new Set((await readMany(reader, emails, suppressionKey, () => true)).keys()),
  suppress: async (email, reason, at) => {
    await db.send(new PutCommand({ TableName, Item: { ...suppressionKey(email), reason, at } }));
  },
});

/** Run records: one item per real run, with its summary. */
export const createDynamoRunLog = ({
  documentClient: db,
  tableName: TableName,
}: Options): RunLog => ({
  recordRun: async (runAt, summary) => {
    await db.send(new PutCommand({ TableName, Item: { ...runKey(runAt), runAt, ...summary } }));
  },
});
