import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max } from 'class-validator';
import { validationException } from '../errors/validation-exception';
import { RangeQueryDto } from '../time-series/dto/range-query.dto';
import { QueryValidationPipe } from './query-validation.pipe';

/** The options main.ts gives the app's pipe. */
const OPTIONS: ValidationPipeOptions = {
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: validationException,
};

let transformRuns = 0;

class CountingQueryDto {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => {
    transformRuns += 1;
    return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  })
  @IsInt()
  @Max(100)
  limit: number = 10;

  @IsOptional()
  @IsString()
  sort?: string;
}

const asQuery = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

async function rejection(pipe: ValidationPipe, query: object, metadata: ArgumentMetadata): Promise<unknown> {
  try {
    await pipe.transform(query, metadata);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse();
  }
  throw new Error('the query passed validation');
}

describe('QueryValidationPipe', () => {
  beforeEach(() => {
    transformRuns = 0;
  });

  it('answers a query it accepted before with an equal DTO, without running the decorators again', async () => {
    const pipe = new QueryValidationPipe(OPTIONS);
    const first = await pipe.transform({ limit: '50', sort: 'desc' }, asQuery(CountingQueryDto));
    const second = await pipe.transform({ limit: '50', sort: 'desc' }, asQuery(CountingQueryDto));
    expect(transformRuns).toBe(1);
    expect(second).toBeInstanceOf(CountingQueryDto);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    await pipe.transform({ limit: '60', sort: 'desc' }, asQuery(CountingQueryDto));
    expect(transformRuns).toBe(2);
  });

  it('gives the same DTOs as ValidationPipe for the API range query, first time and after', async () => {
    const plain = new ValidationPipe(OPTIONS);
    const pipe = new QueryValidationPipe(OPTIONS);
    for (const query of [
      { from: '2025-08-01', to: '2025-08-31', limit: '100' },
      {},
      { sort: 'desc', timeframe: '1h', tz: 'America/New_York', page_token: 'abc' },
    ]) {
      const expected: unknown = await plain.transform(query, asQuery(RangeQueryDto));
      expect(await pipe.transform(query, asQuery(RangeQueryDto))).toEqual(expected);
      const again: unknown = await pipe.transform(query, asQuery(RangeQueryDto));
      expect(again).toEqual(expected);
      expect(again).toBeInstanceOf(RangeQueryDto);
    }
  });

  it('validates a rejected query every time, with the 400 body ValidationPipe gives', async () => {
    const plain = new ValidationPipe(OPTIONS);
    const pipe = new QueryValidationPipe(OPTIONS);
    for (const query of [{ limit: '0' }, { limit: '1e3' }, { limt: '10' }, { limit: ['1', '2'] }]) {
      const expected = await rejection(plain, query, asQuery(RangeQueryDto));
      expect(await rejection(pipe, query, asQuery(RangeQueryDto))).toEqual(expected);
      expect(await rejection(pipe, query, asQuery(RangeQueryDto))).toEqual(expected);
    }
  });

  it('keeps one DTO class from answering for another with the same parameters', async () => {
    const pipe = new QueryValidationPipe(OPTIONS);
    await pipe.transform({ limit: '50' }, asQuery(CountingQueryDto));
    expect(await pipe.transform({ limit: '50' }, asQuery(RangeQueryDto))).toBeInstanceOf(RangeQueryDto);
    expect(await rejection(pipe, { limit: '500' }, asQuery(CountingQueryDto))).toMatchObject({
      message: ['limit must not be greater than 100'],
    });
  });
});
