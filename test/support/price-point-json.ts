/** One item of a range page as the API sends it (JSON), raw or as a timeframe's bar. */
export interface PricePointJson {
  ts: string;
  price: string;
  open: string | null;
  high: string | null;
  low: string | null;
  volume: number | null;
  source_id: string | null;
  bar_count?: number;
  complete?: boolean;
  adjustment_factor?: string | null;
  filled?: boolean;
}
