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

/** A symbol's path under a seed: its hash key and levels, computed once per fetch. */
export interface WalkKey {
  readonly key: number;
  readonly basePrice: number;
  readonly dailyVolume: number;
  /** Per-scale lattice offsets, so the scales' knots do not all fall on the same minutes. */
  readonly phases: readonly number[];
}

/** One minute's bar in integer cents and shares. */
export interface MinuteBar {
  readonly openCents: number;
  readonly highCents: number;
  readonly lowCents: number;
  readonly closeCents: number;
  readonly volume: number;
}

export function walkKey(seed: string, symbol: string, basePrices: Readonly<Record<string, number>> = {}): WalkKey {
  const key = fnv1a(`${seed}\u0000${symbol}`);
  const upper = symbol.toUpperCase();
  const basePrice = basePrices[upper] ?? KNOWN_BASE_PRICES[upper] ?? 20 * 2 ** (5 * unit(mix(key, 0x62617365))); // 20–640
  const dailyVolume = KNOWN_DAILY_VOLUMES[upper] ?? 10 ** (5 + 2.5 * unit(mix(key, 0x766f6c75))); // 1e5–3e7
  const phases = SCALES.map(([length], index) => floor(unit(mix(key, 0x70686173 + index)) * length));
  return { key, basePrice, dailyVolume, phases };
}

/** The price at the start of an epoch minute, as a float (rounded to cents by the caller). */
export function priceAt(walk: WalkKey, minute: number): number {
  let logOffset = 0;
  SCALES.forEach(([length, amplitude], scale) => {
    const shifted = minute + (walk.phases[scale] ?? 0);
    const knot = floor(shifted / length);
    const fraction = (shifted - knot * length) / length;
    const smooth = fraction * fraction * (3 - 2 * fraction);
    const left = signedUnit(mix(mix(walk.key, scale), knot));
    const right = signedUnit(mix(mix(walk.key, scale), knot + 1));
    logOffset += amplitude * (left + (right - left) * smooth);
  });
  return walk.basePrice * exp(logOffset);
}

/**
 * The bar of one epoch minute: open is the path at its start, close at its end (so bars
 * join up), high and low reach a hashed little way beyond them. `sessionShare` is the
 * minute's weight in the day's volume (U-shaped over the session, summing to about 1).
 */
export function minuteBar(walk: WalkKey, minute: number, sessionShare: number): MinuteBar {
  const openCents = toCents(priceAt(walk, minute));
  const closeCents = toCents(priceAt(walk, minute + 1));
  const salt = mix(walk.key, 0x6261720a);
  const reach = max(openCents, closeCents) * 0.0004;
  const up = round(unit(mix(mix(salt, 1), minute)) * reach);
  const down = round(unit(mix(mix(salt, 2), minute)) * reach);
  const noise = 0.5 + unit(mix(mix(salt, 3), minute));
  return {
    openCents,
    closeCents,
    highCents: max(openCents, closeCents) + up,
    lowCents: max(1, min(openCents, closeCents) - down),
    volume: max(1, round(walk.dailyVolume * sessionShare * noise)),
  };
}

/** "189.10" from 18910. */
export function centsText(cents: number): string {
  return `${floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
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
