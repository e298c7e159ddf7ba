import path from 'node:path';
import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ConsoleBundle, CONSOLE_BUNDLE_DIR } from './console-bundle';
import { ConsoleController } from './console.controller';

/** Serves the web console (apps/console, built by `npm run build:console`) at /console. */
@Module({
  controllers: [ConsoleController],
  // npm scripts, `npm start` and the Docker image all run the API from the project root.
  providers: [{ provide: ConsoleBundle, useFactory: () => ConsoleBundle.read(path.resolve(CONSOLE_BUNDLE_DIR)) }],
})
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly bundle: ConsoleBundle) {}

  onModuleInit(): void {
    if (!this.bundle.built) {
      new Logger('Console').warn(
        `the web console is not built (no ${path.join(this.bundle.dir, 'index.html')}): /console answers 404 until "npm run build:console" runs`,
      );
    }
  }
}
