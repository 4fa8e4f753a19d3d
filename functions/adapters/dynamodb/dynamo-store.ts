import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { parseInstant, utcDateOf } from '../../domain/calendar';
import { mergeWrites, type ProfileWrites, profileFromWrites } from '../../domain/candidate-profile';
import type { Attempt, Reminder } from '../../domain/reminder-rules';
import type {
  AttemptRegistration,
  CandidateRecord,
  CertificationStore,
  ClaimRequest,
  DueEntry,
  ReminderRecord,
  ResolvedCandidate,
  StoredProfile,
  StoredState,
} from '../../use-cases/ports';
import {
  attemptKey,
  candidatePk,
  duePk,
  dueSk,
  dueSkUpTo,
  ERASED_SK,
  MERGED_SK,
  PROFILE_SK,
  REMINDER_SK_PREFIX,
  reminderSk,
  runKey,
  STATE_SK_PREFIX,
  shardOf,
  stateSk,
  suppressionKey,
  webhookKey,
} from './item-keys';
import { TABLE_DESIGN } from './table-design';

/** How long a `webhook-id` is remembered (SPEC §3 asks for at least 7 days). */
const WEBHOOK_MEMORY_SECONDS = 8 * 24 * 3600;
const MAX_OPTIMISTIC_RETRIES = 25;
const MAX_MERGE_HOPS = 32;

type Item = Record<string, unknown>;

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** Runs `write`, treating a failed condition as `false` rather than an error. */
const conditionally = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

const jitter = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));

export interface DynamoStoreOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * The candidate store on one DynamoDB table. Every read-modify-write is optimistic (a version
 * condition, retried), so concurrent events for one candidate never lose each other; no
 * transactions are needed.
 *
 * @example
 * const store = createDynamoStore({ documentClient, tableName: 'cert-reminders' });
 * const candidate = await store.loadCandidate('cand-ana');
 */
