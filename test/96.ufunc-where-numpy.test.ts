// The `where=` mask of the elementwise functions against NumPy 2: with `out`
// (unmasked elements keep out's values), without `out` (NumPy leaves them
// uninitialized: compared only where the mask is true), a mask that broadcasts
// the result, masks over strided and negative-stride views, an `out` of another
// dtype ('same_kind'), complex results, and NumPy's refusals (a non-bool mask,
// an `out` the mask does not fit, an `out` the result cannot be cast to).
import test from 'tape';
import * as nd from '../src/index.js';
import type { DType, NDArray } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { arrayOf, availableIsas, checkAll, edgeValues, skipWithoutNumpy, type Case } from './helpers/numpy-diff.js';

type Fn = (...a: unknown[]) => NDArray;
const api = nd as unknown as Record<string, Fn>;
const py = (name: string): string => 'np.' + name.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase());

const UNARY = ['sqrt', 'exp', 'negative', 'absolute', 'square', 'isnan', 'logicalNot'];
const BINARY = ['add', 'subtract', 'multiply', 'divide', 'maximum', 'floorDivide', 'power', 'less', 'logicalAnd'];
const DTYPES: DType[] = ['bool', 'int8', 'uint16', 'int32', 'int64', 'float16', 'float32', 'float64'];
const TRANSCENDENTAL = new Set(['sqrt', 'exp', 'power', 'divide']);

function mask(rand: () => number, n: number): NDArray {
  return arrayOf(
    Array.from({ length: n }, () => rand() % 2 === 0),
    'bool',
  );
}

