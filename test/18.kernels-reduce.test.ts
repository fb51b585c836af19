// Native reduction kernels (native/kernels/reduce): math.reduce,
// sumSquaredDeviations, argReduce and accumulate, differential against NumPy
// for every op and supported (in, out) dtype pair, on every instruction set
// this CPU has (kernels.setIsa).
//
// Layouts: all axes / inner / outer / middle axis of a 3-D C array, negative
// and transposed strides, 0-d, zero-size reduced sets (identity), long 1-D and
// 2-D runs that reach the SIMD bodies, pairwise recursion and scalar tails.
// Values: full-range integers (wraparound is exact ring arithmetic, so any
// order gives NumPy's bytes), floats on a 1/64 grid (exact in float16 and
// bfloat16), NaN / +-Inf injections, ties for argmin/argmax.
//
// Comparison: integer and bool outputs byte for byte. Float outputs: NaN where
// NumPy has NaN, else |got - want| <= rtol * scale, with scale = sum(|terms|)
// for sums / cumsums / squared deviations (summation order differs: our
// pairwise blocks are not NumPy's, outer-axis reductions run sequentially)
// and |want| for products; min/max/argmin/argmax are exact.
// rtol by output dtype: float64 1e-12, float32 2e-5, float16 2e-2,
// bfloat16 6e-2 (16-bit outputs round partial results per run, NumPy's
// reference for bfloat16 is computed in float32 without that rounding).
// bfloat16 (absent from NumPy) is compared through its exact float32 values.
import test from 'tape';
import { native } from '../src/binding.js';
import { NdshareRangeError, NdshareTypeError } from '../src/errors.js';
import { bfloat16ToNumber, halfToNumber, numberToBfloat16, numberToHalf } from '../src/ndarray/float16.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { at } from './helpers/checked.js';

const m = native.math;
const D = m.dtypes;
// The reduce kernels' dtypes: the real ones (complex sums run per part on the float kernels, src/math/reduce-complex.ts).
const NAMES = Object.keys(D)
  .filter((n) => !n.startsWith('complex'))
  .sort((a, b) => at(D, a) - at(D, b));
const ITEM = [1, 1, 1, 2, 2, 4, 4, 8, 8, 2, 2, 4, 8];
const isFloat = (d: number): boolean => d >= D.float16;
const isHalf = (d: number): boolean => d === D.float16 || d === D.bfloat16;
const RTOL: Record<number, number> = { [D.float16]: 2e-2, [D.bfloat16]: 6e-2, [D.float32]: 2e-5, [D.float64]: 1e-12 };

type Storage = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

function alloc(d: number, n: number): Storage {
  switch (NAMES[d]) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'uint16':
    case 'float16':
    case 'bfloat16':
      return new Uint16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint32':
      return new Uint32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'uint64':
      return new BigUint64Array(n);
    case 'float32':
      return new Float32Array(n);
    default:
      return new Float64Array(n);
  }
}

/** Element i of a storage array as a number (float16/bfloat16 decoded). */
function readNum(d: number, a: Storage, i: number): number {
  if (d === D.float16) return halfToNumber(at(a as Uint16Array, i));
  if (d === D.bfloat16) return bfloat16ToNumber(at(a as Uint16Array, i));
  return Number(a[i]);
}

const rand = mulberry32(18);
const u32 = (): number => rand();
const unit = (): number => u32() / 2 ** 32;

type Kind = 'wide' | 'small' | 'ties' | 'nan' | 'inf';

/** Writes a random value of `kind` into a[i]. */
function fill(d: number, a: Storage, kind: Kind): void {
  for (let i = 0; i < a.length; i++) {
    let v: number;
    const name = at(NAMES, d);
    if (name === 'bool') {
      a[i] = kind === 'ties' ? 1 : (u32() & 3) === 0 ? 0 : 1;
      continue;
    }
    if (!isFloat(d)) {
      if (name === 'int64' || name === 'uint64') {
        let b: bigint;
        if (kind === 'wide') b = (BigInt(u32()) << 32n) | BigInt(u32());
        else b = BigInt(u32() % (kind === 'ties' ? 4 : 7));
        (a as BigInt64Array)[i] = name === 'int64' ? BigInt.asIntN(64, kind === 'wide' ? b : b - (kind === 'ties' ? 0n : 3n)) : BigInt.asUintN(64, b);
        continue;
      }
      const bits = at(ITEM, d) * 8;
      const signed = name.startsWith('int');
      if (kind === 'wide') v = signed ? (u32() | 0) >> (32 - bits) : u32() >>> (32 - bits);
      else if (kind === 'ties') v = u32() % 4;
      else v = (u32() % 7) - (signed ? 3 : 0) + (signed ? 0 : 0);
      a[i] = v;
      continue;
    }
    if (kind === 'small') v = (0.8 + unit() * 0.45) * (u32() & 1 ? 1 : -1);
    else if (kind === 'ties') v = (u32() % 5) / 2;
    else v = Math.round((unit() * 4 - 2) * 64) / 64;
    if (kind === 'nan' && u32() % 17 === 0) v = NaN;
    if (kind === 'inf' && u32() % 23 === 0) v = u32() & 1 ? Infinity : -Infinity;
    if (d === D.float16) a[i] = numberToHalf(v);
    else if (d === D.bfloat16) a[i] = numberToBfloat16(v);
    else a[i] = v;
  }
}

