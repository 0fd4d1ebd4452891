import { javaLog } from '../../src/functions/javamath.js';

describe('javaLog', () => {
  it('rounds correctly where V8 is an ulp off', () => {
    expect(javaLog(3)).toBe(1.0986122886681098);
  });

  it('agrees with Math.log on easy and special values', () => {
    for (const x of [1, 2, 10, 0.5, 1e-310, 1.7976931348623157e308, Math.E]) {
      expect(Math.abs(javaLog(x) - Math.log(x))).toBeLessThanOrEqual(Math.abs(Math.log(x)) * 2.3e-16);
    }
    expect(javaLog(1)).toBe(0);
    expect(javaLog(0)).toBe(-Infinity);
    expect(javaLog(-1)).toBeNaN();
    expect(javaLog(NaN)).toBeNaN();
    expect(javaLog(Infinity)).toBe(Infinity);
  });
});
