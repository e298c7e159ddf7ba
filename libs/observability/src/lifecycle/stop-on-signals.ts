import { type INestApplication, Logger } from '@nestjs/common';

type Exit = (code: number) => void;

/**
 * SIGTERM or SIGINT closes the app (Nest's shutdown hooks: in-flight work finishes, leases
 * are released, connections close) and then exits 0. Nest's own enableShutdownHooks()
 * re-raises the signal after its hooks, so a clean stop looked like a crash ("killed by
 * SIGTERM") to supervisors and skipped exit-time work such as --cpu-prof. A second signal
 * while closing exits at once with 1.
 */
export function stopOnSignals(
  app: Pick<INestApplication, 'close'>,
  exit: Exit = (code) => process.exit(code),
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${signal} again while stopping: exiting now`);
      exit(1);
      return;
    }
    stopping = true;
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
