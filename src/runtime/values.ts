/** Equality and ordering of SQL values as ksqlDB defines them, for every type. */
import { Decimal, type SqlType } from '../schema/index.js';

/** a = b for non-null values of type t (structs, arrays and maps deeply). */
export function sqlEquals(a: unknown, b: unknown, t: SqlType): boolean {
  if (a === null || b === null) return a === b;
  switch (t.kind) {
    case 'DECIMAL':
      return (a as Decimal).compareTo(b as Decimal) === 0;
    case 'BYTES':
      return bytesEqual(a as Uint8Array, b as Uint8Array);
    case 'ARRAY': {
      const x = a as unknown[];
      const y = b as unknown[];
      return x.length === y.length && x.every((v, i) => sqlEquals(v ?? null, y[i] ?? null, t.item));
    }
    case 'MAP': {
      const x = a as Map<unknown, unknown>;
      const y = b as Map<unknown, unknown>;
      if (x.size !== y.size) return false;
      for (const [k, v] of x) {
        if (!y.has(k)) return false;
        if (!sqlEquals(v ?? null, y.get(k) ?? null, t.value)) return false;
      }
      return true;
    }
    case 'STRUCT': {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      return t.fields.every((f) => sqlEquals(x[f.name] ?? null, y[f.name] ?? null, f.type));
    }
    default:
      return a === b;
  }
}

/** Orders two non-null values of type t: negative, zero or positive. */
export function sqlCompare(a: unknown, b: unknown, t: SqlType): number {
  switch (t.kind) {
    case 'DECIMAL':
      return (a as Decimal).compareTo(b as Decimal);
    case 'BYTES':
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case 'BOOLEAN':
      return a === b ? 0 : a ? 1 : -1;
    case 'BIGINT':
    case 'INTEGER':
    case 'DOUBLE':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 'STRING':
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    default:
      return sqlEquals(a, b, t) ? 0 : 1;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export { Decimal };
