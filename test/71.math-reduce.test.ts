// Reductions against NumPy 2: sum prod min max any all mean var std argmin
// argmax cumsum cumprod for every dtype, every axis form (none, each, negative,
// lists, empty list), keepdims, the dtype option, zero-size inputs, NaN
// propagation, first occurrences, non-contiguous inputs. One python3 process
// per test.
import test from 'tape';
import * as nd from '../src/index.js';
import type { NDArray, DType } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import {
  ALL_DTYPES,
  INT_RANGE,
  arrayOf,
  availableIsas,
  randomView,
  checkAll,
  edgeValues,
  type Case,
  type Tol,
  skipWithoutNumpy,
  isFloatDType,
} from './helpers/numpy-diff.js';

type Axis = number | number[] | null | undefined;
type Red = (x: NDArray, o?: Record<string, unknown>) => NDArray;
const api = nd as unknown as Record<string, Red>;

const isFloat = isFloatDType;
const isHalf = (d: DType): boolean => d === 'float16' || d === 'bfloat16';

function pyAxis(a: Axis): string {
  if (a === undefined || a === null) return 'None';
  if (Array.isArray(a)) return `(${a.join(', ')}${a.length === 1 ? ',' : ''})`;
  return String(a);
}

function pyKw(o: Record<string, unknown>): string {
  return Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${k === 'axis' ? pyAxis(v as Axis) : k === 'keepdims' ? (v ? 'True' : 'False') : k === 'dtype' ? `'${String(v)}'` : String(v)}`)
    .join(', ');
}

/** Sum of |x| over the whole array (an upper bound of every partial sum's magnitude). */
function sumAbs(x: NDArray): number {
  const f = x.astype('float64').copy();
  let s = 0;
  for (let i = 0; i < f.size; i++) {
    const v = Math.abs(f.data[i] as number);
    if (Number.isFinite(v)) s += v;
  }
  return s;
}

/**
 * Tolerance of a reduction: exact for integers, bool, min/max/any/all and the
 * arg reductions; for float sums/means/cumsums n*eps relative to sum|x| (the
 * summation order may differ from NumPy's); products and moments n ulp of the
 * result (float16 var/std: NumPy computes them in float16, we in float32).
 */
function tolOf(op: string, x: NDArray, resultFloat: boolean): Tol {
  // max/min do not order 0 and -0 (NumPy's float16 loop keeps the first, its float32/64 loops do not).
  if (resultFloat && (op === 'max' || op === 'min')) return { ulps: 0, signedZero: true };
  if (!resultFloat || ['min', 'max', 'any', 'all', 'argmin', 'argmax'].includes(op)) return 'exact';
  const n = Math.max(x.size, 2);
  if (op === 'sum' || op === 'mean' || op === 'cumsum') return { ulps: n, floor: op === 'mean' ? sumAbs(x) / n : sumAbs(x) };
  if (op === 'var' || op === 'std') return { ulps: isHalf(x.dtype) ? 4 * n : n, floor: 0 };
  return { ulps: n };
}

function resultIsFloat(op: string, d: DType, dtype?: DType): boolean {
  if (dtype) return isFloat(dtype);
  if (['mean', 'var', 'std'].includes(op)) return true;
  return isFloat(d);
}

/** A reduction case: ours `nd[op](x, opts)` against `np.<op>(pyx, **opts)`. */
function rcase(op: string, x: NDArray, opts: Record<string, unknown>, label: string, pyx = 'a0', view: (a: NDArray) => NDArray = (a) => a): Case {
  const kw = pyKw(opts);
  const v = view(x);
  return {
    label: `${op}(${label}${kw ? ', ' + kw : ''})`,
    expr: `np.${op}(${pyx}${kw ? ', ' + kw : ''})`,
    args: [x],
    ours: () => api[op]!(v, opts),
    tol: tolOf(op, v, resultIsFloat(op, x.dtype, opts.dtype as DType | undefined)),
  };
}

/** Values for sums and means: no NaN/Inf, mixed magnitudes. */
function finiteValues(d: DType, n: number, rand: () => number): (number | bigint | boolean)[] {
  return edgeValues(d, n + 40, rand, { huge: false })
    .filter((v) => typeof v !== 'number' || Number.isFinite(v))
    .slice(0, n);
}

/**
 * Values for var/std: float16 ones small enough that NumPy's float16
 * computation of the squared deviations does not overflow (ndshare computes
 * them in float32, so it would give finite results where NumPy gives Inf).
 */
function momentValues(d: DType, n: number, rand: () => number): (number | bigint | boolean)[] {
  const v = finiteValues(d, n, rand);
  return d === 'float16' ? v.map((x) => (x as number) / 64) : v;
}

/** Small values (|v| <= 100) for checking dtypes without overflow. */
function smallValues(d: DType, n: number, rand: () => number): (number | bigint | boolean)[] {
  return finiteValues(d, n * 4, rand)
    .filter((v) => typeof v === 'boolean' || (Number(v) <= 100 && Number(v) >= -100))
    .slice(0, n);
}

/** Values for float products: in [0.5, 2) so that no ordering overflows. */
function prodValues(d: DType, n: number, rand: () => number): (number | bigint | boolean)[] {
  if (!isFloat(d)) return edgeValues(d, n, rand);
  return Array.from({ length: n }, () => 0.5 + (rand() / 2 ** 32) * 1.5);
}

const AXES: Axis[] = [undefined, 0, 1, 2, -1, -3, [0, 2], [2, 0], [1], [], [0, 1, 2], null];

test('sum prod min max any all mean var std: every dtype x every axis form x keepdims', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(710);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const fin = arrayOf(finiteValues(d, 60, rand), d).reshape([3, 4, 5]);
    const edge = arrayOf(edgeValues(d, 60, rand), d).reshape([3, 4, 5]);
    const pv = arrayOf(prodValues(d, 60, rand), d).reshape([3, 4, 5]);
    const mv = arrayOf(momentValues(d, 60, rand), d).reshape([3, 4, 5]);
    for (const op of ['sum', 'prod', 'min', 'max', 'any', 'all', 'mean', 'var', 'std']) {
      const x = op === 'prod' ? pv : ['min', 'max', 'any', 'all'].includes(op) ? edge : op === 'var' || op === 'std' ? mv : fin;
      for (const axis of AXES) {
        for (const keepdims of axis === undefined || axis === 1 || Array.isArray(axis) ? [false, true] : [false]) {
          const o: Record<string, unknown> = { axis, keepdims: keepdims ? true : undefined };
          cases.push(rcase(op, x, o, `${d}(3,4,5)`));
        }
      }
    }
    for (const ddof of [0, 1]) {
      for (const axis of [undefined, 0, [0, 2]] as Axis[]) {
        cases.push(rcase('var', mv, { axis, ddof }, `${d}(3,4,5)`));
        cases.push(rcase('std', mv, { axis, ddof }, `${d}(3,4,5)`));
      }
    }
  }
  checkAll(t, 'reduce', cases, availableIsas());
  t.end();
});

test('reductions over non-contiguous inputs (transposed, stepped, reversed) and a longer axis', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(711);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const x = arrayOf(momentValues(d, 120, rand), d).reshape([4, 6, 5]);
    const e = arrayOf(edgeValues(d, 120, rand), d).reshape([4, 6, 5]);
    const long = arrayOf(finiteValues(d, 1037, rand), d);
    const views: [string, string, (a: NDArray) => NDArray][] = [
      ['.transpose(2,0,1)', 'a0.transpose(2, 0, 1)', (a) => a.transpose([2, 0, 1])],
      ['[::-1, :, ::2]', 'a0[::-1, :, ::2]', (a) => a.slice('::-1', ':', '::2')],
      ['[1:, ::-2, 1:4]', 'a0[1:, ::-2, 1:4]', (a) => a.slice('1:', '::-2', '1:4')],
    ];
    for (const [label, pyx, view] of views) {
      for (const op of ['sum', 'max', 'min', 'mean', 'std', 'any']) {
        const src = op === 'max' || op === 'min' || op === 'any' ? e : x;
        for (const axis of [undefined, 0, -1, [0, 2]] as Axis[]) cases.push(rcase(op, src, { axis }, `${d}${label}`, pyx, view));
      }
      for (const op of ['argmax', 'argmin']) {
        for (const axis of [undefined, 1] as Axis[]) cases.push(rcase(op, e, { axis }, `${d}${label}`, pyx, view));
      }
      for (const op of ['cumsum']) {
        for (const axis of [undefined, 0, 2] as Axis[]) cases.push(rcase(op, x, { axis }, `${d}${label}`, pyx, view));
      }
    }
    for (const op of ['sum', 'mean', 'max', 'argmax', 'var']) cases.push(rcase(op, long, {}, `${d}[1037]`));
    cases.push(rcase('sum', long, {}, `${d}[1037][::3]`, 'a0[::3]', (a) => a.slice('::3')));
    cases.push(rcase('sum', long, {}, `${d}[1037][::-1]`, 'a0[::-1]', (a) => a.slice('::-1')));
  }
  checkAll(t, 'strided', cases, availableIsas());
  t.end();
});

test('argmin argmax cumsum cumprod: every dtype x axis, keepdims, ties and NaN first occurrence', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(712);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const e = arrayOf(edgeValues(d, 60, rand), d).reshape([3, 4, 5]);
    const fin = arrayOf(finiteValues(d, 60, rand), d).reshape([3, 4, 5]);
    const pv = arrayOf(prodValues(d, 24, rand), d).reshape([4, 6]);
    for (const op of ['argmin', 'argmax']) {
      for (const axis of [undefined, 0, 1, 2, -1] as Axis[]) {
        cases.push(rcase(op, e, { axis }, `${d}(3,4,5)`));
        if (axis === undefined || axis === 1) cases.push(rcase(op, e, { axis, keepdims: true }, `${d}(3,4,5)`));
      }
    }
    for (const axis of [undefined, 0, 1, 2, -1] as Axis[]) cases.push(rcase('cumsum', fin, { axis }, `${d}(3,4,5)`));
    for (const axis of [undefined, 0, 1, -1] as Axis[]) cases.push(rcase('cumprod', pv, { axis }, `${d}(4,6)`));
    // Ties: the first index wins.
    const ties = arrayOf(d === 'bool' ? [false, true, true, false, true] : [3, 7, 7, 1, 1, 7], d);
    cases.push(rcase('argmax', ties, {}, `${d} ties`));
    cases.push(rcase('argmin', ties, {}, `${d} ties`));
    const s0 = arrayOf(edgeValues(d, 1, rand), d).reshape([]);
    for (const op of ['argmax', 'cumsum', 'cumprod', 'sum', 'max', 'mean']) cases.push(rcase(op, s0, {}, `${d} 0-d`));
  }
  for (const d of ['float16', 'bfloat16', 'float32', 'float64'] as DType[]) {
    const n = arrayOf([1, NaN, 5, NaN, -Infinity, 9], d);
    const n2 = arrayOf([Infinity, 2, -Infinity, NaN, 0, -0, NaN, 1], d).reshape([2, 4]);
    for (const op of ['argmax', 'argmin', 'max', 'min']) {
      cases.push(rcase(op, n, {}, `${d} NaN`));
      cases.push(rcase(op, n2, { axis: 1 }, `${d} NaN (2,4)`));
      cases.push(rcase(op, n2, { axis: 0 }, `${d} NaN (2,4)`));
    }
    const z = arrayOf([0, -0], d);
    const mz = arrayOf([-0, 0], d);
    for (const op of ['max', 'min', 'argmax', 'argmin']) {
      cases.push(rcase(op, z, {}, `${d} [0, -0]`));
      cases.push(rcase(op, mz, {}, `${d} [-0, 0]`));
    }
    const big = arrayOf([...Array.from({ length: 200 }, (_, i) => i % 17), NaN, ...Array.from({ length: 100 }, (_, i) => -i)], d);
    for (const op of ['argmax', 'argmin', 'max', 'min', 'sum']) cases.push(rcase(op, big, {}, `${d} NaN at 200 of 301`));
    const infs = arrayOf([1, Infinity, 2, -Infinity], d);
    cases.push(rcase('sum', infs, {}, `${d} +Inf and -Inf`));
    cases.push(rcase('sum', infs.slice(':2'), {}, `${d} +Inf`, 'a0[:2]', (a) => a.slice(':2')));
  }
  // argmax of a long int array with the maximum at the end / min at the start.
  const li = arrayOf([...Array.from({ length: 1000 }, (_, i) => (i * 7) % 100), 127], 'int8');
  cases.push(rcase('argmax', li, {}, 'int8[1001]'));
  cases.push(rcase('argmin', li, {}, 'int8[1001]'));
  const u64 = arrayOf([5n, 2n ** 64n - 1n, 2n ** 63n, 0n, 2n ** 64n - 1n], 'uint64');
  for (const op of ['argmax', 'argmin', 'max', 'min', 'sum', 'prod', 'cumsum']) cases.push(rcase(op, u64, {}, 'uint64 big'));
  const i64 = arrayOf([-(2n ** 63n), 2n ** 63n - 1n, -1n, 2n ** 63n - 1n], 'int64');
  for (const op of ['argmax', 'argmin', 'max', 'min', 'sum', 'prod', 'cumsum', 'cumprod']) cases.push(rcase(op, i64, {}, 'int64 limits'));
  checkAll(t, 'arg/scan', cases, availableIsas());
  t.end();
});

test('any/all over long runs: -0 is false, NaN and subnormals are true, on every instruction set', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const n = 1029;
    const isF = isFloat(d);
    const fill = (v: number | bigint | boolean, at: number[], w: number | bigint | boolean): NDArray =>
      arrayOf(
        Array.from({ length: n }, (_, i) => (at.includes(i) ? w : v)),
        d,
      );
    const zero = isF ? -0 : d === 'bool' ? false : 0;
    const one = d === 'bool' ? true : 1;
    const arrays: [string, NDArray][] = [
      ['all zero', fill(zero, [], zero)],
      ['one nonzero at the end', fill(zero, [n - 1], one)],
      ['one nonzero at 517', fill(zero, [517], one)],
      ['all nonzero', fill(one, [], one)],
      ['one zero at the end', fill(one, [n - 1], zero)],
      ['one zero at 3', fill(one, [3], zero)],
    ];
    if (isF) {
      arrays.push(
        ['-0 with a NaN at 700', fill(-0, [700], NaN)],
        ['-0 with a subnormal at 64', fill(-0, [64], d === 'float16' ? 6e-8 : d === 'float64' ? 5e-324 : 1e-40)],
        [
          '+0 and -0',
          arrayOf(
            Array.from({ length: n }, (_, i) => (i % 2 ? -0 : 0)),
            d,
          ),
        ],
      );
    }
    for (const [label, x] of arrays) {
      for (const op of ['any', 'all']) {
        cases.push(rcase(op, x, {}, `${d}[${n}] ${label}`));
        cases.push(rcase(op, x, {}, `${d}[${n}][::-1] ${label}`, 'a0[::-1]', (a) => a.slice('::-1')));
        cases.push(rcase(op, x, { axis: 1 }, `${d}(3,343) ${label}`, 'a0.reshape(3, 343)', (a) => a.reshape([3, 343])));
      }
    }
  }
  checkAll(t, 'any/all', cases, availableIsas());
  t.end();
});

test('min/max/argmin/argmax over long runs: NaN, ties across vector lanes, extremes at every position, every ISA', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(714);
  const cases: Case[] = [];
  const n = 1031;
  for (const d of ALL_DTYPES) {
    const base = (): (number | bigint | boolean)[] => {
      if (d === 'bool') return Array.from({ length: n }, () => false);
      return Array.from({ length: n }, () => (isInt(d) ? BigInt(rand() % 50) : (rand() % 50) / 2));
    };
    const hi: number | bigint | boolean = d === 'bool' ? true : isFloat(d) ? 1000 : 100n;
    const lo: number | bigint | boolean = d === 'bool' ? false : isFloat(d) ? -1000 : d.startsWith('u') ? 0n : -100n;
    for (const at of [0, 1, 7, 8, 15, 16, 31, 32, 63, 64, 517, n - 2, n - 1]) {
      const v = base();
      v[at] = hi;
      v[(at + 300) % n] = hi; // a tie later: the first wins
      if (d !== 'bool') v[(at * 7 + 5) % n] = lo;
      const x = arrayOf(v, d);
      for (const op of ['argmax', 'argmin', 'max', 'min']) {
        cases.push(rcase(op, x, {}, `${d}[${n}] extreme at ${at}`));
        if (at === 517) {
          cases.push(rcase(op, x, {}, `${d}[${n}][::-1] extreme at ${at}`, 'a0[::-1]', (a) => a.slice('::-1')));
          cases.push(rcase(op, x, {}, `${d}[${n}][3::2] extreme at ${at}`, 'a0[3::2]', (a) => a.slice('3::2')));
        }
      }
      if (isFloat(d)) {
        const w = base();
        w[at] = NaN;
        w[(at + 100) % n] = NaN;
        w[(at + 50) % n] = Infinity;
        w[(at + 51) % n] = -Infinity;
        const y = arrayOf(w, d);
        for (const op of ['argmax', 'argmin', 'max', 'min']) cases.push(rcase(op, y, {}, `${d}[${n}] NaN at ${at}`));
        cases.push(rcase('argmax', y, { axis: 1 }, `${d}(1,${n}) NaN at ${at}`, 'a0.reshape(1, -1)', (a) => a.reshape([1, n])));
      }
    }
    // All equal: index 0.
    const eq = arrayOf(
      Array.from({ length: n }, () => (d === 'bool' ? true : isFloat(d) ? 2.5 : 3n)),
      d,
    );
    for (const op of ['argmax', 'argmin']) cases.push(rcase(op, eq, {}, `${d}[${n}] all equal`));
  }
  checkAll(t, 'long min/max', cases, availableIsas());
  t.end();
});

test('integer sums over long runs accumulate without narrow overflow (int64/uint64), every ISA', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(715);
  const cases: Case[] = [];
  const n = 100_003;
  for (const d of ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'] as DType[]) {
    const [lo, hi] = d === 'bool' ? [0n, 1n] : INT_RANGE[d]!;
    const arrays: [string, NDArray][] = [
      [
        'all max',
        arrayOf(
          Array.from({ length: n }, () => (d === 'bool' ? true : hi)),
          d,
        ),
      ],
      [
        'all min',
        arrayOf(
          Array.from({ length: n }, () => (d === 'bool' ? false : lo)),
          d,
        ),
      ],
      [
        'random full range',
        arrayOf(
          Array.from({ length: n }, () => (d === 'bool' ? (rand() & 1) === 1 : lo + (((BigInt(rand()) << 32n) | BigInt(rand())) % (hi - lo + 1n)))),
          d,
        ),
      ],
    ];
    for (const [label, x] of arrays) {
      cases.push(rcase('sum', x, {}, `${d}[${n}] ${label}`));
      cases.push(rcase('sum', x, {}, `${d}[${n}][1::3] ${label}`, 'a0[1::3]', (a) => a.slice('1::3')));
      cases.push(rcase('sum', x, { axis: 1 }, `${d}(7,n/7) ${label}`, 'a0[:100002].reshape(7, -1)', (a) => a.slice(':100002').reshape([7, 14286])));
      cases.push(rcase('sum', x, { axis: 0 }, `${d}(n/7,7) ${label}`, 'a0[:100002].reshape(-1, 7)', (a) => a.slice(':100002').reshape([14286, 7])));
      cases.push(rcase('mean', x, {}, `${d}[${n}] ${label}`));
      cases.push(rcase('cumsum', x, {}, `${d}[${n}] ${label}`));
      cases.push(rcase('prod', x.slice(':37'), {}, `${d}[37] ${label}`, 'a0[:37]'));
    }
  }
  checkAll(t, 'int sums', cases, availableIsas());
  t.end();
});

/** True for the integer dtypes. */
function isInt(d: DType): boolean {
  return !isFloat(d) && d !== 'bool';
}

test('result dtypes and the dtype option (sum int8 -> int64, uint8 -> uint64, mean int -> float64, float16 mean, dtype= overrides)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(713);
  const cases: Case[] = [];
  const targets: DType[] = ['int8', 'uint8', 'int32', 'int64', 'uint64', 'float16', 'bfloat16', 'float32', 'float64'];
  for (const d of ALL_DTYPES) {
    const x = arrayOf(smallValues(d, 12, rand), d).reshape([3, 4]);
    for (const dtype of targets) {
      // NumPy has no bfloat16: a bfloat16 dtype is checked with a bfloat16 input only.
      if (dtype === 'bfloat16' && d !== 'bfloat16') continue;
      if (d === 'bfloat16' && dtype === 'float16') continue;
      const dt = dtype === 'bfloat16' ? 'float16' : dtype; // the stand-in: bfloat16 runs as float16 for the dtype
      const opts = { axis: 1, dtype: dt };
      for (const op of ['sum', 'prod', 'cumsum']) {
        if (isFloat(dtype) || !isFloat(d)) {
          const c = rcase(op, x, opts, `${d}(3,4)`);
          c.ours = () => api[op]!(x, { axis: 1, dtype });
          cases.push(c);
        }
      }
      if (isFloat(dtype)) {
        for (const op of ['mean', 'var', 'std']) {
          const c = rcase(op, x, opts, `${d}(3,4)`);
          c.ours = () => api[op]!(x, { axis: 1, dtype });
          cases.push(c);
        }
      }
    }
  }
  // Wraparound with a narrow accumulator.
  const big8 = arrayOf([100, 100, 100, -128, 127], 'int8');
  cases.push(rcase('sum', big8, { dtype: 'int8' }, 'int8 overflow'));
  cases.push(rcase('sum', big8, {}, 'int8 into int64'));
  cases.push(rcase('cumsum', big8, { dtype: 'int8' }, 'int8 overflow'));
  cases.push(rcase('prod', big8, { dtype: 'int16' }, 'int8 overflow'));
  const b = arrayOf([true, true, false, true], 'bool');
  for (const op of ['sum', 'prod', 'mean', 'cumsum', 'cumprod', 'max', 'min', 'argmax', 'var']) cases.push(rcase(op, b, {}, 'bool'));
  cases.push(rcase('sum', b, { dtype: 'bool' }, 'bool'));
  // ddof at or beyond the count: the divisor max(n - ddof, 0) is 0 (NaN or Inf, as NumPy).
  const three = arrayOf([1, 2, 4], 'float64');
  for (const ddof of [2, 3, 5]) {
    cases.push(rcase('var', three, { ddof }, 'float64[3]'));
    cases.push(rcase('std', three, { ddof }, 'float64[3]'));
  }
  const same = arrayOf([2, 2, 2], 'float32');
  cases.push(rcase('var', same, { ddof: 3 }, 'float32 constant'));
  cases.push(rcase('std', arrayOf([1, 2, 3, 4, 5, 6], 'int16').reshape([2, 3]), { axis: [0, 1], ddof: 1, keepdims: true }, 'int16(2,3)'));
  cases.push(rcase('sum', b, { dtype: 'uint8' }, 'bool'));
  checkAll(t, 'dtype', cases);
  t.end();
});

test('zero-size inputs: identities, NaN means, errors for min/max/argmin/argmax of nothing', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const e = nd.zeros([0], { dtype: d });
    const e2 = nd.zeros([0, 3], { dtype: d });
    for (const op of ['sum', 'prod', 'any', 'all', 'mean', 'var', 'std', 'min', 'max', 'argmin', 'argmax', 'cumsum', 'cumprod']) {
      const c = rcase(op, e, {}, `${d}[0]`);
      if (['min', 'max', 'argmin', 'argmax'].includes(op)) c.errCode = 'ERR_NDSHARE_INVALID_ARG_VALUE';
      cases.push(c);
    }
    for (const op of ['sum', 'prod', 'max', 'mean', 'any', 'argmax', 'cumsum']) {
      for (const axis of [0, 1, -1] as Axis[]) {
        const c = rcase(op, e2, { axis }, `${d}(0,3)`);
        if (['max', 'argmax'].includes(op) && axis === 0) c.errCode = 'ERR_NDSHARE_INVALID_ARG_VALUE';
        cases.push(c);
      }
      cases.push(rcase(op, e2, op.startsWith('arg') || op === 'cumsum' ? { axis: 1 } : { axis: [0, 1], keepdims: true }, `${d}(0,3)`));
    }
  }
  checkAll(t, 'empty', cases);
  t.end();
});

test('reduction errors: bad axes are coded', (t) => {
  const x = nd.zeros([2, 3]);
  for (const [label, f] of [
    ['sum axis 2', () => nd.sum(x, { axis: 2 })],
    ['sum axis -3', () => nd.sum(x, { axis: -3 })],
    ['sum axis [0, 0]', () => nd.sum(x, { axis: [0, 0] })],
    ['argmax axis 5', () => nd.argmax(x, { axis: 5 })],
    ['cumsum axis 2', () => nd.cumsum(x, { axis: 2 })],
    ['mean axis 1.5', () => nd.mean(x, { axis: 1.5 })],
  ] as [string, () => unknown][]) {
    try {
      f();
      t.fail(`${label}: did not throw`);
    } catch (e) {
      const err = e as Error & { code?: string };
      t.ok(typeof err.code === 'string' && err.code.startsWith('ERR_NDSHARE_'), `${label}: ${err.code}: ${err.message}`);
    }
  }
  t.end();
});

test('random programs: reductions of random views over random axis sets', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(791);
  const cases: Case[] = [];
  const ops = ['sum', 'prod', 'min', 'max', 'any', 'all', 'mean', 'var', 'std', 'argmin', 'argmax', 'cumsum', 'cumprod'];
  for (let k = 0; k < 500; k++) {
    const ndim = 1 + (rand() % 4);
    const shape = Array.from({ length: ndim }, () => [1, 2, 3, 4, 5, 7, 9][rand() % 7]!);
    if (rand() % 10 === 0) shape[rand() % ndim] = 0;
    const d = ALL_DTYPES[rand() % ALL_DTYPES.length]!;
    const op = ops[rand() % ops.length]!;
    const v = randomView(rand, d, shape);
    // Finite, moderate values for sums, products and moments (so that NaN/Inf/overflow do not hide the rest).
    let base = v.base;
    if (isFloat(d) && !['min', 'max', 'any', 'all', 'argmin', 'argmax'].includes(op)) {
      const src = op === 'prod' || op === 'cumprod' ? prodValues(d, base.size, rand) : momentValues(d, base.size, rand);
      base = arrayOf(src, d).reshape([...base.shape]);
    }
    const opts: Record<string, unknown> = {};
    if (['argmin', 'argmax', 'cumsum', 'cumprod'].includes(op)) {
      const r = rand() % (ndim + 1);
      if (r < ndim) opts.axis = rand() % 2 ? r : r - ndim;
      if (op.startsWith('arg') && rand() % 3 === 0) opts.keepdims = true;
    } else {
      const pick = rand() % 4;
      if (pick === 1) opts.axis = rand() % ndim;
      else if (pick >= 2) opts.axis = [...Array(ndim).keys()].filter(() => rand() % 2 === 0).map((a) => (rand() % 2 ? a : a - ndim));
      if (rand() % 3 === 0) opts.keepdims = true;
      if ((op === 'var' || op === 'std') && rand() % 2) opts.ddof = 1;
    }
    const c = rcase(op, base, opts, `#${k} ${d}${JSON.stringify(shape)}`, v.py.replace('{}', '0'), v.view);
    // Empty selections: min/max/argmin/argmax of nothing are errors in both.
    cases.push(c);
  }
  checkAll(t, 'random', cases, availableIsas());
  t.end();
});

