import { ApiError } from './api-client';
import { byId } from './dom';
import { type ReadableError, readableError } from './problem-message';

/** The banner above the chart that tells what went wrong, in words. */
export class ErrorBanner {
  private readonly banner = byId('banner', HTMLDivElement);
  private readonly title = byId('banner-title', HTMLElement);
  private readonly detail = byId('banner-detail', HTMLSpanElement);
  private shown: ReadableError | null = null;

  constructor() {
    byId('banner-close', HTMLButtonElement).addEventListener('click', () => this.clear());
  }

  get current(): ReadableError | null {
    return this.shown;
  }

  /** Shows `error` (an API failure or anything thrown) as what the page was `doing`. */
  show(error: unknown, doing: string): ReadableError {
    const readable =
      error instanceof ApiError
        ? readableError(error.status, error.problem, error.retryAfterSeconds, doing)
        : {
            title: `Something went wrong while ${doing}.`,
            detail: error instanceof Error ? error.message : String(error),
          };
    this.title.textContent = readable.title;
    this.detail.textContent = readable.detail;
    this.banner.hidden = false;
    this.banner.dataset.status = error instanceof ApiError ? String(error.status) : 'error';
    this.shown = readable;
    return readable;
  }

  clear(): void {
    this.banner.hidden = true;
    this.shown = null;
  }
}
