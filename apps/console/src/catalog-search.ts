import type { ApiClient } from './api-client';
import type { AssetDto, CatalogEntry, CatalogPage, CommodityDto } from './api-types';
import { byId, element } from './dom';

/** Catalog pages read at most: 10 × 1,000 entries of each kind. */
const MAX_CATALOG_PAGES = 10;
const MAX_RESULTS = 20;

/** Every asset and commodity of the catalog (the API has no search route: the console filters). */
export async function loadCatalog(api: ApiClient): Promise<CatalogEntry[]> {
  const [assets, commodities] = await Promise.all([
    readAll<AssetDto>(api, '/api/v1/assets'),
    readAll<CommodityDto>(api, '/api/v1/commodities'),
  ]);
  return [
    ...assets.map((asset): CatalogEntry => ({ kind: 'asset', id: asset.asset_id, ...names(asset) })),
    ...commodities.map((item): CatalogEntry => ({ kind: 'commodity', id: item.commodity_id, ...names(item) })),
  ];
}

function names(entry: AssetDto | CommodityDto): Pick<CatalogEntry, 'symbol' | 'name' | 'meta'> {
  return { symbol: entry.symbol, name: entry.name, meta: entry.meta };
}

async function readAll<Item>(api: ApiClient, path: string): Promise<Item[]> {
  const items: Item[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_CATALOG_PAGES; page += 1) {
    const answer = await api.json<CatalogPage<Item>>('catalog', path, { limit: 1000, page_token: pageToken });
    items.push(...answer.items);
    if (answer.next_page_token === null) break;
    pageToken = answer.next_page_token;
  }
  return items;
}

/** Entries whose id, symbol or name contains every word of `query` (case-insensitive), ids first. */
export function searchCatalog(entries: readonly CatalogEntry[], query: string): CatalogEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const scored = entries
    .map((entry) => {
      const text = `${entry.id} ${entry.symbol ?? ''} ${entry.name ?? ''}`.toLowerCase();
      if (!words.every((word) => text.includes(word))) return null;
      const id = entry.id.toLowerCase();
      const rank = id === query.toLowerCase() ? 0 : id.startsWith(words[0] ?? '') ? 1 : 2;
      return { entry, rank };
    })
    .filter((item): item is { entry: CatalogEntry; rank: number } => item !== null);
  scored.sort((left, right) => left.rank - right.rank || left.entry.id.localeCompare(right.entry.id));
  return scored.slice(0, MAX_RESULTS).map((item) => item.entry);
}

/** The search box and its list of matches; `onPick` gets the chosen entry. */
export class CatalogSearch {
  private readonly input = byId('search-input', HTMLInputElement);
  private readonly list = byId('search-results', HTMLUListElement);
  private entries: readonly CatalogEntry[] = [];
  private matches: CatalogEntry[] = [];
  private active = 0;

  constructor(private readonly onPick: (entry: CatalogEntry) => void) {
    this.input.addEventListener('input', () => this.update());
    this.input.addEventListener('focus', () => this.update());
    this.input.addEventListener('keydown', (event) => this.key(event));
    this.input.addEventListener('blur', () => window.setTimeout(() => this.close(), 150));
  }

  setEntries(entries: readonly CatalogEntry[]): void {
    this.entries = entries;
    this.input.placeholder = `Search ${entries.length} assets and commodities…`;
  }

  private update(): void {
    this.matches = searchCatalog(this.entries, this.input.value.trim());
    this.active = 0;
    this.render();
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.matches.map((entry, index) => {
        const item = element('li', index === this.active ? 'active' : undefined);
        item.setAttribute('role', 'option');
        item.dataset.id = entry.id;
        item.dataset.kind = entry.kind;
        item.append(
          element('span', 'result-id', entry.id),
          element('span', 'result-name', entry.name ?? entry.symbol ?? ''),
          element('span', `result-kind ${entry.kind}`, entry.kind),
        );
        item.addEventListener('mousedown', (event) => {
          event.preventDefault();
          this.pick(entry);
        });
        return item;
      }),
    );
    const open = this.matches.length > 0 && document.activeElement === this.input;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
  }

  private key(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.matches.length) % Math.max(this.matches.length, 1);
      this.render();
    } else if (event.key === 'Enter') {
      const entry = this.matches[this.active];
      if (entry !== undefined) this.pick(entry);
    } else if (event.key === 'Escape') {
      this.close();
      this.input.blur();
    }
  }

  private pick(entry: CatalogEntry): void {
    this.input.value = '';
    this.close();
    this.input.blur();
    this.onPick(entry);
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
  }
}
