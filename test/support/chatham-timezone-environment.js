/**
 * Runs a test file with the worker's real TZ set to Pacific/Chatham (+12:45/+13:45, with
 * DST), restoring it afterwards. Setting process.env.TZ inside a test only changes Jest's
 * sandboxed copy, which Date never reads.
 */
const { TestEnvironment } = require('jest-environment-node');

const ZONE = 'Pacific/Chatham';

class ChathamTimezoneEnvironment extends TestEnvironment {
  async setup() {
    this.previousZone = process.env.TZ;
    process.env.TZ = ZONE;
    this.global.process.env.TZ = ZONE;
    await super.setup();
  }

  async teardown() {
    if (this.previousZone === undefined) delete process.env.TZ;
    else process.env.TZ = this.previousZone;
    await super.teardown();
  }
}

module.exports = ChathamTimezoneEnvironment;
