import { HttpException, NotFoundException } from '@nestjs/common';
import { AuthenticationError, MissingScopeError } from '@market/auth';
import { ProblemDetailsFilter } from './problem-details';

const filter = new ProblemDetailsFilter();

describe('ProblemDetailsFilter (both apps)', () => {
  it('answers 401 with a bearer challenge, naming an invalid token as such', () => {
    expect(filter.toProblem(new AuthenticationError('credentials are required'))).toEqual({
      type: '/problems/unauthorized',
      title: 'Unauthorized',
      status: 401,
      detail: 'credentials are required',
      headers: { 'WWW-Authenticate': 'Bearer realm="market-warehouse"' },
    });
    expect(filter.toProblem(new AuthenticationError('expired', true)).headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="market-warehouse", error="invalid_token"',
    });
  });

  it('answers 403 naming the missing scopes', () => {
    expect(filter.toProblem(new MissingScopeError(['read:data', 'read:assets']))).toMatchObject({
      status: 403,
      detail: 'the credentials lack the scopes read:data, read:assets',
      headers: {
        'WWW-Authenticate':
          'Bearer realm="market-warehouse", error="insufficient_scope", scope="read:data read:assets"',
      },
    });
  });

  it("keeps an HTTP exception's status and answers anything else with a generic 500", () => {
    expect(filter.toProblem(new NotFoundException('Cannot GET /nothing'))).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Cannot GET /nothing',
    });
    expect(filter.toProblem(new HttpException('teapot', 418))).toMatchObject({
      status: 418,
      type: '/problems/http-418',
    });
    expect(filter.toProblem(new Error('secret internals'))).toEqual({
      type: '/problems/internal-error',
      title: 'Internal error',
      status: 500,
      detail: 'an unexpected error occurred',
    });
  });
});
