import {
  type NodeSchemaVersion,
  SchemaDisagreementError,
  awaitSchemaAgreement,
  disagreementMessage,
  groupSchemaVersions,
  inAgreement,
  nextAgreementStep,
  oddNodes,
} from './schema-agreement';

const A = '4f1c2e8a-0000-3000-8000-00000000000a';
const B = '9b7d6c5e-0000-3000-8000-00000000000b';

const node = (address: string, schemaVersion: string | null): NodeSchemaVersion => ({ address, schemaVersion });
const split = [node('127.0.0.3', B), node('127.0.0.1', A), node('127.0.0.2', A)];

describe('groupSchemaVersions', () => {
  it('puts the largest group first and names the node outside it as the odd one', () => {
    const groups = groupSchemaVersions(split);
    expect(groups.groups).toEqual([
      { schemaVersion: A, addresses: ['127.0.0.1', '127.0.0.2'] },
      { schemaVersion: B, addresses: ['127.0.0.3'] },
    ]);
    expect(inAgreement(groups)).toBe(false);
    expect(oddNodes(groups)).toEqual(['127.0.0.3']);
  });

  it('agrees when every node that answered holds one version, and keeps the silent ones apart', () => {
    const groups = groupSchemaVersions([node('127.0.0.1', A), node('127.0.0.2', null), node('127.0.0.3', A)]);
    expect(inAgreement(groups)).toBe(true);
    expect(groups.unanswered).toEqual(['127.0.0.2']);
    expect(oddNodes(groups)).toEqual([]);
  });

  it('agrees on a single node and on no answer at all (nothing to disagree with)', () => {
    expect(inAgreement(groupSchemaVersions([node('127.0.0.1', A)]))).toBe(true);
    expect(inAgreement(groupSchemaVersions([]))).toBe(true);
  });
});

describe('nextAgreementStep', () => {
  const groups = groupSchemaVersions(split);

  it('proceeds at once when the nodes agree, however long it waited', () => {
    const agreed = groupSchemaVersions([node('127.0.0.1', A), node('127.0.0.2', A)]);
    expect(nextAgreementStep(agreed, 0, 1000)).toEqual({ kind: 'proceed' });
    expect(nextAgreementStep(agreed, 5000, 1000)).toEqual({ kind: 'proceed' });
  });

  it('waits while the versions differ and time is left', () => {
    expect(nextAgreementStep(groups, 0, 1000)).toEqual({ kind: 'wait' });
    expect(nextAgreementStep(groups, 999, 1000)).toEqual({ kind: 'wait' });
  });

  it('gives up at the bound with the nodes, their versions and the remedy, never a driver error', () => {
    const step = nextAgreementStep(groups, 60_000, 60_000);
    expect(step.kind).toBe('give-up');
    const message = step.kind === 'give-up' ? step.message : '';
    expect(message).toContain(`127.0.0.1, 127.0.0.2 on ${A}`);
    expect(message).toContain(`127.0.0.3 on ${B}`);
    expect(message).toContain('`nodetool resetlocalschema` on 127.0.0.3');
    expect(message).toContain('restart that node');
    expect(message).toContain('after waiting 60s');
    expect(message).not.toMatch(/Unknown CF/);
  });

  it('gives up at once with a zero bound', () => {
    expect(nextAgreementStep(groups, 0, 0).kind).toBe('give-up');
  });
});

describe('disagreementMessage', () => {
  it('names every node of the smaller groups when there is no majority, and the silent nodes', () => {
    const groups = groupSchemaVersions([node('127.0.0.2', B), node('127.0.0.1', A), node('127.0.0.3', null)]);
    const message = disagreementMessage(groups, 1500);
    expect(message).toContain(`127.0.0.1 on ${A}; 127.0.0.2 on ${B}`);
    expect(message).toContain('127.0.0.3 did not answer');
    expect(message).toContain('on 127.0.0.2 (or restart');
  });
});

describe('awaitSchemaAgreement', () => {
  it('polls until the versions converge and reports the wait once', async () => {
    const answers = [split, split, [node('127.0.0.1', A), node('127.0.0.2', A), node('127.0.0.3', A)]];
    let asked = 0;
    const waits: string[][] = [];
    await awaitSchemaAgreement(() => Promise.resolve(answers[Math.min(asked++, answers.length - 1)] ?? []), 10_000, {
      pollMs: 1,
      onWait: (groups) => waits.push(oddNodes(groups)),
    });
    expect(asked).toBe(3);
    expect(waits).toEqual([['127.0.0.3']]);
  });

  it('throws SchemaDisagreementError naming the nodes when they never converge', async () => {
    const wait = awaitSchemaAgreement(() => Promise.resolve(split), 30, { pollMs: 5 });
    await expect(wait).rejects.toBeInstanceOf(SchemaDisagreementError);
    await expect(wait).rejects.toThrow(/127\.0\.0\.3 on 9b7d6c5e.*resetlocalschema/);
  });
});
