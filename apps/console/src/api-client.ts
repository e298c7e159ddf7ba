import type { Problem } from './api-types';
import type { CredentialStore } from './credentials';

/** What the page asked the API for, kept for the page's state (tests read it). */
export type RequestPurpose = 'catalog' | 'data' | 'coverage' | 'quote' | 'export';

export interface RequestRecord {
  readonly purpose: RequestPurpose;
  readonly url: string;
  readonly status: number;
}

/** A failed call: the HTTP status (0: no answer at all), the problem body and Retry-After when sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    readonly retryAfterSeconds: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryParams = Readonly<Record<string, string | number | undefined>>;

/** `path` with its query string; undefined parameters are left out. */
export function apiUrl(path: string, params: QueryParams = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.set(name, String(value));
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** The public API over fetch, with the tab's credentials; every request is recorded. */
export class ApiClient {
  private readonly log: RequestRecord[] = [];

  constructor(private readonly credentials: CredentialStore) {}

  get requests(): readonly RequestRecord[] {
    return this.log;
  }

  async json<T>(purpose: RequestPurpose, path: string, params?: QueryParams): Promise<T> {
    const response = await this.send(purpose, apiUrl(path, params), 'application/json');
    return (await response.json()) as T;
  }

  async file(path: string, params: QueryParams): Promise<Blob> {
    const response = await this.send('export', apiUrl(path, params), '*/*');
    return response.blob();
  }

  private async send(purpose: RequestPurpose, url: string, accept: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, { headers: { Accept: accept, ...this.credentials.headers() } });
    } catch (error) {
      this.log.push({ purpose, url, status: 0 });
      throw new ApiError(0, null, null, error instanceof Error ? error.message : String(error));
    }
    this.log.push({ purpose, url, status: response.status });
    if (response.ok) return response;
    const problem = await readProblem(response);
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new ApiError(
      response.status,
      problem,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      problem?.detail ?? `HTTP ${response.status}`,
    );
  }
}

async function readProblem(response: Response): Promise<Problem | null> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return null;
  try {
    return (await response.json()) as Problem;
  } catch {
    return null;
  }
}
