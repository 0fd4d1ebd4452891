/** SHOW TYPES: ksqlDB's TypeListTableBuilder. */
import { schemaInfo } from './schema-info.js';
import { byJavaString, printed, tableLines, type TableOptions } from './table.js';

export interface TypeInfo {
  readonly name: string;
  readonly schema: string;
}

export function renderTypes(types: readonly TypeInfo[], opts: TableOptions = {}): string {
  const rows = sorted(types).map((t) => [t.name, t.schema]);
  return printed(tableLines(['Type Name', 'Schema'], rows, opts));
}

/** ksqlDB's `type_list` entity: a map of type name to SchemaInfo. */
export function typesJson(types: readonly TypeInfo[]): Record<string, unknown> {
  return { '@type': 'type_list', types: Object.fromEntries(sorted(types).map((t) => [t.name, schemaInfo(t.schema)])) };
}

function sorted(types: readonly TypeInfo[]): TypeInfo[] {
  return [...types].sort((a, b) => byJavaString(a.name, b.name));
}
