import type { QuoteDto } from './api-types';
import { element } from './dom';
import { formatInZone } from './time-zones';

/** The latest quote beside the series' name: its price as the API sent it, and when. */
export function renderQuote(target: HTMLElement, quote: QuoteDto, zone: string): void {
  target.replaceChildren(
    element('span', 'quote-price', quote.price),
    element('span', 'muted', `last · ${formatInZone(Date.parse(quote.ts), zone)} ${zone}`),
  );
}
