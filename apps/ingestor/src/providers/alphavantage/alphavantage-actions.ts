import { z } from 'zod';
import { isExDate, isPlainDecimal } from '@market/domain';
import type { ProviderAction } from '../price-provider.interface';
import { ProviderPayloadError, type ProviderErrorScope } from '../provider-errors';
import { readWithSchema } from '../provider-payload';

const splitsSchema = z.object({
  data: z.array(z.object({ effective_date: z.string(), split_factor: z.string() })),
});

const dividendsSchema = z.object({
  data: z.array(
    z.object({ ex_dividend_date: z.string(), declaration_date: z.string().optional(), amount: z.string() }),
  ),
});

/**
 * The splits of a `function=SPLITS` response. Alpha Vantage gives the factor as a decimal
 * (`4.0000` for 4-for-1, `0.1250` for 1-for-8, `1.5000` for 3-for-2): it becomes the
 * smallest whole numerator and denominator.
 */
export function parseAlphaVantageSplits(body: unknown, scope: ProviderErrorScope): ProviderAction[] {
  const { data } = readWithSchema(splitsSchema, body, scope, 'Alpha Vantage SPLITS');
  return data.map((split) => {
    const exDate = checkedDate(split.effective_date, scope);
    const { numerator, denominator } = fractionOf(split.split_factor, scope);
    return { type: 'split', exDate, numerator, denominator };
  });
}

/** The cash dividends of a `function=DIVIDENDS` response, known from their declaration date where given. */
export function parseAlphaVantageDividends(body: unknown, scope: ProviderErrorScope): ProviderAction[] {
  const { data } = readWithSchema(dividendsSchema, body, scope, 'Alpha Vantage DIVIDENDS');
  return data.map((dividend): ProviderAction => {
    const exDate = checkedDate(dividend.ex_dividend_date, scope);
    const declared = dividend.declaration_date;
    return {
      type: 'dividend',
      exDate,
      amount: dividend.amount,
      currency: 'USD',
      ...(declared !== undefined && isExDate(declared) ? { knownAt: new Date(`${declared}T00:00:00Z`) } : {}),
    };
  });
}

function checkedDate(text: string, scope: ProviderErrorScope): string {
  if (!isExDate(text)) throw new ProviderPayloadError(scope, `Alpha Vantage date "${text}" is not YYYY-MM-DD`);
  return text;
}

/** `1.0460` → 523/500: the decimal's digits over its power of ten, reduced. */
function fractionOf(factor: string, scope: ProviderErrorScope): { numerator: number; denominator: number } {
  if (!isPlainDecimal(factor) || factor.startsWith('-') || factor.length > 15) {
    throw new ProviderPayloadError(scope, `Alpha Vantage split factor "${factor}" is not a positive decimal`);
  }
  const [whole = '0', fraction = ''] = factor.split('.');
  let numerator = BigInt(`${whole}${fraction}`);
  let denominator = 10n ** BigInt(fraction.length);
  if (numerator === 0n) throw new ProviderPayloadError(scope, `Alpha Vantage split factor "${factor}" is zero`);
  const divisor = gcd(numerator, denominator);
  numerator /= divisor;
  denominator /= divisor;
  return { numerator: Number(numerator), denominator: Number(denominator) };
}

function gcd(left: bigint, right: bigint): bigint {
  return right === 0n ? left : gcd(right, left % right);
}
