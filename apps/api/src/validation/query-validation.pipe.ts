import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** Distinct accepted queries remembered per DTO class; a few hundred bytes each. */
const REMEMBERED_QUERIES = 1000;

type Fields = Readonly<Record<string, unknown>>;

/** A query as Express parses it, when every parameter came once (a string each). */
function flatQuery(value: unknown): value is Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null) return false;
  for (const parameter of Object.values(value)) if (typeof parameter !== 'string') return false;
  return true;
}

/** The DTO's own fields, when every one is a primitive (a copy of them is then a whole copy). */
function primitiveFields(dto: unknown): Fields | null {
  if (typeof dto !== 'object' || dto === null) return null;
  for (const field of Object.values(dto)) if (typeof field === 'object' && field !== null) return null;
  return { ...dto };
}

/**
 * The app's ValidationPipe, remembering the query strings it has accepted. Dashboards ask
 * the same few questions over and over (the same series, limit and bounds), and
 * class-transformer plus class-validator cost a small request more CPU than its Cassandra
 * read's driver work (issue #25). A query it accepted before is answered with a fresh DTO
 * of the same fields, without running the decorators again; anything else, and every query
 * that fails, goes through ValidationPipe as ever, so each 400 body is the one it always was.
 *
 * Sound because a query DTO's validation and transformation are a pure function of the
 * parameters' text (the app's DTOs read no clock and no state: `from`/`to` are parsed
 * against "now" by the service, not here). Only for query parameters of a DTO class whose
 * fields come out primitive; bodies and path parameters are not remembered.
 */
export class QueryValidationPipe extends ValidationPipe {
  private readonly accepted = new WeakMap<object, LRUCache<string, Fields>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype, type } = metadata;
    const remember = this.isTransformEnabled && type === 'query' && metatype !== undefined && flatQuery(value);
    if (!remember || !this.toValidate(metadata)) {
      return super.transform(value, metadata);
    }
    let remembered = this.accepted.get(metatype);
    if (remembered === undefined) {
      remembered = new LRUCache<string, Fields>({ max: REMEMBERED_QUERIES });
      this.accepted.set(metatype, remembered);
    }
    const key = JSON.stringify(value);
    const fields = remembered.get(key);
    if (fields !== undefined) return Object.assign(Object.create(metatype.prototype as object) as object, fields);
    const dto: unknown = await super.transform(value, metadata);
    const accepted = primitiveFields(dto);
    if (accepted !== null) remembered.set(key, accepted);
    return dto;
  }
}
