import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeCandidate } from '../../../../functions/adapters/dynamodb/candidate-codec';
import { createDynamoCandidateRepository } from '../../../../functions/adapters/dynamodb/candidate-repository';
import { createItemReader } from '../../../../functions/adapters/dynamodb/dynamo-requests';
import type { CandidateState } from '../../../../functions/domain/candidate-state';
import type {
  CandidateRepository,
  DueEntry,
  VersionedCandidate,
} from '../../../../functions/use-cases/ports';
import { passedOnce } from '../../support/candidates';
import { conditionFailed, mockedDocumentClient, TABLE, throttled } from '../../support/dynamo-mock';

/**
 * The candidate repository on a stubbed DynamoDB: the requests it sends and how it reads the
 * answers. What the emulator makes of those requests is the integration tests' concern.
 */

const DUE_AT = '2027-10-10T00:00:00Z';

/** A stored candidate: one pass, one address. */
const candidate = (candidateId: string): CandidateState => passedOnce(candidateId);

/** A due-index entry as the KEYS_ONLY index returns it: the table's keys and the index's. */
const dueItem = (candidateId: string, dueAt: string, shard = 3) => ({
  pk: `CAND#${candidateId}`,
  sk: 'CANDIDATE',
  duePk: `DUE#${shard}`,
  dueSk: `${dueAt}#${candidateId}`,
});

const collect = async <T>(pages: AsyncIterable<readonly T[]>): Promise<T[][]> => {
  const all: T[][] = [];
  for await (const page of pages) all.push([...page]);
  return all;
};

let stub: ReturnType<typeof mockedDocumentClient>['dynamo'];
let candidates: CandidateRepository;

beforeEach(() => {
  const { documentClient, dynamo } = mockedDocumentClient();
  stub = dynamo;
  candidates = createDynamoCandidateRepository({
    documentClient,
    tableName: TABLE,
    reader: createItemReader(documentClient, TABLE),
  });
});

describe('save', () => {
  it('writes the candidate as one PutItem conditioned on the version read', async () => {
    // Prepare
    const ana = candidate('cand-ana');
    stub.on(PutCommand).resolves({});

    // Act
    await candidates.save(ana, 3, DUE_AT);

    // Assess
    const puts = stub.commandCalls(PutCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: encodeCandidate(ana, 4, DUE_AT),
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
    });
  });

  it('returns the version it wrote', async () => {
    // Prepare
    stub.on(PutCommand).resolves({});

    // Act
    const version = await candidates.save(candidate('cand-ana'), 3, DUE_AT);

    // Assess
    expect(version).toBe(4);
  });

  it('writes a candidate never stored (version 0) only if no item exists, as version 1', async () => {
    // Prepare
    const ana = candidate('cand-ana');
    stub.on(PutCommand).resolves({});

    // Act
    const version = await candidates.save(ana, 0, undefined);

    // Assess
    expect(version).toBe(1);
    expect(stub.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: encodeCandidate(ana, 1, undefined),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('returns undefined when the version changed meanwhile (a failed condition)', async () => {
    // Prepare
    stub.on(PutCommand).rejects(conditionFailed());

    // Act
    const version = await candidates.save(candidate('cand-ana'), 3, DUE_AT);

    // Assess
    expect(version).toBeUndefined();
  });

  it('lets any other failure reach the caller', async () => {
    // Prepare
    stub.on(PutCommand).rejects(throttled());

    // Act
    const saving = candidates.save(candidate('cand-ana'), 3, DUE_AT);

    // Assess
    await expect(saving).rejects.toThrow(/provisioned throughput/);
  });
});

describe('load and loadMany', () => {
  it('loads one candidate with a consistent GetItem and decodes it', async () => {
    // Prepare
    const ana = candidate('cand-ana');
    stub.on(GetCommand).resolves({ Item: encodeCandidate(ana, 5, DUE_AT) });

    // Act
    const loaded = await candidates.load('cand-ana');

    // Assess
    expect(loaded).toEqual<VersionedCandidate>({ state: ana, version: 5, dueAt: DUE_AT });
    expect(stub.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'CAND#cand-ana', sk: 'CANDIDATE' },
      ConsistentRead: true,
    });
  });

  it('loads nothing for a candidate never stored', async () => {
    // Prepare
    stub.on(GetCommand).resolves({});

    // Act
    const loaded = await candidates.load('cand-nobody');

    // Assess
    expect(loaded).toBeUndefined();
  });

  it('loads several candidates with one BatchGetItem, leaving out those never stored', async () => {
    // Prepare
    const ana = candidate('cand-ana');
    const ben = candidate('cand-ben');
    stub.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [encodeCandidate(ana, 2, undefined), encodeCandidate(ben, 7, DUE_AT)] },
    });

    // Act
    const loaded = await candidates.loadMany(['cand-ana', 'cand-nobody', 'cand-ben']);

    // Assess
    expect(stub.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect([...loaded.entries()]).toEqual([
      ['cand-ana', { state: ana, version: 2 }],
      ['cand-ben', { state: ben, version: 7, dueAt: DUE_AT }],
    ]);
  });
});

