import { policies, type types } from 'cassandra-driver';

type OperationInfo = policies.retry.OperationInfo;
type DecisionInfo = policies.retry.DecisionInfo;

/**
 * Retries an idempotent request once, on the next host, after a read or write timeout,
 * an unavailable error or a socket error. The driver's default policy rethrows most
 * timeouts, so one node dying mid-request would reach users as an error; a statement that
 * is not idempotent (an LWT) is never retried, since it may already have been applied.
 */
export class IdempotentRetryPolicy extends policies.retry.RetryPolicy {
  override onReadTimeout(
    info: OperationInfo,
    _consistency: types.consistencies,
    _received: number,
    _blockFor: number,
    _isDataPresent: boolean,
  ): DecisionInfo {
    return this.onceIfIdempotent(info);
  }

  override onWriteTimeout(
    info: OperationInfo,
    _consistency: types.consistencies,
    _received: number,
    _blockFor: number,
    _writeType: string,
  ): DecisionInfo {
    return this.onceIfIdempotent(info);
  }

  override onUnavailable(
    info: OperationInfo,
    _consistency: types.consistencies,
    _required: number,
    _alive: boolean,
  ): DecisionInfo {
    return this.onceIfIdempotent(info);
  }

  override onRequestError(info: OperationInfo, _consistency: types.consistencies, _error: Error): DecisionInfo {
    return this.onceIfIdempotent(info);
  }

  private onceIfIdempotent(info: OperationInfo): DecisionInfo {
    const idempotent = info.executionOptions.isIdempotent();
    // An undefined consistency keeps the request's own; the typings demand a value.
    const sameConsistency = undefined as unknown as types.consistencies;
    return idempotent && info.nbRetry === 0 ? this.retryResult(sameConsistency, false) : this.rethrowResult();
  }
}
