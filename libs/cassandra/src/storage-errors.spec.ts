import { errors as driverErrors, types } from 'cassandra-driver';
import {
  RefusedPagingStateError,
  StorageUnavailableError,
  describeStorageError,
  storageErrorOf,
} from './storage-errors';

const responseError = (code: number) => new driverErrors.ResponseError(code, `driver says ${code}`);

describe('storageErrorOf', () => {
  it.each([
    ['no host available', new driverErrors.NoHostAvailableError({})],
    ['a client-side timeout', new driverErrors.OperationTimedOutError('timed out', '127.0.0.1:9042')],
    ['a busy connection', new driverErrors.BusyConnectionError('127.0.0.1:9042', 2048, 1)],
    ['Unavailable', responseError(types.responseErrorCodes.unavailableException)],
    ['a read timeout', responseError(types.responseErrorCodes.readTimeout)],
    ['a write timeout', responseError(types.responseErrorCodes.writeTimeout)],
    ['Overloaded', responseError(types.responseErrorCodes.overloaded)],
    ['a bootstrapping node', responseError(types.responseErrorCodes.isBootstrapping)],
    ['a read failure', responseError(types.responseErrorCodes.readFailure)],
    ['a write failure', responseError(types.responseErrorCodes.writeFailure)],
  ])('turns %s into StorageUnavailableError, keeping the driver error as cause', (_label, error) => {
    const typed = storageErrorOf(error, false);
    expect(typed).toBeInstanceOf(StorageUnavailableError);
    expect((typed as Error).cause).toBe(error);
    expect((typed as Error).message).toBe(error.message);
  });

  it('turns an "invalid" answer into RefusedPagingStateError only when a paging state was sent', () => {
    for (const code of [types.responseErrorCodes.invalid, types.responseErrorCodes.protocolError]) {
      const error = responseError(code);
      expect(storageErrorOf(error, true)).toBeInstanceOf(RefusedPagingStateError);
      expect(storageErrorOf(error, false)).toBe(error);
    }
  });

  it('leaves other errors as they are', () => {
    const syntax = responseError(types.responseErrorCodes.syntaxError);
    const bug = new TypeError('not a function');
    expect(storageErrorOf(syntax, true)).toBe(syntax);
    expect(storageErrorOf(bug, false)).toBe(bug);
  });
});

describe('describeStorageError', () => {
  it('names the driver class, the Cassandra error code and the coordinator that answered', () => {
    const error = Object.assign(responseError(types.responseErrorCodes.unavailableException), {
      coordinator: '127.0.0.1:9142',
    });
    expect(describeStorageError(storageErrorOf(error, false))).toBe(
      'ResponseError code 0x1000 (unavailableException) from 127.0.0.1:9142: driver says 4096',
    );
  });

  it('says what each host tried answered when no host could serve', () => {
    const timeout = new driverErrors.OperationTimedOutError('timed out', '127.0.0.2:9142');
    const overloaded = Object.assign(responseError(types.responseErrorCodes.overloaded), {
      coordinator: '127.0.0.1:9142',
    });
    const error = new driverErrors.NoHostAvailableError({ '127.0.0.1:9142': overloaded, '127.0.0.2:9142': timeout });
    expect(describeStorageError(storageErrorOf(error, false))).toBe(
      `NoHostAvailableError: ${error.message} [127.0.0.1:9142: ResponseError code 0x1001 (overloaded) from 127.0.0.1:9142: driver says 4097; ` +
        '127.0.0.2:9142: OperationTimedOutError from 127.0.0.2:9142: timed out]',
    );
  });
});
