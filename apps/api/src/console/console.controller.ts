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
  index(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) response: unknown,
  ): StreamableFile | undefined {
    return this.send('index.html', ifNoneMatch, response);
  }

  @Get(':file')
  asset(
    @Param('file') name: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) response: unknown,
  ): StreamableFile | undefined {
    return this.send(name, ifNoneMatch, response);
  }

  private send(name: string, ifNoneMatch: string | undefined, response: unknown): StreamableFile | undefined {
    const file = this.bundle.file(name);
    if (file === undefined) {
      throw new NotFoundException(
        this.bundle.built
          ? `the console has no file ${JSON.stringify(name)}`
          : 'the web console is not built: run "npm run build:console" (npm run build and npm start do), then restart the API',
      );
    }
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(response, 'ETag', file.etag);
    adapter.setHeader(response, 'Cache-Control', file.cacheControl);
    if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(file.etag)) {
      adapter.status(response, 304);
      return undefined;
    }
    return new StreamableFile(file.body, { type: file.contentType, length: file.body.length });
  }
}
