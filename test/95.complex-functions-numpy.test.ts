/**
 * Complex inputs of the non-ufunc functions against NumPy at test time:
 * `correlate`/`convolve` (the native correlate family's complex loops, every
 * ISA; `correlate` conjugates v) and `interp` with complex `fp`.
 *
 * Tolerances: the sums of products are NumPy's dot, which may run in another
 * order (BLAS), so 64 ulps of the result with an absolute floor of 1 (inputs are
 * O(1)); interp differs from NumPy's complex loop in how the slope is formed
 * (a division where NumPy multiplies by 1 / dx), 4 ulps with a floor of 1.
 */
import test from 'tape';
import * as nd from '../src/index.js';
import type { NDArray } from '../src/index.js';
import { availableIsas, checkAll, skipWithoutNumpy, type Case } from './helpers/numpy-diff.js';
import { mulberry32 } from './helpers/assert.js';

function randomComplex(n: number, seed: number, dtype: 'complex64' | 'complex128'): NDArray {
  const u = mulberry32(seed);
  const r = (): number => u() / 2 ** 32 - 0.5;
  return nd.array(
    Array.from({ length: n }, () => nd.complex(2 * r(), 2 * r())),
    { dtype },
  );
}

test('complex correlate/convolve: every mode, swapped lengths, real with complex, views (vs NumPy, every ISA)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  const tol = { ulps: 64, floor: 1 };
  for (const d of ['complex128', 'complex64'] as const) {
    const a = randomComplex(700, 1, d);
    const v = randomComplex(37, 2, d);
    const r = nd.array(
      Array.from({ length: 37 }, (_, i) => Math.sin(i)),
      { dtype: d === 'complex64' ? 'float32' : 'float64' },
    );
    const va = a.slice('::-3'); // reversed, stepped
    for (const mode of ['valid', 'same', 'full'] as const) {
      for (const fn of ['correlate', 'convolve'] as const) {
        const f = nd[fn];
        const L = `${fn} ${d} ${mode}`;
        cases.push({ label: `${L}`, expr: `np.${fn}(a0, a1, mode='${mode}')`, args: [a, v], ours: () => f(a, v, { mode }), tol });
        cases.push({ label: `${L} shorter first`, expr: `np.${fn}(a0, a1, mode='${mode}')`, args: [v, a], ours: () => f(v, a, { mode }), tol });
        cases.push({ label: `${L} complex with real`, expr: `np.${fn}(a0, a1, mode='${mode}')`, args: [a, r], ours: () => f(a, r, { mode }), tol });
        cases.push({ label: `${L} real with complex`, expr: `np.${fn}(a0, a1, mode='${mode}')`, args: [r, v], ours: () => f(r, v, { mode }), tol });
        cases.push({
          label: `${L} views`,
          expr: `np.${fn}(a0, a1, mode='${mode}')`,
          args: [va, v.slice('::-1')],
          ours: () => f(va, v.slice('::-1'), { mode }),
          tol,
        });
      }
    }
    const one = randomComplex(1, 3, d);
    cases.push({ label: `correlate ${d} one element`, expr: 'np.correlate(a0, a1)', args: [one, one], ours: () => nd.correlate(one, one), tol });
  }
  checkAll(t, 'complex correlate/convolve', cases, availableIsas());
  t.end();
});

test('complex interp: complex fp, complex left/right, period (vs NumPy)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const tol = { ulps: 4, floor: 1 };
  const xp = nd.array([0, 1, 2.5, 4, 7]);
  const fp = nd.array([nd.complex(1, -1), nd.complex(2, 0.5), nd.complex(-3, 2), nd.complex(0, 0), nd.complex(NaN, 1)]);
  const x = nd.array([-1, 0, 0.5, 1, 2, 3.3, 4, 5.5, 7, 8, NaN]);
  const cases: Case[] = [
    { label: 'complex fp', expr: 'np.interp(a0, a1, a2)', args: [x, xp, fp], ours: () => nd.interp(x, xp, fp), tol },
    {
      label: 'complex left/right',
      expr: 'np.interp(a0, a1, a2, left=complex(9, -9), right=complex(-7, 7))',
      args: [x, xp, fp],
      ours: () => nd.interp(x, xp, fp, { left: nd.complex(9, -9), right: nd.complex(-7, 7) }),
      tol,
    },
    { label: 'real left', expr: 'np.interp(a0, a1, a2, left=5)', args: [x, xp, fp], ours: () => nd.interp(x, xp, fp, { left: 5 }), tol },
    {
      label: 'period',
      expr: 'np.interp(a0, a1, a2, period=3)',
      args: [x.slice(':-1'), xp, fp],
      ours: () => nd.interp(x.slice(':-1'), xp, fp, { period: 3 }),
      tol,
    },
    { label: 'complex64 fp', expr: 'np.interp(a0, a1, a2)', args: [x, xp, fp.astype('complex64')], ours: () => nd.interp(x, xp, fp.astype('complex64')), tol },
    { label: 'complex x refused', expr: 'np.interp(a0, a1, a2)', args: [fp, xp, fp], ours: () => nd.interp(fp, xp, fp), errCode: 'ERR_NDSHARE_DTYPE' },
  ];
  checkAll(t, 'complex interp', cases);
  t.end();
});
