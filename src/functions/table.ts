/**
 * Table functions (ksqlDB's udtf package): each call returns the values to emit, one output row
 * per value. A NULL argument emits nothing.
 */
import type { FunctionDefinition } from './types.js';

type List = readonly unknown[];

const EXPLODE: FunctionDefinition = {
  kind: 'TABLE',
  name: 'explode',
  category: 'TABLE',
  description: 'Explodes an array. This function outputs one value for each element of the array.',
  variants: [
    {
      // Listed first, as ksqlDB lists it; a DECIMAL element keeps its precision and scale.
      params: ['ARRAY<DECIMAL>'],
      paramNames: ['input'],
      returns: (argTypes) => {
        const arrayType = argTypes[0];
        if (arrayType?.kind !== 'ARRAY') throw new Error('explode should be provided with an ARRAY');
        return arrayType.item;
      },
      impl: (input: List) => input,
    },
    { params: ['ARRAY<T>'], paramNames: ['list'], returns: 'T', impl: (list: List) => list },
  ],
};

/** CUBE_EXPLODE refuses more columns than this: the output has 2^N rows. */
const MAX_CUBE_COLUMNS = 20;

/**
 * Every combination of the columns and NULL, in ksqlDB's order: bit i of the counter (from the
 * most significant) keeps column i. A column that is already NULL gives no second row.
 */
function cube(columns: List): unknown[][] {
  if (columns.length > MAX_CUBE_COLUMNS) {
    throw new Error(
      `CUBE_EXPLODE input size (${columns.length}) exceeds the maximum of ${MAX_CUBE_COLUMNS} columns. ` +
        'The output cardinality is 2^N rows and would exhaust server memory.',
    );
  }
  const n = columns.length;
  let nonNullMask = 0;
  columns.forEach((c, i) => {
    if (c !== null) nonNullMask |= 1 << (n - 1 - i);
  });
  const rows: unknown[][] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    if ((mask & nonNullMask) !== mask) continue;
    rows.push(columns.map((c, i) => ((mask & (1 << (n - 1 - i))) === 0 ? null : c)));
  }
  return rows;
}

const CUBE_EXPLODE: FunctionDefinition = {
  kind: 'TABLE',
  name: 'cube_explode',
  category: 'TABLE',
  description:
    'Takes as argument a list of columns and outputs all possible combinations of them. It produces 2^d new rows ' +
    'where d is the number of columns given as parameter. Duplicate entries for columns with null value are skipped.',
  variants: [{ params: ['ARRAY<T>'], paramNames: ['columns'], returns: 'ARRAY<T>', impl: cube }],
};

export const FUNCTIONS: FunctionDefinition[] = [CUBE_EXPLODE, EXPLODE];
