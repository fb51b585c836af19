/**
 * `x.astype('float32')` on 10M float16 (C-contiguous); the float16 array is
 * made once with `.astype('float16')`, outside the timing. One op = one whole
 * cast, allocation included. NumPy twin: `h.astype(np.float32)`.
 */
import { assert, main, measure, result } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 10_000_000;

/** float16 bits -> value, written out independently of the library to check it. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

await main({
  'astype-f16-f32': () => {
    const h = nd.random.uniform([N], { seed: 1 }).astype('float16');
    assert(h.dtype === 'float16', 'setup makes float16');
    const bits = h.data as Uint16Array;
    const m = measure(
      'astype-f16-f32',
      () => h.astype('float32'),
      (y, i) => {
        const k = (i * 7_919_993) % N;
        if (y.data[k] !== halfToNumber(bits[k]!)) throw new Error(`astype float32: element ${k} is wrong`);
      },
    );
    const y = h.astype('float32');
    assert(y.dtype === 'float32' && y.size === N, 'astype returns 10M float32');
    const out = y.data as Float32Array;
    for (let k = 0; k < N; k++) assert(out[k] === halfToNumber(bits[k]!), `element ${k}`);
    return result('astype-f16-f32', m, { n: N, from: 'float16', to: 'float32', per: 'op' });
  },
});
