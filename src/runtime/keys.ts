/** A stable string for a group of key values, for state store lookups: equal keys, equal strings. */
import { Decimal } from '../schema/index.js';

export function keyString(values: readonly unknown[]): string {
  if (values.length === 1) return one(values[0]);
  let out = '';
  for (const v of values) out += `${one(v)}\u0000`;
  return out;
}

function one(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'number':
      return `n${v}`;
    case 'bigint':
      return `b${v}`;
    case 'boolean':
      return v ? 'T' : 'F';
    default:
      if (v === null || v === undefined) return '~';
      return `j${JSON.stringify(v, replacer)}`;
  }
}

function replacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Decimal) return `${v.toString()}d`;
  if (v instanceof Map) return { __map: [...v.entries()] };
  if (v instanceof Uint8Array) return { __bytes: Buffer.from(v).toString('base64') };
  return v;
}
