/**
 * A seeded price path that is a pure function of (seed, symbol, minute): the price at any
 * minute is computed directly, never by stepping from an earlier one, so a bar is the same
 * whatever window it is fetched in and however far from the epoch it lies.
 *
 * The log-price is a base level plus value noise summed over time scales from one minute to
 * about half a year, each scale's amplitude growing with its length the way a random walk's
 * spread does; the sum is bounded (±0.2245), so prices stay within 0.80–1.25 × base.
 */

// Bound once: in a vm context (Jest) every lookup of the global `Math` goes through the
// context's interceptors and is a hundred times slower, and this is the hot loop.
const { exp, floor, imul, max, min, round } = Math;

/** [length in minutes, amplitude in log-price]: minute jitter up to multi-month swings. */
const SCALES: ReadonlyArray<readonly [number, number]> = [
  [1, 0.0008],
  [5, 0.0015],
  [30, 0.003],
  [390, 0.01],
  [1950, 0.02],
  [7800, 0.04],
  [39_000, 0.07],
  [195_000, 0.08],
];

/** Demo symbols get familiar levels; any other symbol's level comes from its hash. */
const KNOWN_BASE_PRICES: Readonly<Record<string, number>> = {
  AAPL: 200,
  MSFT: 420,
  GOOGL: 170,
  AMZN: 190,
  BRENT: 75,
  'BZ=F': 75,
  WTI: 70,
  'CL=F': 70,
};

/** Shares a day, for the volume level; others again from the hash. */
const KNOWN_DAILY_VOLUMES: Readonly<Record<string, number>> = { AAPL: 50_000_000, MSFT: 20_000_000 };

/** One minute's bar in integer cents and shares. */
export interface MinuteBar {
  readonly openCents: number;
  readonly highCents: number;
  readonly lowCents: number;
  readonly closeCents: number;
  readonly volume: number;
}

const LENGTHS = SCALES.map(([length]) => length);
const AMPLITUDES = SCALES.map(([, amplitude]) => amplitude);

/**
 * A symbol's path under a seed. Holds what every price needs (hash keys, levels) and, as a
 * pure cache, the knot values last used per scale and the last price: the synthetic
 * provider asks for consecutive minutes, which share all but the finest scales' knots, and
 * a bar's close is the next bar's open. That takes the generator from 32 hashes per minute
 * to about 3 (bench:ingest), and every result is the same as computed from scratch.
 */
export class RandomWalk {
  readonly basePrice: number;
  readonly dailyVolume: number;
  private readonly key: number;
  /** Per-scale lattice offsets, so the scales' knots do not all fall on the same minutes. */
  private readonly phases: readonly number[];
  private readonly scaleKeys: readonly number[];
  private readonly barSalts: readonly [number, number, number];
  private readonly knots = new Float64Array(SCALES.length).fill(Number.NaN);
  private readonly leftValues = new Float64Array(SCALES.length);
  private readonly rightValues = new Float64Array(SCALES.length);
  private lastMinute = Number.NaN;
  private lastPrice = 0;

  constructor(seed: string, symbol: string, basePrices: Readonly<Record<string, number>> = {}) {
    const key = fnv1a(`${seed}\u0000${symbol}`);
    const upper = symbol.toUpperCase();
    this.key = key;
    this.basePrice = basePrices[upper] ?? KNOWN_BASE_PRICES[upper] ?? 20 * 2 ** (5 * unit(mix(key, 0x62617365))); // 20–640
    this.dailyVolume = KNOWN_DAILY_VOLUMES[upper] ?? 10 ** (5 + 2.5 * unit(mix(key, 0x766f6c75))); // 1e5–3e7
    this.phases = LENGTHS.map((length, index) => floor(unit(mix(key, 0x70686173 + index)) * length));
    this.scaleKeys = LENGTHS.map((_, scale) => mix(key, scale));
    const salt = mix(key, 0x6261720a);
    this.barSalts = [mix(salt, 1), mix(salt, 2), mix(salt, 3)];
  }

