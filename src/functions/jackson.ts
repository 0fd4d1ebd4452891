/**
 * JSON text the way ksqlDB's UdfJsonMapper (Jackson) reads and writes it: numbers keep their
 * exact text (BigDecimal for fractions, no trailing-zero stripping), duplicate object keys keep
 * the last value in the first position, the first root value is read and anything after it is
 * ignored, and empty input is Jackson's "missing node" rather than an error.
 */
import { Decimal } from '../schema/index.js';

export type JsonNode =
  | { readonly t: 'object'; readonly fields: Map<string, JsonNode> }
  | { readonly t: 'array'; readonly items: JsonNode[] }
  | { readonly t: 'string'; readonly value: string }
  /** text: the number as written; integral: no fraction or exponent (Jackson's int/long/BigInteger). */
  | { readonly t: 'number'; readonly text: string; readonly integral: boolean }
  | { readonly t: 'boolean'; readonly value: boolean }
  | { readonly t: 'null' };

export class JsonParseError extends Error {
  override readonly name: string = 'JsonParseError';
}

/** Parses the first JSON value of `text`; undefined when the text holds none (Jackson's MissingNode). */
export function parseJson(text: string): JsonNode | undefined {
  const p = new Parser(text);
  p.skipWhitespace();
  if (p.atEnd()) return undefined;
  return p.root();
}

/** Reads the top-level elements of an array one at a time, stopping early without parsing the rest. */
export function* arrayElements(text: string): Generator<JsonNode> {
  const p = new Parser(text);
  p.skipWhitespace();
  if (p.peek() !== '[') throw new JsonParseError('Not a JSON array');
  p.pos++;
  p.skipWhitespace();
  if (p.peek() === ']') return;
  for (;;) {
    yield p.value();
    p.skipWhitespace();
    const c = p.next();
    if (c === ']') return;
    if (c !== ',') throw p.error(`Unexpected character '${c}'`);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

class Parser {
  pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  next(): string | undefined {
    return this.text[this.pos++];
  }

  error(message: string): JsonParseError {
    return new JsonParseError(`${message} at position ${this.pos}`);
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text[this.pos])) this.pos++;
  }

  /** A root value: a number must be followed by whitespace or the end, as Jackson requires. */
  root(): JsonNode {
    const v = this.value();
    if (v.t === 'number' && !this.atEnd() && !WHITESPACE.has(this.text[this.pos])) {
      throw this.error('Expected space separating root-level values');
    }
    return v;
  }

  value(): JsonNode {
    this.skipWhitespace();
    const c = this.peek();
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return { t: 'string', value: this.string() };
      case 't':
        this.literal('true');
        return { t: 'boolean', value: true };
      case 'f':
        this.literal('false');
        return { t: 'boolean', value: false };
      case 'n':
        this.literal('null');
        return { t: 'null' };
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        throw this.error(c === undefined ? 'Unexpected end of input' : `Unexpected character '${c}'`);
    }
  }

  private literal(word: string): void {
    if (!this.text.startsWith(word, this.pos)) throw this.error('Unrecognized token');
    this.pos += word.length;
    // Jackson rejects "truex" or "nullable": a literal must not run into identifier characters.
    if (/[A-Za-z0-9_$]/.test(this.text[this.pos] ?? '')) throw this.error('Unrecognized token');
  }

  private object(): JsonNode {
    this.pos++;
    const fields = new Map<string, JsonNode>();
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.pos++;
      return { t: 'object', fields };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() !== '"') throw this.error('Expected a field name');
      const key = this.string();
      this.skipWhitespace();
      if (this.next() !== ':') throw this.error("Expected ':'");
      fields.set(key, this.value());
      this.skipWhitespace();
      const c = this.next();
      if (c === '}') return { t: 'object', fields };
      if (c !== ',') throw this.error("Expected ',' or '}'");
    }
  }

  private array(): JsonNode {
    this.pos++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.pos++;
      return { t: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.skipWhitespace();
      const c = this.next();
      if (c === ']') return { t: 'array', items };
      if (c !== ',') throw this.error("Expected ',' or ']'");
    }
  }

  private string(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.next();
      if (c === undefined) throw this.error('Unexpected end of input in a string');
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.next();
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = this.text.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('Invalid unicode escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            throw this.error(`Unrecognized character escape '${e}'`);
        }
      } else if (c.charCodeAt(0) < 0x20) {
        throw this.error('Illegal unquoted character in a string');
      } else {
        out += c;
      }
    }
  }

  private number(): JsonNode {
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (found === null) throw this.error('Invalid numeric value');
    this.pos = m.lastIndex;
    // "01" or "1." are errors in Jackson.
    const after = this.text[this.pos];
    if (after !== undefined && /[0-9.eE]/.test(after)) throw this.error('Invalid numeric value');
    return { t: 'number', text: found[0], integral: found[2] === undefined && found[3] === undefined };
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

const HEX = '0123456789ABCDEF';

/** A JSON string literal as Jackson escapes it: quotes, backslashes and control characters only. */
export function quoteJson(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20) out += s[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else out += '\\u00' + HEX[c >> 4] + HEX[c & 15];
  }
  return out + '"';
}

/**
 * Compact JSON text of a node. `plainDecimals` follows WRITE_BIGDECIMAL_AS_PLAIN (ksqlDB's mapper
 * writing values); JsonNode.toString() writes BigDecimal.toString() (scientific for exponents).
 */
export function writeJson(node: JsonNode, plainDecimals = false): string {
  switch (node.t) {
    case 'object': {
      const parts: string[] = [];
      for (const [k, v] of node.fields) parts.push(`${quoteJson(k)}:${writeJson(v, plainDecimals)}`);
      return `{${parts.join(',')}}`;
    }
    case 'array':
      return `[${node.items.map((v) => writeJson(v, plainDecimals)).join(',')}]`;
    case 'string':
      return quoteJson(node.value);
    case 'number':
      if (node.integral) return BigInt(node.text).toString();
      return plainDecimals ? Decimal.parse(node.text).toPlainString() : Decimal.parse(node.text).toJavaString();
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    default: {
      const unreachable: never = node;
      throw new Error(`Unknown JSON node ${JSON.stringify(unreachable)}`);
    }
  }
}
