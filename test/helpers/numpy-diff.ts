/**
 * Batched differential testing against NumPy for the math tests (70-72).
 *
 * A test builds many cases, each a Python expression over arrays `a0, a1, …`
 * (sent as raw little-endian bytes) and the same computation in ndshare. All
 * cases of a batch run in ONE python3 process; each comes back as
 * {dtype, shape, bytes} or the name of the exception NumPy raised.
 *
 * NumPy has no bfloat16 (no ml_dtypes here): a bfloat16 argument is sent as
 * float32 for the values (NumPy computes in float32; the test rounds that to
 * bfloat16 with ndshare's astype) and as float16 for the result dtype
 * (bfloat16 promotes as float16 does, except against float16 itself, where
 * ml_dtypes gives float32).
 */
import type test from 'tape';
import * as nd from '../../src/index.js';
import { NDArray, type DType } from '../../src/index.js';
import { isNdshareError } from '../../src/errors.js';
import { native } from '../../src/binding.js';
import { dtypeInfo } from '../../src/ndarray/dtypes.js';
import { SKIP_MESSAGE, bytesOf, numpy, python } from './python.js';

/** A Python literal for a JS scalar, as ndshare reads it (NEP 50 weak): integer numbers are Python ints. */
export function lit(v: number | bigint | boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return "float('nan')";
  if (v === Infinity) return "float('inf')";
  if (v === -Infinity) return "float('-inf')";
  if (Number.isInteger(v)) return BigInt(v).toString();
  return `float.fromhex('${floatHex(v)}')`;
}

/** A float as a Python float.hex() string (exact). */
function floatHex(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0x0p+0' : '0x0p+0';
  const sign = v < 0 ? '-' : '';
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(v));
  const bits = buf.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const m = bits & ((1n << 52n) - 1n);
  const mant = m.toString(16).padStart(13, '0');
  if (e === 0) return `${sign}0x0.${mant}p-1022`;
  return `${sign}0x1.${mant}p${e - 1023}`;
}

/** One differential case. */
export interface Case {
  label: string;
  /** Python expression over a0, a1, … (the args, fresh copies per case). */
  expr: string;
  args: NDArray[];
  /** The same computation in ndshare. */
  ours: () => NDArray;
  /** 'exact' (default), or a tolerance in units in the last place of the result dtype. */
  tol?: Tol;
  /** An error code ours must have when NumPy raises (default: any ERR_NDSHARE_* code). */
  errCode?: string;
}

export type Tol =
  | 'exact'
  | {
      /** Units in the last place allowed for float results (0: exact). */
      ulps: number;
      /** Ulps allowed when the result is float16/bfloat16 (default: ulps). */
      halfUlps?: number;
      /** Ulps allowed when the result is float64 (default: ulps). */
      f64Ulps?: number;
      /** |value| below this counts as this (absolute error floor). */
      floor?: number;
      /** 0 and -0 count as equal (max/min/clip: NumPy itself is not consistent across dtypes). */
      signedZero?: boolean;
    };

export type PyResult = { dtype: string; shape: number[]; value: NDArray; hasBf16: boolean; hasF16: boolean } | { err: string; msg: string };

