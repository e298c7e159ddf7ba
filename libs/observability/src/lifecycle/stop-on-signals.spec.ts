import { Logger } from '@nestjs/common';
import { stopOnSignals } from './stop-on-signals';

/** A signal of our own, so the test never touches SIGTERM handling of the Jest worker. */
const SIGNAL: NodeJS.Signals = 'SIGUSR2';

describe('stopOnSignals', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  afterEach(() => {
    process.removeAllListeners(SIGNAL);
  });

  it('closes the app and then exits 0', async () => {
    const order: string[] = [];
    const exited = new Promise<number>((resolve) =>
      stopOnSignals({ close: () => Promise.resolve(void order.push('closed')) }, (code) => resolve(code), [SIGNAL]),
    );
    process.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(0);
    expect(order).toEqual(['closed']);
  });

  it('exits 1 when closing fails, and at once on a second signal', async () => {
    const codes: number[] = [];
    let failClose: (error: Error) => void = () => undefined;
    stopOnSignals(
      { close: () => new Promise<void>((_resolve, reject) => (failClose = reject)) },
      (code) => codes.push(code),
      [SIGNAL],
      0,
    );
    process.emit(SIGNAL, SIGNAL);
    process.emit(SIGNAL, SIGNAL);
    expect(codes).toEqual([1]);
    failClose(new Error('driver would not close'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(codes).toEqual([1, 1]);
  });

  it('takes a second signal within the window (a launcher relaying Ctrl-C) as the same request', async () => {
    const codes: number[] = [];
    let finishClose: () => void = () => undefined;
    stopOnSignals(
      { close: () => new Promise<void>((resolve) => (finishClose = resolve)) },
      (code) => codes.push(code),
      [SIGNAL, 'SIGUSR1'],
      60_000,
    );
    process.emit(SIGNAL, SIGNAL);
    process.emit('SIGUSR1', 'SIGUSR1');
    process.emit(SIGNAL, SIGNAL);
    expect(codes).toEqual([]);
    finishClose();
    await new Promise((resolve) => setImmediate(resolve));
    expect(codes).toEqual([0]);
    process.removeAllListeners('SIGUSR1');
  });

  it('exits at once on a signal after the window, while still closing', async () => {
    const codes: number[] = [];
    stopOnSignals({ close: () => new Promise<void>(() => undefined) }, (code) => codes.push(code), [SIGNAL], 20);
    process.emit(SIGNAL, SIGNAL);
    process.emit(SIGNAL, SIGNAL);
    expect(codes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    process.emit(SIGNAL, SIGNAL);
    expect(codes).toEqual([1]);
  });
});
