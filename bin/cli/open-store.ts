import type { CandidateView } from '../../functions/domain/event-fold';
import type { CandidateRecord } from '../../functions/use-cases/ports';
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
  } = {},
): Promise<LocalApp> => {
  const config = localConfigOf(context);
  const settings = ruleSettingsOf(context);
  if (options.target !== undefined && options.target !== 'aws' && options.target !== 'local') {
    throw new UsageError(`--target must be "aws" or "local", got "${options.target}"`);
  }
  const onAws = options.target === 'aws';
  if (onAws && !options.readOnly)
    throw new UsageError(
      '--target aws is only for read-only commands (forecast, timeline, run --dry-run)',
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

/** Turns a stored candidate into the view the pure rules use. */
export const viewOf = (record: CandidateRecord): CandidateView => ({
  candidateId: record.candidateId,
  profile: record.profile?.profile ?? { candidateId: record.candidateId },
  credentials: record.states.map((state) => ({
    credentialId: state.credentialId,
    name: state.credentialName,
    attempts: state.attempts,
  })),
});

/** Every candidate in the store (or one), for read-only commands. Reads the whole table. */
export const storedCandidates = async (
  app: LocalApp,
  candidateId?: string,
): Promise<CandidateView[]> => {
  const ids: string[] = [];
  if (candidateId !== undefined) {
    const resolved = await app.store.resolveCandidate(candidateId);
    if (!resolved.erased) ids.push(resolved.candidateId);
  } else {
    for await (const id of app.store.listCandidateIds()) ids.push(id);
  }
  const views: CandidateView[] = [];
  for (const id of [...new Set(ids)]) {
    const record = await app.store.loadCandidate(id);
    if (
      !record.erased &&
      record.mergedInto === undefined &&
      (record.profile || record.states.length > 0)
    ) {
      views.push(viewOf(record));
    }
  }
  return views;
};
