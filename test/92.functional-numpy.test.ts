// applyAlongAxis, applyOverAxes and piecewise against NumPy 2, with the same
// callbacks on both sides (ndshare functions whose NumPy twins are tested
// elsewhere): result shapes from the callback's output, dtypes, views, 0-d and
// empty inputs, and NumPy's errors.
import test from 'tape';
import * as nd from '../src/index.js';
import type { DType, NDArray } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { arrayOf, checkAll, edgeValues, randomView, type Case, skipWithoutNumpy } from './helpers/numpy-diff.js';

test('applyAlongAxis matches NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(92);
  const cases: Case[] = [];
  for (const d of ['int16', 'int64', 'float32', 'float64'] as DType[]) {
    for (const shape of [[5], [3, 4], [2, 3, 4]]) {
      const v = randomView(rand, d, shape);
      const x = v.view(v.base);
      const py = v.py.replace('{}', '0');
      for (let ax = -shape.length; ax < shape.length; ax++) {
        cases.push({
          label: `sum ${d} ${shape} axis ${ax}`,
          expr: `np.apply_along_axis(np.sum, ${ax}, ${py})`,
          args: [v.base],
          ours: () => nd.applyAlongAxis((r) => nd.sum(r), ax, x),
          tol: { ulps: 4 },
        });
        cases.push({
          label: `sort ${d} ${shape} axis ${ax}`,
          expr: `np.apply_along_axis(np.sort, ${ax}, ${py})`,
          args: [v.base],
          ours: () => nd.applyAlongAxis((r) => nd.sort(r), ax, x),
          tol: { ulps: 0, signedZero: true },
        });
        cases.push({
          label: `outer ${d} ${shape} axis ${ax}`,
          expr: `np.apply_along_axis(lambda r: np.outer(r[:2], r[:3]), ${ax}, ${py})`,
          args: [v.base],
          ours: () => nd.applyAlongAxis((r) => nd.outer(r.slice(':2'), r.slice(':3')), ax, x),
        });
        cases.push({
          label: `cumsum+args ${d} ${shape} axis ${ax}`,
          expr: `np.apply_along_axis(lambda r, k: np.cumsum(r) * k, ${ax}, ${py}, 3)`,
          args: [v.base],
          ours: () => nd.applyAlongAxis((r: NDArray, k: number) => nd.multiply(nd.cumsum(r), k), ax, x, 3),
          tol: { ulps: 4 },
        });
        cases.push({
          label: `max as 0-d ${d} ${shape} axis ${ax}`,
          expr: `np.apply_along_axis(lambda r: r.max(), ${ax}, ${py})`,
          args: [v.base],
          ours: () => nd.applyAlongAxis((r) => nd.max(r), ax, x),
        });
      }
    }
  }
  const e = nd.zeros([0, 3]);
  cases.push({
    label: 'empty iteration axis raises',
    expr: 'np.apply_along_axis(np.sum, 1, a0)',
    args: [e],
    ours: () => nd.applyAlongAxis((r) => nd.sum(r), 1, e),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({ label: 'empty applied axis', expr: 'np.apply_along_axis(np.sum, 0, a0)', args: [e], ours: () => nd.applyAlongAxis((r) => nd.sum(r), 0, e) });
  const z = nd.array(5);
  cases.push({
    label: '0-d raises',
    expr: 'np.apply_along_axis(np.sum, 0, a0)',
    args: [z],
    ours: () => nd.applyAlongAxis((r) => nd.sum(r), 0, z),
    errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS',
  });
  const a = nd.arange(12).reshape([3, 4]);
  cases.push({
    label: 'bad axis raises',
    expr: 'np.apply_along_axis(np.sum, 2, a0)',
    args: [a],
    ours: () => nd.applyAlongAxis((r) => nd.sum(r), 2, a),
    errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS',
  });
  checkAll(t, 'applyAlongAxis', cases);
  t.throws(
    () => nd.applyAlongAxis(3 as never, 0, a),
    (err: { code?: string }) => err.code === 'ERR_NDSHARE_INVALID_ARG_TYPE',
    'func1d must be a function',
  );
  t.end();
});

test('applyOverAxes matches NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  const x = nd.arange(24, { dtype: 'int32' }).reshape([2, 3, 4]);
  const xf = nd.arange(24).reshape([2, 3, 4]).transpose([2, 0, 1]);
  for (const [name, arr] of [
    ['int32', x],
    ['f8.T', xf],
  ] as [string, NDArray][]) {
    for (const axes of [0, -1, [0, 2], [2, 0], [0, 1, 2], [1, 1], []] as (number | number[])[]) {
      const pa = Array.isArray(axes) ? `[${axes.join(', ')}]` : String(axes);
      cases.push({
        label: `sum ${name} ${pa}`,
        expr: `np.apply_over_axes(np.sum, a0, ${pa})`,
        args: [arr],
        ours: () => nd.applyOverAxes((a, ax) => nd.sum(a, { axis: ax }), arr, axes),
      });
      cases.push({
        label: `keepdims mean ${name} ${pa}`,
        expr: `np.apply_over_axes(lambda a, ax: np.mean(a, axis=ax, keepdims=True), a0, ${pa})`,
        args: [arr],
        ours: () => nd.applyOverAxes((a, ax) => nd.mean(a, { axis: ax, keepdims: true }), arr, axes),
        tol: { ulps: 2 },
      });
    }
  }
  cases.push({
    label: 'bad axis raises',
    expr: 'np.apply_over_axes(np.sum, a0, [3])',
    args: [x],
    ours: () => nd.applyOverAxes((a, ax) => nd.sum(a, { axis: ax }), x, [3]),
    errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS',
  });
  cases.push({
    label: 'wrong ndim raises',
    expr: 'np.apply_over_axes(lambda a, ax: np.sum(a), a0, [0])',
    args: [x],
    ours: () => nd.applyOverAxes((a) => nd.sum(a), x, [0]),
    errCode: 'ERR_NDSHARE_SHAPE_MISMATCH',
  });
  checkAll(t, 'applyOverAxes', cases);
  t.end();
});

