import { type Adjustment, parseTimeframe, type Timeframe, TIMEFRAMES } from './api-types';
import { byId, element } from './dom';
import { isTimeZone } from './time-zones';

/** Zones offered beside the series' own and the browser's. */
const COMMON_ZONES = ['UTC', 'America/New_York', 'America/Chicago', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'];

export interface ControlValues {
  readonly timeframe: Timeframe;
  readonly adjustment: Adjustment;
  readonly tz: string;
}

/** Timeframe buttons, the adjustment and time-zone selects; `onChange` fires on a user's change only. */
export class Controls {
  private readonly timeframes = byId('timeframes', HTMLDivElement);
  private readonly adjustment = byId('adjustment', HTMLSelectElement);
  private readonly zone = byId('tz', HTMLSelectElement);
  private timeframe: Timeframe = '1d';

  constructor(private readonly onChange: (values: ControlValues) => void) {
    for (const entry of TIMEFRAMES) {
      const button = element('button', 'segment', entry.label);
      button.type = 'button';
      button.dataset.timeframe = entry.value;
      button.title = entry.value;
      button.addEventListener('click', () => {
        if (button.disabled || entry.value === this.timeframe) return;
        this.timeframe = entry.value;
        this.paint();
        this.onChange(this.values);
      });
      this.timeframes.append(button);
    }
    this.adjustment.addEventListener('change', () => this.onChange(this.values));
    this.zone.addEventListener('change', () => this.onChange(this.values));
  }

  get values(): ControlValues {
    return { timeframe: this.timeframe, adjustment: this.adjustment.value as Adjustment, tz: this.zone.value };
  }

  /**
   * Shows a series' choices: timeframes from its stored interval up, its own zone first.
   * `wanted` (from the address bar) wins where it is valid.
   */
  configure(seriesInterval: string, seriesZone: string, wanted: Partial<ControlValues>, adjustable: boolean): void {
    const finest = Math.max(
      0,
      TIMEFRAMES.findIndex((entry) => entry.value === (parseTimeframe(seriesInterval) ?? '1m')),
    );
    for (const button of this.timeframes.querySelectorAll<HTMLButtonElement>('button')) {
      const index = TIMEFRAMES.findIndex((entry) => entry.value === button.dataset.timeframe);
      button.disabled = index < finest;
    }
    const allowed = (timeframe: Timeframe | undefined): timeframe is Timeframe =>
      timeframe !== undefined && TIMEFRAMES.findIndex((entry) => entry.value === timeframe) >= finest;
    this.timeframe = allowed(wanted.timeframe)
      ? wanted.timeframe
      : allowed('1d')
        ? '1d'
        : (TIMEFRAMES[finest]?.value ?? '1d');

    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const zones = [...new Set([seriesZone, ...COMMON_ZONES, browserZone])];
    if (wanted.tz !== undefined && isTimeZone(wanted.tz) && !zones.includes(wanted.tz)) zones.push(wanted.tz);
    this.zone.replaceChildren(
      ...zones.map((zone) => {
        const option = element('option', undefined, zone === seriesZone ? `${zone} (exchange)` : zone);
        option.value = zone;
        return option;
      }),
    );
    this.zone.value = wanted.tz !== undefined && zones.includes(wanted.tz) ? wanted.tz : seriesZone;

    this.adjustment.disabled = !adjustable;
    this.adjustment.value = adjustable ? (wanted.adjustment ?? 'raw') : 'raw';
    this.paint();
  }

  private paint(): void {
    for (const button of this.timeframes.querySelectorAll<HTMLButtonElement>('button')) {
      const selected = button.dataset.timeframe === this.timeframe;
      button.classList.toggle('selected', selected);
      button.setAttribute('aria-pressed', String(selected));
    }
  }
}
