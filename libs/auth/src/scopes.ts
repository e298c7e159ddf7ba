/**
 * The scopes this API grants. A JWT carries them in its `scope` (space-separated, RFC 8693)
 * or `scp` claim; an API key lists them in the keys file.
 */
export const SCOPES = {
  /** Time-series ranges and latest quotes. */
  readData: 'read:data',
  /** The catalog: assets, commodities and data sources. */
  readAssets: 'read:assets',
  /** Prometheus metrics, when /metrics is not open (AUTH_OPEN_ENDPOINTS). */
  readMetrics: 'read:metrics',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);

export function isScope(text: string): text is Scope {
  return (ALL_SCOPES as readonly string[]).includes(text);
}