/** A strided view into a base array (elements). */
interface View {
  shape: number[];
  offset: number;
  strides: number[];
  baseLen: number;
}

const cstrides = (shape: number[]): number[] => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= at(shape, i);
  }
  return s;
};
const C = (shape: number[]): View => ({
  shape,
  offset: 0,
  strides: cstrides(shape),
  baseLen: Math.max(
    1,
    shape.reduce((p, v) => p * v, 1),
  ),
});

// Reduction layouts: [view, axes].
const LAYOUTS: Array<[string, View, number[]]> = [
  ['3d all', C([3, 4, 5]), [0, 1, 2]],
  ['3d inner', C([3, 4, 5]), [2]],
  ['3d outer', C([3, 4, 5]), [0]],
  ['3d middle', C([3, 4, 5]), [1]],
  ['negative strides inner', { shape: [5, 7], offset: 199, strides: [-20, -2], baseLen: 200 }, [1]],
  ['negative strides outer', { shape: [5, 7], offset: 199, strides: [-20, -2], baseLen: 200 }, [0]],
  ['transposed all', { shape: [7, 5], offset: 0, strides: [1, 7], baseLen: 35 }, [0, 1]],
  ['transposed inner', { shape: [7, 5], offset: 0, strides: [1, 7], baseLen: 35 }, [1]],
  ['0-d', { shape: [], offset: 3, strides: [], baseLen: 5 }, []],
  ['long 1-D', C([1500]), [0]],
  ['long strided 1-D', { shape: [700], offset: 1, strides: [3], baseLen: 2101 }, [0]],
  ['2-D axis 0', C([40, 70]), [0]],
  ['2-D axis 1', C([40, 70]), [1]],
];
const EMPTY_LAYOUTS: Array<[string, View, number[]]> = [
  ['zero-size inner', { shape: [3, 0], offset: 0, strides: [0, 1], baseLen: 1 }, [1]],
  ['zero-size all', { shape: [0], offset: 0, strides: [1], baseLen: 1 }, [0]],
];
const EDGE_LAYOUTS: Array<[string, View, number[]]> = [
  ['long 1-D', C([1500]), [0]],
  ['3d inner', C([3, 4, 50]), [2]],
  ['2-D axis 0', C([40, 70]), [0]],
];
// Last-axis layouts (argReduce, accumulate): the reduced axis is always the last.
const LAST_LAYOUTS: Array<[string, View]> = [
  ['3d', C([3, 4, 5])],
  ['negative strides', { shape: [5, 7], offset: 199, strides: [-20, -2], baseLen: 200 }],
  ['transposed', { shape: [7, 5], offset: 0, strides: [1, 7], baseLen: 35 }],
  ['long 1-D', C([1500])],
  ['2-D long rows', C([3, 700])],
];

interface Case {
  kind: 'reduce' | 'ssd' | 'arg' | 'scan';
  label: string;
  op: string;
  opCode: number;
  inD: number;
  outD: number;
  view: View;
  axes: number[];
  x: Storage;
  mean?: Storage;
  outLen: number;
  outShape: number[];
}

function keptShape(v: View, axes: number[]): number[] {
  return v.shape.filter((_, i) => !axes.includes(i));
}

