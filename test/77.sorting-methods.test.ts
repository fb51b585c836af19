// x.sort() (in place) and x.argsort() against NumPy's ndarray.sort / ndarray.argsort:
// every dtype family, axes, a negative-stride view sorted in place through to its base,
// and the errors (axis null, read-only arrays).
import test from 'tape';
import * as nd from '../src/index.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { NUMPY_DTYPES, arrayOf, checkAll, isFloatDType, skipWithoutNumpy, type Case, type Tol } from './helpers/numpy-diff.js';

const inPlace = (call: string) => `(lambda b: (b.${call}, b)[1])(a0.copy())`;

test('x.sort() sorts in place as ndarray.sort, x.argsort() as ndarray.argsort', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(779);
  const cases: Case[] = [];
  for (const d of NUMPY_DTYPES) {
    const tol: Tol = isFloatDType(d) ? { ulps: 0, signedZero: true } : 'exact';
    const values = Array.from({ length: 24 }, () => Math.floor(rand() * 9) - 4);
    if (isFloatDType(d)) values[5] = NaN;
    const x = arrayOf(values, d).reshape([4, 6]);
    for (const axis of [undefined, 0, -1]) {
      const opt = axis === undefined ? '' : `axis=${axis}, `;
      cases.push({
        label: `x.sort(${axis ?? ''}) ${d}`,
        expr: inPlace(`sort(${opt}kind='stable')`),
        args: [x],
        ours: () => {
          const y = x.copy();
          y.sort(axis === undefined ? { kind: 'stable' } : { axis, kind: 'stable' });
          return y;
        },
        tol,
      });
      cases.push({
        label: `x.argsort(${axis ?? ''}) ${d}`,
        expr: `a0.argsort(${opt}kind='stable')`,
        args: [x],
        ours: () => x.argsort(axis === undefined ? { kind: 'stable' } : { axis, kind: 'stable' }),
        tol: 'exact',
      });
    }
  }
  checkAll(t, 'sort methods', cases);

  // A negative-stride view sorts in place: the base sees it.
  const base = nd.array([5, 1, 4, 2, 3, 0]);
  base.slice('::-2').sort();
  t.deepEqual(base.toArray(), [5, 2, 4, 1, 3, 0], 'x[::-2].sort() writes through to the base');

  const y = nd.array([3, 1, 2]);
  throwsCoded(t, 'x.sort({axis: null})', () => y.sort({ axis: null }), RangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE', /options\.axis/);
  const store = nd.Store.create({ capacity: '1MiB' });
  try {
    const r = store.get(store.put(y));
    throwsCoded(t, 'sort of a read-only array', () => r.sort(), Error, 'ERR_NDSHARE_READ_ONLY');
    store.release(r);
  } finally {
    store.close();
  }
  t.end();
});
