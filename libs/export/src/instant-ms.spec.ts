import fc from 'fast-check';
import { epochMsOfInstant } from './instant-ms';

describe('epochMsOfInstant', () => {
  it('reads the API instants as Date.parse does, within a day and across days', () => {
    const texts = [
      '2024-01-01T13:30:00.000Z',
      '2024-01-01T13:31:00.000Z',
      '2024-01-01T23:59:59.999Z',
      '2024-01-02T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '1969-12-31T00:00:00.001Z',
    ];
    for (const text of texts) expect(epochMsOfInstant(text)).toBe(Date.parse(text));
  });

  it('leaves what is not an instant of the cached day to Date.parse, NaN included', () => {
    epochMsOfInstant('2024-01-01T13:30:00.000Z');
    for (const text of [
      '2024-01-01T24:00:00.000Z',
      '2024-01-01T13:60:00.000Z',
      '2024-01-01T13:30:61.000Z',
      '2024-01-01T13:3a:00.000Z',
      '2024-01-01T13:30:00.000+',
      '2024-01-01T13:30:00,000Z',
      '2024-01-01 13:30:00.000Z',
      '2024-02-30T13:30:00.000Z',
      '+275760-09-13T00:00:00.000Z',
      'not an instant',
    ]) {
      expect(epochMsOfInstant(text)).toEqual(Date.parse(text));
    }
  });

  it('agrees with Date.parse on every toISOString text, read in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15 - 86_400_000), noInvalidDate: true }), {
          minLength: 1,
        }),
        fc.integer({ min: 0, max: 86_399_999 }),
        (dates, offset) => {
          for (const date of dates) {
            // The same day again, at another time of it: the cached path.
            const sameDay = new Date(Math.floor(date.getTime() / 86_400_000) * 86_400_000 + offset);
            for (const text of [date.toISOString(), sameDay.toISOString()]) {
              expect(epochMsOfInstant(text)).toBe(Date.parse(text));
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
