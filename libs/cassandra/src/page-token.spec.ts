import fc from 'fast-check';
import {
  InvalidPageTokenError,
  type PagePosition,
  type PageQuery,
  decodePageToken,
  encodePageToken,
} from './page-token';

const SECRET = 'test-secret-that-is-long-enough-0123456789';
const NOW = Date.UTC(2025, 8, 1);
const query: PageQuery = {
  kind: 'asset',
  id: 'AAPL',
  from: Date.UTC(2025, 7, 1),
  to: Date.UTC(2025, 7, 31),
  sort: 'asc',
};
const position: PagePosition = { bucketIndex: 2, pageState: '0a1b2c', lastTs: Date.UTC(2025, 7, 15) };
const token = encodePageToken(query, position, { secret: SECRET, expiresAt: NOW + 60_000 });

function reasonOf(candidate: string, against: PageQuery = query, secret = SECRET, now = NOW): string {
  try {
    decodePageToken(candidate, against, { secret, now });
  } catch (error) {
    if (error instanceof InvalidPageTokenError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('page tokens', () => {
  it('round-trips the position for the query it was issued for', () => {
    expect(decodePageToken(token, query, { secret: SECRET, now: NOW })).toEqual({ ...position, to: query.to });
  });

  it('supplies the end of an open range (to: null) from the token, and still checks the rest', () => {
    expect(decodePageToken(token, { ...query, to: null }, { secret: SECRET, now: NOW })).toEqual({
      ...position,
      to: query.to,
    });
    expect(() =>
      decodePageToken(token, { ...query, to: null, from: query.from + 1 }, { secret: SECRET, now: NOW }),
    ).toThrow(InvalidPageTokenError);
  });

  it('is opaque URL-safe text', () => {
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('rejects a token bound to another asset, range or direction', () => {
    expect(reasonOf(token, { ...query, id: 'MSFT' })).toBe('other_query');
    expect(reasonOf(token, { ...query, kind: 'commodity' })).toBe('other_query');
    expect(reasonOf(token, { ...query, from: query.from + 1 })).toBe('other_query');
    expect(reasonOf(token, { ...query, to: query.to - 1 })).toBe('other_query');
    expect(reasonOf(token, { ...query, sort: 'desc' })).toBe('other_query');
  });

  it('binds an aggregated read to its timeframe and zone, and carries its bar boundary', () => {
    const aggregated: PageQuery = { ...query, timeframe: '1h', tz: 'America/New_York' };
    const barPosition: PagePosition = { ...position, barBoundary: Date.UTC(2025, 7, 15, 4) };
    const barToken = encodePageToken(aggregated, barPosition, { secret: SECRET, expiresAt: NOW + 60_000 });
    expect(decodePageToken(barToken, aggregated, { secret: SECRET, now: NOW })).toEqual({
      ...barPosition,
      to: query.to,
    });
    expect(reasonOf(barToken, { ...aggregated, timeframe: '1d' })).toBe('other_query');
    expect(reasonOf(barToken, { ...aggregated, tz: 'UTC' })).toBe('other_query');
    expect(reasonOf(barToken, query)).toBe('other_query');
    expect(reasonOf(token, aggregated)).toBe('other_query');
  });

  it('binds an adjusted read to its adjustment and as-of instant, which an open as-of takes from the token', () => {
    const adjusted: PageQuery = { ...query, adjustment: 'all', asof: Date.UTC(2025, 8, 1) };
    const adjustedToken = encodePageToken(adjusted, position, { secret: SECRET, expiresAt: NOW + 60_000 });
    expect(decodePageToken(adjustedToken, { ...adjusted, asof: null }, { secret: SECRET, now: NOW })).toEqual({
      ...position,
      to: query.to,
      asof: adjusted.asof,
    });
    expect(reasonOf(adjustedToken, { ...adjusted, adjustment: 'split' })).toBe('other_query');
    expect(reasonOf(adjustedToken, { ...adjusted, asof: Date.UTC(2025, 8, 2) })).toBe('other_query');
    expect(reasonOf(adjustedToken, query)).toBe('other_query');
    expect(reasonOf(token, adjusted)).toBe('other_query');
  });

  it('rejects an expired token', () => {
    expect(reasonOf(token, query, SECRET, NOW + 60_000)).toBe('expired');
  });

  it('rejects a token signed with another key', () => {
    expect(reasonOf(token, query, 'another-secret-another-secret-another')).toBe('bad_signature');
  });

  it('rejects garbage, truncation and other versions', () => {
    expect(reasonOf('')).toBe('malformed');
    expect(reasonOf('garbage')).toBe('malformed');
    expect(reasonOf(token.slice(0, -5))).toBe('bad_signature');
    expect(reasonOf(token.split('.').slice(0, 2).join('.'))).toBe('malformed');
    expect(reasonOf(token.replace(/^v1/, 'v9'))).toBe('unsupported_version');
    expect(reasonOf(`${token}.extra`)).toBe('malformed');
  });

  it('rejects any single altered character', () => {
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'AZaz09-_.'), (index, replacement) => {
        fc.pre(token[index] !== replacement);
        const altered = `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
        expect(reasonOf(altered)).not.toBe('accepted');
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a re-signed payload that smuggles in a raw paging state of another shape', () => {
    const forged = encodePageToken(
      query,
      { ...position, pageState: 'not-hex!' },
      { secret: SECRET, expiresAt: NOW + 1 },
    );
    expect(reasonOf(forged)).toBe('malformed');
  });
});
