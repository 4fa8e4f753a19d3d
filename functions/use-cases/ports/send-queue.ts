/** One queue message: a candidate a run found something due for. */
export interface SendRequest {
  readonly runAt: string;
  readonly candidateId: string;
  readonly dryRun?: boolean;
}

/** Where planned work goes: SQS on AWS, an in-process queue locally. */
export interface SendQueue {
  enqueue(requests: readonly SendRequest[]): Promise<void>;
}
