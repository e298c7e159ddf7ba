import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/**
 * The ValidationPipe's exception factory. A property with no value failed every rule it
 * carries ("from must be shorter than or equal to 64 characters; from must be a string"),
 * which describes a value nobody sent: a missing required parameter says so instead. A
 * property that may be absent carries @IsOptional, so it never arrives here without a value.
 */
export function validationException(errors: ValidationError[]): BadRequestException {
  return new BadRequestException(errors.flatMap((error) => validationMessages(error, '')));
}

function validationMessages(error: ValidationError, parentPath: string): string[] {
  const path = `${parentPath}${error.property}`;
  if (error.value === undefined && error.constraints !== undefined) return [`${path} is required`];
  return [
    ...Object.values(error.constraints ?? {}),
    ...(error.children ?? []).flatMap((child) => validationMessages(child, `${path}.`)),
  ];
}
