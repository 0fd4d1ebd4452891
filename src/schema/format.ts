/**
 * SQL types as ksqlDB prints them: INTEGER, DECIMAL(4, 2), ARRAY<STRING>,
 * MAP<STRING, INTEGER>, STRUCT<`A` INTEGER, `B` STRING>.
 */
import type { SqlType } from './types.js';

export interface FormatTypeOptions {
  /**
   * Back-quote struct field names. ksqlDB's SqlType.toString() quotes every field (the form
   * in its error messages, e.g. "Cast of STRING to STRUCT<`F0` STRING> is not supported");
   * a predicate quotes only the names it selects (ksqlDB passes "is a reserved word").
   * Default: true.
   */
  readonly quoteFields?: boolean | ((name: string) => boolean);
}

export function formatType(type: SqlType, options: FormatTypeOptions = {}): string {
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'STRING':
    case 'BYTES':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return type.kind;
    case 'DECIMAL':
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatType(type.item, options)}>`;
    case 'MAP':
      return `MAP<${formatType(type.key, options)}, ${formatType(type.value, options)}>`;
    case 'STRUCT': {
      const fields = type.fields.map(
        (f) => `${formatIdentifier(f.name, options.quoteFields ?? true)} ${formatType(f.type, options)}`,
      );
      return `STRUCT<${fields.join(', ')}>`;
    }
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * An identifier, back-quoted when `quote` says so. A back-quote inside the name is doubled,
 * which is how the grammar escapes it, so the output parses back to the same name.
 */
export function formatIdentifier(name: string, quote: boolean | ((name: string) => boolean) = true): string {
  const shouldQuote = typeof quote === 'function' ? quote(name) : quote;
  return shouldQuote ? '`' + name.replaceAll('`', '``') + '`' : name;
}

/** Structural equality; struct field names are case-sensitive and their order matters. */
export function typesEqual(a: SqlType, b: SqlType): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'STRING':
    case 'BYTES':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return a.kind === b.kind;
    case 'DECIMAL':
      return b.kind === 'DECIMAL' && a.precision === b.precision && a.scale === b.scale;
    case 'ARRAY':
      return b.kind === 'ARRAY' && typesEqual(a.item, b.item);
    case 'MAP':
      return b.kind === 'MAP' && typesEqual(a.key, b.key) && typesEqual(a.value, b.value);
    case 'STRUCT':
      return (
        b.kind === 'STRUCT' &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => f.name === b.fields[i].name && typesEqual(f.type, b.fields[i].type))
      );
    default: {
      const unreachable: never = a;
      throw new Error(`Unknown SQL type ${JSON.stringify(unreachable)}`);
    }
  }
}