test('piecewise matches NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(920);
  const cases: Case[] = [];
  for (const d of ['int8', 'int32', 'int64', 'float32', 'float64'] as DType[]) {
    const x = arrayOf(edgeValues(d, 30, rand, { huge: false }), d).reshape([5, 6]);
    const lo = nd.less(x, 0);
    const hi = nd.greater(x, 5);
    cases.push({
      label: `functions ${d}`,
      expr: 'np.piecewise(a0, [a0 < 0, a0 > 5], [lambda v: -v, lambda v: v * 2])',
      args: [x],
      ours: () => nd.piecewise(x, [lo, hi], [(v) => nd.negative(v), (v) => nd.multiply(v, 2)]),
    });
    cases.push({
      label: `constants + otherwise ${d}`,
      expr: 'np.piecewise(a0, [a0 < 0, a0 > 5], [-1, 1, 7])',
      args: [x],
      ours: () => nd.piecewise(x, [lo, hi], [-1, 1, 7]),
    });
    cases.push({
      label: `otherwise function ${d}`,
      expr: 'np.piecewise(a0, [a0 < 0], [0, lambda v: v + 1])',
      args: [x],
      ours: () => nd.piecewise(x, [lo], [0, (v) => nd.add(v, 1)]),
    });
    // A 2-d mask of a 2-d x is a list of 5 conditions to NumPy (its rows): an error with one function.
    cases.push({
      label: `2-d mask as rows ${d}`,
      expr: 'np.piecewise(a0, a0 < 0, [3])',
      args: [x],
      ours: () => nd.piecewise(x, lo, [3]),
      errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
    });
    const r = x.slice(1);
    cases.push({ label: `single 1-d mask ${d}`, expr: 'np.piecewise(a0[1], a0[1] < 0, [3])', args: [x], ours: () => nd.piecewise(r, nd.less(r, 0), [3]) });
    cases.push({
      label: `float result into ${d}`,
      expr: 'np.piecewise(a0, [a0 > 5], [lambda v: v / 4])',
      args: [x],
      ours: () => nd.piecewise(x, [hi], [(v) => nd.divide(v, 4)]),
    });
    cases.push({
      label: `extra args ${d} (view)`,
      expr: 'np.piecewise(a0[::-1, ::2], [a0[::-1, ::2] < 0], [lambda v, k: v * k, lambda v, k: v - k], 3)',
      args: [x],
      ours: () => {
        const v = x.slice('::-1', '::2');
        return nd.piecewise(v, [nd.less(v, 0)], [(a: NDArray, k: number) => nd.multiply(a, k), (a: NDArray, k: number) => nd.subtract(a, k)], 3);
      },
    });
  }
  const z = nd.array(2.5);
  cases.push({
    label: '0-d true',
    expr: 'np.piecewise(a0, [True], [lambda v: v * 2])',
    args: [z],
    ours: () => nd.piecewise(z, [true], [(v) => nd.multiply(v, 2)]),
  });
  cases.push({ label: '0-d cond array', expr: 'np.piecewise(a0, a0 > 3, [1, 2])', args: [z], ours: () => nd.piecewise(z, nd.greater(z, 3), [1, 2]) });
  const e = nd.zeros([0]);
  cases.push({
    label: 'empty',
    expr: 'np.piecewise(a0, [a0 > 0], [lambda v: v + 1, 5])',
    args: [e],
    ours: () => nd.piecewise(e, [nd.greater(e, 0)], [(v) => nd.add(v, 1), 5]),
  });
  const y = nd.arange(6);
  cases.push({
    label: 'nested list condition',
    expr: 'np.piecewise(a0, [[True, False, True, False, False, True]], [9])',
    args: [y],
    ours: () => nd.piecewise(y, [[true, false, true, false, false, true]], [9]),
  });
  cases.push({
    label: 'too many functions raises',
    expr: 'np.piecewise(a0, [a0 > 2], [1, 2, 3])',
    args: [y],
    ours: () => nd.piecewise(y, [nd.greater(y, 2)], [1, 2, 3]),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  checkAll(t, 'piecewise', cases);
  t.end();
});
