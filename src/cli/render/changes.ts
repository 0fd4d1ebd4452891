/**
 * SET / UNSET / DEFINE / UNDEFINE: handled by ksqlDB's CLI itself, which prints
 * one line (its Cli.setProperty and Cli.unsetProperty) or nothing at all.
 */

export interface PropertyChange {
  readonly name: string;
  readonly oldValue?: string | undefined;
  /** Absent for UNSET. */
  readonly newValue?: string | undefined;
}

export interface VariableChange {
  readonly name: string;
  /** Absent for UNDEFINE. */
  readonly value?: string | undefined;
}

export function renderPropertyChange(c: PropertyChange): string {
  if (c.newValue !== undefined) {
    const from = c.oldValue === undefined ? '' : ` from '${c.oldValue}'`;
    const hint = c.oldValue === undefined ? ' Use the UNSET command to revert your change.' : '';
    return `Successfully changed local property '${c.name}'${from} to '${c.newValue}'.${hint}\n`;
  }
  if (c.oldValue === undefined) {
    return `Cannot unset local property '${c.name}' which was never set in the first place\n`;
  }
  return `Successfully unset local property '${c.name}' (value was '${c.oldValue}').\n`;
}

/** ksqlDB's CLI prints nothing for DEFINE, nor for an UNDEFINE that removed something. */
export function renderVariableChange(_c: VariableChange): string {
  return '';
}

// ksqlDB has no REST entity for these (its CLI handles them locally); ksqlite's own, in the same style.
export function propertyChangeJson(c: PropertyChange): Record<string, unknown> {
  return { '@type': c.newValue === undefined ? 'property_unset' : 'property_set', name: c.name, oldValue: c.oldValue ?? null, newValue: c.newValue ?? null };
}

export function variableChangeJson(c: VariableChange): Record<string, unknown> {
  return { '@type': c.value === undefined ? 'variable_undefined' : 'variable_defined', name: c.name, value: c.value ?? null };
}