describe('queryDue', () => {
  it("queries one shard of the due index for entries due at or before the instant, the instant's own included", async () => {
    // Prepare
    stub.on(QueryCommand).resolves({ Items: [] });

    // Act
    await collect(candidates.queryDue(3, '2027-10-10T13:00:00.000Z'));

    // Assess
    expect(stub.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'due-index',
      KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
      ExpressionAttributeNames: { '#pk': 'duePk', '#sk': 'dueSk' },
      ExpressionAttributeValues: { ':pk': 'DUE#3', ':upTo': '2027-10-10T13:00:00.000Z#\uffff' },
      ExclusiveStartKey: undefined,
    });
  });

  it('reads each entry as the candidate id of its key and the due instant of its sort key', async () => {
    // Prepare
    stub.on(QueryCommand).resolves({
      Items: [dueItem('cand-ana', '2027-10-10T00:00:00Z'), dueItem('cand.b:1@x', DUE_AT)],
    });

    // Act
    const pages = await collect(candidates.queryDue(3, '2027-10-10T13:00:00Z'));

    // Assess
    expect(pages).toEqual<DueEntry[][]>([
      [
        { candidateId: 'cand-ana', dueAt: '2027-10-10T00:00:00Z' },
        { candidateId: 'cand.b:1@x', dueAt: DUE_AT },
      ],
    ]);
  });

  it('pages on with the last evaluated key until there is none, a page at a time', async () => {
    // Prepare
    const lastOfFirst = { pk: 'CAND#cand-ana', sk: 'CANDIDATE', duePk: 'DUE#3', dueSk: 'x' };
    stub
      .on(QueryCommand)
      .resolvesOnce({ Items: [dueItem('cand-ana', DUE_AT)], LastEvaluatedKey: lastOfFirst })
      .resolvesOnce({ Items: [dueItem('cand-ben', DUE_AT)] });

    // Act
    const pages = await collect(candidates.queryDue(3, '2027-10-10T13:00:00Z'));

    // Assess
    const queries = stub.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries.map((query) => query.ExclusiveStartKey)).toEqual([undefined, lastOfFirst]);
    expect(pages.map((page) => page.map((entry) => entry.candidateId))).toEqual([
      ['cand-ana'],
      ['cand-ben'],
    ]);
  });

  it('yields an empty page for a shard with nothing due', async () => {
    // Prepare
    stub.on(QueryCommand).resolves({});

    // Act
    const pages = await collect(candidates.queryDue(0, '2027-10-10T13:00:00Z'));

    // Assess
    expect(pages).toEqual([[]]);
  });
});

