import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCandidate } from '../../functions/adapters/dynamodb/candidate-codec';
import { CANDIDATE_SK } from '../../functions/adapters/dynamodb/item-keys';
import type { VersionedCandidate } from '../../functions/use-cases/ports';

/** A run record as the planner writes it (`RUN#<runAt>`): the run instant and its counts. */
export interface RunRecord {
  readonly runAt: string;
  readonly counts: Readonly<Record<string, number>>;
}

/** A suppression entry: why the (hashed) address is suppressed, and when. */
export interface SuppressionRecord {
  readonly reason: string;
  readonly at?: string;
}

/** Everything the overview needs, read in one parallel Scan. */
export interface TableSnapshot {
  readonly candidates: readonly VersionedCandidate[];
  readonly runs: readonly RunRecord[];
  readonly suppressions: readonly SuppressionRecord[];
  readonly items: number;
  readonly segments: number;
  readonly readAt: string;
  readonly tookMs: number;
}

/** How far a Scan has got: items read, and the table's approximate size (DescribeTable). */
export interface ScanProgress {
  readonly items: number;
  readonly estimate: number;
}

const RUN_SK = 'RUN';
const SUPPRESS_SK = 'SUPPRESS';

/**
 * Reads the whole table with a parallel Scan (`segments` at once, `Segment`/`TotalSegments`),
 * keeping candidates (decoded by the repository's codec), run records and suppression entries.
 * For the operations console only, run by an operator with their own credentials: no Lambda
 * ever Scans, and none holds the permission.
 *
 * @example
 * const snapshot = await scanTable(client, 'cert-reminders', { segments: 4 });
 */
export const scanTable = async (
  client: DynamoDBClient,
  tableName: string,
  options: {
    readonly segments: number;
    readonly onProgress?: (progress: ScanProgress) => void;
    readonly now?: () => Date;
  },
): Promise<TableSnapshot> => {
  const now = options.now ?? (() => new Date());
  const started = now().getTime();
  const db = DynamoDBDocumentClient.from(client);
  const description = await client
    .send(new DescribeTableCommand({ TableName: tableName }))
    .catch(() => undefined);
  const estimate = Number(description?.Table?.ItemCount ?? 0);
  const candidates: VersionedCandidate[] = [];
  const runs: RunRecord[] = [];
  const suppressions: SuppressionRecord[] = [];
  let items = 0;
  options.onProgress?.({ items, estimate });
  const readSegment = async (segment: number) => {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: options.segments,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.sk === CANDIDATE_SK) candidates.push(decodeCandidate(item));
        else if (item.sk === RUN_SK) {
          const { pk: _pk, sk: _sk, runAt, ...rest } = item;
          const counts = Object.fromEntries(
            Object.entries(rest).filter(([, value]) => typeof value === 'number'),
          ) as Record<string, number>;
          runs.push({ runAt: String(runAt), counts });
        } else if (item.sk === SUPPRESS_SK) {
          suppressions.push({
            reason: typeof item.reason === 'string' ? item.reason : 'unknown',
            ...(typeof item.at === 'string' ? { at: item.at } : {}),
          });
        }
      }
      items += page.Items?.length ?? 0;
      options.onProgress?.({ items, estimate: Math.max(estimate, items) });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  };
  await Promise.all(Array.from({ length: options.segments }, (_, segment) => readSegment(segment)));
  return {
    candidates,
    runs,
    suppressions,
    items,
    segments: options.segments,
    readAt: now().toISOString(),
    tookMs: now().getTime() - started,
  };
};
