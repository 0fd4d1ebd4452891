/** SQL types printed exactly as the parser prints its type nodes, so the two can be compared as text. */
import { quoteIdentifier } from '../../parser/index.js';
import type { SqlType } from '../../schema/index.js';

export function formatIdentifierLikeParser(t: SqlType): string {
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatIdentifierLikeParser(t.item)}>`;
    case 'MAP':
      return `MAP<${formatIdentifierLikeParser(t.key)}, ${formatIdentifierLikeParser(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `${quoteIdentifier(f.name)} ${formatIdentifierLikeParser(f.type)}`).join(', ')}>`;
    default:
      return t.kind;
  }
}
