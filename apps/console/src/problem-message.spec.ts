import { readableError } from './problem-message';

describe('readableError', () => {
  it('says what a 401 means and where to enter credentials', () => {
    const error = readableError(401, { status: 401, detail: 'the API key is not known' }, null, 'reading the catalog');
    expect(error.title).toBe('Sign-in needed for reading the catalog.');
    expect(error.detail).toBe('The API key is not known. Enter an API key or a bearer token under “Credentials”.');
  });

  it('names the missing scope of a 403 as the API said it', () => {
    const error = readableError(403, { detail: 'missing scope: read:data' }, null, 'loading AAPL');
    expect(error.title).toBe('Not allowed: loading AAPL.');
    expect(error.detail).toContain('Missing scope: read:data.');
  });

  it('tells when to retry after a 429 or a 503', () => {
    expect(readableError(429, null, 30, 'loading AAPL').detail).toBe('The rate limit is spent. Try again in 30 s.');
    const unavailable = readableError(503, { detail: 'the database cannot serve this request right now' }, 5, 'x');
    expect(unavailable.title).toBe('The warehouse is unavailable while x.');
    expect(unavailable.detail).toBe('The database cannot serve this request right now. Try again in 5 s.');
  });

  it('says the API cannot be reached when no answer came, and falls back to the problem title', () => {
    expect(readableError(0, null, null, 'loading AAPL').title).toBe('Cannot reach the API while loading AAPL.');
    expect(readableError(400, { title: 'Invalid query', detail: 'to < from' }, null, 'loading AAPL')).toEqual({
      title: 'Invalid query while loading AAPL.',
      detail: 'To < from.',
    });
  });
});