/** Runs every case's expression in one python3 process. */
export function runNumpy(cases: readonly Pick<Case, 'expr' | 'args'>[]): PyResult[] {
  const ids = new Map<NDArray, number>();
  const arrays: { dtype: string; shape: number[]; off: number; len: number; bf16: boolean }[] = [];
  const chunks: Uint8Array[] = [];
  let off = 0;
  const manifest = cases.map((c) => ({
    expr: c.expr,
    args: c.args.map((a) => {
      let id = ids.get(a);
      if (id === undefined) {
        const bf16 = a.dtype === 'bfloat16';
        const x = (bf16 ? a.astype('float32') : a).copy();
        const bytes = bytesOf(x.data).subarray(x.offset * x.itemsize, x.offset * x.itemsize + x.nbytes);
        id = arrays.length;
        arrays.push({ dtype: x.dtype, shape: [...a.shape], off, len: bytes.length, bf16 });
        chunks.push(bytes);
        off += bytes.length;
        ids.set(a, id);
      }
      return id;
    }),
  }));
  const blob = new Uint8Array(off);
  let p = 0;
  for (const c of chunks) {
    blob.set(c, p);
    p += c.length;
  }
  const code = `
raw = open(os.path.join(D, 'in.bin'), 'rb').read()
man = json.loads(open(os.path.join(D, 'man.json')).read())
A = []
H = []
for a in man['arrays']:
    v = np.frombuffer(raw, dtype=np.dtype(a['dtype']).newbyteorder('<'), count=a['len'] // np.dtype(a['dtype']).itemsize, offset=a['off']).reshape(a['shape'])
    A.append(v)
    H.append(v.astype(np.float16) if a['bf16'] else v)
res = []
out = open(os.path.join(D, 'out.bin'), 'wb')
pos = 0
def run(expr, xs):
    env = {'np': np}
    for i, x in enumerate(xs):
        env['a%d' % i] = x
    return np.asarray(eval(expr, env))
with np.errstate(all='ignore'):
    for c in man['cases']:
        bf = any(man['arrays'][i]['bf16'] for i in c['args'])
        try:
            r = run(c['expr'], [A[i].copy() for i in c['args']])
            dt = str(r.dtype)
            if bf:
                dt = str(run(c['expr'], [H[i].copy() for i in c['args']]).dtype)
                if dt == 'float16':
                    dt = 'bfloat16'
            b = np.ascontiguousarray(r).astype(r.dtype.newbyteorder('<')).tobytes()
            out.write(b)
            res.append({'dtype': dt, 'vdtype': str(r.dtype), 'shape': list(r.shape), 'off': pos, 'len': len(b),
                        'f16': any(A[i].dtype == np.float16 for i in c['args']), 'bf': bf})
            pos += len(b)
        except Exception as e:
            res.append({'err': type(e).__name__, 'msg': str(e)[:200]})
out.close()
print(json.dumps(res))
`;
  const { stdout, files } = python(code, {
    'in.bin': blob,
    'man.json': new TextEncoder().encode(JSON.stringify({ arrays, cases: manifest })),
  });
  const res = JSON.parse(stdout) as (
    { dtype: string; vdtype: string; shape: number[]; off: number; len: number; f16: boolean; bf: boolean } | { err: string; msg: string }
  )[];
  const out = files['out.bin'] ?? Buffer.alloc(0);
  return res.map((r) => {
    if ('err' in r) return r;
    const vd = r.vdtype as DType;
    const buf = new Uint8Array(r.len);
    buf.set(out.subarray(r.off, r.off + r.len));
    const ctor = dtypeInfo(vd).ctor as unknown as new (b: ArrayBuffer) => nd.TypedArray;
    const value = new NDArray(new ctor(buf.buffer), vd, r.shape);
    return { dtype: r.dtype, shape: r.shape, value, hasBf16: r.bf, hasF16: r.f16 };
  });
}

const FLOAT_FMT: Record<string, [number, number]> = {
  float64: [53, -1022],
  float32: [24, -126],
  float16: [11, -14],
  bfloat16: [8, -126],
};

/** The spacing of dtype `d`'s floats at magnitude `v`. */
export function ulpOf(v: number, d: DType): number {
  const [p, emin] = FLOAT_FMT[d]!;
  const a = Math.abs(v);
  const e = a === 0 || !Number.isFinite(a) ? emin : Math.max(Math.floor(Math.log2(a)), emin);
  return 2 ** (e - p + 1);
}

function isFloatD(d: string): boolean {
  return d in FLOAT_FMT;
}

/** Elements of a C-ordered copy as JS values (numbers for floats, bigint/number for ints, booleans as 0/1). */
function flat(x: NDArray): ArrayLike<number | bigint> {
  if (x.dtype === 'complex64' || x.dtype === 'complex128') {
    // The parts, interleaved (re, im): ulps are of the part dtype.
    const c = x.copy();
    return (c.data as Float64Array).subarray(2 * c.offset, 2 * (c.offset + c.size));
  }
  if (isFloatD(x.dtype)) {
    const f = x.astype('float64').copy();
    return (f.data as Float64Array).subarray(f.offset, f.offset + f.size);
  }
  const c = x.copy();
  if (c.dtype === 'bool') return Array.from(c.data.subarray(c.offset, c.offset + c.size) as Uint8Array, Number);
  return c.data.subarray(c.offset, c.offset + c.size) as unknown as ArrayLike<number | bigint>;
}

