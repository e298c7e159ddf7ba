import { Inject, Injectable } from '@nestjs/common';
import { type TradingSession, tradingSession } from '@market/domain';
import { toLocalDateTime } from '../../normalisation/zoned-time';
import type {
  ActionsRequest,
  BarInterval,
  FetchRequest,
  PriceProvider,
  ProviderAction,
  ProviderBar,
} from '../price-provider.interface';
import { providerSettings } from '../provider-settings';
import { assertFetchable } from '../provider-errors';
import { type MinuteBar, RandomWalk, centsText } from './random-walk';

const MARKET_ZONE = 'America/New_York';
const CALENDAR = 'XNYS';
const SESSION_MINUTES = 390; // 09:30–16:00, the regular session the volume curve spans
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const BAR_MINUTES: Readonly<Record<Exclude<BarInterval, '1d'>, number>> = { '1m': 1, '5m': 5, '15m': 15, '1h': 60 };

export const DEFAULT_SYNTHETIC_SEED = 'market-warehouse';

export interface SyntheticProviderOptions {
  /** Same seed, same prices, on every machine and every run. */
  readonly seed?: string;
  /** Price levels by upper-case symbol, overriding the built-in ones and the hash. */
  readonly basePrices?: Readonly<Record<string, number>>;
}

export interface SyntheticSeries {
  readonly seed: string;
  readonly symbol: string;
  readonly basePrices?: Readonly<Record<string, number>>;
}

/**
 * The synthetic bars of `[from, to)`, ascending, generated lazily (a year of minutes never
 * sits in memory unless the caller keeps it). NYSE sessions only (the XNYS calendar):
 * 09:30–16:00 New York time, DST-correct, none on exchange holidays, none after 13:00 on an
 * early close. Intraday bars
 * longer than a minute start at 09:30 and every N minutes after (the last 1h bar is the
 * half hour 15:30–16:00); a daily bar is stamped 00:00 UTC of its date. Every bar is a pure
 * function of seed, symbol and its start, so any window returns the same bar for it.
 */
export function* generateSyntheticBars(
  series: SyntheticSeries,
  request: Omit<FetchRequest, 'symbol'>,
): Generator<ProviderBar> {
  const walk = new RandomWalk(series.seed, series.symbol, series.basePrices);
  const from = request.from.getTime();
  const to = request.to.getTime();
  for (const session of tradingSessions(request.from, request.to)) {
    const sessionMinutes = (session.closeMs - session.openMs) / MINUTE_MS;
    if (request.interval === '1d') {
      const stamp = Date.parse(`${session.date}T00:00:00Z`);
      if (stamp >= from && stamp < to) yield toProviderBar(stamp, sessionBar(walk, session.openMs, sessionMinutes));
      continue;
    }
    const width = BAR_MINUTES[request.interval];
    for (let first = 0; first < sessionMinutes; first += width) {
      const start = session.openMs + first * MINUTE_MS;
      if (start < from || start >= to) continue;
      const minutes = Math.min(width, sessionMinutes - first);
      yield toProviderBar(start, aggregate(walk, start / MINUTE_MS, first, minutes));
    }
  }
}

/**
 * The demo's corporate actions, fixed so that adjusted reads show on the demo data: AAPL's
 * quarterly cash dividends from the demo's first month on (the random walk does not react to
 * them; a real price falls by about the dividend on its ex-date).
 */
export const SYNTHETIC_ACTIONS: Readonly<Record<string, readonly ProviderAction[]>> = {
  AAPL: ['2025-08-11', '2025-11-10', '2026-02-09', '2026-05-11', '2026-08-10', '2026-11-09'].map((exDate, index) => ({
    type: 'dividend' as const,
    exDate,
    amount: index < 3 ? '0.26' : '0.27',
    currency: 'USD',
  })),
};