/** desc for [x, (mean,) out] where out (and mean) are C arrays of the kept dims, stride 0 on `axes`. */
function reduceDesc(v: View, axes: number[], nOut: number): Float64Array {
  const kept = keptShape(v, axes);
  const ks = cstrides(kept);
  const outStrides: number[] = [];
  let k = 0;
  for (let i = 0; i < v.shape.length; i++) outStrides.push(axes.includes(i) ? 0 : at(ks, k++));
  const d = [v.shape.length, ...v.shape, v.offset, ...v.strides];
  for (let j = 0; j < nOut; j++) d.push(0, ...outStrides);
  return new Float64Array(d);
}
function scanDesc(v: View): Float64Array {
  return new Float64Array([v.shape.length, ...v.shape, v.offset, ...v.strides, 0, ...cstrides(v.shape)]);
}

const cases: Case[] = [];
function pushReduce(op: string, inD: number, outD: number, name: string, v: View, axes: number[], kind: Kind): void {
  const x = alloc(inD, v.baseLen);
  fill(inD, x, kind);
  const kept = keptShape(v, axes);
  const outLen = kept.reduce((p, s) => p * s, 1);
  cases.push({
    kind: 'reduce',
    label: `${op} ${NAMES[inD]}->${NAMES[outD]} ${name} ${kind}`,
    op,
    opCode: at(m.reduceOps, op),
    inD,
    outD,
    view: v,
    axes,
    x,
    outLen,
    outShape: kept,
  });
}

const reducePairs = (m as unknown as { reducePairs: Record<string, Array<[number, number]>> }).reducePairs;
for (const op of Object.keys(m.reduceOps)) {
  for (const [inD, outD] of at(reducePairs, op)) {
    const kind: Kind = op === 'prod' ? 'small' : 'wide';
    for (const [name, v, axes] of LAYOUTS) pushReduce(op, inD, outD, name, v, axes, kind);
    if (op !== 'min' && op !== 'max') for (const [name, v, axes] of EMPTY_LAYOUTS) pushReduce(op, inD, outD, name, v, axes, kind);
    if (isFloat(inD)) {
      for (const [name, v, axes] of EDGE_LAYOUTS) {
        pushReduce(op, inD, outD, name, v, axes, 'nan');
        pushReduce(op, inD, outD, name, v, axes, 'inf');
      }
    }
  }
}
const ssdPairs = (m as unknown as { sumSquaredDeviationsPairs: Array<[number, number]> }).sumSquaredDeviationsPairs;
for (const [inD, outD] of ssdPairs) {
  for (const [name, v, axes] of [...LAYOUTS, ...EMPTY_LAYOUTS]) {
    const x = alloc(inD, v.baseLen);
    fill(inD, x, 'wide');
    const kept = keptShape(v, axes);
    const outLen = kept.reduce((p, s) => p * s, 1);
    const mean = alloc(outD, outLen);
    for (let i = 0; i < outLen; i++) mean[i] = Math.round((unit() - 0.5) * 64) / 64;
    cases.push({
      kind: 'ssd',
      label: `ssd ${NAMES[inD]}->${NAMES[outD]} ${name}`,
      op: 'ssd',
      opCode: 0,
      inD,
      outD,
      view: v,
      axes,
      x,
      mean,
      outLen,
      outShape: kept,
    });
  }
}
for (const op of Object.keys(m.argOps)) {
  for (let d = 0; d < NAMES.length; d++) {
    const kinds: Kind[] = isFloat(d) ? ['wide', 'ties', 'nan', 'inf'] : ['wide', 'ties'];
    for (const kind of kinds) {
      for (const [name, v] of [...LAST_LAYOUTS, ['0-d', { shape: [], offset: 3, strides: [], baseLen: 5 }] as [string, View]]) {
        const x = alloc(d, v.baseLen);
        fill(d, x, kind);
        const axes = v.shape.length ? [v.shape.length - 1] : [];
        const kept = keptShape(v, axes);
        cases.push({
          kind: 'arg',
          label: `${op} ${NAMES[d]} ${name} ${kind}`,
          op,
          opCode: m.argOps[op as 'argmin' | 'argmax'],
          inD: d,
          outD: D.int64,
          view: v,
          axes,
          x,
          outLen: kept.reduce((p, s) => p * s, 1),
          outShape: kept,
        });
      }
    }
  }
  // Ascending data: the best improves in every SIMD block; a late max tie and a late NaN.
  // Integer runs too (int8 blocks are 2048 elements on AVX-512), and wide rows.
  for (let d = D.int8; d < NAMES.length; d++) {
    if (isHalf(d)) continue;
    const n = 6000;
    const v = C([n]);
    const asc = alloc(d, n);
    for (let i = 0; i < n; i++) {
      const val = op === 'argmax' ? i % 4000 : 6000 - (i % 4000);
      if (asc instanceof BigInt64Array || asc instanceof BigUint64Array) asc[i] = BigInt(val) as never;
      else asc[i] = val;
    }
    const late = alloc(d, n);
    fill(d, late, 'wide');
    const pairs: Array<[string, Storage]> = [
      ['ascending', asc],
      ['wide', late],
    ];
    if (isFloat(d)) {
      const nan = late.slice() as Storage;
      nan[4500] = NaN;
      nan[5900] = NaN;
      pairs.push(['late NaN', nan]);
    }
    for (const [k, x] of pairs) {
      cases.push({
        kind: 'arg',
        label: `${op} ${NAMES[d]} ${k}`,
        op,
        opCode: m.argOps[op as 'argmin' | 'argmax'],
        inD: d,
        outD: D.int64,
        view: v,
        axes: [0],
        x,
        outLen: 1,
        outShape: [],
      });
    }
  }
}
const scanPairs = (m as unknown as { scanPairs: Record<string, Array<[number, number]>> }).scanPairs;
for (const op of Object.keys(m.scanOps)) {
  for (const [inD, outD] of at(scanPairs, op)) {
    for (const [name, v] of LAST_LAYOUTS) {
      if (op === 'cumprod' && at(v.shape, v.shape.length - 1) > 100) continue; // products of long runs under/overflow
      const kinds: Kind[] = isFloat(inD) ? [op === 'cumprod' ? 'small' : 'wide', 'nan'] : [op === 'cumprod' ? 'small' : 'wide'];
      for (const kind of kinds) {
        const x = alloc(inD, v.baseLen);
        fill(inD, x, kind);
        const n = v.shape.reduce((p, s) => p * s, 1);
        cases.push({
          kind: 'scan',
          label: `${op} ${NAMES[inD]}->${NAMES[outD]} ${name} ${kind}`,
          op,
          opCode: m.scanOps[op as 'cumsum' | 'cumprod'],
          inD,
          outD,
          view: v,
          axes: [v.shape.length - 1],
          x,
          outLen: n,
          outShape: v.shape,
        });
      }
    }
  }
}

