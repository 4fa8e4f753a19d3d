import cliProgress from 'cli-progress';

/** Progress of long work, drawn on stderr only when it is a terminal. */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { update: () => {}, stop: () => {} };

/**
 * A progress bar on stderr when stderr is a TTY (and `CI` is not set); otherwise nothing.
 *
 * @example
 * const progress = startProgress(context, 'Importing', 1000, 'lines');
 * progress.update(500);
 * progress.stop();
 */
export const startProgress = (
  context: { readonly interactive: boolean },
  label: string,
  total: number,
  unit: string,
): Progress => {
  if (!context.interactive || total <= 0) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let last = 0;
  return {
    update: (done) => {
      if (done - last >= Math.max(1, Math.floor(total / 200)) || done === total) {
        last = done;
        bar.update(Math.min(done, total));
      }
    },
    stop: () => bar.stop(),
  };
};

/**
 * A running count on stderr, for work whose total is not known before it ends (a Scan), when
 * stderr is a TTY (and `CI` is not set); otherwise nothing.
 */
export const startCounter = (
  context: { readonly interactive: boolean },
  label: string,
  unit: string,
): Progress => {
  if (!context.interactive) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} | {value} ${unit} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
};
