import { ApiClient, ApiError } from './api-client';
import { type CatalogEntry, parseTimeframe, type QuoteDto, type Timeframe, timeframeMs } from './api-types';
import { CatalogSearch, loadCatalog } from './catalog-search';
import { pricePrecision, toChartBars } from './chart-data';
import { type ControlValues, Controls } from './controls';
import { CoverageCache } from './coverage-cache';
import { gapSpans } from './coverage-gaps';
import { CredentialsDialog } from './credentials-dialog';
import { CredentialStore } from './credentials';
import { byId } from './dom';
import { type DownloadRecord, downloadRange, type ExportFormat } from './download';
import { ErrorBanner } from './error-banner';
import { GapOverlay } from './gap-overlay';
import { renderLegend } from './legend';
import { PriceChart } from './price-chart';
import { SeriesPages, type ViewParams } from './series-pages';
import { formatInZone } from './time-zones';
import { formatViewAddress, parseViewAddress, type ViewAddress } from './view-address';
import { type ConsoleState, frozenCopy } from './console-state';
import { renderQuote } from './latest-quote';

/** Scrolled to within this many bars of the oldest loaded one, the next older page is fetched. */
const LOAD_OLDER_MARGIN = 10;

const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The page: wires the catalog, the controls, the chart and the API together. */
export class ConsoleApp {
  private readonly credentials = new CredentialStore(window.sessionStorage);
  private readonly api = new ApiClient(this.credentials);
  private readonly pages = new SeriesPages(this.api);
  private readonly coverage = new CoverageCache(this.api);
  private readonly banner = new ErrorBanner();
  private readonly chart = new PriceChart(byId('chart', HTMLDivElement));
  private readonly overlay = new GapOverlay(byId('gaps', HTMLDivElement), this.chart);
  private readonly search = new CatalogSearch((entry) => void this.select(entry, {}));
  private readonly controls = new Controls((values) => void this.change(values));
  private readonly dialog = new CredentialsDialog(this.credentials, () => void this.start());
  private readonly legend = byId('legend', HTMLDivElement);
  private readonly empty = byId('empty', HTMLDivElement);
  private readonly status = byId('status', HTMLSpanElement);
  private catalog: CatalogEntry[] = [];
  private entry: CatalogEntry | null = null;
  private view: ViewParams | null = null;
  private quote: QuoteDto | null = null;
  private lastDownload: DownloadRecord | null = null;
  private busy = 0;
  private attempted = false;

  constructor() {
    this.chart.onViewChange(() => this.viewMoved());
    this.chart.onHover((index) => this.showLegend(index));
    for (const format of ['csv', 'parquet'] as const) {
      byId(`download-${format}`, HTMLButtonElement).addEventListener('click', () => void this.download(format));
    }
    window.addEventListener('hashchange', () => {
      const address = parseViewAddress(window.location.hash);
      if (this.view === null || formatViewAddress(address) !== formatViewAddress(this.address()))
        void this.open(address);
    });
  }

  /** Reads the catalog (asking for credentials on 401), then opens the view the address names. */
  async start(): Promise<void> {
    this.attempted = true;
    await this.track(async () => {
      this.banner.clear();
      this.setStatus('Reading the catalog…');
      try {
        this.catalog = await loadCatalog(this.api);
      } catch (error) {
        this.fail(error, 'reading the catalog');
        return;
      }
      this.search.setEntries(this.catalog);
      await this.open(parseViewAddress(window.location.hash));
    });
  }

  private async open(address: ViewAddress): Promise<void> {
    const entry =
      this.catalog.find(
        (item) => item.id === address.id && (address.kind === undefined || item.kind === address.kind),
      ) ??
      this.catalog.find((item) => item.kind === 'asset') ??
      this.catalog[0];
    if (entry === undefined) {
      this.showEmpty('The catalog is empty: ingest a series first (npm start fills demo data).');
      this.setStatus('No series');
      return;
    }
    await this.select(entry, address);
  }

  private async select(entry: CatalogEntry, wanted: ViewAddress): Promise<void> {
    this.entry = entry;
    const seriesZone = textOf(entry.meta.timezone) ?? 'UTC';
    this.controls.configure(textOf(entry.meta.interval) ?? '1m', seriesZone, wanted, true);
    byId('series-name', HTMLHeadingElement).textContent = entry.name ?? entry.id;
    byId('series-meta', HTMLSpanElement).textContent = [
      entry.id,
      entry.kind,
      textOf(entry.meta.exchange),
      textOf(entry.meta.currency),
      textOf(entry.meta.calendar),
      textOf(entry.meta.interval) === undefined ? undefined : `stored ${textOf(entry.meta.interval)}`,
    ]
      .filter((part) => part !== undefined)
      .join(' · ');
    this.view = {
      kind: entry.kind,
      id: entry.id,
      seriesZone,
      ...this.controls.values,
      from: entry.id === wanted.id ? wanted.from : undefined,
      to: entry.id === wanted.id ? wanted.to : undefined,
    };
    void this.loadQuote(entry);
    await this.reload();
  }

