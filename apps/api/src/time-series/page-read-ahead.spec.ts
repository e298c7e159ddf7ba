import { PageReadAhead } from './page-read-ahead';

describe('PageReadAhead', () => {
  it('hands a page read ahead to the request it was read for, once', async () => {
    const ahead = new PageReadAhead<string>();
    let reads = 0;
    const read = () => {
      reads += 1;
      return Promise.resolve('page 2');
    };
    ahead.start('token-2', 100, read);
    ahead.start('token-2', 100, read); // already under way: not read twice
    expect(reads).toBe(1);
    expect(ahead.take('token-2', 50)).toBeUndefined(); // another limit is another request
    await expect(ahead.take('token-2', 100)).resolves.toBe('page 2');
    expect(ahead.take('token-2', 100)).toBeUndefined();
  });

  it('keeps a failed read for its request to handle, without an unhandled rejection', async () => {
    const ahead = new PageReadAhead<string>();
    ahead.start('token-3', 10, () => Promise.reject(new Error('replica timed out')));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(ahead.take('token-3', 10)).rejects.toThrow('replica timed out');
  });

  it('holds at most 50,000 points of waiting pages, dropping the least recent', () => {
    const ahead = new PageReadAhead<string>();
    for (let index = 0; index < 11; index += 1) ahead.start(`token-${index}`, 5000, () => Promise.resolve(`${index}`));
    expect(ahead.take('token-0', 5000)).toBeUndefined();
    expect(ahead.take('token-10', 5000)).toBeDefined();
  });
});
