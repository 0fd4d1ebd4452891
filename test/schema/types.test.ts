import { SqlTypeError } from '../../src/schema/errors.js';
import {
  BIGINT,
  DATE,
  DOUBLE,
  INTEGER,
  NUMERIC_KINDS,
  STRING,
  TIMESTAMP,
  decimal,
  field,
  isNumeric,
  isTemporal,
  struct,
} from '../../src/schema/types.js';

test('decimal type carries precision and scale', () => {
  expect(decimal(4, 2)).toEqual({ kind: 'DECIMAL', precision: 4, scale: 2 });
  expect(INTEGER.kind).toBe('INTEGER');
});

test('decimal rejects parameters ksqlDB rejects, but has no upper bound', () => {
  expect(decimal(1, 0)).toEqual({ kind: 'DECIMAL', precision: 1, scale: 0 });
  expect(decimal(50, 30).precision).toBe(50);
  expect(() => decimal(0, 0)).toThrow(new SqlTypeError('DECIMAL precision must be >= 1: DECIMAL(0,0)'));
  expect(() => decimal(2, -1)).toThrow(new SqlTypeError('DECIMAL scale must be >= 0: DECIMAL(2,-1)'));
  expect(() => decimal(2, 3)).toThrow(new SqlTypeError('DECIMAL precision must be >= scale: DECIMAL(2,3)'));
  expect(() => decimal(2.5, 1)).toThrow(SqlTypeError);
});

test('numeric and temporal predicates', () => {
  expect([INTEGER, BIGINT, decimal(2, 1), DOUBLE].every(isNumeric)).toBe(true);
  expect(isNumeric(STRING)).toBe(false);
  expect(NUMERIC_KINDS).toEqual(['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE']);
  expect(isTemporal(DATE) && isTemporal(TIMESTAMP)).toBe(true);
  expect(isTemporal(BIGINT)).toBe(false);
});

test('struct and field build a STRUCT type', () => {
  expect(struct([field('A', INTEGER)])).toEqual({ kind: 'STRUCT', fields: [{ name: 'A', type: INTEGER }] });
});