/** A seeded random walk of US-hours bars: the default provider, so the system runs offline. */
@Injectable()
export class SyntheticProvider implements PriceProvider {
  readonly id = 'synthetic';
  readonly name = 'Synthetic random walk';
  readonly url: string;
  readonly intervals: readonly BarInterval[] = ['1m', '5m', '15m', '1h', '1d'];
  /** US equities: the New York session's clock. */
  readonly timeZone = 'America/New_York';
  readonly calendar = CALENDAR;
  /** Nothing remote to protect; reported for completeness, not enforced. */
  readonly rateLimit = { requestsPerSecond: 1000, burst: 1000 };
  private readonly seed: string;

  constructor(@Inject(providerSettings('synthetic')) private readonly options: SyntheticProviderOptions = {}) {
    this.seed = options.seed ?? DEFAULT_SYNTHETIC_SEED;
    this.url = `synthetic://random-walk?seed=${encodeURIComponent(this.seed)}`;
  }

  fetchBars(request: FetchRequest, signal?: AbortSignal): Promise<ProviderBar[]> {
    try {
      signal?.throwIfAborted();
      assertFetchable(this, request);
      const series = { seed: this.seed, symbol: request.symbol, basePrices: this.options.basePrices };
      return Promise.resolve([...generateSyntheticBars(series, request)]);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** SYNTHETIC_ACTIONS of the symbol with an ex-date in the window's dates. */
  fetchActions(request: ActionsRequest): Promise<ProviderAction[]> {
    const from = request.from.toISOString().slice(0, 10);
    const to = request.to.toISOString().slice(0, 10);
    const actions = SYNTHETIC_ACTIONS[request.symbol.toUpperCase()] ?? [];
    return Promise.resolve(actions.filter((action) => action.exDate >= from && action.exDate <= to));
  }
}

/**
 * The XNYS sessions whose dates may hold a bar of `[from, to)`: from the New York date of
 * `from` (never after its UTC date) to the UTC date of the window's last instant (never
 * before its New York date), so both session times and daily stamps are covered.
 */
function* tradingSessions(from: Date, to: Date): Generator<TradingSession> {
  const first = toLocalDateTime(from, MARKET_ZONE);
  const end = Math.floor((to.getTime() - 1) / DAY_MS) * DAY_MS;
  for (let date = Date.UTC(first.year, first.month - 1, first.day); date <= end; date += DAY_MS) {
    const session = tradingSession(CALENDAR, new Date(date).toISOString().slice(0, 10));
    if (session !== null) yield session;
  }
}

function sessionBar(walk: RandomWalk, openMs: number, minutes: number): MinuteBar {
  return aggregate(walk, openMs / MINUTE_MS, 0, minutes);
}

/** `count` minute bars from `startMinute` (epoch minutes; `offset` minutes into the session) as one. */
function aggregate(walk: RandomWalk, startMinute: number, offset: number, count: number): MinuteBar {
  let bar = walk.minuteBar(startMinute, sessionShare(offset));
  for (let index = 1; index < count; index += 1) {
    const next = walk.minuteBar(startMinute + index, sessionShare(offset + index));
    bar = {
      openCents: bar.openCents,
      highCents: Math.max(bar.highCents, next.highCents),
      lowCents: Math.min(bar.lowCents, next.lowCents),
      closeCents: next.closeCents,
      volume: bar.volume + next.volume,
    };
  }
  return bar;
}

/** Volume is U-shaped over the session (busy open and close); the shares sum to about 1. */
function sessionShare(minuteOfSession: number): number {
  const position = (2 * (minuteOfSession + 0.5)) / SESSION_MINUTES - 1;
  return (1 + 2 * position * position) / (SESSION_MINUTES * (5 / 3));
}

function toProviderBar(start: number, bar: MinuteBar): ProviderBar {
  return {
    ts: new Date(start),
    open: centsText(bar.openCents),
    high: centsText(bar.highCents),
    low: centsText(bar.lowCents),
    close: centsText(bar.closeCents),
    volume: String(bar.volume),
  };
}
