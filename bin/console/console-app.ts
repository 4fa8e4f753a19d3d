import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { RuleSettings } from '../../functions/domain/rule-settings';
import { buildSenderDeps } from '../../functions/handlers/sender';
import type { CandidateReader } from '../../functions/use-cases/candidate-record';
import type { Clock } from '../../functions/use-cases/ports';
import type { LocalConfig } from '../local/local-config';
import { createConsoleReader } from './console-data';
import { consoleRoutes } from './console-routes';
import { PREVIEW_UNSUBSCRIBE_SECRET, previewEmail } from './email-preview';
import { scanTable } from './table-scan';

/** Parallel Scan segments the console reads the table with. */
export const CONSOLE_SCAN_SEGMENTS = 4;

/** Seconds a Scan's result is reused, so moving between pages is quick. */
export const CONSOLE_CACHE_SECONDS = 60;

/**
 * The console's composition root: the CLI's reads (the candidate reader, `forecast`,
 * `timeline`), the sender's own dry run for previews (its links signed with a placeholder, never
 * the real unsubscribe secret) and the console's parallel Scan, all on the given clients.
 *
 * @example
 * const routes = createConsole({ config, settings, store: app.store, clients, target: 'local table', mounts: ['', '/console'] });
 */
export const createConsole = (options: {
  readonly config: LocalConfig;
  readonly settings: RuleSettings;
  readonly store: CandidateReader;
  readonly clients: { readonly dynamodb: DynamoDBClient; readonly ses: SESv2Client };
  readonly target: string;
  readonly mounts: readonly string[];
  readonly clock?: Clock;
  readonly now?: () => Date;
  readonly segments?: number;
  readonly cacheSeconds?: number;
  readonly onError?: (error: unknown) => void;
}) => {
  const { config, settings, clients } = options;
  const now = options.now ?? (() => new Date());
  const segments = options.segments ?? CONSOLE_SCAN_SEGMENTS;
  const cacheSeconds = options.cacheSeconds ?? CONSOLE_CACHE_SECONDS;
  const senderDeps = buildSenderDeps(
    { ...config.runtime, settings },
    {
      dynamodb: clients.dynamodb,
      ses: clients.ses,
      ...(options.clock ? { clock: options.clock } : {}),
      unsubscribeSecrets: async () => [PREVIEW_UNSUBSCRIBE_SECRET],
    },
  );
  const reader = createConsoleReader({
    store: options.store,
    settings,
    now,
    cacheMs: cacheSeconds * 1000,
    scan: (onProgress) =>
      scanTable(clients.dynamodb, config.tableName, { segments, onProgress, now }),
    preview: (candidateId, runAt) => previewEmail(senderDeps, candidateId, runAt),
  });
  return consoleRoutes({
    reader,
    target: options.target,
    mounts: options.mounts,
    segments,
    cacheSeconds,
    now,
    ...(options.onError ? { onError: options.onError } : {}),
  });
};