export const createDynamoStore = ({
  documentClient: db,
  tableName: TableName,
}: DynamoStoreOptions): CertificationStore => {
  const get = async (pk: string, sk: string, consistent = true): Promise<Item | undefined> =>
    (await db.send(new GetCommand({ TableName, Key: { pk, sk }, ConsistentRead: consistent })))
      .Item;

  const queryPartition = async (
    pk: string,
    extra: Partial<{ from: string; to: string }> = {},
  ): Promise<Item[]> => {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const range = extra.from !== undefined && extra.to !== undefined;
      const page = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: range ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk',
          ExpressionAttributeValues: range
            ? { ':pk': pk, ':from': extra.from, ':to': extra.to }
            : { ':pk': pk },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  /**
   * The item an optimistic write starts from: on the first try, what the caller just read
   * (`null`: nothing), which saves a read; the version condition keeps that safe. On retries, a
   * fresh consistent read.
   */
  const readFirstFrom = async (
    snapshot: object | null | undefined,
    attempt: number,
    pk: string,
    sk: string,
  ): Promise<Item | undefined> => {
    if (attempt > 0 || snapshot === undefined) return get(pk, sk);
    return snapshot === null ? undefined : { ...snapshot };
  };

  const toProfile = (candidateId: string, item: Item): StoredProfile => {
    const writes = (item.writes ?? {}) as ProfileWrites;
    return {
      profile: profileFromWrites(candidateId, writes),
      writes,
      version: Number(item.version ?? 0),
      ...(typeof item.unsubscribedAt === 'string' ? { unsubscribedAt: item.unsubscribedAt } : {}),
      ...(item.borrowed === true ? { borrowed: true } : {}),
    };
  };

  const toState = (item: Item): StoredState => ({
    credentialId: String(item.credentialId),
    credentialName: String(item.credentialName ?? item.credentialId),
    credentialNameAt: Number(item.credentialNameAt ?? 0),
    attempts: (item.attempts ?? []) as Attempt[],
    version: Number(item.version ?? 0),
  });

  const toReminder = (item: Item): ReminderRecord => {
    const optional = (name: string) => (item[name] === undefined ? {} : { [name]: item[name] });
    return {
      key: String(item.reminderKey),
      credentialId: String(item.credentialId),
      kind: item.kind as Reminder['kind'],
      dueOn: String(item.dueOn),
      dueAt: String(item.dueAt),
      anchorOn: String(item.anchorOn),
      status: (item.status ?? 'pending') as ReminderRecord['status'],
      ...optional('anchorAttemptId'),
      ...optional('daysBefore'),
      ...optional('leaseUntil'),
      ...optional('stateVersion'),
      ...optional('messageId'),
      ...optional('reason'),
      ...optional('resolvedAt'),
      ...optional('claimToken'),
    } as ReminderRecord;
  };

  const reminderAttributes = (candidateId: string, reminder: Reminder): Item => ({
    candidateId,
    credentialId: reminder.credentialId,
    kind: reminder.kind,
    reminderKey: reminder.key,
    anchorOn: reminder.anchorOn,
    anchorAttemptId: reminder.anchorAttemptId,
    daysBefore: reminder.daysBefore,
    dueOn: reminder.dueOn,
    dueAt: reminder.dueAt,
  });

  /** SET clause and values for plain attributes (undefined ones are left out). */
  const setClause = (
    attributes: Item,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ) => {
    const parts: string[] = [];
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined) continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      parts.push(`#${name} = :${name}`);
    }
    return parts.join(', ');
  };

  const dueIndexKeys = (candidateId: string, reminder: { dueAt: string; key: string }) => ({
    duePk: duePk(utcDateOf(parseInstant(reminder.dueAt)), shardOf(candidateId)),
    dueSk: dueSk(reminder.dueAt, candidateId, reminder.key),
  });

  const batchDelete = async (keys: ReadonlyArray<{ pk: string; sk: string }>) => {
    for (let start = 0; start < keys.length; start += 25) {
      let requests = keys.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let round = 0; requests.length > 0; round += 1) {
        const result = await db.send(
          new BatchWriteCommand({ RequestItems: { [TableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[TableName] ?? []) as typeof requests;
        if (requests.length > 0) await jitter(round + 3);
      }
    }
  };

  const store: CertificationStore = {
    async resolveCandidate(candidateId) {
      let current = candidateId;
      for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
        const items = await queryPartition(candidatePk(current), {
          from: ERASED_SK,
          to: MERGED_SK,
        });
        if (items.some((item) => item.sk === ERASED_SK))
          return { candidateId: current, erased: true };
        const alias = items.find((item) => item.sk === MERGED_SK);
        if (alias === undefined) return { candidateId: current, erased: false };
        current = String(alias.toCandidateId);
      }
      return { candidateId: current, erased: false } satisfies ResolvedCandidate;
    },

    async loadCandidate(candidateId) {
      const items = await queryPartition(candidatePk(candidateId));
      const profileItem = items.find((item) => item.sk === PROFILE_SK);
      const alias = items.find((item) => item.sk === MERGED_SK);
      const record: CandidateRecord = {
        candidateId,
        ...(profileItem ? { profile: toProfile(candidateId, profileItem) } : {}),
        states: items.filter((item) => String(item.sk).startsWith(STATE_SK_PREFIX)).map(toState),
        reminders: items
          .filter((item) => String(item.sk).startsWith(REMINDER_SK_PREFIX))
          .map(toReminder),
        erased: items.some((item) => item.sk === ERASED_SK),
        ...(alias ? { mergedInto: String(alias.toCandidateId) } : {}),
      };
      return record;
    },

    async *listCandidateIds() {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName,
            FilterExpression: 'sk = :profile OR begins_with(sk, :state)',
            ExpressionAttributeValues: { ':profile': PROFILE_SK, ':state': STATE_SK_PREFIX },
            ProjectionExpression: 'pk',
            ExclusiveStartKey,
          }),
        );
        const seen = new Set<string>();
        for (const item of page.Items ?? []) {
          const id = String(item.pk).slice('CAND#'.length);
          if (!seen.has(id)) {
            seen.add(id);
            yield id;
          }
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    },

    async registerAttempt(
      attemptId,
      fingerprint,
      candidateId,
      emittedAt,
    ): Promise<AttemptRegistration> {
      const created = await conditionally(() =>
        db.send(
          new PutCommand({
            TableName,
            Item: { ...attemptKey(attemptId), fingerprint, candidateId, emittedAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (created) return { outcome: 'new', firstEmittedAt: emittedAt };
      const known = await get(attemptKey(attemptId).pk, attemptKey(attemptId).sk);
      return {
        outcome: known?.fingerprint === fingerprint ? 'duplicate' : 'conflict',
        firstEmittedAt: Number(known?.emittedAt ?? emittedAt),
      };
    },

    async forgetAttempts(attemptIds) {
      await batchDelete([...new Set(attemptIds)].map(attemptKey));
    },

    async updateProfile(candidateId, writes, source, snapshot) {
      for (let attempt = 0; attempt < MAX_OPTIMISTIC_RETRIES; attempt += 1) {
        const item = await readFirstFrom(snapshot, attempt, candidatePk(candidateId), PROFILE_SK);
        const current = item ? toProfile(candidateId, item) : undefined;
        const before = current ? { before: current } : {};
        if (source === 'borrowed' && current && !current.borrowed) return before;
        // The first write of the account's own replaces whatever it borrowed.
        const replacing = source === 'own' && current?.borrowed === true;
        const base = replacing ? {} : (current?.writes ?? {});
        const { writes: merged, changed } = mergeWrites(base, writes);
        if (current && !changed && !replacing) return { ...before, after: current };
        const version = (current?.version ?? 0) + 1;
        const profile = profileFromWrites(candidateId, merged);
        const written = await conditionally(() =>
          db.send(
            new PutCommand({
              TableName,
              Item: {
                ...(item?.unsubscribedAt ? { unsubscribedAt: item.unsubscribedAt } : {}),
                pk: candidatePk(candidateId),
                sk: PROFILE_SK,
                candidateId,
                writes: merged,
                version,
                email: profile.email,
                timeZone: profile.timeZone,
                borrowed: source === 'borrowed' ? true : undefined,
              },
              ConditionExpression: current ? 'version = :version' : 'attribute_not_exists(pk)',
              ...(current ? { ExpressionAttributeValues: { ':version': current.version } } : {}),
            }),
          ),
        );
        if (written) {
          const after: StoredProfile = {
            ...(current ?? {}),
            profile,
            writes: merged,
            version,
            ...(source === 'borrowed' ? { borrowed: true } : { borrowed: false }),
          };
          return { ...before, after };
        }
        await jitter(attempt);
      }
      throw new Error(
        `profile of ${candidateId} kept changing; gave up after ${MAX_OPTIMISTIC_RETRIES} tries`,
      );
    },

    async addAttempts(candidateId, credentialId, attempts, name, snapshot) {
      for (let attempt = 0; attempt < MAX_OPTIMISTIC_RETRIES; attempt += 1) {
        const item = await readFirstFrom(
          snapshot,
          attempt,
          candidatePk(candidateId),
          stateSk(credentialId),
        );
        const current = item ? toState(item) : undefined;
        const known = new Set(current?.attempts.map((existing) => existing.attemptId));
        const added = attempts.filter((candidate) => !known.has(candidate.attemptId));
        const nameWins =
          current === undefined ||
          name.at > current.credentialNameAt ||
          (name.at === current.credentialNameAt && name.value > current.credentialName);
        const renamed =
          nameWins &&
          (name.value !== current?.credentialName || name.at !== current?.credentialNameAt);
        if (current && added.length === 0 && !renamed) return current;
        const next: StoredState = {
          credentialId,
          credentialName: nameWins ? name.value : (current?.credentialName ?? name.value),
          credentialNameAt: nameWins ? name.at : (current?.credentialNameAt ?? name.at),
          attempts: [...(current?.attempts ?? []), ...added],
          version: (current?.version ?? 0) + 1,
        };
        const written = await conditionally(() =>
          db.send(
            new PutCommand({
              TableName,
              Item: {
                pk: candidatePk(candidateId),
                sk: stateSk(credentialId),
                candidateId,
                ...next,
              },
              ConditionExpression: current ? 'version = :version' : 'attribute_not_exists(pk)',
              ...(current ? { ExpressionAttributeValues: { ':version': current.version } } : {}),
            }),
          ),
        );
        if (written) return next;
        await jitter(attempt);
      }
      throw new Error(`state of ${candidateId}/${credentialId} kept changing; gave up`);
    },

    async syncReminders(candidateId, credentialId, stateVersion, reminders, existing) {
      const wanted = new Set(reminders.map((reminder) => reminder.key));
      await Promise.all(
        reminders.map((reminder) => {
          const names: Record<string, string> = { '#status': 'status' };
          const values: Record<string, unknown> = { ':version': stateVersion };
          const set = setClause(
            {
              ...reminderAttributes(candidateId, reminder),
              ...dueIndexKeys(candidateId, reminder),
              stateVersion,
            },
            names,
            values,
          );
          const removeDays = reminder.daysBefore === undefined ? ' REMOVE daysBefore' : '';
          return conditionally(() =>
            db.send(
              new UpdateCommand({
                TableName,
                Key: { pk: candidatePk(candidateId), sk: reminderSk(reminder.key) },
                UpdateExpression: `SET ${set}${removeDays}`,
                ConditionExpression:
                  'attribute_not_exists(#status) AND (attribute_not_exists(stateVersion) OR stateVersion <= :version)',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              }),
            ),
          );
        }),
      );
      const obsolete = existing.filter(
        (record) =>
          record.credentialId === credentialId &&
          record.status === 'pending' &&
          !wanted.has(record.key),
      );
      await Promise.all(
        obsolete.map((record) =>
          conditionally(() =>
            db.send(
              new DeleteCommand({
                TableName,
                Key: { pk: candidatePk(candidateId), sk: reminderSk(record.key) },
                ConditionExpression: 'attribute_not_exists(#status) AND stateVersion < :version',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':version': stateVersion },
              }),
            ),
          ),
        ),
      );
    },

    async deleteState(candidateId, credentialId, version) {
      return conditionally(() =>
        db.send(
          new DeleteCommand({
            TableName,
            Key: { pk: candidatePk(candidateId), sk: stateSk(credentialId) },
            ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
            ExpressionAttributeValues: { ':version': version },
          }),
        ),
      );
    },

    async copyLedger(toCandidateId, entries) {
      await Promise.all(
        entries
          .filter(
            (entry) =>
              entry.status === 'sent' || entry.status === 'skipped' || entry.status === 'failed',
          )
          .map((entry) =>
            conditionally(() =>
              db.send(
                new PutCommand({
                  TableName,
                  Item: {
                    pk: candidatePk(toCandidateId),
                    sk: reminderSk(entry.key),
                    candidateId: toCandidateId,
                    reminderKey: entry.key,
                    credentialId: entry.credentialId,
                    kind: entry.kind,
                    anchorOn: entry.anchorOn,
                    anchorAttemptId: entry.anchorAttemptId,
                    daysBefore: entry.daysBefore,
                    dueOn: entry.dueOn,
                    dueAt: entry.dueAt,
                    status: entry.status,
                    reason: entry.reason,
                    messageId: entry.messageId,
                    resolvedAt: entry.resolvedAt,
                  },
                  ConditionExpression: 'attribute_not_exists(#status)',
                  ExpressionAttributeNames: { '#status': 'status' },
                }),
              ),
            ),
          ),
      );
    },

    async markErased(candidateId, at) {
      await db.send(
        new PutCommand({
          TableName,
          Item: { pk: candidatePk(candidateId), sk: ERASED_SK, candidateId, erasedAt: at },
        }),
      );
    },

    async deleteCandidateItems(candidateId, keep = [], keepPrefixes = []) {
      const items = await queryPartition(candidatePk(candidateId));
      const doomed = items
        .filter((item) => !(keep as readonly string[]).includes(String(item.sk)))
        .filter((item) => !keepPrefixes.some((prefix) => String(item.sk).startsWith(prefix)))
        .map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
      await batchDelete(doomed);
      return doomed.length;
    },

    async writeAlias(fromCandidateId, toCandidateId, at) {
      return conditionally(() =>
        db.send(
          new PutCommand({
            TableName,
            Item: {
              pk: candidatePk(fromCandidateId),
              sk: MERGED_SK,
              candidateId: fromCandidateId,
              toCandidateId,
              mergedAt: at,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR toCandidateId = :to',
            ExpressionAttributeValues: { ':to': toCandidateId },
          }),
        ),
      );
    },

    async isWebhookSeen(webhookId, now) {
      const key = webhookKey(webhookId);
      const item = await get(key.pk, key.sk);
      // Emulators keep expired items (no TTL); an expired record counts as forgotten.
      return item !== undefined && Number(item.expiresAt) * 1000 > now.getTime();
    },

    async rememberWebhook(webhookId, now) {
      await db.send(
        new PutCommand({
          TableName,
          Item: {
            ...webhookKey(webhookId),
            receivedAt: now.toISOString(),
            [TABLE_DESIGN.timeToLiveAttribute]:
              Math.floor(now.getTime() / 1000) + WEBHOOK_MEMORY_SECONDS,
          },
        }),
      );
    },

    async queryDue(utcDate, shard, upTo): Promise<DueEntry[]> {
      const entries: DueEntry[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName,
            IndexName: TABLE_DESIGN.dueIndex.indexName,
            KeyConditionExpression: 'duePk = :pk AND dueSk <= :upTo',
            ExpressionAttributeValues: { ':pk': duePk(utcDate, shard), ':upTo': dueSkUpTo(upTo) },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          entries.push({
            candidateId: String(item.candidateId),
            credentialId: String(item.credentialId),
            kind: item.kind as DueEntry['kind'],
            dueOn: String(item.dueOn),
            dueAt: String(item.dueAt),
            reminderKey: String(item.reminderKey),
          });
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return entries;
    },

    async claimReminder({ candidateId, reminder, runAt, leaseUntil, claimToken }: ClaimRequest) {
      const names: Record<string, string> = { '#status': 'status' };
      const values: Record<string, unknown> = { ':claimed': 'claimed', ':runAt': runAt };
      const set = setClause(
        {
          ...reminderAttributes(candidateId, reminder),
          ...dueIndexKeys(candidateId, reminder),
          status: 'claimed',
          leaseUntil,
          claimToken,
          claimedAt: runAt,
        },
        names,
        values,
      );
      return conditionally(() =>
        db.send(
          new UpdateCommand({
            TableName,
            Key: { pk: candidatePk(candidateId), sk: reminderSk(reminder.key) },
            UpdateExpression: `SET ${set}`,
            ConditionExpression:
              'attribute_not_exists(#status) OR (#status = :claimed AND leaseUntil <= :runAt)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    },

    async completeReminder(candidateId, key, claimToken, messageId, at) {
      await settleClaim(candidateId, key, claimToken, {
        status: 'sent',
        messageId,
        resolvedAt: at,
      });
    },

    async failReminder(candidateId, key, claimToken, error, at) {
      await settleClaim(candidateId, key, claimToken, {
        status: 'failed',
        error: error.slice(0, 500),
        resolvedAt: at,
      });
    },

    async releaseReminder(candidateId, key, claimToken) {
      await conditionally(() =>
        db.send(
          new UpdateCommand({
            TableName,
            Key: { pk: candidatePk(candidateId), sk: reminderSk(key) },
            UpdateExpression: 'REMOVE #status, leaseUntil, claimToken, claimedAt',
            ConditionExpression: 'claimToken = :token',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':token': claimToken },
          }),
        ),
      );
    },

    async skipReminder(candidateId, reminder, reason, runAt) {
      const names: Record<string, string> = { '#status': 'status' };
      const values: Record<string, unknown> = { ':claimed': 'claimed' };
      const set = setClause(
        {
          ...reminderAttributes(candidateId, reminder),
          status: 'skipped',
          reason,
          resolvedAt: runAt,
        },
        names,
        values,
      );
      values[':runAt'] = runAt;
      await conditionally(() =>
        db.send(
          new UpdateCommand({
            TableName,
            Key: { pk: candidatePk(candidateId), sk: reminderSk(reminder.key) },
            UpdateExpression: `SET ${set} REMOVE duePk, dueSk`,
            ConditionExpression:
              'attribute_not_exists(#status) OR (#status = :claimed AND leaseUntil <= :runAt)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    },

    async setUnsubscribed(candidateId, at) {
      return conditionally(() =>
        db.send(
          new UpdateCommand({
            TableName,
            Key: { pk: candidatePk(candidateId), sk: PROFILE_SK },
            UpdateExpression: 'SET unsubscribedAt = if_not_exists(unsubscribedAt, :at)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          }),
        ),
      );
    },

    async isSuppressed(email) {
      const key = suppressionKey(email);
      return (await get(key.pk, key.sk)) !== undefined;
    },

    async suppress(email, reason, at) {
      await db.send(
        new PutCommand({ TableName, Item: { ...suppressionKey(email), reason, suppressedAt: at } }),
      );
    },

    async recordRun(runAt, summary) {
      await db.send(
        new PutCommand({
          TableName,
          Item: {
            ...runKey(utcDateOf(parseInstant(runAt))),
            runAt,
            ...summary,
            recordedAt: new Date().toISOString(),
          },
        }),
      );
    },
  };

  const settleClaim = async (
    candidateId: string,
    key: string,
    claimToken: string,
    attributes: Item,
  ) => {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':token': claimToken };
    const set = setClause(attributes, names, values);
    await db.send(
      new UpdateCommand({
        TableName,
        Key: { pk: candidatePk(candidateId), sk: reminderSk(key) },
        UpdateExpression: `SET ${set} REMOVE duePk, dueSk, leaseUntil, claimToken`,
        ConditionExpression: 'claimToken = :token',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  };

  return store;
};
