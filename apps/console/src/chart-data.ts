import type { PricePoint } from './api-types';
import { zoneOffsetMs } from './time-zones';

/** A bar as the chart draws it: `time` is the bar's start on the chosen zone's wall clock, in seconds. */
export interface ChartBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly up: boolean;
}

/**
 * Bars (ascending) as candles on `zone`'s wall clock: the chart library only knows UTC, so
 * each start is shifted by the zone's offset at that instant. Prices become numbers for
 * drawing only; the legend shows the API's exact decimal strings. A single-value bar (no
 * open/high/low) is drawn flat at its price. Times repeated by a DST fall-back are nudged a
 * second apart (the library needs strictly increasing times; markets are closed at 1 a.m.).
 */
export function toChartBars(points: readonly PricePoint[], zone: string): ChartBar[] {
  const bars: ChartBar[] = [];
  let previous = -Infinity;
  for (const point of points) {
    const startMs = Date.parse(point.ts);
    let time = Math.floor((startMs + zoneOffsetMs(zone, startMs)) / 1000);
    if (time <= previous) time = previous + 1;
    previous = time;
    const close = Number(point.price);
    const open = point.open === null ? close : Number(point.open);
    bars.push({
      time,
      open,
      high: point.high === null ? Math.max(open, close) : Number(point.high),
      low: point.low === null ? Math.min(open, close) : Number(point.low),
      close,
      volume: point.volume ?? 0,
      up: close >= open,
    });
  }
  return bars;
}

/** Decimal places to show: the most any loaded price has, between 2 and 8. */
export function pricePrecision(points: readonly PricePoint[]): number {
  let places = 2;
  for (const point of points.slice(-200)) {
    for (const text of [point.price, point.open, point.high, point.low]) {
      if (text === null) continue;
      const dot = text.indexOf('.');
      if (dot >= 0) places = Math.max(places, text.replace(/0+$/, '').length - dot - 1);
    }
  }
  return Math.min(places, 8);
}
