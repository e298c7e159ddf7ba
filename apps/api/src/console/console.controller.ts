import { Controller, Get, Headers, NotFoundException, Param, Res, StreamableFile } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { OpenRoute } from '../auth/open-route.decorator';
import { ConsoleBundle } from './console-bundle';

/**
 * The web console's static files at /console. They hold no data (every price the page shows
 * comes from the API with the caller's own credentials), so they are open to anyone, never
 * rate limited, and left out of the OpenAPI document. Headers and the 304 go through Nest's
 * HTTP adapter, so this works on either platform.
 */
@ApiExcludeController()
@OpenRoute()
@SkipThrottle()
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly bundle: ConsoleBundle,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  index(@Headers() headers: RequestHeaders, @Res({ passthrough: true }) response: unknown): StreamableFile | undefined {
    return this.send('index.html', headers, response);
  }

  @Get(':file')
  asset(
    @Param('file') name: string,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) response: unknown,
  ): StreamableFile | undefined {
    return this.send(name, headers, response);
  }

  private send(name: string, headers: RequestHeaders, response: unknown): StreamableFile | undefined {
    const file = this.bundle.file(name);
    if (file === undefined) {
      throw new NotFoundException(
        this.bundle.built
          ? `the console has no file ${JSON.stringify(name)}`
          : 'the web console is not built: run "npm run build:console" (npm run build and npm start do), then restart the API',
      );
    }
    const chosen = file.gzipped !== null && acceptsGzip(headers['accept-encoding']) ? file.gzipped : file;
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(response, 'ETag', chosen.etag);
    adapter.setHeader(response, 'Cache-Control', file.cacheControl);
    adapter.setHeader(response, 'Vary', 'Accept-Encoding');
    const ifNoneMatch = headers['if-none-match'];
    if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(chosen.etag)) {
      adapter.status(response, 304);
      return undefined;
    }
    if (chosen !== file) adapter.setHeader(response, 'Content-Encoding', 'gzip');
    return new StreamableFile(chosen.body, { type: file.contentType, length: chosen.body.length });
  }
}

type RequestHeaders = Readonly<Record<string, string | undefined>>;

/** True when Accept-Encoding lists gzip (or *) without refusing it (`;q=0`). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((entry) => {
    const [coding = '', ...parameters] = entry.trim().toLowerCase().split(';');
    const refused = parameters.some((parameter) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(parameter));
    return (coding.trim() === 'gzip' || coding.trim() === '*') && !refused;
  });
}
