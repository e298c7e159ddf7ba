/** An API key or a bearer token, entered once and kept in sessionStorage: this tab only. */
export type CredentialKind = 'api-key' | 'bearer';

export interface Credentials {
  readonly kind: CredentialKind;
  readonly secret: string;
}

const STORAGE_KEY = 'market-warehouse.console.credentials';

export class CredentialStore {
  constructor(private readonly storage: Storage) {}

  get current(): Credentials | null {
    const text = this.storage.getItem(STORAGE_KEY);
    if (text === null) return null;
    try {
      const value = JSON.parse(text) as Partial<Credentials>;
      if ((value.kind === 'api-key' || value.kind === 'bearer') && typeof value.secret === 'string') {
        return { kind: value.kind, secret: value.secret };
      }
    } catch {
      // an unreadable entry is as good as none
    }
    return null;
  }

  save(credentials: Credentials): void {
    this.storage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  }

  clear(): void {
    this.storage.removeItem(STORAGE_KEY);
  }

  /** The request headers that carry the credentials (none when none are kept). */
  headers(): Record<string, string> {
    const credentials = this.current;
    if (credentials === null) return {};
    return credentials.kind === 'api-key'
      ? { 'X-API-Key': credentials.secret }
      : { Authorization: `Bearer ${credentials.secret}` };
  }
}
