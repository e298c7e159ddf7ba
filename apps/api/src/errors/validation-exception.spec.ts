import { ValidationPipe } from '@nestjs/common';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { validationException } from './validation-exception';

class ExampleQueryDto {
  @IsString()
  @MaxLength(64)
  from!: string;

  @IsString()
  symbol!: string;

  @IsOptional()
  @IsInt()
  limit?: number;
}

const pipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: validationException,
});

async function messagesFor(query: Record<string, unknown>): Promise<string[]> {
  try {
    await pipe.transform(query, { type: 'query', metatype: ExampleQueryDto });
  } catch (error) {
    return (error as { getResponse(): { message: string[] } }).getResponse().message;
  }
  throw new Error('the query passed validation');
}

describe('validationException', () => {
  it('says that every missing required parameter is required, and nothing else about it', async () => {
    expect(await messagesFor({})).toEqual(['from is required', 'symbol is required']);
    expect(await messagesFor({ symbol: 'AAPL' })).toEqual(['from is required']);
  });

  it('keeps the rules a sent value broke, for required and optional parameters alike', async () => {
    expect(await messagesFor({ from: 'x'.repeat(65), symbol: 'AAPL', limit: 'ten' })).toEqual([
      'from must be shorter than or equal to 64 characters',
      'limit must be an integer number',
    ]);
    expect(await messagesFor({ from: '', symbol: 'AAPL', extra: '1' })).toEqual(['property extra should not exist']);
  });
});
