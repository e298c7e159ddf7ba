import { type GapSpan, logicalSpan } from './coverage-gaps';
import { element } from './dom';
import type { PriceChart } from './price-chart';

/** A shaded stretch as drawn, in pixels from the chart's left edge (the page's state lists them). */
export interface DrawnGap {
  readonly date: string;
  readonly status: GapSpan['status'];
  readonly missingBars: number;
  readonly left: number;
  readonly right: number;
}

/**
 * Shades missing and partial sessions over the chart and marks them on the time axis: DOM
 * bands above the canvas (pointer events pass through), placed with the chart's own
 * logical-to-pixel mapping and redrawn whenever the view moves.
 */
export class GapOverlay {
  private drawn: DrawnGap[] = [];

  constructor(
    private readonly layer: HTMLElement,
    private readonly chart: PriceChart,
  ) {}

  get gaps(): readonly DrawnGap[] {
    return this.drawn;
  }

  draw(spans: readonly GapSpan[], barStarts: readonly number[], barWidthMs: number): void {
    const width = this.chart.paneWidth();
    const minWidth = Math.max(0.6, 4 / Math.max(this.chart.barSpacing(), 1));
    const bands: HTMLElement[] = [];
    const drawn: DrawnGap[] = [];
    if (barStarts.length > 0) {
      for (const span of spans) {
        const logical = logicalSpan(barStarts, barWidthMs, span, minWidth);
        const left = this.chart.xOf(logical.from);
        const right = this.chart.xOf(logical.to);
        if (left === null || right === null || right < 0 || left > width) continue;
        const clippedLeft = Math.max(0, left);
        const clippedRight = Math.min(width, right);
        const band = element('div', `gap ${span.status}`);
        band.style.left = `${clippedLeft}px`;
        band.style.width = `${Math.max(2, clippedRight - clippedLeft)}px`;
        band.style.height = `${this.chart.panesHeight()}px`;
        band.title = `${span.date}: ${span.missingBars} bars missing`;
        bands.push(band);
        drawn.push({
          date: span.date,
          status: span.status,
          missingBars: span.missingBars,
          left: clippedLeft,
          right: clippedRight,
        });
      }
    }
    this.layer.replaceChildren(...bands);
    this.drawn = drawn;
  }
}