// ---- NumPy reference (one python run for every case) ---------------------------

const PY = String.raw`
from numpy.lib.stride_tricks import as_strided
meta = json.load(open(os.path.join(D, 'meta.json')))
blob = open(os.path.join(D, 'data.bin'), 'rb').read()
NP = {'bool': np.bool_, 'int8': np.int8, 'uint8': np.uint8, 'int16': np.int16, 'uint16': np.uint16, 'int32': np.int32,
      'uint32': np.uint32, 'int64': np.int64, 'uint64': np.uint64, 'float16': np.float16, 'bfloat16': np.float32,
      'float32': np.float32, 'float64': np.float64}
def arr(name, off, n):
    if name == 'bfloat16':
        u = np.frombuffer(blob, dtype=np.uint16, count=n, offset=off)
        return (u.astype(np.uint32) << 16).view(np.float32).copy()
    return np.frombuffer(blob, dtype=NP[name], count=n, offset=off).copy()
out = []
for c in meta:
    base = arr(c['in'], c['xoff'], c['xlen'])
    v = c['view']
    shape = tuple(v['shape'])
    if 0 in shape:
        x = np.zeros(shape, dtype=base.dtype)
    else:
        x = as_strided(base[v['offset']:], shape, tuple(s * base.itemsize for s in v['strides']))
    ax = tuple(c['axes'])
    od = NP[c['out']]
    op = c['op']
    fl = np.dtype(od).kind == 'f'
    if c['kind'] == 'reduce':
        if op in ('sum', 'prod'):
            e = getattr(np, op)(x, axis=ax, dtype=od)
            s = np.sum(np.abs(x.astype(np.float64)), axis=ax) if op == 'sum' else np.abs(e.astype(np.float64))
        elif op in ('min', 'max'):
            e = getattr(np, op)(x, axis=ax); s = np.zeros(np.shape(e))
        else:
            e = getattr(np, op)(x, axis=ax); s = np.zeros(np.shape(e))
    elif c['kind'] == 'ssd':
        mean = arr(c['out'], c['moff'], c['mlen']).reshape([1 if i in ax else n for i, n in enumerate(shape)])
        e = np.sum((x.astype(od) - mean) ** 2, axis=ax, dtype=od)
        s = np.abs(e.astype(np.float64))
    elif c['kind'] == 'arg':
        e = getattr(np, op)(x, axis=-1) if x.ndim else np.int64(0); s = np.zeros(np.shape(e))
    else:
        e = getattr(np, op)(x, axis=-1, dtype=od)
        s = np.cumsum(np.abs(x.astype(np.float64)), axis=-1) if op == 'cumsum' else np.abs(e.astype(np.float64))
    e = np.ascontiguousarray(e, dtype=np.float64 if fl else (np.int64 if c['kind'] == 'arg' else od))
    assert e.size == c['outLen'], (c, e.shape)
    out.append(e.tobytes())
    out.append(np.ascontiguousarray(s, dtype=np.float64).tobytes())
open(os.path.join(D, 'out.bin'), 'wb').write(b''.join(out))
`;

