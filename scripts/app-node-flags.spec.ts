import { appEnvironment, appNodeFlags } from './app-node-flags';

describe('appNodeFlags', () => {
  it("reads the GC flags the API and the ingestor are started with from package.json's scripts", () => {
    expect(appNodeFlags('start:api', 'dist/apps/api/main.js')).toEqual([
      '--max-semi-space-size=16',
      '--max-old-space-size=192',
    ]);
    expect(appNodeFlags('ingest', 'dist/apps/ingestor/main.js')).toEqual(
      appNodeFlags('start:ingestor', 'dist/apps/ingestor/main.js'),
    );
  });

  it("reads the environment the API's script sets before node", () => {
    expect(appEnvironment('start:api', 'dist/apps/api/main.js')).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(appEnvironment('start:ingestor', 'dist/apps/ingestor/main.js')).toEqual({});
  });

  it('refuses a script that does not start that entry with node', () => {
    expect(() => appNodeFlags('start:api', 'dist/apps/ingestor/main.js')).toThrow(
      /is not "\[NAME=value \.\.\.\] node \[--flags\]/,
    );
  });
});
