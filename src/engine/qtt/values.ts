/** SQL values -> the JSON form ksqlDB's test files use for records read back from a topic. */
import { Decimal, formatDouble, type SqlType } from '../../schema/index.js';
import { Num, type Json } from './json.js';

export function sqlToJson(v: unknown, t: SqlType): Json {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'BOOLEAN':
      return v as boolean;
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return new Num(String(v));
    case 'BIGINT':
      return new Num((v as bigint).toString());
    case 'DOUBLE':
      return Number.isFinite(v as number) ? new Num(formatDouble(v as number)) : String(v);
    case 'DECIMAL':
      return new Num((v as Decimal).toString());
    case 'STRING':
      return v as string;
    case 'BYTES':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'ARRAY':
      return (v as unknown[]).map((x) => sqlToJson(x ?? null, t.item));
    case 'MAP': {
      const out: { [k: string]: Json } = {};
      for (const [k, x] of v as Map<unknown, unknown>) out[String(k)] = sqlToJson(x ?? null, t.value);
      return out;
    }
    case 'STRUCT': {
      const out: { [k: string]: Json } = {};
      const s = v as Record<string, unknown>;
      for (const f of t.fields) out[f.name] = sqlToJson(s[f.name] ?? null, f.type);
      return out;
    }
    default:
      return null;
  }
}