  private async change(values: ControlValues): Promise<void> {
    if (this.view === null) return;
    this.view = { ...this.view, ...values };
    await this.reload();
  }

  /** Loads the newest page of the current view and draws it. */
  private async reload(): Promise<void> {
    const view = this.view;
    if (view === null) return;
    window.history.replaceState(null, '', `#${formatViewAddress(this.address())}`);
    await this.track(async () => {
      this.setStatus(`Loading ${view.id}…`);
      let current: boolean;
      try {
        current = await this.pages.open(view);
      } catch (error) {
        if (this.view === view) {
          this.draw(false);
          this.fail(error, `loading ${view.id}`);
        }
        return;
      }
      if (!current) return;
      this.banner.clear();
      this.draw(false);
      await this.refreshCoverage(view);
    });
  }

  private async loadOlder(): Promise<void> {
    const view = this.view;
    if (view === null || !this.pages.hasOlder || this.pages.loading) return;
    await this.track(async () => {
      this.setStatus('Loading older bars…');
      try {
        if (!(await this.pages.older(view))) return;
      } catch (error) {
        this.fail(error, `loading older bars of ${view.id}`);
        return;
      }
      this.draw(true);
      await this.refreshCoverage(view);
    });
  }

  private async refreshCoverage(view: ViewParams): Promise<void> {
    const bars = this.pages.bars;
    const first = bars[0];
    const last = bars.at(-1);
    if (first === undefined || last === undefined) return;
    try {
      await this.coverage.cover(view.kind, view.id, Date.parse(first.ts), Date.parse(last.ts));
    } catch (error) {
      this.fail(error, `reading the coverage of ${view.id}`);
    }
    if (this.view === view) this.drawGaps();
    this.describe();
  }

  private draw(keepView: boolean): void {
    const view = this.view;
    if (view === null) return;
    const points = this.pages.bars;
    this.chart.setBars(toChartBars(points, view.tz), pricePrecision(points), keepView, isDaily(view.timeframe));
    if (points.length === 0) {
      const range =
        view.from !== undefined || view.to !== undefined
          ? ` between ${view.from ?? 'the first bar'} and ${view.to ?? 'now'}`
          : '';
      this.showEmpty(this.banner.current === null ? `${view.id} has no bars${range}.` : this.banner.current.title);
    } else {
      this.empty.hidden = true;
    }
    this.showLegend(null);
    this.drawGaps();
    this.describe();
  }

  private drawGaps(): void {
    const view = this.view;
    const points = this.pages.bars;
    if (view === null) return;
    const starts = points.map((point) => Date.parse(point.ts));
    const width = timeframeMs(view.timeframe);
    const first = starts[0] ?? 0;
    const end = (starts.at(-1) ?? 0) + width;
    const interval = timeframeMs(parseTimeframe(this.coverage.interval) ?? '1m');
    const spans = gapSpans(this.coverage.all(), interval).filter((span) => span.toMs > first && span.fromMs < end);
    this.overlay.draw(spans, starts, width);
  }

  private viewMoved(): void {
    this.drawGaps();
    const first = this.chart.firstVisibleLogical();
    if (first !== null && first < LOAD_OLDER_MARGIN && this.pages.hasOlder && !this.pages.loading) {
      void this.loadOlder();
    }
  }

  private showLegend(index: number | null): void {
    const view = this.view;
    if (view === null) return;
    const points = this.pages.bars;
    const point = index === null ? points.at(-1) : points[index];
    const daily = isDaily(view.timeframe);
    const date = point === undefined ? undefined : formatInZone(Date.parse(point.ts), view.seriesZone, false);
    renderLegend(
      this.legend,
      `${view.id} · ${view.timeframe}${view.adjustment === 'raw' ? '' : ` · ${view.adjustment}`}`,
      point,
      view.tz,
      daily,
      date === undefined ? undefined : this.coverage.session(date),
    );
  }

  private async loadQuote(entry: CatalogEntry): Promise<void> {
    const target = byId('quote', HTMLDivElement);
    target.textContent = '';
    this.quote = null;
    try {
      const quote = await this.api.json<QuoteDto>('quote', `/api/v1/quotes/${encodeURIComponent(entry.id)}/latest`);
      if (this.entry !== entry) return;
      this.quote = quote;
      renderQuote(target, quote, textOf(entry.meta.timezone) ?? 'UTC');
    } catch (error) {
      if (this.entry !== entry) return;
      // No quote yet is not an error worth a banner: the series simply has none.
      if (error instanceof ApiError && error.status === 404) target.textContent = 'no quote yet';
      else this.fail(error, `reading the latest quote of ${entry.id}`);
    }
  }