/** NumPy computes the op only where the mask is true; ours too must agree there and leave out's values elsewhere. */
function cases(): Case[] {
  const rand = mulberry32(96);
  const out: Case[] = [];
  const tolOf = (op: string): Case['tol'] => (TRANSCENDENTAL.has(op) ? { ulps: 2, halfUlps: 1 } : 'exact');
  for (const d of DTYPES) {
    const x = arrayOf(edgeValues(d, 24, rand), d).reshape([4, 6]);
    const y = arrayOf(edgeValues(d, 24, rand), d).reshape([4, 6]);
    const m = mask(rand, 24).reshape([4, 6]);
    for (const op of [...UNARY, ...BINARY]) {
      const unary = UNARY.includes(op);
      const ins = unary ? [x] : [x, y];
      const names = unary ? 'a0' : 'a0, a1';
      const k = ins.length;
      // The result dtype decides what out is: run the op once without a mask (NumPy's refusals come out here too).
      let r: NDArray;
      try {
        r = api[op]!(...ins);
      } catch {
        // Refused unmasked (e.g. a negative integer exponent): NumPy looks only where the mask is true.
        out.push({
          label: `${op}(${d}) refused unmasked`,
          expr: `(lambda r: np.where(a${k}, r, np.zeros((), r.dtype)))(${py(op)}(${names}, where=a${k}))`,
          args: [...ins, m],
          ours: () => api[op]!(...ins, { where: m }),
        });
        continue;
      }
      const base = arrayOf(edgeValues(r.dtype, 24, rand), r.dtype).reshape([4, 6]);
      out.push({
        label: `${op}(${d}) where, out`,
        expr: `${py(op)}(${names}, where=a${k}, out=a${k + 1})`,
        args: [...ins, m, base],
        ours: () => api[op]!(...ins, { where: m, out: base.copy() }),
        tol: tolOf(op),
      });
      out.push({
        label: `${op}(${d}) where, no out`,
        expr: `np.where(a${k}, ${py(op)}(${names}, where=a${k}), np.zeros((), a${k + 1}.dtype))`,
        args: [...ins, m, base],
        ours: () => api[op]!(...ins, { where: m }),
        tol: tolOf(op),
      });
      // Views: reversed and strided inputs, a transposed mask, a negative-stride out.
      const v = (a: NDArray): NDArray => a.slice('::-1', '::2');
      const vins = ins.map(v);
      const mt = mask(rand, 12).reshape([3, 4]);
      out.push({
        label: `${op}(${d}) views`,
        expr: `${py(op)}(${unary ? 'a0[::-1, ::2]' : 'a0[::-1, ::2], a1[::-1, ::2]'}, where=a${k}.T, out=a${k + 1}[:, ::-1])`,
        args: [...ins, mt, base.slice(':', '0:3')],
        ours: () => api[op]!(...vins, { where: mt.T, out: base.slice(':', '0:3').copy().slice(':', '::-1') }),
        tol: tolOf(op),
      });
    }
  }
  // A mask that widens the result: scalar inputs, a mask of shape (2, 3); a row mask over a matrix.
  const m23 = mask(rand, 6).reshape([2, 3]);
  out.push({
    label: 'add(scalars) with a (2, 3) mask and out',
    expr: 'np.add(np.float64(1.5), np.float64(2), where=a0, out=a1)',
    args: [m23, nd.full([2, 3], 7)],
    ours: () => nd.add(nd.array(1.5), nd.array(2), { where: m23, out: nd.full([2, 3], 7) }),
  });
  const row = mask(rand, 6);
  const mat = arrayOf(edgeValues('float64', 24, rand), 'float64').reshape([4, 6]);
  out.push({
    label: 'multiply with a row mask',
    expr: 'np.multiply(a0, 3.0, where=a1, out=np.ones((4, 6)))',
    args: [mat, row],
    ours: () => nd.multiply(mat, 3, { where: row, out: nd.ones([4, 6]) }),
  });
  // out of another dtype ('same_kind') and dtype=.
  const f64 = arrayOf(edgeValues('float64', 12, rand), 'float64');
  const m12 = mask(rand, 12);
  out.push({
    label: 'sqrt float64 into a float32 out',
    expr: 'np.sqrt(np.abs(a0), where=a1, out=np.full(12, 9, np.float32))',
    args: [f64, m12],
    ours: () => nd.sqrt(nd.abs(f64), { where: m12, out: nd.full([12], 9, { dtype: 'float32' }) }),
    tol: { ulps: 1 },
  });
  out.push({
    label: 'add with dtype=float32 and a mask',
    expr: 'np.add(a0, 1, dtype=np.float32, where=a1, out=np.zeros(12, np.float32))',
    args: [f64, m12],
    ours: () => nd.add(f64, 1, { dtype: 'float32', where: m12, out: nd.zeros([12], { dtype: 'float32' }) }),
  });
  // Complex results.
  const cx = nd.array(Array.from({ length: 12 }, () => nd.complex((rand() / 2 ** 32) * 4 - 2, (rand() / 2 ** 32) * 4 - 2)));
  out.push({
    label: 'multiply complex128 with a mask and out',
    expr: 'np.multiply(a0, a0, where=a1, out=np.full(12, 5 + 1j))',
    args: [cx, m12],
    ours: () => nd.multiply(cx, cx, { where: m12, out: nd.full([12], nd.complex(5, 1), { dtype: 'complex128' }) }),
  });
  out.push({
    label: 'sqrt complex64 with a mask',
    expr: 'np.where(a1, np.sqrt(a0.astype(np.complex64), where=a1), np.complex64(0))',
    args: [cx, m12],
    ours: () => nd.sqrt(cx.astype('complex64'), { where: m12 }),
    tol: { ulps: 2 },
  });
  // where=True / False as Python booleans.
  out.push({ label: 'where=True', expr: 'np.add(a0, 1, where=True)', args: [f64], ours: () => nd.add(f64, 1, { where: true }) });
  out.push({
    label: 'where=False keeps out',
    expr: 'np.add(a0, 1, where=False, out=np.full(12, 4.0))',
    args: [f64],
    ours: () => nd.add(f64, 1, { where: false, out: nd.full([12], 4) }),
  });
  // NumPy's refusals.
  out.push({
    label: 'a float mask is refused',
    expr: 'np.add(a0, 1, where=a0)',
    args: [f64],
    ours: () => nd.add(f64, 1, { where: f64 }),
    errCode: nd.codes.DTYPE,
  });
  out.push({
    label: 'a mask that does not fit out',
    expr: 'np.add(a0, 1, where=np.ones((2, 12), bool), out=np.zeros(12))',
    args: [f64],
    ours: () => nd.add(f64, 1, { where: nd.ones([2, 12], { dtype: 'bool' }), out: nd.zeros([12]) }),
    errCode: nd.codes.BROADCAST,
  });
  out.push({
    label: 'a result out cannot hold',
    expr: 'np.sqrt(a0, where=a1, out=np.zeros(12, np.int32))',
    args: [f64, m12],
    ours: () => nd.sqrt(f64, { where: m12, out: nd.zeros([12], { dtype: 'int32' }) }),
    errCode: nd.codes.DTYPE,
  });
  return out;
}

test('where= of the elementwise functions against NumPy', (t) => {
  if (skipWithoutNumpy(t)) return t.end();
  checkAll(t, 'where', cases(), availableIsas());
  t.end();
});

test('where= writes only the masked elements of a view and leaves its base elsewhere', (t) => {
  const base = nd.arange(12).astype('float64');
  const out = base.slice('::-2');
  nd.multiply(out, 10, { where: nd.array([true, false, true, false, true, false]), out });
  t.deepEqual(base.toArray(), [0, 1, 2, 30, 4, 5, 6, 70, 8, 9, 10, 110], 'only the masked elements of the view change');
  t.end();
});
