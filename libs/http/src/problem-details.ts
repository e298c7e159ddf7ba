import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticationError, MissingScopeError } from '@market/auth';

/** RFC 9457 problem details, the one error body of both apps, with the headers that belong to it. */
export interface Problem {
  /** URI reference naming the problem type, e.g. `/problems/not-found`. */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Every validation message, when the request failed validation. */
  errors?: string[];
  /** Response headers that belong to the problem: Retry-After, WWW-Authenticate. */
  headers?: Record<string, string>;
}

/** RFC 6750 challenge: how to authenticate, and why the credentials sent were refused. */
const REALM = 'Bearer realm="market-warehouse"';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  414: 'URI too long',
  429: 'Too many requests',
};

const SLUGS: Record<number, string> = {
  400: 'invalid-request',
  404: 'not-found',
  405: 'method-not-allowed',
  414: 'uri-too-long',
  429: 'too-many-requests',
};

/** A problem of type `/problems/<slug>`. */
export function problem(status: number, slug: string, title: string, detail: string): Problem {
  return { type: `/problems/${slug}`, title, status, detail };
}

/** A failed @nestjs/terminus health check: a 503 whose body lists every check. */
function isHealthCheckResult(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException) || exception.getStatus() !== 503) return false;
  const body = exception.getResponse();
  return typeof body === 'object' && 'status' in body && 'details' in body;
}

/** The message(s) of a Nest HttpException, e.g. ValidationPipe's list of failures. */
function httpExceptionMessages(exception: HttpException): string[] {
  const body = exception.getResponse();
  if (typeof body === 'string') return [body];
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String);
  return [typeof message === 'string' ? message : exception.message];
}

/** Writes a problem as the response: its headers, status and application/problem+json body. */
export function sendProblem(response: Response, { headers, ...body }: Problem): void {
  for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
  response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/**
 * Maps every error to RFC 9457 problem details: failed authentication is 401 or 403 with a
 * bearer challenge, Nest's HTTP exceptions (unknown routes, validation, 405, 414, 429) keep
 * their status, anything else is logged here and answered with a generic 500, never a stack
 * trace. An app with errors of its own extends toProblem.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  protected readonly logger = new Logger('ProblemDetailsFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (isHealthCheckResult(exception)) {
      // Health probes keep terminus' own body (which check failed): orchestrators and dashboards read it.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    sendProblem(response, this.toProblem(exception));
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof AuthenticationError) {
      const challenge = exception.invalidToken ? `${REALM}, error="invalid_token"` : REALM;
      return {
        ...problem(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', exception.message),
        headers: { 'WWW-Authenticate': challenge },
      };
    }
    if (exception instanceof MissingScopeError) {
      return {
        ...problem(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', exception.message),
        headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${exception.missing.join(' ')}"` },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const messages = httpExceptionMessages(exception);
      const title = TITLES[status] ?? 'Error';
      const slug = SLUGS[status] ?? `http-${status}`;
      return { ...problem(status, slug, title, messages.join('; ')), ...(status === 400 ? { errors: messages } : {}) };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return problem(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'internal-error',
      'Internal error',
      'an unexpected error occurred',
    );
  }
}
