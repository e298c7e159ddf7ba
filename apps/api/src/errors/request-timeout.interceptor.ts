import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { RequestTimedOutError } from './api-errors';

/**
 * Answers 503 (through the filter) when a handler runs past the configured timeout: no value
 * within `timeoutMs` of the subscription, or of the previous value (rxjs `timeout(ms)`'s rule).
 * One plain timer per request: rxjs's `timeout` operator schedules through its async
 * scheduler, a setInterval and a few subscribers per request (~1% of a small request's CPU,
 * issue #25), for the same effect.
 */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly timeoutMs: number) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return new Observable((subscriber) => {
      const arm = () => setTimeout(() => subscriber.error(new RequestTimedOutError(this.timeoutMs)), this.timeoutMs);
      let timer = arm();
      const subscription = next.handle().subscribe({
        next: (value) => {
          clearTimeout(timer);
          timer = arm();
          subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      // Runs on completion, on error (the timeout's included) and when the caller unsubscribes.
      return () => {
        clearTimeout(timer);
        subscription.unsubscribe();
      };
    });
  }
}
