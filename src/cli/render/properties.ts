/** SHOW PROPERTIES: ksqlDB's PropertiesListTableBuilder. */
import type { PropertyInfo } from '../../engine/index.js';
import { byJavaString, printed, tableLines, type TableOptions } from './table.js';

const HEAD = ['Property', 'Scope', 'Default override', 'Effective Value'];

export function renderProperties(properties: readonly PropertyInfo[], opts: TableOptions = {}): string {
  const rows = [...properties]
    .sort((a, b) => byJavaString(a.name, b.name))
    // "Default override" names where the value was set: SESSION (SET) or SERVER (configuration).
    .map((p) => [p.name, p.scope, p.level, p.value]);
  return printed(tableLines(HEAD, rows, opts));
}

/** ksqlDB's `properties` entity: the values, and which of them this session SET. */
export function propertiesJson(properties: readonly PropertyInfo[]): Record<string, unknown> {
  return {
    '@type': 'properties',
    properties: properties.map((p) => ({ name: p.name, scope: p.scope, value: p.value })),
    overwrittenProperties: properties.filter((p) => p.level === 'SESSION').map((p) => p.name),
    defaultProperties: [],
  };
}
