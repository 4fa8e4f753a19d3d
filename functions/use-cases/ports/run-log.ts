/** What the planner records of each real run (dry runs record nothing). */
export interface RunLog {
  recordRun(runAt: string, summary: Readonly<Record<string, number>>): Promise<void>;
}
