import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { NEVER, Observable, delay, firstValueFrom, lastValueFrom, of, throwError } from 'rxjs';
import { RequestTimedOutError } from './api-errors';
import { RequestTimeoutInterceptor } from './request-timeout.interceptor';

const context = {} as ExecutionContext;
const handler = (source: Observable<unknown>): CallHandler => ({ handle: () => source });

describe('RequestTimeoutInterceptor', () => {
  it("passes a handler's value through when it comes in time", async () => {
    const interceptor = new RequestTimeoutInterceptor(200);
    await expect(lastValueFrom(interceptor.intercept(context, handler(of('page').pipe(delay(20)))))).resolves.toBe(
      'page',
    );
  });

  it('fails with RequestTimedOutError when the handler runs past the timeout, and stops waiting for it', async () => {
    const interceptor = new RequestTimeoutInterceptor(30);
    let unsubscribed = false;
    const slow = new Observable<never>(() => () => {
      unsubscribed = true;
    });
    const started = Date.now();
    const error: unknown = await firstValueFrom(interceptor.intercept(context, handler(slow))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimedOutError);
    expect((error as RequestTimedOutError).timeoutMs).toBe(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(unsubscribed).toBe(true);
  });

  it("passes a handler's own error through unchanged", async () => {
    const interceptor = new RequestTimeoutInterceptor(200);
    const failure = new Error('not found');
    await expect(lastValueFrom(interceptor.intercept(context, handler(throwError(() => failure))))).rejects.toBe(
      failure,
    );
  });

  it('leaves no timer behind once the handler has answered or the caller has gone', async () => {
    jest.useFakeTimers();
    try {
      const interceptor = new RequestTimeoutInterceptor(1000);
      const answered = lastValueFrom(interceptor.intercept(context, handler(of('page'))));
      await expect(answered).resolves.toBe('page');
      interceptor.intercept(context, handler(NEVER)).subscribe().unsubscribe();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
