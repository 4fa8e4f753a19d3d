/**
 * A minimal receiver of the outbound webhooks (README "Outbound webhooks"): it verifies each
 * request's Standard Webhooks signature with `OUTBOUND_WEBHOOK_SECRET`, answers 204, skips an
 * event whose `webhook-id` it has already seen (deliveries are at least once), and prints the
 * others, one JSON line each.
 *
 *   OUTBOUND_WEBHOOK_SECRET=whsec_… RECEIVER_PORT=4000 npx tsx examples/receiver.ts
 *
 * then start the stack with `OUTBOUND_WEBHOOK_URL=http://127.0.0.1:4000/ npm start`. The secret
 * is the one `npm start` prints as "Outbound secret". A real receiver would keep the ids it has
 * seen in its database, for a few days at least.
 */
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const secret = process.env.OUTBOUND_WEBHOOK_SECRET;
if (!secret?.startsWith('whsec_')) {
  process.stderr.write('Set OUTBOUND_WEBHOOK_SECRET to the whsec_… secret the stack prints.\n');
  process.exit(2);
}
const webhook = new Webhook(secret);
const port = Number(process.env.RECEIVER_PORT ?? 4000);
const seen = new Set<string>();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => String(request.headers[name] ?? '');
    const id = header('webhook-id');
    try {
      webhook.verify(body, {
        'webhook-id': id,
        'webhook-timestamp': header('webhook-timestamp'),
        'webhook-signature': header('webhook-signature'),
      });
    } catch (error) {
      process.stderr.write(`refused a request: ${(error as Error).message}\n`);
      response.writeHead(401).end();
      return;
    }
    if (seen.has(id)) {
      process.stderr.write(`duplicate ${id}, already handled\n`);
    } else {
      seen.add(id);
      process.stdout.write(`${JSON.stringify({ id, ...JSON.parse(body) })}\n`);
    }
    response.writeHead(204).end();
  });
});

server.listen(port, '127.0.0.1', () => {
  process.stderr.write(`Receiving outbound webhooks on http://127.0.0.1:${port}/\n`);
});
