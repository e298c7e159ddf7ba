import type { PricePoint, SessionCoverage } from './api-types';
import { element } from './dom';
import { formatInZone } from './time-zones';

const VOLUME = new Intl.NumberFormat('en-US');

/** The hovered (or last) bar's time, OHLCV as the API sent them, and its session's coverage. */
export function renderLegend(
  target: HTMLElement,
  title: string,
  point: PricePoint | undefined,
  zone: string,
  daily: boolean,
  session: SessionCoverage | undefined,
): void {
  const parts: HTMLElement[] = [element('span', 'legend-title', title)];
  if (point !== undefined) {
    const up = Number(point.price) >= Number(point.open ?? point.price);
    const value = (label: string, text: string | null): HTMLElement => {
      const item = element('span', 'legend-item');
      item.append(element('span', 'legend-label', label), element('span', up ? 'up' : 'down', text ?? '—'));
      return item;
    };
    parts.push(
      element('span', 'legend-time', formatInZone(Date.parse(point.ts), zone, !daily)),
      value('O', point.open),
      value('H', point.high),
      value('L', point.low),
      value('C', point.price),
      value('V', point.volume === null ? null : VOLUME.format(point.volume)),
    );
    if (point.complete === false) parts.push(element('span', 'legend-note', 'in progress'));
    if (point.adjustment_factor !== undefined && point.adjustment_factor !== null && point.adjustment_factor !== '1') {
      parts.push(element('span', 'legend-note', `× ${point.adjustment_factor}`));
    }
  }
  if (session !== undefined && session.status !== 'complete') {
    parts.push(
      element(
        'span',
        `legend-session ${session.status}`,
        `session ${session.date}: ${session.status} (${session.present}/${session.expected} bars)`,
      ),
    );
  }
  target.replaceChildren(...parts);
}