/** The bytes of `x` in C order. */
function bytesC(x: NDArray): Buffer {
  const c = x.flags.cContiguous ? x : x.copy();
  return Buffer.from(c.data.buffer, c.data.byteOffset + c.offset * c.itemsize, c.nbytes);
}

function show(v: number | bigint): string {
  return typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : String(v);
}

/**
 * Compares one of ours against NumPy's. Returns null when they agree, else a
 * description of the first differences.
 */
export function diff(got: NDArray | { error: Error & { code?: string } }, want: PyResult, tol: Tol = 'exact', errCode?: string): string | null {
  if ('err' in want) {
    if (got instanceof NDArray) return `NumPy raises ${want.err} (${want.msg}) but ours returned ${got.dtype} (${got.shape.join(', ')})`;
    const e = got.error;
    if (!isNdshareError(e)) return `NumPy raises ${want.err}; ours threw an uncoded ${e.name}: ${e.message}`;
    if (errCode !== undefined && e.code !== errCode) return `NumPy raises ${want.err}; ours threw ${e.code} instead of ${errCode}: ${e.message}`;
    return null;
  }
  if (!(got instanceof NDArray)) {
    const e = got.error;
    return `ours threw ${e.name} ${e.code ?? '(uncoded)'}: ${e.message}; NumPy gives ${want.dtype} (${want.shape.join(', ')})`;
  }
  let wantDType = want.dtype;
  if (want.hasBf16 && want.hasF16 && wantDType === 'bfloat16') wantDType = 'float32'; // ml_dtypes: bfloat16 + float16 -> float32
  if (got.dtype !== wantDType) return `dtype: ours ${got.dtype}, NumPy ${wantDType}`;
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    return `shape: ours (${got.shape.join(', ')}), NumPy (${want.shape.join(', ')})`;
  }
  let w = want.value;
  const d = got.dtype;
  if (w.dtype !== d) w = w.astype(d); // bfloat16: NumPy's float32 result rounded to bfloat16
  // Fast path: identical bytes (C order).
  if (bytesC(got).equals(bytesC(w))) return null;
  const gv = flat(got);
  const wv = flat(w);
  const half = d === 'float16' || d === 'bfloat16';
  const ulps = tol === 'exact' ? 0 : half ? (tol.halfUlps ?? tol.ulps) : d === 'float64' ? (tol.f64Ulps ?? tol.ulps) : tol.ulps;
  const signedZero = tol !== 'exact' && tol.signedZero === true;
  const floor = tol === 'exact' ? 0 : (tol.floor ?? 0);
  const bad: string[] = [];
  let nbad = 0;
  for (let i = 0; i < gv.length; i++) {
    const g = gv[i]!;
    const x = wv[i]!;
    if (typeof g === 'number' && typeof x === 'number') {
      if (Object.is(g, x) || (Number.isNaN(g) && Number.isNaN(x)) || (signedZero && g === x)) continue;
      const part = d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d;
      if (ulps > 0 && Number.isFinite(g) && Number.isFinite(x) && isFloatD(part)) {
        const u = ulpOf(Math.max(Math.abs(x), floor), part as DType);
        if (Math.abs(g - x) <= ulps * u) continue;
      }
    } else if (g === x) continue;
    nbad++;
    if (bad.length < 4) bad.push(`[${i}] ours ${show(g)} NumPy ${show(x)}`);
  }
  if (nbad === 0) return null;
  return `${nbad}/${gv.length} values differ${ulps ? ` (> ${ulps} ulp)` : ''}: ${bad.join(', ')}`;
}

/** Runs ours() and returns the array or the error it threw. */
export function attempt(f: () => NDArray): NDArray | { error: Error & { code?: string } } {
  try {
    return f();
  } catch (e) {
    return { error: e as Error & { code?: string } };
  }
}

/** The instruction sets the addon can run here, lowest first ('baseline', then 'avx2', 'avx512' as the CPU has them). */
export function availableIsas(): string[] {
  return [...native.kernels.isas];
}