describe('candidatesUsingAddress', () => {
  const hashed = `EMAIL#${createHash('sha256').update('parent@example.com').digest('hex')}`;
  /** An address-index entry as the KEYS_ONLY index returns it: the table's keys and the index's. */
  const addressItem = (candidateId: string, attribute: string) => ({
    pk: `CAND#${candidateId}`,
    sk: 'CANDIDATE',
    [attribute]: hashed,
  });

  it('queries both address indexes by the hash of the lowercased address, never the address', async () => {
    // Prepare
    stub.on(QueryCommand).resolves({ Items: [] });

    // Act
    await candidates.candidatesUsingAddress(' Parent@Example.COM ');

    // Assess
    const queries = stub.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toEqual(
      [
        ['by-email', 'emailKey'],
        ['by-guardian-email', 'guardianKey'],
      ].map(([IndexName, attribute]) => ({
        TableName: TABLE,
        IndexName,
        KeyConditionExpression: '#key = :key',
        ExpressionAttributeNames: { '#key': attribute },
        ExpressionAttributeValues: { ':key': hashed },
        ExclusiveStartKey: undefined,
      })),
    );
    expect(JSON.stringify(queries)).not.toMatch(/example/i);
  });

  it('reads the candidate ids of every page of both indexes, sorted and each once', async () => {
    // Prepare
    const lastOfFirst = addressItem('cand-teen', 'guardianKey');
    stub
      .on(QueryCommand, { IndexName: 'by-email' })
      .resolves({ Items: [addressItem('cand-parent', 'emailKey')] });
    stub
      .on(QueryCommand, { IndexName: 'by-guardian-email' })
      .resolvesOnce({ Items: [lastOfFirst], LastEvaluatedKey: lastOfFirst })
      .resolvesOnce({
        Items: [addressItem('cand-ana', 'guardianKey'), addressItem('cand-parent', 'guardianKey')],
      });

    // Act
    const ids = await candidates.candidatesUsingAddress('parent@example.com');

    // Assess
    expect(ids).toEqual(['cand-ana', 'cand-parent', 'cand-teen']);
    const guardianQueries = stub
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input)
      .filter((query) => query.IndexName === 'by-guardian-email');
    expect(guardianQueries.map((query) => query.ExclusiveStartKey)).toEqual([
      undefined,
      lastOfFirst,
    ]);
  });

  it('finds no one for an address no candidate uses', async () => {
    // Prepare
    stub.on(QueryCommand).resolves({});

    // Act
    const ids = await candidates.candidatesUsingAddress('nobody@example.com');

    // Assess
    expect(ids).toEqual([]);
  });
});

describe('scanCandidates', () => {
  it('scans every segment of a parallel Scan, keeping candidate items only', async () => {
    // Prepare
    stub.on(ScanCommand).resolves({ Items: [] });

    // Act
    await collect(candidates.scanCandidates(3));

    // Assess
    const scans = stub.commandCalls(ScanCommand).map((call) => call.args[0].input);
    expect(scans.map((scan) => scan.Segment).sort()).toEqual([0, 1, 2]);
    for (const scan of scans)
      expect(scan).toMatchObject({
        TableName: TABLE,
        TotalSegments: 3,
        FilterExpression: 'sk = :sk',
        ExpressionAttributeValues: { ':sk': 'CANDIDATE' },
      });
  });

  it('scans as many segments as configured when none are asked for', async () => {
    // Prepare
    const { documentClient, dynamo } = mockedDocumentClient();
    dynamo.on(ScanCommand).resolves({ Items: [] });
    const repository = createDynamoCandidateRepository({
      documentClient,
      tableName: TABLE,
      reader: createItemReader(documentClient, TABLE),
      scanSegments: 2,
    });

    // Act
    await collect(repository.scanCandidates());

    // Assess
    const scans = dynamo.commandCalls(ScanCommand).map((call) => call.args[0].input);
    expect(scans.map((scan) => [scan.Segment, scan.TotalSegments])).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('pages on within each segment and decodes every candidate of every page', async () => {
    // Prepare
    const [ana, ben, eva] = ['cand-ana', 'cand-ben', 'cand-eva'].map(candidate) as [
      CandidateState,
      CandidateState,
      CandidateState,
    ];
    const next = { pk: 'CAND#cand-ana', sk: 'CANDIDATE' };
    stub
      .on(ScanCommand, { Segment: 0 })
      .resolvesOnce({ Items: [encodeCandidate(ana, 1, DUE_AT)], LastEvaluatedKey: next })
      .resolvesOnce({ Items: [encodeCandidate(ben, 2, undefined)] });
    stub.on(ScanCommand, { Segment: 1 }).resolves({ Items: [encodeCandidate(eva, 3, undefined)] });

    // Act
    const pages = await collect(candidates.scanCandidates(2));

    // Assess
    const firstSegment = stub
      .commandCalls(ScanCommand, { Segment: 0 })
      .map((call) => call.args[0].input.ExclusiveStartKey);
    expect(firstSegment).toEqual([undefined, next]);
    expect(pages).toHaveLength(3);
    expect(pages.flat().sort((a, b) => a.version - b.version)).toEqual([
      { state: ana, version: 1, dueAt: DUE_AT },
      { state: ben, version: 2 },
      { state: eva, version: 3 },
    ]);
  });
});
