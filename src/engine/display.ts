/**
 * Values of query results for people and for JSON: typed, so a DOUBLE 1.0
 * prints as 1.0 and a BIGINT past 2^53 keeps its digits.
 */
import { Decimal, formatDate, formatDouble, formatTime, formatTimestamp, type SqlType } from '../schema/index.js';

/** A JSON-compatible form of a value (BIGINT beyond 2^53 as a string, DECIMAL as a number when exact). */
export function jsonValue(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'BIGINT': {
      const b = v as bigint;
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b.toString();
    }
    case 'DECIMAL':
      return Number((v as Decimal).toString());
    case 'BYTES':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'DATE':
      return formatDate(v as number);
    case 'TIME':
      return formatTime(v as number);
    case 'TIMESTAMP':
      return formatTimestamp(v as number);
    case 'ARRAY':
      return (v as unknown[]).map((x) => jsonValue(x, t.item));
    case 'MAP': {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v as Map<unknown, unknown>) out[String(displayValue(k, t.key))] = jsonValue(x, t.value);
      return out;
    }
    case 'STRUCT': {
      const out: Record<string, unknown> = {};
      const s = v as Record<string, unknown>;
      for (const f of t.fields) out[f.name] = jsonValue(s[f.name] ?? null, f.type);
      return out;
    }
    default:
      return v;
  }
}

/** A value as the CLI prints it in a row. */
export function displayValue(v: unknown, t: SqlType): string {
  if (v === null || v === undefined) return 'null';
  switch (t.kind) {
    case 'STRING':
      return v as string;
    case 'DOUBLE':
      return formatDouble(v as number);
    case 'BIGINT':
    case 'INTEGER':
    case 'BOOLEAN':
      return String(v);
    case 'DECIMAL':
      return (v as Decimal).toString();
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return JSON.stringify(jsonValue(v, t));
    default: {
      const j = jsonValue(v, t);
      return typeof j === 'string' ? j : JSON.stringify(j);
    }
  }
}