/**
 * Runs all `cases` (one python3 process), fails once per differing case with
 * its label and the first differences, and passes once with the count of
 * agreeing cases. With `isas`, ours run once per instruction set
 * (native.kernels.setIsa), against the same NumPy results. Returns the number of
 * failures.
 */
export function checkAll(t: test.Test, title: string, cases: readonly Case[], isas: readonly (string | undefined)[] = [undefined]): number {
  const want = runNumpy(cases);
  let failures = 0;
  // A failure that is the same on every instruction set (a TS-layer one, usually) is reported once.
  const first: (string | null)[] = [];
  isas.forEach((isa, k) => {
    const tag = isa === undefined ? title : `${title} [${isa}]`;
    if (isa !== undefined) native.kernels.setIsa(isa);
    let bad = 0;
    let repeated = 0;
    try {
      cases.forEach((c, i) => {
        const got = attempt(c.ours);
        const d = diff(got, want[i]!, c.tol, c.errCode);
        if (k === 0) first.push(d);
        if (d !== null) {
          bad++;
          if (k > 0 && d === first[i]) repeated++;
          else t.fail(`${tag}: ${c.label} [${c.expr}]: ${d}`);
        }
      });
    } finally {
      if (isa !== undefined) native.kernels.setIsa('auto');
    }
    failures += bad - repeated;
    const more = repeated ? ` (${repeated} fail exactly as on ${isas[0]}, reported there)` : '';
    t.pass(`${tag}: ${cases.length - bad}/${cases.length} cases agree with NumPy${more}`);
  });
  return failures;
}

// ---- inputs ---------------------------------------------------------------

export const NUMPY_DTYPES: DType[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64'];
export const ALL_DTYPES: DType[] = [...NUMPY_DTYPES.slice(0, 10), 'bfloat16', 'float32', 'float64'];
export const INT_DTYPES: DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
export const FLOAT_DTYPES: DType[] = ['float16', 'bfloat16', 'float32', 'float64'];

export const INT_RANGE: Record<string, [bigint, bigint]> = {
  int8: [-128n, 127n],
  uint8: [0n, 255n],
  int16: [-32768n, 32767n],
  uint16: [0n, 65535n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

const FLOAT_MAX: Record<string, number> = { float16: 65504, bfloat16: 3.3895313892515355e38, float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };
const FLOAT_TINY: Record<string, number> = { float16: 6e-8, bfloat16: 1e-40, float32: 1e-45, float64: 5e-324 };

/** A 1-D array of `values` (numbers or bigints, already in range) in dtype `d`. */
export function arrayOf(values: readonly (number | bigint | boolean)[], d: DType): NDArray {
  if (d === 'bool') return nd.asarray(Uint8Array.from(values.map((v) => (v ? 1 : 0)))).astype('bool');
  if (d in INT_RANGE) {
    const big = values.map((v) => (typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)))));
    const src = d.startsWith('u') ? nd.asarray(BigUint64Array.from(big.map((b) => BigInt.asUintN(64, b)))) : nd.asarray(BigInt64Array.from(big));
    return src.astype(d);
  }
  return nd.asarray(Float64Array.from(values.map(Number))).astype(d);
}

/**
 * Interesting values of dtype `d`: edges (0, ±1, limits, NaN, ±Inf, -0,
 * halves for rounding) followed by seeded random ones, `n` in all.
 */
/** `n` values of `d` with many ties: picks from a pool of `poolSize` edge values (NaN, -0 and 0 included for floats). */
export function tiedValues(d: DType, n: number, rand: () => number, poolSize = 6): NDArray {
  const pool = edgeValues(d, 24, rand)
    .filter((_, i) => i % 4 === 0 || i === 1 || i === 17)
    .slice(0, poolSize);
  return arrayOf(
    Array.from({ length: n }, () => pool[rand() % pool.length]!),
    d,
  );
}

