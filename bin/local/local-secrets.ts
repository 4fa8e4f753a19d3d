import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseWebhookSecrets, splitSecrets } from '../../functions/adapters/webhook-signature';
import { documentClientFor } from '../../functions/handlers/lambda-runtime';
import { parseOutboundSecrets } from '../../functions/handlers/outbound';

/** The local stack's secrets: from the environment when set, else generated once into `DATA_DIR`. */
export interface LocalSecrets {
  /** Every accepted webhook secret; the first signs the examples. */
  readonly webhookSecrets: readonly string[];
  /** Every accepted unsubscribe secret; the first signs new links. */
  readonly unsubscribeSecrets: readonly string[];
  /**
   * The outbound webhook secrets (`OUTBOUND_WEBHOOK_SECRET`, the first signs), when
   * `OUTBOUND_WEBHOOK_URL` is set: generated into the file the first time it is needed.
   */
  readonly outboundWebhookSecrets?: readonly string[];
  /** Whether the file was created now (the first start). */
  readonly generated: boolean;
  readonly file: string;
}

const SECRETS_FILE = 'secrets.json';

/**
 * Loads (or, the first time, generates and saves with mode 0600) the webhook and unsubscribe
 * secrets of the local stack. `WEBHOOK_SECRET` and `UNSUBSCRIBE_SECRET` override the file.
 *
 * @example
 * const { webhookSecrets } = await loadLocalSecrets('.data', process.env);
 */
export const loadLocalSecrets = async (
  dataDir: string,
  env: Record<string, string | undefined>,
  options: { readonly create?: boolean } = {},
): Promise<LocalSecrets> => {
  const file = join(dataDir, SECRETS_FILE);
  let stored: {
    webhookSecret?: string;
    unsubscribeSecret?: string;
    outboundWebhookSecret?: string;
  } = {};
  let generated = false;
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text !== undefined) {
    try {
      stored = JSON.parse(text);
    } catch {
      // Never overwrite secrets that may be in use: a broken file is for a person to look at.
      throw new Error(`${file} is not valid JSON: fix or remove it`);
    }
  } else if (options.create ?? true) {
    stored = {
      webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
      unsubscribeSecret: randomBytes(32).toString('base64url'),
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    generated = true;
  }
  if (
    env.OUTBOUND_WEBHOOK_URL &&
    !env.OUTBOUND_WEBHOOK_SECRET &&
    !stored.outboundWebhookSecret &&
    (options.create ?? true)
  ) {
    // Outbound webhooks were switched on after the first start: add their secret to the file.
    stored = { ...stored, outboundWebhookSecret: `whsec_${randomBytes(24).toString('base64')}` };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  const outbound = env.OUTBOUND_WEBHOOK_SECRET || stored.outboundWebhookSecret;
  const webhook = env.WEBHOOK_SECRET || stored.webhookSecret;
  const unsubscribe = env.UNSUBSCRIBE_SECRET || stored.unsubscribeSecret;
  if (!webhook || !unsubscribe) {
    throw new Error(
      `no secrets in ${file}: start the local stack once with \`npm start\`, or set WEBHOOK_SECRET and UNSUBSCRIBE_SECRET`,
    );
  }
  return {
    webhookSecrets: parseWebhookSecrets(webhook),
    unsubscribeSecrets: splitSecrets(unsubscribe),
    ...(env.OUTBOUND_WEBHOOK_URL && outbound
      ? { outboundWebhookSecrets: parseOutboundSecrets(outbound) }
      : {}),
    generated,
    file,
  };
};

/** Where the running local stack shares its secrets: its own table (local only, never on AWS). */
const SHARED_SECRETS_KEY = { pk: 'LOCAL#SECRETS', sk: 'LOCAL#SECRETS' };

/**
 * Publishes the local stack's secrets into its table, so that commands run with another
 * `DATA_DIR` (or none) sign webhooks and unsubscribe links the stack accepts.
 */
export const shareLocalSecrets = async (
  client: DynamoDBClient,
  tableName: string,
  secrets: Pick<LocalSecrets, 'webhookSecrets' | 'unsubscribeSecrets'>,
): Promise<void> => {
  await documentClientFor(client).send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...SHARED_SECRETS_KEY,
        webhookSecrets: [...secrets.webhookSecrets],
        unsubscribeSecrets: [...secrets.unsubscribeSecrets],
      },
    }),
  );
};

/**
 * The secrets for a command other than `dev`: `WEBHOOK_SECRET` / `UNSUBSCRIBE_SECRET` when set,
 * else those the running stack shared in its table, else `DATA_DIR/secrets.json`.
 */
export const findLocalSecrets = async (options: {
  readonly dataDir: string;
  readonly env: Record<string, string | undefined>;
  readonly client: DynamoDBClient;
  readonly tableName: string;
}): Promise<LocalSecrets> => {
  const shared = await documentClientFor(options.client)
    .send(new GetCommand({ TableName: options.tableName, Key: SHARED_SECRETS_KEY }))
    .then((answer) => answer.Item)
    .catch(() => undefined);
  if (shared === undefined)
    return loadLocalSecrets(options.dataDir, options.env, { create: false });
  return {
    webhookSecrets: parseWebhookSecrets(
      options.env.WEBHOOK_SECRET || (shared.webhookSecrets as string[]).join(','),
    ),
    unsubscribeSecrets: splitSecrets(
      options.env.UNSUBSCRIBE_SECRET || (shared.unsubscribeSecrets as string[]).join(','),
    ),
    generated: false,
    file: join(options.dataDir, SECRETS_FILE),
  };
};