test('long float sums are accurate (pairwise, not naive) and var/std survive a large mean', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(792);
  const cases: Case[] = [];
  const u = (n: number, lo = 0, hi = 1): number[] => Array.from({ length: n }, () => lo + (rand() / 2 ** 32) * (hi - lo));
  const f32 = arrayOf(u(1_000_000), 'float32');
  const f16 = arrayOf(u(20_000), 'float16');
  const bf = arrayOf(u(20_000), 'bfloat16');
  const m32 = arrayOf(u(100_000, 1e4, 1e4 + 1), 'float32');
  const m64 = arrayOf(u(100_000, 1e9, 1e9 + 1), 'float64');
  const sq = arrayOf(u(1000 * 1000), 'float32').reshape([1000, 1000]);
  // The exact (float64) sum rounded to the dtype, within 16 ulp: a naive float32 loop is off by ~1e4 ulp here.
  const near = (x: NDArray, label: string, expr: string, ours: () => NDArray, ulps = 16): void => {
    cases.push({ label, expr, args: [x], ours, tol: { ulps } });
  };
  near(f32, 'sum float32[1e6] vs exact', 'np.sum(a0.astype(np.float64)).astype(np.float32)', () => nd.sum(f32));
  near(f32, 'mean float32[1e6] vs exact', 'np.mean(a0.astype(np.float64)).astype(np.float32)', () => nd.mean(f32));
  near(f32, 'sum float32[1e6][::-1] vs exact', 'np.sum(a0.astype(np.float64)).astype(np.float32)', () => nd.sum(f32.slice('::-1')));
  near(f32, 'sum float32[1e6][::2] vs exact', 'np.sum(a0[::2].astype(np.float64)).astype(np.float32)', () => nd.sum(f32.slice('::2')));
  near(f32, 'std float32[1e6] vs exact', 'np.std(a0.astype(np.float64)).astype(np.float32)', () => nd.std(f32));
  near(f16, 'sum float16[2e4] vs exact', 'np.sum(a0.astype(np.float64)).astype(np.float16)', () => nd.sum(f16), 1);
  near(f16, 'mean float16[2e4] vs exact', 'np.mean(a0.astype(np.float64)).astype(np.float16)', () => nd.mean(f16), 1);
  near(bf, 'sum bfloat16[2e4] vs exact', 'np.sum(a0.astype(np.float64)).astype(np.float16)', () => nd.sum(bf), 1);
  near(m32, 'var float32, mean 1e4', 'np.var(a0.astype(np.float64)).astype(np.float32)', () => nd.var(m32), 2048);
  near(m64, 'var float64, mean 1e9', 'np.var(a0)', () => nd.var(m64), 1e6);
  near(sq, 'sum (1000,1000) float32 axis 1 vs exact', 'np.sum(a0.astype(np.float64), axis=1).astype(np.float32)', () => nd.sum(sq, { axis: 1 }));
  near(sq, 'sum (1000,1000) float32 axis 0 vs exact', 'np.sum(a0.astype(np.float64), axis=0).astype(np.float32)', () => nd.sum(sq, { axis: 0 }), 256);
  near(sq, 'sum (1000,1000).T float32 axis 0 vs exact', 'np.sum(a0.T.astype(np.float64), axis=0).astype(np.float32)', () => nd.sum(sq.T, { axis: 0 }));
  cases.push({ label: 'cumsum float32[1e6] vs NumPy', expr: 'np.cumsum(a0)', args: [f32], ours: () => nd.cumsum(f32), tol: { ulps: 4096, floor: 0 } });
  checkAll(t, 'long', cases);
  t.end();
});
