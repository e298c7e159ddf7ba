import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Observable, TimeoutError, catchError, throwError, timeout } from 'rxjs';
import { RequestTimedOutError } from './api-errors';

/** Answers 503 (through the filter) when a handler runs past the configured timeout. */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly timeoutMs: number) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      timeout(this.timeoutMs),
      catchError((error: unknown) =>
        throwError(() => (error instanceof TimeoutError ? new RequestTimedOutError(this.timeoutMs) : error)),
      ),
    );
  }
}