  /** The price at the start of an epoch minute, as a float (rounded to cents by the caller). */
  priceAt(minute: number): number {
    if (minute === this.lastMinute) return this.lastPrice;
    let logOffset = 0;
    for (let scale = 0; scale < LENGTHS.length; scale += 1) {
      const length = LENGTHS[scale] ?? 1;
      const shifted = minute + (this.phases[scale] ?? 0);
      const knot = floor(shifted / length);
      if (knot !== this.knots[scale]) this.moveToKnot(scale, knot);
      const fraction = (shifted - knot * length) / length;
      const smooth = fraction * fraction * (3 - 2 * fraction);
      const left = this.leftValues[scale] ?? 0;
      const right = this.rightValues[scale] ?? 0;
      logOffset += (AMPLITUDES[scale] ?? 0) * (left + (right - left) * smooth);
    }
    this.lastMinute = minute;
    this.lastPrice = this.basePrice * exp(logOffset);
    return this.lastPrice;
  }

  /**
   * The bar of one epoch minute: open is the path at its start, close at its end (so bars
   * join up), high and low reach a hashed little way beyond them. `sessionShare` is the
   * minute's weight in the day's volume (U-shaped over the session, summing to about 1).
   */
  minuteBar(minute: number, sessionShare: number): MinuteBar {
    const openCents = toCents(this.priceAt(minute));
    const closeCents = toCents(this.priceAt(minute + 1));
    const [upSalt, downSalt, noiseSalt] = this.barSalts;
    const reach = max(openCents, closeCents) * 0.0004;
    const up = round(unit(mix(upSalt, minute)) * reach);
    const down = round(unit(mix(downSalt, minute)) * reach);
    const noise = 0.5 + unit(mix(noiseSalt, minute));
    return {
      openCents,
      closeCents,
      highCents: max(openCents, closeCents) + up,
      lowCents: max(1, min(openCents, closeCents) - down),
      volume: max(1, round(this.dailyVolume * sessionShare * noise)),
    };
  }

  /** Loads the values of the knots either side of `knot` at one scale; a step of one reuses the old right knot. */
  private moveToKnot(scale: number, knot: number): void {
    const scaleKey = this.scaleKeys[scale] ?? 0;
    this.leftValues[scale] =
      knot === (this.knots[scale] ?? Number.NaN) + 1 ? (this.rightValues[scale] ?? 0) : signedUnit(mix(scaleKey, knot));
    this.rightValues[scale] = signedUnit(mix(scaleKey, knot + 1));
    this.knots[scale] = knot;
  }
}

/** "00".."99": the cents of a price, looked up rather than padded for every bar. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, cents) => String(cents).padStart(2, '0'));

/** "189.10" from 18910. */
export function centsText(cents: number): string {
  return `${floor(cents / 100)}.${TWO_DIGITS[cents % 100] ?? ''}`;
}

function toCents(price: number): number {
  return max(1, round(price * 100));
}

/** FNV-1a over UTF-16 code units, finished with murmur3's avalanche. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash = imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return avalanche(hash);
}

/** Combines a hash with an integer (any safe integer, negative included). */
function mix(hash: number, value: number): number {
  const low = value >>> 0;
  const high = floor(value / 0x1_0000_0000) >>> 0;
  let h = avalanche(hash ^ imul(low, 0x9e3779b1));
  h = avalanche(h ^ imul(high, 0x85ebca6b));
  return h;
}

function avalanche(hash: number): number {
  let h = hash >>> 0;
  h = imul(h ^ (h >>> 16), 0x85ebca6b);
  h = imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** [0, 1) */
function unit(hash: number): number {
  return hash / 0x1_0000_0000;
}

/** [-1, 1) */
function signedUnit(hash: number): number {
  return unit(hash) * 2 - 1;
}
