/**
 * java.lang.Math results where V8's differ. The JVM's Math.log is correctly rounded on the
 * platforms ksqlDB runs on, while V8's is occasionally one ulp off (Math.log(3)): ln is computed
 * here in double-double arithmetic and rounded once.
 */

// ln(2) as a double-double.
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const SPLITTER = 134217729; // 2^27 + 1

type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return quickTwoSum(s, e + a[1] + b[1]);
}

function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

function ddDiv(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = ddAdd(a, negate(ddMul(b, [q1, 0])));
  const q2 = r[0] / b[0];
  const r2 = ddAdd(r, negate(ddMul(b, [q2, 0])));
  const q3 = r2[0] / b[0];
  return ddAdd(quickTwoSum(q1, q2), [q3, 0]);
}

function negate(a: DD): DD {
  return [-a[0], -a[1]];
}

/** x = m * 2^k with m in [sqrt(1/2), sqrt(2)), for finite x > 0. */
function decompose(x: number): [number, number] {
  let k = 0;
  let m = x;
  if (m < 2.2250738585072014e-308) {
    m *= 18014398509481984; // 2^54: normalize subnormals
    k -= 54;
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, m);
  const exponent = ((view.getUint16(0) >> 4) & 0x7ff) - 1023;
  view.setUint16(0, (view.getUint16(0) & 0x800f) | (1023 << 4));
  m = view.getFloat64(0);
  k += exponent;
  if (m > Math.SQRT2) {
    m /= 2;
    k += 1;
  }
  return [m, k];
}

/** Math.log with a correctly rounded result (barring ties closer than 2^-100). */
export function javaLog(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  if (x === 1) return 0;
  const [m, k] = decompose(x);
  // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172.
  const s = ddDiv([m - 1, 0], twoSum(m, 1));
  const s2 = ddMul(s, s);
  let sum: DD = [1 / 45, 0];
  for (let n = 21; n >= 0; n--) {
    const d = 2 * n + 1;
    const inv: DD = ddDiv([1, 0], [d, 0]);
    sum = ddAdd(inv, ddMul(s2, sum));
  }
  let result = ddMul([2 * s[0], 2 * s[1]], sum);
  if (k !== 0) result = ddAdd(result, ddAdd(twoProd(k, LN2_HI), [k * LN2_LO, 0]));
  return result[0] + result[1];
}
