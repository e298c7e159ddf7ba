import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Params } from 'nestjs-pino';
import { type LevelWithSilent, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { ObservabilityOptions } from '../observability.module-definition';
import {
  REDACTED_REQUEST_HEADERS,
  REDACTED_RESPONSE_HEADERS,
  redactHeaders,
  redactQuery,
  redactSecretValues,
  redactUrl,
} from './log-redaction';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

/** Probed every few seconds by orchestrators and Prometheus: a log line each would drown the rest. */
const PROBE_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/** The fields of pino's serialized request that can carry secrets. */
interface SerializedRequest {
  url?: unknown;
  query?: unknown;
  headers?: unknown;
}

/** The field of pino's serialized response that can carry secrets. */
interface SerializedResponse {
  headers?: unknown;
}

/** The path as the client sent it: Express rewrites `url` inside mounted middleware, not `originalUrl`. */
function pathOf(request: IncomingMessage & { originalUrl?: string }): string {
  return (request.originalUrl ?? request.url ?? '').split('?', 1)[0] ?? '';
}

/** Redacts secrets from a request as pino serializes it (url, parsed query, credential headers). */
function redactRequest(request: SerializedRequest): SerializedRequest {
  if (typeof request.url === 'string') request.url = redactUrl(request.url);
  // The serialized query and headers are the request's own objects: replaced, never modified.
  request.query = redactQuery(request.query);
  request.headers = redactHeaders(request.headers, REDACTED_REQUEST_HEADERS);
  return request;
}

/** Redacts cookies a response sets from the response as pino serializes it. */
function redactResponse(response: SerializedResponse): SerializedResponse {
  response.headers = redactHeaders(response.headers, REDACTED_RESPONSE_HEADERS);
  return response;
}

/**
 * Who made the request, once an auth layer has set `request.principal` (an id such as
 * `api-key:grafana`, never a credential); evaluated again when the response is logged.
 * Nothing (not `{}`) before that: pino-http makes a child logger of whatever this returns.
 */
function callerOf(request: IncomingMessage & { principal?: { id?: unknown } }): Record<string, string> {
  const id = request.principal?.id;
  // pino-http's type says bindings, its code skips a falsy value (logger.js, customProps).
  return (typeof id === 'string' ? { principal: id } : undefined) as unknown as Record<string, string>;
}

/** Server errors at `error`, client errors at `warn`, the rest at `info`. */
function levelOf(_request: IncomingMessage, response: ServerResponse, error?: Error): LevelWithSilent {
  if (error !== undefined || response.statusCode >= 500) return 'error';
  return response.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * nestjs-pino settings: one JSON object per line, the request id in every line logged while
 * handling a request (`reqId`), secrets censored (by name, and by value in every line), probes not logged.
 */
export function loggerParams(options: ObservabilityOptions): Params {
  const pinoHttp: Options = {
    level: options.logLevel,
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { req: redactRequest, res: redactResponse },
    // The last word on every line, whoever wrote it (request logs, app messages, errors):
    // credential-shaped values are replaced wherever they sit, under whatever name.
    hooks: { streamWrite: redactSecretValues },
    genReqId: (request, response) => {
      const id = requestIdFrom(request.headers['x-request-id']);
      response.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    // App logs made while handling a request carry just `reqId`; the request itself is logged once, at its end.
    quietReqLogger: true,
    customLogLevel: levelOf,
    customProps: callerOf,
    autoLogging: { ignore: (request) => PROBE_PATHS.has(pathOf(request)) },
  };
  return { pinoHttp: options.logDestination === undefined ? pinoHttp : [pinoHttp, options.logDestination] };
}
