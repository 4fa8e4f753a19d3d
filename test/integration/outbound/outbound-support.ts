import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { inject } from 'vitest';
import { connectTable, createLocalApp, localClients } from '../../../bin/local/local-app';
import { localConfigFromEnv } from '../../../bin/local/local-config';
import { DEFAULT_RULE_SETTINGS } from '../../../functions/domain/rule-settings';
import type { Clock } from '../../../functions/use-cases/ports';
import { OLD_WEBHOOK_SECRET, UNSUBSCRIBE_SECRET, WEBHOOK_SECRET } from '../support/harness';

/** The outbound secret of these tests (`OUTBOUND_WEBHOOK_SECRET`). */
export const OUTBOUND_SECRET = 'whsec_b3V0Ym91bmQgdGVzdCBzZWNyZXQga2V5IDEyMzQ1';

/** One request the receiver got, and how it answered. */
export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answered: number | 'hung';
}

/** What the receiver does with one request: answer a status, or never answer (a time-out). */
export type ReceiverBehaviour = (request: {
  readonly webhookId: string;
  /** Earlier requests with the same `webhook-id`. */
  readonly seenBefore: number;
}) => number | 'hang';

/**
 * A real HTTP receiver on a free port that records every request, and answers as `behave`
 * says (by default 204).
 */
export const startReceiver = async (behave: ReceiverBehaviour = () => 204) => {
  const requests: ReceivedRequest[] = [];
  let behaviour = behave;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const webhookId = String(request.headers['webhook-id'] ?? '');
      const seenBefore = requests.filter((r) => r.headers['webhook-id'] === webhookId).length;
      const answer = behaviour({ webhookId, seenBefore });
      requests.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered: answer === 'hang' ? 'hung' : answer,
      });
      if (answer !== 'hang') response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    behave(next: ReceiverBehaviour) {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/**
 * Whether a request's signature is the one made with {@link OUTBOUND_SECRET} at the request's
 * own `webhook-timestamp` (however far the test moved the clock from the real time).
 */
export const signedAtItsOwnTimestamp = (request: ReceivedRequest): boolean => {
  const id = String(request.headers['webhook-id']);
  const timestamp = Number(request.headers['webhook-timestamp']);
  const expected = new Webhook(OUTBOUND_SECRET).sign(id, new Date(timestamp * 1000), request.body);
  return String(request.headers['webhook-signature']).split(' ').includes(expected);
};

/** A fresh table on the shared emulators, with the local app sending outbound webhooks to `url`. */
export const createOutboundTestApp = async (url: string, clock: Clock) => {
  const tableName = `test-${randomUUID()}`;
  const config = localConfigFromEnv({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    SES_MAX_SEND_RATE: '1000',
    PUBLIC_URL: 'http://127.0.0.1:3999',
    OUTBOUND_WEBHOOK_URL: url,
  });
  const clients = localClients(config);
  await connectTable(clients.dynamodb, tableName, { label: 'test', create: true });
  const app = createLocalApp({
    config,
    settings: DEFAULT_RULE_SETTINGS,
    secrets: {
      webhookSecrets: [WEBHOOK_SECRET, OLD_WEBHOOK_SECRET],
      unsubscribeSecrets: [UNSUBSCRIBE_SECRET],
      outboundWebhookSecrets: [OUTBOUND_SECRET],
    },
    clients,
    clock,
    simulatorDelayMs: 1,
    outboundTimeoutMs: 300,
  });
  return { app, config, clients, tableName };
};
