import type { Problem } from './api-types';

/** A failed API call as the page tells it: a short title and a sentence. */
export interface ReadableError {
  readonly title: string;
  readonly detail: string;
}

/**
 * Turns an API failure (status, problem body, Retry-After) into words a person can act on.
 * `status` 0 means no answer reached the page (network down, API stopped).
 */
export function readableError(
  status: number,
  problem: Problem | null,
  retryAfterSeconds: number | null,
  doing: string,
): ReadableError {
  const said = problem?.detail !== undefined && problem.detail !== '' ? sentence(problem.detail) : '';
  const retry = retryAfterSeconds === null ? '' : ` Try again in ${retryAfterSeconds} s.`;
  switch (status) {
    case 0:
      return { title: `Cannot reach the API while ${doing}.`, detail: 'Check that the API is running.' };
    case 401:
      return {
        title: `Sign-in needed for ${doing}.`,
        detail: `${said || 'The API wants credentials.'} Enter an API key or a bearer token under “Credentials”.`,
      };
    case 403:
      return {
        title: `Not allowed: ${doing}.`,
        detail: `${said || 'These credentials lack the scope this needs.'} Ask for a key with that scope.`,
      };
    case 404:
      return { title: `Not found while ${doing}.`, detail: said || 'The API knows no such resource.' };
    case 429:
      return {
        title: `Too many requests while ${doing}.`,
        detail: `${said || 'The rate limit is spent.'}${retry || ' Wait a minute and try again.'}`,
      };
    case 503:
      return {
        title: `The warehouse is unavailable while ${doing}.`,
        detail: `${said || 'The database cannot serve requests right now.'}${retry}`,
      };
    default:
      return {
        title: `${problem?.title ?? `HTTP ${status}`} while ${doing}.`,
        detail: said || `The API answered ${status}.`,
      };
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
