/**
 * Every built-in function family, registered into a fresh registry.
 */
import { FUNCTIONS as AGGREGATES } from './aggregates/index.js';
import { FUNCTIONS as ARRAYS } from './arrays.js';
import { FUNCTIONS as CONDITIONAL } from './conditional.js';
import { FUNCTIONS as CONVERSIONS } from './conversions.js';
import { FUNCTIONS as DATETIME } from './datetime.js';
import { FUNCTIONS as JSON_FUNCTIONS } from './json.js';
import { FUNCTIONS as LAMBDAS } from './lambdas.js';
import { FUNCTIONS as MAPS } from './maps.js';
import { FUNCTIONS as MATH } from './math.js';
import { FUNCTIONS as OTHER } from './other.js';
import { FUNCTIONS as STRINGS } from './strings.js';
import { FUNCTIONS as STRUCTS } from './structs.js';
import { FUNCTIONS as TABLE } from './table.js';
import { FUNCTIONS as URL } from './url.js';
import { FunctionRegistry } from './registry.js';
import type { FunctionDefinition } from './types.js';

const FAMILIES: readonly (readonly FunctionDefinition[])[] = [
  STRINGS,
  MATH,
  CONDITIONAL,
  JSON_FUNCTIONS,
  URL,
  CONVERSIONS,
  OTHER,
  DATETIME,
  ARRAYS,
  MAPS,
  STRUCTS,
  LAMBDAS,
  TABLE,
  AGGREGATES,
];

export function createBuiltinRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const family of FAMILIES) for (const def of family) registry.register(def);
  return registry;
}
