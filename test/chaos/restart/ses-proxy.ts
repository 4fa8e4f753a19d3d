import { createServer, type IncomingMessage, request, type Server } from 'node:http';

/**
 * An HTTP proxy in front of the SES emulator, given to a sender as its SES_ENDPOINT. It records
 * the message id of every email SES accepted, and on demand withholds SES's answers: the email is
 * accepted (it is in the emulator's inbox) but the sender never hears of it. A sender killed then
 * is exactly the window SPEC §1 leaves open ("SES accepted the email and the sender died before
 * recording it").
 */
export interface ProxiedEmail {
  readonly messageId: string;
  readonly to: string;
}

export interface SesProxy {
  readonly url: string;
  /** Emails SES accepted, in order (withheld ones included): message id and first To address. */
  readonly accepted: ReadonlyArray<ProxiedEmail>;
  /** Emails SES accepted while its answers were withheld. */
  readonly withheld: ReadonlyArray<ProxiedEmail>;
  /** From now on, forward requests but never answer the sender. */
  withholdAnswers(): void;
  close(): Promise<void>;
}

const readBody = (incoming: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });

/** The first To address of a SES v2 SendEmail request body. */
const recipientOf = (body: Buffer): string => {
  try {
    const sent = JSON.parse(body.toString('utf8')) as {
      Destination?: { ToAddresses?: string[] };
    };
    return sent.Destination?.ToAddresses?.[0] ?? '';
  } catch {
    return '';
  }
};

export const startSesProxy = async (upstreamPort: number): Promise<SesProxy> => {
  const accepted: ProxiedEmail[] = [];
  const withheld: ProxiedEmail[] = [];
  let withholding = false;
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      const body = await readBody(incoming);
      const headers = { ...incoming.headers, host: `127.0.0.1:${upstreamPort}` };
      const answer = await new Promise<{ status: number; headers: object; body: Buffer }>(
        (resolve, reject) => {
          const forwarded = request(
            {
              host: '127.0.0.1',
              port: upstreamPort,
              method: incoming.method,
              path: incoming.url,
              headers,
            },
            async (response) => {
              resolve({
                status: response.statusCode ?? 502,
                headers: response.headers,
                body: await readBody(response),
              });
            },
          );
          forwarded.on('error', reject);
          forwarded.end(body);
        },
      );
      let messageId: string | undefined;
      try {
        messageId = (JSON.parse(answer.body.toString('utf8')) as { MessageId?: string }).MessageId;
      } catch {
        messageId = undefined;
      }
      if (answer.status === 200 && messageId) {
        const email = { messageId, to: recipientOf(body) };
        accepted.push(email);
        if (withholding) {
          withheld.push(email);
          return; // Never answered: the sender waits until it is killed.
        }
      }
      outgoing.writeHead(answer.status, answer.headers as Record<string, string>);
      outgoing.end(answer.body);
    } catch {
      // SES is gone (its stack was killed): the sender sees the connection drop, as it would.
      outgoing.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    withheld,
    withholdAnswers: () => {
      withholding = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
