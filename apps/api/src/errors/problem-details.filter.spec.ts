import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { firstValueFrom, NEVER, of } from 'rxjs';
import { AuthenticationError, KeySetUnavailableError, MissingScopeError } from '@market/auth';
import { InvalidPageTokenError, StorageUnavailableError } from '@market/cassandra';
import { InvalidQueryError, RangeTooLargeError, RequestTimedOutError, ResourceNotFoundError } from './api-errors';
import { ProblemDetailsFilter } from './problem-details.filter';
import { RequestTimeoutInterceptor } from './request-timeout.interceptor';

const filter = new ProblemDetailsFilter(7);

describe('ProblemDetailsFilter', () => {
  it('answers a spent rate limit with a readable detail, never the class name', () => {
    const problem = filter.toProblem(new ThrottlerException());
    expect(problem).toEqual({
      type: '/problems/too-many-requests',
      title: 'Too many requests',
      status: 429,
      detail: 'the rate limit of this caller is spent: retry after the number of seconds in Retry-After',
    });
    expect(JSON.stringify(problem)).not.toContain('Exception');
  });

  it('maps domain errors to 400 and 404 problems', () => {
    expect(filter.toProblem(new ResourceNotFoundError('asset', 'X'))).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'unknown asset "X"',
    });
    expect(filter.toProblem(new InvalidQueryError('to', "'to' is bad")).status).toBe(400);
    expect(filter.toProblem(new RangeTooLargeError(10, 20)).type).toBe('/problems/range-too-large');
    expect(filter.toProblem(new InvalidPageTokenError('expired'))).toMatchObject({
      status: 400,
      type: '/problems/invalid-page-token',
    });
  });

  it.each([
    // The library turns the driver's errors into StorageUnavailableError (storage-errors.spec.ts).
    ['Unavailable', new StorageUnavailableError('Cannot achieve consistency level QUORUM')],
    ['a client-side timeout', new StorageUnavailableError('timed out on 127.0.0.1:9042')],
    ['a read timeout', new StorageUnavailableError('Operation timed out - received only 1 responses')],
    ['an overloaded node', new StorageUnavailableError('Overloaded')],
    ['the request timeout', new RequestTimedOutError(100)],
  ])('answers 503 with Retry-After and no driver message for %s', (_label, error) => {
    const problem = filter.toProblem(error);
    expect(problem).toMatchObject({
      status: 503,
      type: '/problems/service-unavailable',
      headers: { 'Retry-After': '7' },
    });
    expect(problem.detail).not.toMatch(/consistency level|127\.0\.0\.1|responses|Overloaded/);
  });

  it('keeps validation messages and hides unexpected errors behind a generic 500', () => {
    expect(filter.toProblem(new BadRequestException(['limit must be an integer', 'sort must be asc or desc']))).toEqual(
      {
        type: '/problems/invalid-request',
        title: 'Invalid request',
        status: 400,
        detail: 'limit must be an integer; sort must be asc or desc',
        errors: ['limit must be an integer', 'sort must be asc or desc'],
      },
    );
    expect(filter.toProblem(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, title: 'Not found' });
    const hidden = filter.toProblem(new SyntaxError('line 1:7 no viable alternative'));
    expect(hidden).toEqual({
      type: '/problems/internal-error',
      title: 'Internal error',
      status: 500,
      detail: 'an unexpected error occurred',
    });
    expect(filter.toProblem(new Error('secret internals')).detail).toBe('an unexpected error occurred');
    expect(filter.toProblem(new ServiceUnavailableException('x')).status).toBe(503);
  });
});

describe('RequestTimeoutInterceptor', () => {
  const interceptor = new RequestTimeoutInterceptor(50);

  it('turns a handler that runs past the timeout into RequestTimedOutError', async () => {
    await expect(firstValueFrom(interceptor.intercept({} as never, { handle: () => NEVER }))).rejects.toThrow(
      RequestTimedOutError,
    );
  });

  it('passes a fast handler through untouched', async () => {
    await expect(firstValueFrom(interceptor.intercept({} as never, { handle: () => of('done') }))).resolves.toBe(
      'done',
    );
  });
});

describe('ProblemDetailsFilter on auth errors', () => {
  it('answers 503 with Retry-After when the key set is out of reach, without its address', () => {
    const problem = filter.toProblem(new KeySetUnavailableError('connect ECONNREFUSED 10.0.0.7:443'));
    expect(problem).toMatchObject({ status: 503, headers: { 'Retry-After': '7' } });
    expect(problem.detail).not.toContain('10.0.0.7');
  });

  it('answers 401 and 403 as both apps do', () => {
    expect(filter.toProblem(new AuthenticationError('credentials are required')).status).toBe(401);
    expect(filter.toProblem(new MissingScopeError(['read:data'])).status).toBe(403);
  });
});
