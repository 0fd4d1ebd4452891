/**
 * Lossless JSON for test files and records: numbers keep their text, so a
 * BIGINT like 9223372036854775807 or a DECIMAL like 1.50 survives reading and
 * comparing (JSON.parse would round both).
 */

/** A JSON number as written. */
export class Num {
  constructor(readonly text: string) {}
  toJSON(): number {
    return Number(this.text);
  }
}

export type Json = null | boolean | string | Num | Json[] | { [key: string]: Json };

export class JsonParseError extends Error {}

export function parseLossless(text: string): Json {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fail = (what: string): never => {
    throw new JsonParseError(`${what} at position ${i}`);
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: Json } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        obj[key] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const arr: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected , or ]');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return new Num(m[0]);
  };
  const str = (): string => {
    let end = i + 1;
    let escaped = false;
    while (end < text.length) {
      const ch = text[end];
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') break;
      end++;
    }
    const raw = text.slice(i, end + 1);
    i = end + 1;
    return JSON.parse(raw) as string;
  };
  const out = value();
  ws();
  if (i < text.length) fail('trailing text');
  return out;
}

export function stringifyLossless(v: Json): string {
  if (v === null) return 'null';
  if (v instanceof Num) return v.text;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stringifyLossless).join(',')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}:${stringifyLossless(x)}`)
    .join(',')}}`;
}

/** Numeric equality on decimal texts: 1, 1.0 and 1e0 are equal. */
export function numbersEqual(a: string, b: string): boolean {
  if (a === b) return true;
  const na = normalize(a);
  const nb = normalize(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  return Number(a) === Number(b);
}

/** A canonical form of a decimal number text (sign, digits, exponent), or undefined for non-finite. */
function normalize(text: string): string | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const sign = m[1] ?? '';
  let digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  let exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exp += 1;
  }
  return `${sign}${digits}e${exp}`;
}

/** Deep equality of lossless JSON: numbers by value, object keys exactly. */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === null || b === null) return a === b;
  if (a instanceof Num || b instanceof Num) {
    if (a instanceof Num && b instanceof Num) return numbersEqual(a.text, b.text);
    return false;
  }
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEquals(x, b[i] as Json));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => k in b && jsonEquals(a[k] as Json, b[k] as Json));
}

/** Plain JS value -> lossless JSON (numbers, bigints and decimals keep their digits). */
export function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return new Num(Number.isInteger(v) ? String(v) : String(v));
  if (typeof v === 'bigint') return new Num(v.toString());
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof Num) return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toJson(x);
    return out;
  }
  return String(v);
}