  private async download(format: ExportFormat): Promise<void> {
    const view = this.view;
    const visible = this.chart.visibleBars();
    const points = this.pages.bars;
    if (view === null || visible === null) return;
    const from = points[visible.first]?.ts;
    const to = points[visible.last]?.ts;
    if (from === undefined || to === undefined) return;
    await this.track(async () => {
      this.setStatus(`Preparing ${format.toUpperCase()} of ${visible.last - visible.first + 1} bars…`);
      try {
        this.lastDownload = await downloadRange(this.api, view, from, to, format);
        this.setStatus(
          `Downloaded ${this.lastDownload.fileName} (${this.lastDownload.bytes.toLocaleString('en-US')} bytes)`,
        );
      } catch (error) {
        this.fail(error, `exporting ${view.id} as ${format.toUpperCase()}`);
      }
    });
  }

  private fail(error: unknown, doing: string): void {
    const readable = this.banner.show(error, doing);
    this.setStatus(readable.title);
    if (error instanceof ApiError && error.status === 401) {
      this.dialog.open(
        this.credentials.current === null ? 'This API needs credentials.' : 'The API refused these credentials.',
      );
    }
    if (this.pages.bars.length === 0) this.showEmpty(`${readable.title} ${readable.detail}`);
  }

  private showEmpty(message: string): void {
    this.empty.textContent = message;
    this.empty.hidden = false;
  }

  private describe(): void {
    const view = this.view;
    if (view === null || this.busy > 1) return;
    const bars = this.pages.bars;
    const first = bars[0];
    const last = bars.at(-1);
    const span =
      first === undefined || last === undefined
        ? 'no bars'
        : `${bars.length.toLocaleString('en-US')} bars · ${formatInZone(Date.parse(first.ts), view.tz, !isDaily(view.timeframe))} → ${formatInZone(Date.parse(last.ts), view.tz, !isDaily(view.timeframe))} ${view.tz}`;
    this.setStatus(`${span}${this.pages.hasOlder ? ' · scroll left for older bars' : ''}`);
    const summary = byId('coverage-summary', HTMLSpanElement);
    if (this.coverage.unavailable !== null) summary.textContent = 'coverage: no exchange calendar';
    else {
      const gaps = this.overlay.gaps;
      const partial = new Set(gaps.filter((gap) => gap.status === 'partial').map((gap) => gap.date)).size;
      const missing = gaps.filter((gap) => gap.status === 'missing').length;
      summary.textContent = `in view: ${missing} missing, ${partial} partial sessions`;
    }
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
  }

  private async track(work: () => Promise<void>): Promise<void> {
    this.busy += 1;
    try {
      await work();
    } finally {
      this.busy -= 1;
      if (this.busy === 0) this.describe();
    }
  }

  private address(): ViewAddress {
    const view = this.view;
    if (view === null) return {};
    return {
      kind: view.kind,
      id: view.id,
      timeframe: view.timeframe,
      adjustment: view.adjustment === 'raw' ? undefined : view.adjustment,
      tz: view.tz === view.seriesZone ? undefined : view.tz,
      from: view.from,
      to: view.to,
    };
  }

  /** A read-only copy of what the page shows and did, for tests and the curious (`window.__console`). */
  snapshot(): ConsoleState {
    const view = this.view;
    const visible = this.chart.visibleBars();
    const points = this.pages.bars;
    return frozenCopy({
      ready: this.attempted && this.busy === 0,
      busy: this.busy,
      series: view === null ? null : { kind: view.kind, id: view.id },
      params:
        view === null
          ? null
          : {
              timeframe: view.timeframe,
              adjustment: view.adjustment,
              tz: view.tz,
              from: view.from ?? null,
              to: view.to ?? null,
            },
      candles: points.length,
      pages: this.pages.pagesLoaded,
      hasOlder: this.pages.hasOlder,
      firstBar: points[0]?.ts ?? null,
      lastBar: points.at(-1)?.ts ?? null,
      visibleRange:
        visible === null
          ? null
          : {
              from: points[visible.first]?.ts ?? null,
              to: points[visible.last]?.ts ?? null,
              bars: visible.last - visible.first + 1,
            },
      gaps: this.overlay.gaps,
      coverageUnavailable: this.coverage.unavailable,
      requests: this.api.requests,
      error: this.banner.current,
      credentialsAsked: this.dialog.isOpen,
      quote: this.quote === null ? null : { ts: this.quote.ts, price: this.quote.price },
      lastDownload: this.lastDownload,
    });
  }
}

const isDaily = (timeframe: Timeframe): boolean => timeframe === '1d' || timeframe === '1w' || timeframe === '1mo';
