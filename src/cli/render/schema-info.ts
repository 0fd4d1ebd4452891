/**
 * ksqlDB's REST `SchemaInfo` (`{ type, fields, memberSchema, parameters? }`),
 * rebuilt from the display form the engine hands over (`VARCHAR(STRING)`,
 * `ARRAY<INTEGER>`, `MAP<STRING, BIGINT>`, `STRUCT<a DOUBLE>`, `DECIMAL(4, 2)`).
 * A string that does not parse keeps its text as the type, so JSON never fails.
 */
import type { FieldInfo } from '../../engine/index.js';

export interface SchemaInfoJson {
  readonly type: string;
  readonly fields: readonly FieldInfoJson[] | null;
  readonly memberSchema: SchemaInfoJson | null;
  readonly parameters?: { readonly precision: number; readonly scale: number };
}

export interface FieldInfoJson {
  readonly name: string;
  readonly schema: SchemaInfoJson;
  readonly type?: 'KEY' | 'HEADER';
  readonly headerKey?: string;
}

export function schemaInfo(display: string): SchemaInfoJson {
  const parser = new DisplayTypeParser(display);
  try {
    const schema = parser.type();
    if (!parser.atEnd()) throw new Error('trailing text');
    return schema;
  } catch {
    return { type: display, fields: null, memberSchema: null };
  }
}

export function fieldInfo(field: FieldInfo): FieldInfoJson {
  const base = { name: field.name, schema: schemaInfo(field.type) };
  switch (field.role) {
    case 'KEY':
    case 'PRIMARY KEY':
      return { ...base, type: 'KEY' };
    case 'HEADERS':
      return { ...base, type: 'HEADER' };
    case 'HEADER':
      return field.headerKey === undefined ? { ...base, type: 'HEADER' } : { ...base, type: 'HEADER', headerKey: field.headerKey };
    case undefined:
      return base;
  }
}

class DisplayTypeParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    this.skipSpaces();
    return this.pos === this.text.length;
  }

  type(): SchemaInfoJson {
    this.skipSpaces();
    const word = this.word();
    switch (word) {
      case 'VARCHAR':
      case 'STRING':
        if (this.peek('(')) {
          this.expect('(');
          this.word();
          this.expect(')');
        }
        return leaf('STRING');
      case 'ARRAY': {
        this.expect('<');
        const member = this.type();
        this.expect('>');
        return { type: 'ARRAY', fields: null, memberSchema: member };
      }
      case 'MAP': {
        this.expect('<');
        this.type();
        this.expect(',');
        const value = this.type();
        this.expect('>');
        return { type: 'MAP', fields: null, memberSchema: value };
      }
      case 'STRUCT': {
        this.expect('<');
        const fields: FieldInfoJson[] = [];
        while (!this.peek('>')) {
          if (fields.length > 0) this.expect(',');
          this.skipSpaces();
          const name = this.fieldName();
          fields.push({ name, schema: this.type() });
        }
        this.expect('>');
        return { type: 'STRUCT', fields, memberSchema: null };
      }
      case 'DECIMAL': {
        this.expect('(');
        const precision = Number(this.word());
        this.expect(',');
        const scale = Number(this.word());
        this.expect(')');
        return { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision, scale } };
      }
      default:
        if (!/^[A-Z_]+$/.test(word)) throw new Error(`not a type: ${word}`);
        return leaf(word);
    }
  }

  private fieldName(): string {
    if (this.text[this.pos] === '`') {
      const end = this.text.indexOf('`', this.pos + 1);
      if (end < 0) throw new Error('unclosed quote');
      const name = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return name;
    }
    const start = this.pos;
    while (this.pos < this.text.length && this.text[this.pos] !== ' ') this.pos++;
    if (this.pos === start) throw new Error('expected a field name');
    return this.text.slice(start, this.pos);
  }

  private word(): string {
    this.skipSpaces();
    const match = /^[A-Za-z0-9_]+/.exec(this.text.slice(this.pos));
    if (!match) throw new Error(`expected a word at ${this.pos}`);
    this.pos += match[0].length;
    return match[0];
  }

  private peek(ch: string): boolean {
    this.skipSpaces();
    return this.text[this.pos] === ch;
  }

  private expect(ch: string): void {
    if (!this.peek(ch)) throw new Error(`expected '${ch}' at ${this.pos}`);
    this.pos++;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}

function leaf(type: string): SchemaInfoJson {
  return { type, fields: null, memberSchema: null };
}

/** The type column: `%-16s` then the key or header marker, as ksqlDB formats it. */
export function fieldType(f: FieldInfo, windowType?: string): string {
  switch (f.role) {
    case 'KEY':
    case 'PRIMARY KEY': {
      const window = windowType === undefined ? '' : ` (Window type: ${windowType})`;
      return `${f.type.padEnd(16)} ${f.role === 'KEY' ? '(key)' : '(primary key)'}${window}`;
    }
    case 'HEADERS':
      return `${f.type.padEnd(16)} (headers)`;
    case 'HEADER':
      return `${f.type.padEnd(16)} ${f.headerKey === undefined ? '(headers)' : `(header('${f.headerKey}'))`}`;
    case undefined:
      return f.type;
  }
}
