import { isActive, viewOf } from '../../functions/domain/candidate-state';
import type { CandidateView } from '../../functions/domain/event-fold';
import {
  awsClients,
  connectTable,
  createLocalApp,
  type LocalApp,
  localClients,
} from '../local/local-app';
import { findLocalSecrets } from '../local/local-secrets';
import { type CliContext, localConfigOf, ruleSettingsOf } from './cli-context';
import { RuntimeFailure, UsageError } from './cli-errors';

/**
 * Opens the store for a command: the local stack's emulators (`DYNAMODB_ENDPOINT`,
 * `SES_ENDPOINT`), or with `--target aws` the deployed table (`TABLE_NAME`, `AWS_REGION`).
 */
export const openApp = async (
  context: CliContext,
  options: {
    readonly target?: string;
    readonly readOnly?: boolean;
    readonly needsSecrets?: boolean;
    /** A maintenance command that may write to the deployed table (`reindex`). */
    readonly writesOnAws?: boolean;
  } = {},
): Promise<LocalApp> => {
  const config = localConfigOf(context);
  const settings = ruleSettingsOf(context);
  if (options.target !== undefined && options.target !== 'aws' && options.target !== 'local') {
    throw new UsageError(`--target must be "aws" or "local", got "${options.target}"`);
  }
  const onAws = options.target === 'aws';
  if (onAws && !options.readOnly && !options.writesOnAws)
    throw new UsageError(
      '--target aws is only for read-only commands (forecast, timeline, run --dry-run) and reindex',
    );
  const clients = onAws ? awsClients() : localClients(config);
  await connectTable(clients.dynamodb, config.tableName, {
    label: onAws
      ? `table ${config.tableName} on AWS`
      : `${config.dynamodbEndpoint} (DYNAMODB_ENDPOINT)`,
    create: !onAws,
  });
  const secrets = options.needsSecrets
    ? await findLocalSecrets({
        dataDir: config.dataDir,
        env: context.env,
        client: clients.dynamodb,
        tableName: config.tableName,
      }).catch((error: Error) => {
        throw new RuntimeFailure(error.message);
      })
    : { webhookSecrets: [], unsubscribeSecrets: ['unused-by-read-only-commands'] };
  const app = createLocalApp({ config, settings, secrets, clients });
  return app;
};

/**
 * Every candidate in the store (or one, after merges), as the rules see them, for read-only
 * commands. All of them means a parallel Scan of the table: operators only, never a Lambda.
 */
export const storedCandidates = async (
  app: LocalApp,
  candidateId?: string,
): Promise<CandidateView[]> => {
  if (candidateId !== undefined) {
    const resolved = await app.store.resolveCandidate(candidateId);
    if (resolved.erased) return [];
    const found = await app.stores.candidates.load(resolved.candidateId);
    return found && isActive(found.state) ? [viewOf(found.state)] : [];
  }
  const views: CandidateView[] = [];
  for await (const page of app.stores.candidates.scanCandidates())
    for (const { state } of page) if (isActive(state)) views.push(viewOf(state));
  return views;
};