interface Expected {
  bytes: Uint8Array;
  scale: Float64Array;
}

function reference(): Expected[] {
  const parts: Uint8Array[] = [];
  let off = 0;
  const meta = cases.map((c) => {
    const add = (a: Storage): [number, number] => {
      const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      const o = off;
      parts.push(b);
      off += b.length;
      const pad = (8 - (off % 8)) % 8;
      if (pad) {
        parts.push(new Uint8Array(pad));
        off += pad;
      }
      return [o, a.length];
    };
    const [xoff, xlen] = add(c.x);
    const [moff, mlen] = c.mean ? add(c.mean) : [0, 0];
    return { kind: c.kind, op: c.op, in: NAMES[c.inD], out: NAMES[c.outD], view: c.view, axes: c.axes, xoff, xlen, moff, mlen, outLen: c.outLen };
  });
  const data = new Uint8Array(off);
  let p = 0;
  for (const b of parts) {
    data.set(b, p);
    p += b.length;
  }
  const { files } = python(PY, { 'meta.json': new TextEncoder().encode(JSON.stringify(meta)), 'data.bin': data });
  const out = at(files, 'out.bin');
  const res: Expected[] = [];
  let q = 0;
  for (const c of cases) {
    const item = isFloat(c.outD) ? 8 : c.kind === 'arg' ? 8 : at(ITEM, c.outD);
    const bytes = new Uint8Array(out.buffer, out.byteOffset + q, c.outLen * item);
    q += c.outLen * item;
    const scale = new Float64Array(out.buffer.slice(out.byteOffset + q, out.byteOffset + q + c.outLen * 8));
    q += c.outLen * 8;
    res.push({ bytes, scale });
  }
  return res;
}

/** Runs one case natively; returns the output storage. */
function runNative(c: Case): Storage {
  const out = alloc(c.outD, Math.max(1, c.outLen));
  // Poison the output: the kernels must set the identity themselves.
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) out.fill(7n as never);
  else (out as Uint8Array).fill(c.outD === D.bool ? 1 : 7);
  switch (c.kind) {
    case 'reduce':
      m.reduce(c.opCode, c.inD, c.outD, [c.x, out], reduceDesc(c.view, c.axes, 1));
      break;
    case 'ssd':
      m.sumSquaredDeviations(c.inD, c.outD, [c.x, c.mean as Storage, out], reduceDesc(c.view, c.axes, 2));
      break;
    case 'arg':
      m.argReduce(c.opCode, c.inD, [c.x, out], reduceDesc(c.view, c.axes, 1));
      break;
    default:
      m.accumulate(c.opCode, c.inD, c.outD, [c.x, out], scanDesc(c.view));
  }
  return out;
}

/** Compares; returns a failure description or ''. */
function check(c: Case, got: Storage, want: Expected): string {
  if (!isFloat(c.outD)) {
    const g = new Uint8Array(got.buffer, got.byteOffset, want.bytes.length);
    for (let i = 0; i < want.bytes.length; i++) {
      if (g[i] !== want.bytes[i]) {
        const item = c.kind === 'arg' ? 8 : at(ITEM, c.outD);
        const el = Math.floor(i / item);
        return `element ${el}: got ${String(got[el])}, want bytes ${Array.from(want.bytes.slice(el * item, el * item + item)).join(',')}`;
      }
    }
    return '';
  }
  const w = new Float64Array(want.bytes.buffer.slice(want.bytes.byteOffset, want.bytes.byteOffset + want.bytes.length));
  const exact = c.op === 'min' || c.op === 'max';
  for (let i = 0; i < c.outLen; i++) {
    const g = readNum(c.outD, got, i);
    const e = at(w, i);
    if (Number.isNaN(e) || Number.isNaN(g)) {
      if (Number.isNaN(e) !== Number.isNaN(g)) return `element ${i}: got ${g}, want ${e}`;
      continue;
    }
    if (!Number.isFinite(e) || exact) {
      if (g !== e) return `element ${i}: got ${g}, want ${e}`;
      continue;
    }
    const tol = at(RTOL, c.outD) * at(want.scale, i);
    if (!(Math.abs(g - e) <= tol)) return `element ${i}: got ${g}, want ${e} (tol ${tol})`;
  }
  return '';
}

