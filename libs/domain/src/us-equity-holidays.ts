/**
 * The rules of the US equity exchanges' (NYSE, Nasdaq) full closures and 13:00 early closes,
 * as NYSE Rule 7.2 and its announcements state them, for 2000 onwards. Dates are UTC
 * midnights of the local calendar date (epoch ms), so no zone arithmetic happens here.
 * test/integration/exchange-calendar.spec.ts checks every day 2000–2035 against Python's
 * `exchange_calendars`.
 */

const DAY_MS = 86_400_000;
const [SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, SATURDAY] = [0, 1, 2, 3, 4, 6];

/** Closures announced one by one (national mourning, 9/11, Hurricane Sandy). */
const SPECIAL_CLOSURES = [
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11', // Reagan
  '2007-01-02', // Ford
  '2012-10-29', // Sandy
  '2012-10-30',
  '2018-12-05', // G. H. W. Bush
  '2025-01-09', // Carter
] as const;

/** Early closes announced one by one. */
const SPECIAL_EARLY_CLOSES = ['2003-12-26'] as const;

/** Juneteenth became an exchange holiday in 2022. */
const JUNETEENTH_FROM = 2022;
/** July 3rd on a Wednesday closes early from 2013; before, the Friday after a Thursday 4th did. */
const WEDNESDAY_JULY_3RD_FROM = 2013;

export interface UsEquityYear {
  /** Weekdays the exchanges are closed (UTC midnights). */
  readonly closed: ReadonlySet<number>;
  /** Sessions that end at 13:00 New York time (UTC midnights). */
  readonly earlyCloses: ReadonlySet<number>;
}

const years = new Map<number, UsEquityYear>();

/** The closures and early closes of one year, computed once. */
export function usEquityYear(year: number): UsEquityYear {
  const known = years.get(year);
  if (known !== undefined) return known;
  const computed = { closed: closuresOf(year), earlyCloses: earlyClosesOf(year) };
  years.set(year, computed);
  return computed;
}

function closuresOf(year: number): Set<number> {
  const closed = [
    newYearsDay(year),
    nthWeekday(year, 1, MONDAY, 3), // Martin Luther King Jr. Day
    nthWeekday(year, 2, MONDAY, 3), // Washington's Birthday
    easterSunday(year) - 2 * DAY_MS, // Good Friday
    lastWeekday(year, 5, MONDAY), // Memorial Day
    year >= JUNETEENTH_FROM ? observed(Date.UTC(year, 5, 19)) : null,
    observed(Date.UTC(year, 6, 4)), // Independence Day
    nthWeekday(year, 9, MONDAY, 1), // Labor Day
    nthWeekday(year, 11, THURSDAY, 4), // Thanksgiving
    observed(Date.UTC(year, 11, 25)), // Christmas
    ...SPECIAL_CLOSURES.filter((date) => date.startsWith(`${year}-`)).map(dateMs),
  ];
  return new Set(closed.filter((date): date is number => date !== null));
}

function earlyClosesOf(year: number): Set<number> {
  const early: number[] = [nthWeekday(year, 11, THURSDAY, 4) + DAY_MS]; // the day after Thanksgiving
  const july3rd = Date.UTC(year, 6, 3);
  const july3rdWeekday = weekday(july3rd);
  if (july3rdWeekday === MONDAY || july3rdWeekday === TUESDAY || july3rdWeekday === THURSDAY) early.push(july3rd);
  if (july3rdWeekday === WEDNESDAY) early.push(year >= WEDNESDAY_JULY_3RD_FROM ? july3rd : july3rd + 2 * DAY_MS);
  const christmasEve = Date.UTC(year, 11, 24);
  if (weekday(christmasEve) >= MONDAY && weekday(christmasEve) <= THURSDAY) early.push(christmasEve);
  early.push(...SPECIAL_EARLY_CLOSES.filter((date) => date.startsWith(`${year}-`)).map(dateMs));
  return new Set(early);
}

/** New Year's Day falling on a Saturday is not moved to the Friday before (Rule 7.2). */
function newYearsDay(year: number): number | null {
  const day = Date.UTC(year, 0, 1);
  if (weekday(day) === SATURDAY) return null;
  return weekday(day) === SUNDAY ? day + DAY_MS : day;
}

/** A fixed-date holiday on a Saturday is kept the Friday before, on a Sunday the Monday after. */
function observed(day: number): number {
  if (weekday(day) === SATURDAY) return day - DAY_MS;
  if (weekday(day) === SUNDAY) return day + DAY_MS;
  return day;
}

/** The `nth` given weekday of a month (1-based month). */
function nthWeekday(year: number, month: number, day: number, nth: number): number {
  const first = Date.UTC(year, month - 1, 1);
  return first + (((day - weekday(first) + 7) % 7) + (nth - 1) * 7) * DAY_MS;
}

function lastWeekday(year: number, month: number, day: number): number {
  const last = Date.UTC(year, month, 0);
  return last - ((weekday(last) - day + 7) % 7) * DAY_MS;
}

/** Gregorian Easter Sunday (the anonymous algorithm, Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

function weekday(dayMs: number): number {
  return new Date(dayMs).getUTCDay();
}

function dateMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** True for Saturday and Sunday (a UTC midnight). */
export function isWeekend(dayMs: number): boolean {
  const day = weekday(dayMs);
  return day === SATURDAY || day === SUNDAY;
}
