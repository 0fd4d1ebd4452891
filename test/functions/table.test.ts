import { FunctionValueError } from '../../src/functions/index.js';
import { Decimal } from '../../src/schema/index.js';
import { registry, shapes, t } from './calls.js';

function table(name: string, ...types: string[]): (...values: unknown[]) => unknown {
  const resolved = registry.resolveTable(name, shapes(...types));
  return (...values) => resolved.invoke(values);
}

describe('qtt: explode.json, table-functions.json', () => {
  it('EXPLODE emits one row per element, none for NULL or empty', () => {
    const explode = table('explode', 'ARRAY<BIGINT>');
    expect(explode([1n, 2n])).toEqual([1n, 2n]);
    expect(explode([])).toEqual([]);
    expect(explode(null) ?? []).toEqual([]);
    expect(table('explode', 'ARRAY<STRUCT<F1 BIGINT>>')([{ F1: 1n }, { F1: 2n }])).toEqual([{ F1: 1n }, { F1: 2n }]);
  });

  it('EXPLODE returns the element type, DECIMAL included', () => {
    expect(registry.resolveTable('explode', shapes('ARRAY<DOUBLE>')).returnType).toEqual(t('DOUBLE'));
    expect(registry.resolveTable('explode', shapes('ARRAY<DECIMAL(20, 10)>')).returnType).toEqual(t('DECIMAL(20, 10)'));
    const values = [Decimal.parse('123.4560000000')];
    expect(table('explode', 'ARRAY<DECIMAL(20, 10)>')(values)).toEqual(values);
  });

  it('EXPLODE refuses a map, listing its signatures', () => {
    expect(() => registry.resolveTable('explode', shapes('MAP<STRING, INTEGER>'))).toThrow(
      "Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\nValid alternatives are:\nexplode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)",
    );
  });
});

describe('qtt: cube.json', () => {
  it('CUBE_EXPLODE emits every combination, in ksqlDB order', () => {
    const cube = table('cube_explode', 'ARRAY<INTEGER>');
    expect(cube([1, 2])).toEqual([
      [null, null],
      [null, 2],
      [1, null],
      [1, 2],
    ]);
    expect(table('cube_explode', 'ARRAY<STRING>')(['one', 'two', 'three'])).toEqual([
      [null, null, null],
      [null, null, 'three'],
      [null, 'two', null],
      [null, 'two', 'three'],
      ['one', null, null],
      ['one', null, 'three'],
      ['one', 'two', null],
      ['one', 'two', 'three'],
    ]);
  });

  it('CUBE_EXPLODE skips the duplicates a NULL column would make', () => {
    const cube = table('cube_explode', 'ARRAY<INTEGER>');
    expect(cube([1, null])).toEqual([
      [null, null],
      [1, null],
    ]);
    expect(cube([])).toEqual([[]]);
    expect(cube(null) ?? []).toEqual([]);
    expect(registry.resolveTable('cube_explode', shapes('ARRAY<INTEGER>')).returnType).toEqual(t('ARRAY<INTEGER>'));
  });

  it('CUBE_EXPLODE refuses more than 20 columns', () => {
    expect(() => table('cube_explode', 'ARRAY<INTEGER>')(new Array(21).fill(1))).toThrow(FunctionValueError);
  });
});