function isas(): string[] {
  return [...native.kernels.isas];
}

test('reduce kernels: op codes and supported pairs', (t) => {
  t.deepEqual(m.reduceOps, { sum: 0, prod: 1, min: 2, max: 3, any: 4, all: 5 });
  t.deepEqual(m.argOps, { argmin: 0, argmax: 1 });
  t.deepEqual(m.scanOps, { cumsum: 0, cumprod: 1 });
  const has = (op: string, a: string, b: string): boolean => at(reducePairs, op).some(([i, o]) => i === at(D, a) && o === at(D, b));
  t.equal(at(reducePairs, 'sum').length, 33, '33 sum pairs');
  t.ok(has('sum', 'bool', 'int64') && has('sum', 'uint8', 'uint64') && has('sum', 'float16', 'float32') && has('sum', 'bool', 'float64'), 'sum widenings');
  t.notOk(has('sum', 'bool', 'bool') || has('sum', 'float64', 'float32') || has('sum', 'int8', 'uint64'), 'no narrowing / cross-sign pairs');
  t.equal(at(reducePairs, 'max').length, 13, 'max: every dtype to itself');
  t.equal(at(reducePairs, 'any').length, 13, 'any: every dtype to bool');
  t.ok(at(reducePairs, 'any').every(([, o]) => o === D.bool));
  t.deepEqual(scanPairs.cumsum, at(reducePairs, 'sum'), 'cumsum pairs are the sum pairs');
  t.equal(ssdPairs.length, 16, 'ssd: 13 to float64 + 3 to float32');
  t.end();
});

test('reduce kernels vs NumPy: every op, pair, layout and ISA', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const expected = reference();
  try {
    for (const isa of isas()) {
      native.kernels.setIsa(isa);
      t.equal(native.kernels.getIsa(), isa, `isa ${isa}`);
      const byKind: Record<string, { n: number; fails: string[] }> = {};
      for (let i = 0; i < cases.length; i++) {
        const c = at(cases, i);
        const g = (byKind[`${c.kind} ${c.op}`] ??= { n: 0, fails: [] });
        g.n++;
        let msg: string;
        try {
          msg = check(c, runNative(c), at(expected, i));
        } catch (e) {
          msg = `threw ${(e as Error).message}`;
        }
        if (msg) g.fails.push(`${c.label}: ${msg}`);
      }
      for (const [k, g] of Object.entries(byKind)) {
        t.equal(g.fails.length, 0, `${isa} ${k}: ${g.n} cases${g.fails.length ? ` — ${g.fails.slice(0, 6).join(' | ')}` : ''}`);
      }
    }
  } finally {
    native.kernels.setIsa('auto');
  }
  t.end();
});

