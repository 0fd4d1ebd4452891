import { FunctionValueError } from '../../src/functions/index.js';
import { bytes, fn } from './calls.js';

function orNull(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof FunctionValueError) return null;
    throw e;
  }
}

describe('*_FROM_BYTES (bytes-and-strings.json)', () => {
  it('reads little-endian numbers', () => {
    expect(fn('INT_FROM_BYTES', 'BYTES', 'STRING')(bytes('5QcAAA=='), 'LITTLE_ENDIAN')).toBe(2021);
    expect(fn('BIGINT_FROM_BYTES', 'BYTES', 'STRING')(bytes('APIFKgEAAAA='), 'LITTLE_ENDIAN')).toBe(5000000000n);
    expect(fn('DOUBLE_FROM_BYTES', 'BYTES', 'STRING')(bytes('gvXJm/2mgEA='), 'LITTLE_ENDIAN')).toBe(532.8738323);
  });

  it('reads big-endian numbers by default (documented examples)', () => {
    expect(fn('INT_FROM_BYTES', 'BYTES')(bytes('AAAH5Q=='))).toBe(2021);
    expect(fn('BIGINT_FROM_BYTES', 'BYTES')(bytes('AAAAASoF8gA='))).toBe(5000000000n);
    expect(fn('DOUBLE_FROM_BYTES', 'BYTES', 'STRING')(bytes('QICm/ZvJ9YI='), 'big_endian')).toBe(532.8738323);
  });

  it('fails on the wrong size or byte order', () => {
    expect(orNull(() => fn('INT_FROM_BYTES', 'BYTES')(bytes('AAAH')))).toBeNull();
    expect(orNull(() => fn('INT_FROM_BYTES', 'BYTES', 'STRING')(bytes('AAAH5Q=='), 'MIDDLE_ENDIAN'))).toBeNull();
    expect(fn('INT_FROM_BYTES', 'BYTES')(null)).toBeNull();
  });
});