export function edgeValues(d: DType, n: number, rand: () => number, opts: { huge?: boolean } = {}): (number | bigint | boolean)[] {
  const vals: (number | bigint | boolean)[] = [];
  if (d === 'bool') {
    vals.push(false, true);
    while (vals.length < n) vals.push((rand() & 1) === 1);
    return vals.slice(0, n);
  }
  const r = INT_RANGE[d];
  if (r) {
    const [lo, hi] = r;
    const cand = [0n, 1n, -1n, 2n, -2n, 3n, 7n, -7n, lo, lo + 1n, hi, hi - 1n, 100n, -100n, 10n, -3n];
    for (const c of cand) if (c >= lo && c <= hi && !vals.includes(c)) vals.push(c);
    const span = hi - lo + 1n;
    while (vals.length < n) {
      const x = (BigInt(rand()) << 32n) | BigInt(rand());
      // Mostly small values, some anywhere in the range.
      const v = rand() % 3 === 0 ? lo + (x % span) : BigInt((rand() % 201) - 100);
      vals.push(v < lo ? lo - v : v > hi ? hi : v);
    }
    return vals.slice(0, n);
  }
  const big = FLOAT_MAX[d]!;
  const cand = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, -3, 7, -7, 0.1, -0.75, 100, -100, NaN, Infinity, -Infinity, 1e-3];
  if (opts.huge !== false) cand.push(big, -big, FLOAT_TINY[d]!);
  vals.push(...cand);
  while (vals.length < n) {
    const u = rand() / 2 ** 32;
    const k = rand() % 4;
    vals.push(k === 0 ? (u - 0.5) * 20 : k === 1 ? (u - 0.5) * 2 : k === 2 ? (u - 0.5) * 2000 : Math.round((u - 0.5) * 40) / 4);
  }
  return vals.slice(0, n);
}

/**
 * A random view of shape `shape` of a fresh array of edge values: a transpose,
 * then a slice per axis (steps 1, 2, 3, -1, -2). `py` is the same view in
 * Python with `{}` for the argument's index (`a{}` -> `a0`).
 */
export function randomView(rand: () => number, d: DType, shape: number[]): { base: NDArray; py: string; view: (a: NDArray) => NDArray } {
  const nd0 = shape.length;
  // Base shape: each axis a bit longer so that steps and offsets have room.
  const steps = shape.map(() => [1, 1, 2, -1, -2, 3][rand() % 6]!);
  const baseAxes = shape.map((n, i) => Math.max(1, n * Math.abs(steps[i]!) + (rand() % 2)));
  const perm = [...Array(nd0).keys()];
  const transpose = nd0 > 1 && rand() % 2 === 0;
  if (transpose)
    for (let i = nd0 - 1; i > 0; i--) {
      const j = rand() % (i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
  // base is laid out so that base.transpose(perm) has axes baseAxes.
  const inv = perm.map((_, k) => perm.indexOf(k));
  const baseShape = inv.map((k) => baseAxes[k]!);
  const n = baseShape.reduce((p, q) => p * q, 1);
  const base = arrayOf(edgeValues(d, n, rand), d).reshape(baseShape);
  // Per axis, start:stop:step selecting exactly shape[i] elements of baseAxes[i].
  const slices = shape.map((len, i) => {
    const st = steps[i]!;
    if (st > 0) {
      const start = baseAxes[i]! - len * st >= 1 ? 1 : 0;
      return `${start}:${start + len * st}:${st}`;
    }
    const start = baseAxes[i]! - 1;
    const stop = start + len * st;
    return `${start}:${stop === -1 ? '' : stop}:${st}`;
  });
  const pyT = transpose ? `.transpose(${perm.join(', ')}${nd0 === 1 ? ',' : ''})` : '';
  const py = `a{}${pyT}${nd0 ? `[${slices.join(', ')}]` : ''}`;
  const view = (a: NDArray): NDArray => {
    let v = transpose ? a.transpose(perm) : a;
    if (nd0) v = v.slice(...slices);
    return v;
  };
  return { base, py, view };
}

/** Skips the test with the visible message when python3 with numpy is absent; true if it did. */
export function skipWithoutNumpy(t: test.Test): boolean {
  if (numpy()) return false;
  t.skip(SKIP_MESSAGE);
  t.end();
  return true;
}

/** True for the floating dtypes. */
export const isFloatDType = (d: DType): boolean => d.startsWith('float') || d === 'bfloat16';