test('reduce kernels: identities, wraparound, NaN and ties by hand', (t) => {
  try {
    for (const isa of isas()) {
      native.kernels.setIsa(isa);
      const d1 = (n: number): Float64Array => new Float64Array([1, n, 0, 1, 0, 0]);
      const o = new Float64Array([5]);
      m.reduce(m.reduceOps.sum, D.float64, D.float64, [new Float64Array(0), o], d1(0));
      t.equal(o[0], 0, `${isa}: empty sum is 0`);
      m.reduce(m.reduceOps.prod, D.float64, D.float64, [new Float64Array(0), o], d1(0));
      t.equal(o[0], 1, `${isa}: empty prod is 1`);
      const b = new Uint8Array([0]);
      m.reduce(m.reduceOps.all, D.float64, D.bool, [new Float64Array(0), b], d1(0));
      t.equal(b[0], 1, `${isa}: empty all is true`);
      m.reduce(m.reduceOps.any, D.float64, D.bool, [new Float64Array([0, -0, NaN]), b], d1(3));
      t.equal(b[0], 1, `${isa}: NaN is truthy`);
      m.reduce(m.reduceOps.any, D.float64, D.bool, [new Float64Array([0, -0]), b], d1(2));
      t.equal(b[0], 0, `${isa}: -0 is falsy`);
      const i8 = new Int8Array([127, 1]);
      const o8 = new Int8Array(1);
      m.reduce(m.reduceOps.sum, D.int8, D.int8, [i8, o8], d1(2));
      t.equal(o8[0], -128, `${isa}: int8 sum wraps`);
      const big = new Float64Array(1000).fill(1);
      big[777] = NaN;
      big[900] = Infinity;
      for (const op of ['max', 'min', 'sum']) {
        m.reduce(at(m.reduceOps, op), D.float64, D.float64, [big, o], d1(1000));
        t.ok(Number.isNaN(o[0]), `${isa}: ${op} propagates NaN`);
      }
      const idx = new BigInt64Array(1);
      const ties = new Float64Array([1, 3, 3, 0, 0]);
      m.argReduce(m.argOps.argmax, D.float64, [ties, idx], d1(5));
      t.equal(idx[0], 1n, `${isa}: argmax first of ties`);
      m.argReduce(m.argOps.argmin, D.float64, [ties, idx], d1(5));
      t.equal(idx[0], 3n, `${isa}: argmin first of ties`);
      m.argReduce(m.argOps.argmin, D.float64, [big, idx], d1(1000));
      t.equal(idx[0], 777n, `${isa}: argmin finds the first NaN`);
      // Zero-size outer axes: nothing to do, nothing written.
      idx[0] = -5n;
      m.argReduce(m.argOps.argmax, D.float64, [new Float64Array(0), idx], new Float64Array([2, 0, 4, 0, 4, 1, 0, 1, 0]));
      t.equal(idx[0], -5n, `${isa}: argmax over a zero-size outer axis writes nothing`);
      const cs = new Float32Array([9]);
      m.accumulate(m.scanOps.cumsum, D.float32, D.float32, [new Float32Array(0), cs], new Float64Array([2, 3, 0, 0, 1, 1, 0, 1, 1]));
      t.equal(cs[0], 9, `${isa}: cumsum of zero-length rows writes nothing`);
      m.accumulate(m.scanOps.cumprod, D.int8, D.int64, [new Int8Array([0, -3]), idx], new Float64Array([0, 1, 0]));
      t.equal(idx[0], -3n, `${isa}: cumprod of a 0-d array is the element`);
      // any/all over long runs: the vector search, then the scalar tail.
      for (const [name, make] of [
        ['float64', (n: number) => new Float64Array(n)],
        ['float16', (n: number) => new Uint16Array(n)],
        ['int32', (n: number) => new Int32Array(n)],
        ['bool', (n: number) => new Uint8Array(n)],
      ] as Array<[string, (n: number) => Storage]>) {
        const z = make(3001);
        if (name === 'float64') z[5] = -0;
        if (name === 'float16') z[5] = 0x8000; // -0
        m.reduce(m.reduceOps.any, at(D, name), D.bool, [z, b], d1(3001));
        t.equal(b[0], 0, `${isa}: any ${name} of zeros (and -0) is false`);
        z[2999] = 1;
        m.reduce(m.reduceOps.any, at(D, name), D.bool, [z, b], d1(3001));
        t.equal(b[0], 1, `${isa}: any ${name} finds a late nonzero`);
        const ones = make(3001).fill(1 as never);
        m.reduce(m.reduceOps.all, at(D, name), D.bool, [ones, b], d1(3001));
        t.equal(b[0], 1, `${isa}: all ${name} of ones is true`);
        ones[3000] = 0;
        m.reduce(m.reduceOps.all, at(D, name), D.bool, [ones, b], d1(3001));
        t.equal(b[0], 0, `${isa}: all ${name} finds the last zero`);
        ones[3000] = 1;
        ones[1234] = 0;
        m.reduce(m.reduceOps.all, at(D, name), D.bool, [ones, b], d1(3001));
        t.equal(b[0], 0, `${isa}: all ${name} finds a zero in a vector block`);
      }
      const h = new Uint16Array(3000).fill(0x3c00); // float16 ones: the F16C / shift vector loads
      const hs = new Float32Array(1);
      m.reduce(m.reduceOps.sum, D.float16, D.float32, [h, hs], d1(3000));
      t.equal(hs[0], 3000, `${isa}: float16 -> float32 sum of 3000 ones`);
      const bh = new Uint16Array(3000).fill(0x3f80);
      m.reduce(m.reduceOps.sum, D.bfloat16, D.float32, [bh, hs], d1(3000));
      t.equal(hs[0], 3000, `${isa}: bfloat16 -> float32 sum of 3000 ones`);
    }
  } finally {
    native.kernels.setIsa('auto');
  }
  t.end();
});

