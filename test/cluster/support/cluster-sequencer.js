// Jest's own order (on a fresh clone, with no timings cached: largest file first), or its
// reverse with CLUSTER_ORDER=reverse, so `npm run test:cluster` can prove that no suite
// depends on what ran before it.
const Sequencer = require('@jest/test-sequencer').default;

class ClusterSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const order = process.env.CLUSTER_ORDER ?? 'default';
    if (order !== 'default' && order !== 'reverse') {
      throw new Error(`CLUSTER_ORDER must be "default" or "reverse" (got "${order}")`);
    }
    const ordered = order === 'reverse' ? [...sorted].reverse() : sorted;
    process.stdout.write(
      `[cluster] suite order (${order}): ${ordered.map((test) => test.path.split('/').pop()).join(', ')}\n`,
    );
    return ordered;
  }
}

module.exports = ClusterSequencer;
