/**
 * CORRELATION(x, y): the Pearson correlation coefficient from single-pass sums, NaN until the
 * data determine it. A row where either value is null is skipped. ksqlDB declares it for
 * (DOUBLE, DOUBLE) and calls it with INT and BIGINT columns too, so the arguments are implicitly
 * cast to DOUBLE (the registry's paramTypes say DOUBLE; the runtime coerces).
 */
import { BIGINT, DOUBLE, field, struct } from '../../schema/index.js';
import type { FunctionDefinition } from '../types.js';
import { aggregate, aggregator } from './aggregate.js';

interface Sums {
  readonly X_SUM: number;
  readonly Y_SUM: number;
  readonly X_SQUARED_SUM: number;
  readonly Y_SQUARED_SUM: number;
  readonly XY_SUM: number;
  readonly COUNT: bigint;
}

const INTERMEDIATE = struct([
  field('X_SUM', DOUBLE),
  field('Y_SUM', DOUBLE),
  field('X_SQUARED_SUM', DOUBLE),
  field('Y_SQUARED_SUM', DOUBLE),
  field('XY_SUM', DOUBLE),
  field('COUNT', BIGINT),
]);

/** Tolerates INT / BIGINT values should the runtime hand them over uncoerced. */
const asDouble = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));

function step(s: Sums, xv: unknown, yv: unknown, sign: 1 | -1): Sums {
  if (xv === null || xv === undefined || yv === null || yv === undefined) return s;
  const x = asDouble(xv);
  const y = asDouble(yv);
  return {
    X_SUM: s.X_SUM + sign * x,
    Y_SUM: s.Y_SUM + sign * y,
    X_SQUARED_SUM: s.X_SQUARED_SUM + sign * x * x,
    Y_SQUARED_SUM: s.Y_SQUARED_SUM + sign * y * y,
    XY_SUM: s.XY_SUM + sign * x * y,
    COUNT: s.COUNT + BigInt(sign),
  };
}

const CORRELATION = aggregate(
  'correlation',
  'Computes the Pearson correlation coefficient between two columns of data.',
  [
    {
      params: ['DOUBLE', 'DOUBLE'],
      paramNames: ['x', 'y'],
      returns: 'DOUBLE',
      description: 'Computes the Pearson correlation coefficient between two DOUBLE columns.',
      create: () =>
        aggregator<Sums>({
          intermediateType: INTERMEDIATE,
          initial: () => ({ X_SUM: 0, Y_SUM: 0, X_SQUARED_SUM: 0, Y_SQUARED_SUM: 0, XY_SUM: 0, COUNT: 0n }),
          add: (acc, [x, y]) => step(acc, x, y, 1),
          undo: (acc, [x, y]) => step(acc, x, y, -1),
          merge: (a, b) => ({
            X_SUM: a.X_SUM + b.X_SUM,
            Y_SUM: a.Y_SUM + b.Y_SUM,
            X_SQUARED_SUM: a.X_SQUARED_SUM + b.X_SQUARED_SUM,
            Y_SQUARED_SUM: a.Y_SQUARED_SUM + b.Y_SQUARED_SUM,
            XY_SUM: a.XY_SUM + b.XY_SUM,
            COUNT: a.COUNT + b.COUNT,
          }),
          result: (s) => {
            const n = Number(s.COUNT);
            const numerator = n * s.XY_SUM - s.X_SUM * s.Y_SUM;
            const denominatorX = n * s.X_SQUARED_SUM - s.X_SUM * s.X_SUM;
            const denominatorY = n * s.Y_SQUARED_SUM - s.Y_SUM * s.Y_SUM;
            return numerator / Math.sqrt(denominatorX * denominatorY);
          },
        }),
    },
  ],
  { implicitCasts: true },
);

export const FUNCTIONS: FunctionDefinition[] = [CORRELATION];
