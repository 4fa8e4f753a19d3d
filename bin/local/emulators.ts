import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import sesModule from 'aws-ses-v2-local';
import dynalite from 'dynalite';

const listen = (server: Server, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });

/** A running emulator: its URL and how to stop it. */
export interface RunningEmulator {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts the DynamoDB emulator (dynalite) on `port`, persisted under `dataDir/dynamodb` (or in
 * memory without `dataDir`).
 *
 * @example
 * const dynamodb = await startDynamoEmulator({ port: 8000, dataDir: '.data' });
 */
export const startDynamoEmulator = async (options: {
  readonly port: number;
  readonly dataDir?: string;
  readonly host?: string;
}): Promise<RunningEmulator> => {
  const host = options.host ?? '127.0.0.1';
  let path: string | undefined;
  if (options.dataDir !== undefined) {
    path = join(options.dataDir, 'dynamodb');
    await mkdir(path, { recursive: true });
  }
  const server = dynalite({
    ...(path ? { path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  }) as Server;
  await listen(server, options.port, host);
  const port = (server.address() as { port: number }).port;
  return { url: `http://${host}:${port}`, port, stop: () => close(server) };
};

/**
 * Starts the SES emulator (aws-ses-v2-local) with its web inbox at `/` and `GET /store`.
 *
 * @example
 * const ses = await startSesEmulator({ port: 8005 });
 */
export const startSesEmulator = async (options: {
  readonly port: number;
  readonly host?: string;
}): Promise<RunningEmulator> => {
  const host = options.host ?? '127.0.0.1';
  // A CommonJS module: under Node's ESM interop its function sits on `default.default`.
  const start = ((sesModule as unknown as { default?: typeof sesModule }).default ??
    sesModule) as typeof sesModule;
  const server = await start({ host, port: options.port });
  const port = (server.address() as { port: number }).port;
  return { url: `http://${host}:${port}`, port, stop: () => close(server) };
};
