import { documentClientFor } from '../functions/handlers/lambda-runtime';
import { RUN_AT, seedCandidates } from './run-cost';
import { attemptEvent, type Endpoints, freshApp, progress, round } from './support';

export interface SenderFigure {
  readonly configuredRate: number;
  readonly emails: number;
  readonly sent: number;
  readonly seconds: number;
  /** Emails per second after the first second (whose burst the limiter allows). */
  readonly achievedRate: number;
  /** achievedRate / configuredRate: at most ~1. */
  readonly ratio: number;
}

/**
 * A run that emails `emails` candidates with `SES_MAX_SEND_RATE` = `rate` against the SES
 * emulator, timing each SendEmail request as it leaves the client (after the rate limiter).
 */
export const measureSender = async (
  endpoints: Endpoints,
  rate: number,
  emails: number,
): Promise<SenderFigure> => {
  progress(`sender: ${emails} emails at SES_MAX_SEND_RATE=${rate}`);
  const { app, clients, config } = await freshApp('sender', endpoints, { sesMaxSendRate: rate });
  const sentAt: number[] = [];
  clients.ses.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'SendEmailCommand') sentAt.push(performance.now());
      return next(args);
    },
    { step: 'initialize', name: 'benchSendTimer' },
  );
  await seedCandidates(
    { documentClient: documentClientFor(clients.dynamodb), tableName: config.tableName },
    Array.from({ length: emails }, (_, index) =>
      attemptEvent(`send-${index}`, `cand-send-${index}`, '2025-03-10T09:00:00Z'),
    ),
  );
  const report = await app.run(RUN_AT);
  const first = sentAt[0] ?? 0;
  const last = sentAt.at(-1) ?? 0;
  // The first second may carry a full second's burst; the steady rate is what follows it.
  const afterBurst = sentAt.filter((at) => at > first + 1000).length;
  const window = (last - first - 1000) / 1000;
  const achievedRate = window > 0 ? afterBurst / window : Number.NaN;
  return {
    configuredRate: rate,
    emails,
    sent: report.emails.length,
    seconds: round((last - first) / 1000),
    achievedRate: round(achievedRate, 2),
    ratio: round(achievedRate / rate, 3),
  };
};
