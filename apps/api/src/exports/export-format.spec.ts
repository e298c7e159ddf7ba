import express, { type Request } from 'express';
import { NotAcceptableError, negotiateExportFormat } from './export-format';

/** Express's own Accept ranking, as the controller uses it, over a request with this header. */
function negotiate(format: Parameters<typeof negotiateExportFormat>[0], accept: string | undefined) {
  const request = Object.assign(Object.create(express.request) as Request, {
    headers: accept === undefined ? {} : { accept },
  });
  return negotiateExportFormat(format, accept, (types) => request.accepts(types));
}

describe('negotiateExportFormat', () => {
  it('answers JSON with no Accept, a wildcard or JSON itself', () => {
    expect(negotiate(undefined, undefined)).toBe('json');
    expect(negotiate(undefined, '*/*')).toBe('json');
    expect(negotiate(undefined, 'application/json')).toBe('json');
  });

  it('answers the common Accepts without ranking them, as the ranking would', () => {
    const ranking = jest.fn(() => 'text/csv' as const);
    for (const accept of [undefined, '*/*', 'application/json']) {
      expect(negotiateExportFormat(undefined, accept, ranking)).toBe('json');
    }
    expect(ranking).not.toHaveBeenCalled();
    expect(negotiateExportFormat(undefined, '*/*;q=0.9', ranking)).toBe('csv');
    expect(ranking).toHaveBeenCalledTimes(1);
  });

  it('picks the file format Accept ranks highest', () => {
    expect(negotiate(undefined, 'text/csv')).toBe('csv');
    expect(negotiate(undefined, 'application/x-ndjson')).toBe('ndjson');
    expect(negotiate(undefined, 'application/vnd.apache.parquet')).toBe('parquet');
    expect(negotiate(undefined, 'application/json;q=0.5, text/csv')).toBe('csv');
    expect(negotiate(undefined, 'text/*')).toBe('csv');
  });

  it('lets format= win over Accept', () => {
    expect(negotiate('parquet', 'text/csv')).toBe('parquet');
    expect(negotiate('json', 'image/png')).toBe('json');
  });

  it('refuses an Accept naming nothing it serves', () => {
    expect(() => negotiate(undefined, 'image/png')).toThrow(NotAcceptableError);
    expect(() => negotiate(undefined, 'text/csv;q=0')).toThrow(/names no type this route serves/);
  });
});
