/**
 * ksqlDB's built-in aggregate functions (UDAFs), one file per family; aggregate.ts states what
 * the runtime passes to them and may expect back.
 */
import type { FunctionDefinition } from '../types.js';
import { FUNCTIONS as ATTR } from './attr.js';
import { FUNCTIONS as AVG } from './avg.js';
import { FUNCTIONS as COLLECT } from './collect.js';
import { FUNCTIONS as CORRELATION } from './correlation.js';
import { FUNCTIONS as COUNT } from './count.js';
import { FUNCTIONS as HISTOGRAM } from './histogram.js';
import { FUNCTIONS as MINMAX } from './minmax.js';
import { FUNCTIONS as OFFSET } from './offset.js';
import { FUNCTIONS as STDDEV } from './stddev.js';
import { FUNCTIONS as SUM } from './sum.js';
import { FUNCTIONS as TOPK } from './topk.js';

export { COLLECT_LIST_LIMIT, COLLECT_SET_LIMIT } from './collect.js';

export const FUNCTIONS: FunctionDefinition[] = [
  ...COUNT,
  ...SUM,
  ...AVG,
  ...MINMAX,
  ...COLLECT,
  ...TOPK,
  ...HISTOGRAM,
  ...OFFSET,
  ...STDDEV,
  ...CORRELATION,
  ...ATTR,
];
