/** SHOW VARIABLES: ksqlDB's ListVariablesTableBuilder. */
import { byJavaString, printed, tableLines, type TableOptions } from './table.js';

export interface VariableInfo {
  readonly name: string;
  readonly value: string;
}

export function renderVariables(variables: readonly VariableInfo[], opts: TableOptions = {}): string {
  const rows = sorted(variables).map((v) => [v.name, v.value]);
  return printed(tableLines(['Variable Name', 'Value'], rows, opts));
}

export function variablesJson(variables: readonly VariableInfo[]): Record<string, unknown> {
  return { '@type': 'variables', variables: sorted(variables).map((v) => ({ name: v.name, value: v.value })) };
}

function sorted(variables: readonly VariableInfo[]): VariableInfo[] {
  return [...variables].sort((a, b) => byJavaString(a.name, b.name));
}
