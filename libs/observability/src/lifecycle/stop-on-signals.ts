import { type INestApplication, Logger } from '@nestjs/common';

type Exit = (code: number) => void;

/**
 * How long after the first stop signal another one still counts as the same request.
 *
 * One Ctrl-C reaches an app twice: the terminal sends SIGINT to its whole foreground process
 * group (npm, tsx, scripts/start.ts and both apps), and the launcher above the app forwards a
 * SIGTERM on top (start.ts does, so that a SIGTERM sent to it alone still stops the apps; npm
 * and tsx relay signals too). Deduplicating here, in the app, is the robust side: the app
 * cannot tell who sent a signal, but it can tell that two arrived together, and this holds
 * whichever launcher (npm start, docker, systemd, a shell script) sits above it. A person's
 * second Ctrl-C comes later than a launcher's relay, which arrives within milliseconds.
 */
export const SAME_REQUEST_WINDOW_MS = 1500;

/**
 * SIGTERM or SIGINT closes the app (Nest's shutdown hooks: in-flight work finishes, leases
 * are released, connections close) and then exits 0. Nest's own enableShutdownHooks()
 * re-raises the signal after its hooks, so a clean stop looked like a crash ("killed by
 * SIGTERM") to supervisors and skipped exit-time work such as --cpu-prof. Signals within
 * `sameRequestWindowMs` of the first are one request; a later signal while closing exits at
 * once with 1 (a second Ctrl-C forces the exit).
 */
export function stopOnSignals(
  app: Pick<INestApplication, 'close'>,
  exit: Exit = (code) => process.exit(code),
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
  sameRequestWindowMs = SAME_REQUEST_WINDOW_MS,
): void {
  const logger = new Logger('Shutdown');
  let stoppingSince: number | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < sameRequestWindowMs) {
        logger.log(`${signal} too: the same stop request, still stopping gracefully`);
        return;
      }
      logger.warn(`${signal} again while stopping: exiting now`);
      exit(1);
      return;
    }
    stoppingSince = Date.now();
    logger.log(`${signal}: stopping`);
    app.close().then(
      () => exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
}
