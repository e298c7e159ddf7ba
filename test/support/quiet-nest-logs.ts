import { Logger } from '@nestjs/common';

// Apps started by tests log their start-up and the errors the tests provoke on purpose;
// that noise hides real failures. TEST_LOGS=1 shows it again.
if (process.env.TEST_LOGS !== '1') {
  Logger.overrideLogger(false);
  process.env.LOG_LEVEL ??= 'silent';
}
