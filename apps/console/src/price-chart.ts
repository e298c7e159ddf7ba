import {
  CandlestickSeries,
  ColorType,
  createChart,
  CrosshairMode,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type Logical,
  type MouseEventParams,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { ChartBar } from './chart-data';

/** Colours of the chart, read from the style sheet's custom properties (dark or light scheme). */
function palette(): Record<
  'background' | 'text' | 'grid' | 'border' | 'up' | 'down' | 'upVolume' | 'downVolume',
  string
> {
  const styles = getComputedStyle(document.documentElement);
  const read = (name: string): string => styles.getPropertyValue(name).trim();
  return {
    background: read('--surface'),
    text: read('--text-muted'),
    grid: read('--grid'),
    border: read('--border'),
    up: read('--up'),
    down: read('--down'),
    upVolume: read('--up-volume'),
    downVolume: read('--down-volume'),
  };
}

/** The candles and volume panes (TradingView's lightweight-charts), and what the page needs from them. */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly colours = palette();
  private count = 0;

  constructor(container: HTMLElement) {
    const colours = this.colours;
    this.chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: colours.background },
        textColor: colours.text,
        fontFamily: getComputedStyle(document.body).fontFamily,
        fontSize: 12,
        attributionLogo: false,
        panes: { separatorColor: colours.border, separatorHoverColor: colours.grid },
      },
      grid: { vertLines: { color: colours.grid }, horzLines: { color: colours.grid } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: colours.border },
      timeScale: { borderColor: colours.border, timeVisible: true, secondsVisible: false, rightOffset: 4 },
      localization: { locale: 'en-US' },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: colours.up,
      downColor: colours.down,
      wickUpColor: colours.up,
      wickDownColor: colours.down,
      borderVisible: false,
    });
    this.volume = this.chart.addSeries(
      HistogramSeries,
      { priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false },
      1,
    );
    const [pricePane, volumePane] = this.chart.panes();
    pricePane?.setStretchFactor(3);
    volumePane?.setStretchFactor(1);
  }

  /** Draws `bars`; `keepView` leaves the visible range where it is (older bars were prepended). */
  setBars(bars: readonly ChartBar[], precision: number, keepView: boolean, daily: boolean): void {
    const added = bars.length - this.count;
    // Daily and longer bars start at local midnight: a time of day would say nothing.
    this.chart.applyOptions({ timeScale: { timeVisible: !daily } });
    const before = this.chart.timeScale().getVisibleLogicalRange();
    this.candles.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
    this.candles.setData(
      bars.map((bar) => ({
        time: bar.time as UTCTimestamp,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
      })),
    );
    this.volume.setData(
      bars.map((bar) => ({
        time: bar.time as UTCTimestamp,
        value: bar.volume,
        color: bar.up ? this.colours.upVolume : this.colours.downVolume,
      })),
    );
    this.count = bars.length;
    if (keepView && before !== null) {
      // The same bars stay in view: their indices moved by the number prepended.
      this.chart.timeScale().setVisibleLogicalRange({ from: before.from + added, to: before.to + added });
    } else {
      this.showLatest(bars.length);
    }
  }

  /** The last bars, at a readable bar width (all of them when they fit). */
  private showLatest(count: number): void {
    if (count === 0) return;
    const shown = Math.min(count, 150);
    this.chart.timeScale().setVisibleLogicalRange({ from: count - shown - 0.5, to: count - 0.5 + 4 });
  }

  /** Indices of the first and last bar in view (clamped to the bars there are), or null with no bars. */
  visibleBars(): { readonly first: number; readonly last: number } | null {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    if (range === null || this.count === 0) return null;
    const first = Math.max(0, Math.ceil(range.from));
    const last = Math.min(this.count - 1, Math.floor(range.to));
    return last < first ? null : { first, last };
  }

  /** Pixel x of a logical position (bar i is centred on i). */
  xOf(logical: number): number | null {
    // The library maps whole logical indices only (a fraction comes back as 0): interpolate.
    const timeScale = this.chart.timeScale();
    const base = Math.floor(logical);
    const left = timeScale.logicalToCoordinate(base as Logical);
    const right = timeScale.logicalToCoordinate((base + 1) as Logical);
    return left === null || right === null ? null : left + (logical - base) * (right - left);
  }

  /** Width of the price pane (the price scale excluded). */
  paneWidth(): number {
    return this.chart.paneSize(0).width;
  }

  /** Height of the candles pane plus the volume pane (the time axis sits below). */
  panesHeight(): number {
    return this.chart.panes().reduce((sum, pane) => sum + pane.getHeight(), 0);
  }

  barSpacing(): number {
    return this.chart.timeScale().options().barSpacing;
  }

  onViewChange(listener: () => void): void {
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(listener);
    this.chart.timeScale().subscribeSizeChange(listener);
  }

  /** The index of the bar under the crosshair, or null when the pointer left the chart. */
  onHover(listener: (index: number | null) => void): void {
    this.chart.subscribeCrosshairMove((event: MouseEventParams) => {
      listener(event.logical === undefined || event.time === undefined ? null : Math.round(event.logical));
    });
  }

  /** The first logical index in view (negative when the view reaches past the oldest bar). */
  firstVisibleLogical(): number | null {
    return this.chart.timeScale().getVisibleLogicalRange()?.from ?? null;
  }
}