test('reduce kernels: bad arguments throw coded errors', (t) => {
  const x = new Float64Array(10);
  const o = new Float64Array(1);
  const d = (...v: number[]): Float64Array => new Float64Array(v);
  const R = NdshareRangeError;
  const T = NdshareTypeError;
  const VAL = 'ERR_NDSHARE_INVALID_ARG_VALUE';
  const TYP = 'ERR_NDSHARE_INVALID_ARG_TYPE';
  throwsCoded(t, 'offset out of bounds', () => m.reduce(0, D.float64, D.float64, [x, o], d(1, 10, 1, 1, 0, 0)), R, VAL);
  throwsCoded(t, 'stride out of bounds', () => m.reduce(0, D.float64, D.float64, [x, o], d(1, 10, 0, 2, 0, 0)), R, VAL);
  throwsCoded(t, 'negative stride before the start', () => m.reduce(0, D.float64, D.float64, [x, o], d(1, 10, 5, -1, 0, 0)), R, VAL);
  throwsCoded(t, 'out out of bounds', () => m.reduce(0, D.float64, D.float64, [x, o], d(1, 10, 0, 1, 0, 1)), R, VAL);
  throwsCoded(t, 'empty reduction, out out of bounds', () => m.reduce(0, D.float64, D.float64, [x, o], d(2, 0, 3, 0, 1, 1, 0, 0, 1)), R, VAL);
  throwsCoded(t, 'desc wrong length', () => m.reduce(0, D.float64, D.float64, [x, o], d(1, 10, 0, 1, 0)), R, VAL);
  throwsCoded(t, 'fractional stride', () => m.reduce(0, D.float64, D.float64, [x, o], d(1, 10, 0, 0.5, 0, 0)), R, VAL);
  throwsCoded(t, 'wrong typed array', () => m.reduce(0, D.float64, D.float64, [new Float32Array(10), o], d(1, 10, 0, 1, 0, 0)), T, TYP);
  throwsCoded(t, 'desc not Float64Array', () => m.reduce(0, D.float64, D.float64, [x, o], [1, 10, 0, 1, 0, 0] as never), T, TYP);
  throwsCoded(t, 'operands not an array', () => m.reduce(0, D.float64, D.float64, x as never, d(1, 10, 0, 1, 0, 0)), T, TYP);
  throwsCoded(t, 'unsupported pair', () => m.reduce(0, D.float64, D.int8, [x, new Int8Array(1)], d(1, 10, 0, 1, 0, 0)), R, VAL);
  throwsCoded(t, 'bad op code', () => m.reduce(99, D.float64, D.float64, [x, o], d(1, 10, 0, 1, 0, 0)), R, VAL);
  throwsCoded(t, 'op not a number', () => m.reduce('sum' as never, D.float64, D.float64, [x, o], d(1, 10, 0, 1, 0, 0)), T, TYP);
  throwsCoded(t, 'bad dtype code', () => m.reduce(0, 13, D.float64, [x, o], d(1, 10, 0, 1, 0, 0)), R, VAL);
  throwsCoded(t, 'argReduce out not int64', () => m.argReduce(1, D.float64, [x, o], d(1, 10, 0, 1, 0, 0)), T, TYP);
  throwsCoded(t, 'argReduce out stride on the last axis', () => m.argReduce(1, D.float64, [x, new BigInt64Array(10)], d(1, 10, 0, 1, 0, 1)), R, VAL);
  throwsCoded(
    t,
    'ssd unsupported pair',
    () => m.sumSquaredDeviations(D.float64, D.float32, [x, new Float32Array(1), new Float32Array(1)], d(1, 10, 0, 1, 0, 0, 0, 0)),
    R,
    VAL,
  );
  throwsCoded(t, 'ssd mean out of bounds', () => m.sumSquaredDeviations(D.float64, D.float64, [x, new Float64Array(0), o], d(1, 10, 0, 1, 0, 0, 0, 0)), R, VAL);
  throwsCoded(t, 'accumulate out too short', () => m.accumulate(0, D.float64, D.float64, [x, new Float64Array(9)], d(1, 10, 0, 1, 0, 1)), R, VAL);
  throwsCoded(
    t,
    'accumulate unsupported pair',
    () => m.accumulate(0, D.float32, D.float16, [new Float32Array(10), new Uint16Array(10)], d(1, 10, 0, 1, 0, 1)),
    R,
    VAL,
  );
  t.end();
});
