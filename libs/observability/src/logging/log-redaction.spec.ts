import { REDACTED, redactQuery, redactSecretValues, redactUrl } from './log-redaction';

describe('redactUrl', () => {
  it('replaces the value of page_token and API keys, keeping every other parameter', () => {
    expect(redactUrl('/api/v1/data/AAPL?from=2025-08-01&page_token=v1.abc.def&limit=5')).toBe(
      `/api/v1/data/AAPL?from=2025-08-01&page_token=${REDACTED}&limit=5`,
    );
    expect(redactUrl('/x?api_key=k&apikey=k&access_token=t&token=t&tokens=ok')).toBe(
      `/x?api_key=${REDACTED}&apikey=${REDACTED}&access_token=${REDACTED}&token=${REDACTED}&tokens=ok`,
    );
  });

  it('catches the spellings Express reads as the same parameter', () => {
    expect(redactUrl('/x?page%5Ftoken=secret')).toBe(`/x?page%5Ftoken=${REDACTED}`);
    expect(redactUrl('/x?PAGE_TOKEN=secret')).toBe(`/x?PAGE_TOKEN=${REDACTED}`);
    expect(redactUrl('/x?page_token[]=secret&page_token=again')).toBe(
      `/x?page_token[]=${REDACTED}&page_token=${REDACTED}`,
    );
    expect(redactUrl('/x?a=1&page_token=secret#frag')).toBe(`/x?a=1&page_token=${REDACTED}#frag`);
  });

  it('leaves URLs without secrets alone, malformed escapes included', () => {
    expect(redactUrl('/api/v1/assets')).toBe('/api/v1/assets');
    expect(redactUrl('/x?%E0%A4%A=1&limit=5')).toBe('/x?%E0%A4%A=1&limit=5');
  });
});

describe('redactQuery', () => {
  it('returns a copy with secret values replaced, the parsed query itself untouched', () => {
    const query = { from: '2025-08-01', page_token: 'v1.abc.def' };
    expect(redactQuery(query)).toEqual({ from: '2025-08-01', page_token: REDACTED });
    expect(query.page_token).toBe('v1.abc.def');
    expect(redactQuery(undefined)).toBeUndefined();
  });
});

describe('redaction of credentials by name and by value', () => {
  const key = 'mwk_Ld4cDypNGK8Mth-Ko_VcYlnbdYOrtvz6AqnVI6b-yMQ';
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz';

  it('redacts the parameters a client may put a credential in, whatever their spelling', () => {
    expect(redactUrl('/x?x-api-key=a&X_API_KEY=b&key=c&jwt=d&id_token=e&limit=5')).toBe(
      `/x?x-api-key=${REDACTED}&X_API_KEY=${REDACTED}&key=${REDACTED}&jwt=${REDACTED}&id_token=${REDACTED}&limit=5`,
    );
    expect(redactQuery({ 'x-api-key': 'a', key: 'b', limit: '5' })).toEqual({
      'x-api-key': REDACTED,
      key: REDACTED,
      limit: '5',
    });
  });

  it('redacts an API key or a JWT under any name, in the path, and percent-encoded', () => {
    expect(redactUrl(`/x?note=${key}&other=${jwt}&limit=5`)).toBe(`/x?note=${REDACTED}&other=${REDACTED}&limit=5`);
    expect(redactUrl(`/api/v1/assets/${key}`)).toBe(`/api/v1/assets/${REDACTED}`);
    expect(redactUrl(`/x?q=${encodeURIComponent(key).replace('_', '%5F')}`)).toBe(`/x?q=${REDACTED}`);
    expect(redactSecretValues(`{"msg":"refused ${key}","h":"Bearer ${jwt}"}`)).toBe(
      `{"msg":"refused ${REDACTED}","h":"Bearer ${REDACTED}"}`,
    );
  });

  it('leaves page cursors, ids and decimals alone', () => {
    const line = '{"url":"/api/v1/data/AAPL?from=2025-08-01&limit=5","price":"189.10","id":"mwk"}';
    expect(redactSecretValues(line)).toBe(line);
  });
});
