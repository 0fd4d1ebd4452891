/**
 * Functions outside the other families.
 *
 * AS_VALUE is a plain identity function here; what makes it special (copying a key column into
 * the value of a GROUP BY / PARTITION BY / join result) is the planner's business, as in ksqlDB.
 */
import type { FunctionDefinition } from './types.js';

export const FUNCTIONS: FunctionDefinition[] = [
  {
    kind: 'SCALAR',
    name: 'AS_VALUE',
    category: 'OTHER',
    description: 'Used exclusively in the projection of a query to copy a key column into the value schema.',
    variants: [{ params: ['T'], paramNames: ['keyColumn'], returns: 'T', nulls: 'pass', impl: (v: unknown) => v }],
  },
];
