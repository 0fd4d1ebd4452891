import { Decimal } from '../../../src/schema/index.js';
import { bytes, t } from '../calls.js';
import { agg, feedByKey, resolveAgg } from './run.js';

const dec = (s: string) => Decimal.parse(s);
const b64 = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

describe('MAX (max-group-by.json)', () => {
  it('keeps the type of its argument', () => {
    for (const type of ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL(4, 2)', 'DATE', 'TIME', 'TIMESTAMP', 'STRING', 'BYTES']) {
      expect(resolveAgg('MAX', [type]).returnType).toEqual(t(type));
      expect(agg('MAX', [type]).intermediateType).toEqual(t(type));
    }
    expect(() => resolveAgg('MAX', ['BOOLEAN'])).toThrow('does not accept parameters (BOOLEAN)');
  });

  it('is null until a value arrives and skips nulls', () => {
    const max = agg('MAX', ['INTEGER']);
    const input: [number, number | null][] = [[1, null], [0, null], [0, -2147483647], [0, 5], [0, null], [100, 100], [100, 6], [100, 300], [0, 2000], [0, 100]];
    expect(feedByKey(max, input)).toEqual([null, null, -2147483647, 5, 5, 100, 100, 300, 2000, 2000]);
  });

  it('orders longs, doubles, decimals and bytes', () => {
    expect(feedByKey(agg('MAX', ['BIGINT']), [[0, -1000000n], [0, 5n], [0, 9223372036854775807n], [0, 100n]])).toEqual([
      -1000000n, 5n, 9223372036854775807n, 9223372036854775807n,
    ]);
    expect(feedByKey(agg('MAX', ['DOUBLE']), [[0, -1000000.123], [0, 0], [0, 5.1], [0, null]])).toEqual([-1000000.123, 0, 5.1, 5.1]);
    const decimals = feedByKey(agg('MAX', ['DECIMAL(4, 2)']), [[0, dec('-10.12')], [0, dec('0.00')], [0, dec('5.10')], [0, dec('2.00')]]);
    expect(decimals.map(String)).toEqual(['-10.12', '0.00', '5.10', '5.10']);
    const max = agg('MAX', ['BYTES']);
    expect(feedByKey(max, [[0, bytes('Qg==')], [0, bytes('QQ==')], [100, bytes('RQ==')], [100, bytes('Qw==')], [100, bytes('Rw==')]]).map(b64)).toEqual([
      'Qg==', 'Qg==', 'RQ==', 'RQ==', 'Rw==',
    ]);
  });

  it("follows Java's orders: NaN is greatest, bytes are signed, strings by UTF-16 unit", () => {
    expect(feedByKey(agg('MAX', ['DOUBLE']), [[0, 1], [0, NaN], [0, 2]])).toEqual([1, NaN, NaN]);
    expect(Object.is(feedByKey(agg('MAX', ['DOUBLE']), [[0, -0], [0, 0]])[1], 0)).toBe(true);
    expect(feedByKey(agg('MAX', ['BYTES']), [[0, Uint8Array.of(0x7f)], [0, Uint8Array.of(0x80)]]).map(b64)).toEqual(['fw==', 'fw==']);
    expect(feedByKey(agg('MAX', ['STRING']), [[0, '\uffff'], [0, '\u{1F600}']])).toEqual(['\uffff', '\uffff']);
  });

  it('merges but cannot undo', () => {
    const max = agg('MAX', ['INTEGER']);
    expect(max.merge?.(3, 7)).toBe(7);
    expect(max.merge?.(null, 7)).toBe(7);
    expect(max.merge?.(3, null)).toBe(3);
    expect(max.undo).toBeUndefined();
  });
});

describe('MIN (min-group-by.json)', () => {
  it('keeps the least value', () => {
    const min = agg('MIN', ['INTEGER']);
    const input: [number, number | null][] = [[1, null], [0, -2147483647], [0, 5], [0, null], [100, 100], [100, 6], [100, 300], [0, 2000], [0, 100]];
    expect(feedByKey(min, input)).toEqual([null, -2147483647, -2147483647, -2147483647, 100, 6, 6, -2147483647, -2147483647]);
    const decimals = feedByKey(agg('MIN', ['DECIMAL(4, 2)']), [[1, null], [0, dec('21.79')], [0, dec('1.10')], [0, null], [0, dec('-1.79')]]);
    expect(decimals.map((v) => (v === null ? null : String(v)))).toEqual([null, '21.79', '1.10', '1.10', '-1.79']);
    expect(feedByKey(agg('MIN', ['TIMESTAMP']), [[0, -100], [0, 5], [0, -2147483647]])).toEqual([-100, -100, -2147483647]);
    const bytesMin = feedByKey(agg('MIN', ['BYTES']), [[0, bytes('Qg==')], [0, bytes('QQ==')], [0, bytes('Rg==')]]);
    expect(bytesMin.map(b64)).toEqual(['Qg==', 'QQ==', 'QQ==']);
    expect(agg('MIN', ['INTEGER']).merge?.(3, 7)).toBe(3);
  });
});
