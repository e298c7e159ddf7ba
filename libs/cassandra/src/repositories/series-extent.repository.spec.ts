import fc from 'fast-check';
import { types } from 'cassandra-driver';
import { firstTsWriteTimestamp, lastTsWriteTimestamp } from './series-extent.repository';

const instant = fc.date({
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('series extent write timestamps', () => {
  it('rise with last_ts and fall with first_ts, so the widest extent wins whatever the write order', () => {
    fc.assert(
      fc.property(instant, instant, (earlier, later) => {
        fc.pre(earlier < later);
        expect(lastTsWriteTimestamp(later).greaterThan(lastTsWriteTimestamp(earlier))).toBe(true);
        expect(firstTsWriteTimestamp(earlier).greaterThan(firstTsWriteTimestamp(later))).toBe(true);
      }),
    );
  });

  it('are exact per millisecond and stay positive over years 1-9999', () => {
    const edges = [new Date('0001-01-01T00:00:00.000Z'), new Date('9999-12-31T23:59:59.999Z')];
    for (const ts of edges) {
      for (const stamp of [firstTsWriteTimestamp(ts), lastTsWriteTimestamp(ts)]) {
        expect(stamp.greaterThan(types.Long.ZERO)).toBe(true);
        expect(stamp.lessThan(types.Long.MAX_VALUE)).toBe(true);
      }
    }
    const ts = new Date('2025-08-01T13:30:00.001Z');
    const next = new Date(ts.getTime() + 1);
    expect(lastTsWriteTimestamp(next).subtract(lastTsWriteTimestamp(ts)).toNumber()).toBe(1000);
    expect(firstTsWriteTimestamp(ts).subtract(firstTsWriteTimestamp(next)).toNumber()).toBe(1000);
  });
});
