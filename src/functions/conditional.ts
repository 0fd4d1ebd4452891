/**
 * CONDITIONAL functions (ksqlDB's udf/nulls): COALESCE, IFNULL, NULLIF. All arguments share one
 * type T (generics bind exactly, so COALESCE(INT, BIGINT) does not resolve, as in ksqlDB).
 */
import { equalityKey } from './arrays.js';
import type { FunctionDefinition } from './types.js';

export const FUNCTIONS: FunctionDefinition[] = [
  {
    kind: 'SCALAR',
    name: 'COALESCE',
    category: 'CONDITIONAL',
    description: 'Returns first non-null element',
    variants: [
      {
        params: ['T', 'T'],
        paramNames: ['first', 'others'],
        variadic: true,
        returns: 'T',
        nulls: 'pass',
        impl: (first: unknown, others: unknown[] | null) => {
          if (first !== null) return first;
          if (others === null) return null;
          for (const v of others) if (v !== null && v !== undefined) return v;
          return null;
        },
      },
    ],
  },
  {
    kind: 'SCALAR',
    name: 'IFNULL',
    category: 'CONDITIONAL',
    description: 'Returns expression if not NULL, otherwise the altValue.',
    variants: [
      {
        params: ['T', 'T'],
        paramNames: ['expression', 'altValue'],
        returns: 'T',
        nulls: 'pass',
        impl: (expression: unknown, altValue: unknown) => (expression === null ? altValue : expression),
      },
    ],
  },
  {
    kind: 'SCALAR',
    name: 'NULLIF',
    category: 'CONDITIONAL',
    description: 'Returns NULL if value1 and value2 are equal. Otherwise it returns value1.',
    variants: [
      {
        params: ['T', 'T'],
        paramNames: ['expr1', 'expr2'],
        returns: 'T',
        nulls: 'pass',
        // Java's equals(): DECIMAL scale matters, -0.0 differs from 0.0, collections compare element-wise.
        bind: (argTypes) => {
          const key = equalityKey(argTypes[0]);
          return (expr1: unknown, expr2: unknown) => (expr1 === null ? null : key(expr1) === key(expr2) ? null : expr1);
        },
      },
    ],
  },
];
