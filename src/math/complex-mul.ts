/**
 * NumPy's complex multiply in JavaScript, for the running products of
 * reduce-complex.ts (prod, cumprod). The elementwise `multiply` runs the
 * native loop (native/kernels/elementwise/complex.inc) with the same
 * arithmetic.
 *
 * @module
 */

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter for doubles

/** round(x * y + z) with one rounding (an FMA), by Dekker's exact product and Knuth's two-sum. */
function fma(x: number, y: number, z: number): number {
  const p = x * y;
  if (!Number.isFinite(p) || !Number.isFinite(z) || Math.abs(x) > 1e290 || Math.abs(y) > 1e290 || p === 0) return p + z;
  let t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = SPLIT * y;
  const yh = t - (t - y);
  const yl = y - yh;
  const e = xh * yh - p + xh * yl + xl * yh + xl * yl; // p + e = x * y exactly
  const s = p + z;
  const v = s - p;
  const r = p - (s - v) + (z - v); // s + r = p + z exactly
  return s + (r + e);
}

/**
 * z1 * z2 as NumPy's SIMD loops compute it: re = fma(a, c, -(b d)),
 * im = fma(a, d, b c). For complex64 the float32 products are exact in
 * double, so one subtraction rounded to float32 is the float32 FMA.
 */
export function complexMul(a: number, b: number, c: number, d: number, o: Float64Array, f: (v: number) => number): void {
  if (f === Math.fround) {
    o[0] = f(a * c - f(b * d));
    o[1] = f(a * d + f(b * c));
  } else {
    o[0] = fma(a, c, -(b * d));
    o[1] = fma(a, d, b * c);
  }
}
