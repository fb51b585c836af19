// The native elementwise engine (math.elementwise / math.where) against NumPy:
// every (op, dtype) of math.opInfo on random and edge values (NaN, ±Inf, -0.0,
// integer extremes, zero divisors), through every inner-loop path (contiguous,
// negative strides, broadcast inputs, a transposed 2-d loop, 0-d, zero-size,
// in place), on every instruction set this CPU has; plus coded errors for bad
// calls.
//
// Tolerances: exact (bits; any NaN equals any NaN) for every integer, bool,
// comparison, rounding and arithmetic result, including divide, sqrt,
// floorDivide and mod. The transcendentals, float power and arctan2 may differ
// from NumPy by at most 4 ULP in float32/float64 (both sides are few-ULP
// approximations; NumPy uses SVML on AVX-512) and 1 ULP in float16/bfloat16 (a
// float32 result rounded once); special values (NaN, ±Inf) must match exactly.
import test from 'tape';
import { native } from '../src/binding.js';
import { numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { mulberry32 } from './helpers/assert.js';
import { at } from './helpers/checked.js';
import { TRANSCENDENTAL, transcendentalUlps } from './helpers/ufuncs.js';

// math.opInfo is not in NativeMath (src/binding.ts) yet: typed here.
const math = native.math as typeof native.math & {
  opInfo: Record<string, { arity: number; bool: boolean; dtypes: number[] }>;
};
const N = 300; // > one float16 block (256) and several vectors of every width
const ISAS = [...native.kernels.isas];
const DT = math.dtypes;
const DTNAME: string[] = [];
for (const [k, v] of Object.entries(DT)) DTNAME[v] = k;
type TA = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;
const CTOR = [
  Uint8Array,
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
  Uint16Array,
  Uint16Array,
  Float32Array,
  Float64Array,
] as const;

// ---- NumPy side: inputs and references for every (op, dtype) ------------------

const PY = String.raw`
import base64
spec = json.loads(sys.stdin.read()) if False else json.load(open(os.path.join(D, 'spec.json')))
N = spec['n']
rng = np.random.default_rng(1234)
NAMES = ['bool','int8','uint8','int16','uint16','int32','uint32','int64','uint64','float16','bfloat16','float32','float64']
NP = {'int8':np.int8,'uint8':np.uint8,'int16':np.int16,'uint16':np.uint16,'int32':np.int32,'uint32':np.uint32,'int64':np.int64,'uint64':np.uint64,'float16':np.float16,'float32':np.float32,'float64':np.float64}
UF = {'add':np.add,'subtract':np.subtract,'multiply':np.multiply,'divide':np.true_divide,'floorDivide':np.floor_divide,'mod':np.remainder,'power':np.power,'maximum':np.maximum,'minimum':np.minimum,'arctan2':np.arctan2,'equal':np.equal,'notEqual':np.not_equal,'less':np.less,'lessEqual':np.less_equal,'greater':np.greater,'greaterEqual':np.greater_equal,'logicalAnd':np.logical_and,'logicalOr':np.logical_or,'logicalXor':np.logical_xor,'negative':np.negative,'abs':np.absolute,'sign':np.sign,'sqrt':np.sqrt,'square':np.square,'exp':np.exp,'expm1':np.expm1,'log':np.log,'log1p':np.log1p,'log2':np.log2,'log10':np.log10,'sin':np.sin,'cos':np.cos,'tan':np.tan,'arcsin':np.arcsin,'arccos':np.arccos,'arctan':np.arctan,'sinh':np.sinh,'cosh':np.cosh,'tanh':np.tanh,'floor':np.floor,'ceil':np.ceil,'rint':np.rint,'trunc':np.trunc,'logicalNot':np.logical_not,'isnan':np.isnan,'isinf':np.isinf,'isfinite':np.isfinite,'fabs':np.fabs,'cbrt':np.cbrt,'exp2':np.exp2,'deg2rad':np.deg2rad,'rad2deg':np.rad2deg,'hypot':np.hypot,'copysign':np.copysign,'logaddexp':np.logaddexp,'logaddexp2':np.logaddexp2,'bitwiseAnd':np.bitwise_and,'bitwiseOr':np.bitwise_or,'bitwiseXor':np.bitwise_xor,'invert':np.invert,'leftShift':np.left_shift,'rightShift':np.right_shift,'gcd':np.gcd,'lcm':np.lcm,'fmod':np.fmod,'fmax':np.fmax,'fmin':np.fmin,'heaviside':np.heaviside,'nextafter':np.nextafter,'arcsinh':np.arcsinh,'arccosh':np.arccosh,'arctanh':np.arctanh,'spacing':np.spacing,'positive':np.positive,'conjugate':np.conjugate,'reciprocal':np.reciprocal,'signbit':np.signbit,'bitwiseCount':np.bitwise_count,'ldexp':lambda a, b: np.ldexp(a, np.clip(np.nan_to_num(np.trunc(b.astype(np.float64)), nan=0.0), -4000, 4000).astype(np.int64)),'frexpMantissa':lambda x: np.frexp(x)[0],'frexpExponent':lambda x: np.frexp(x)[1].astype(x.dtype)}

def to_bf16(f):
    b = np.asarray(f, np.float32).view(np.uint32).astype(np.uint64)
    r = ((b + 0x7fff + ((b >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(np.asarray(f, np.float32))
    return np.where(nan, ((b >> 16) & 0x8000).astype(np.uint16) | np.uint16(0x7fc0), r).astype(np.uint16)
def from_bf16(h):
    return (np.asarray(h, np.uint16).astype(np.uint32) << 16).view(np.float32)

def gen(name, op, pos):
    n = N
    if name == 'bool':
        return rng.integers(0, 2, n).astype(np.uint8)
    if name in NP and np.issubdtype(NP[name], np.integer):
        t = NP[name]; info = np.iinfo(t)
        full = rng.integers(info.min, info.max, n, dtype=t, endpoint=True)
        small = rng.integers(max(info.min, -12), 13, n).astype(t)
        v = np.where(rng.random(n) < 0.5, small, full)
        if op == 'power' and pos == 1:
            v = rng.integers(0, 70, n).astype(t)
            if info.min < 0: v[rng.integers(0, n, 2)] = -1
        edges = [info.min, info.max, 0, 1, info.max - 1, 2]
        if info.min < 0: edges += [-1, info.min + 1, -2]
        idx = rng.permutation(n)[:len(edges)]
        v[idx] = np.array(edges, dtype=t)
        return v
    mag = 10.0 ** rng.integers(-3, 4, n)
    v = (rng.random(n) - 0.5) * 2 * mag
    v = np.where(rng.random(n) < 0.2, np.round(v * 2) / 2, v)  # halves: rint ties, exact divisions
    if op in ('arcsin', 'arccos', 'log1p', 'arctanh'):
        v = np.where(rng.random(n) < 0.7, rng.random(n) * 2.4 - 1.2, v)
    if op == 'arccosh':
        v = np.where(rng.random(n) < 0.5, 1 + rng.random(n) * 3, v)
    if False:
        v = np.where(rng.random(n) < 0.7, rng.random(n) * 2.4 - 1.2, v)
    if op == 'power' and pos == 1:
        v = np.where(rng.random(n) < 0.6, np.round(v), v)
    big = 65504.0 if name == 'float16' else 3e38 if name in ('float32', 'bfloat16') else 1.7e308
    tiny = 6e-8 if name == 'float16' else 1e-40 if name in ('float32', 'bfloat16') else 5e-324
    edges = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, big, -big, tiny, -tiny, 0.0, -0.0, 1.0]
    idx = rng.permutation(n)[:len(edges)]
    v[idx] = edges
    if op in ('fmax', 'fmin'):
        v = np.where(v == 0, 0.0, v)  # the sign of a 0/-0 tie is unspecified (NumPy's loops disagree; test/85 compares it as equal)
    if name == 'bfloat16':
        return to_bf16(v)
    return v.astype(NP[name])

def compute_view(name, arrs):
    if name == 'bool': return [a.astype(bool) for a in arrs]
    if name == 'bfloat16': return [from_bf16(a) for a in arrs]
    return arrs

def ref(op, name, arrs):
    xs = compute_view(name, arrs)
    flag = 0
    isint = name != 'bool' and name in NP and np.issubdtype(NP[name], np.integer)
    if op == 'clip':
        r = np.minimum(np.maximum(xs[0], xs[1]), xs[2])
    elif op in ('square', 'floor', 'ceil', 'rint', 'trunc', 'abs') and name == 'bool':
        r = xs[0].copy()
    elif op in ('ceil', 'rint', 'trunc', 'floor') and isint:
        r = xs[0].copy()
    elif op == 'power' and isint:
        neg = xs[1] < 0
        flag = int(neg.any())
        r = np.where(neg, 0, np.power(xs[0], np.where(neg, 0, xs[1]))).astype(xs[0].dtype)
    elif op in ('fmax', 'fmin') and name in ('bfloat16', 'float16', 'float32'):
        # NumPy's float32 SIMD fmax/fmin return x2 on a 0/-0 tie, its scalar
        # npy_fmax (float64, float16) x1; the 16-bit loops follow npy_fmax.
        r = UF[op](*[x.astype(np.float64) for x in xs]).astype(np.float32 if name == 'bfloat16' else xs[0].dtype)
    else:
        r = UF[op](*xs)
    r = np.asarray(r)
    if op == 'bitwiseCount': return r.astype(np.uint8).tobytes(), flag
    if r.dtype == bool: return r.astype(np.uint8).tobytes(), flag
    if name == 'bfloat16': return to_bf16(r.astype(np.float32)).tobytes(), flag
    if name == 'bool': return r.astype(np.uint8).tobytes(), flag
    return r.astype(arrs[0].dtype if name != 'bool' else np.uint8).tobytes(), flag

out = []
for item in spec['pairs']:
    op, name, arity, k = item['op'], NAMES[item['dtype']], item['arity'], item['k']
    arrs = [gen(name, op, p) for p in range(arity)]
    r, f = ref(op, name, arrs)
    e = {'inputs': [base64.b64encode(a.tobytes()).decode() for a in arrs], 'ref': base64.b64encode(r).decode(), 'flag': f}
    if arity > 1:
        b = [arrs[0]] + [np.full(N, a[k], a.dtype) for a in arrs[1:]]
        rb, fb = ref(op, name, b)
        a0 = [np.full(N, arrs[0][k], arrs[0].dtype)] + arrs[1:]
        ra, fa = ref(op, name, a0)
        e.update(refB=base64.b64encode(rb).decode(), flagB=fb, refA=base64.b64encode(ra).decode(), flagA=fa)
    out.append(e)
with open(os.path.join(D, 'out.json'), 'w') as fh: json.dump(out, fh)
`;

interface Pair {
  op: string;
  code: number;
  dtype: number;
  arity: number;
  bool: boolean;
  k: number;
  inputs: TA[];
  ref: TA;
  refB?: TA;
  refA?: TA;
  flag: number;
  flagB?: number;
  flagA?: number;
}

function typed(dtype: number, b64: string): TA {
  const buf = Buffer.from(b64, 'base64');
  const ab = new ArrayBuffer(buf.length);
  new Uint8Array(ab).set(buf);
  return new (at(CTOR, dtype))(ab) as TA;
}

function buildPairs(): Pair[] {
  const rand = mulberry32(99);
  const pairs: Pair[] = [];
  for (const [op, info] of Object.entries(math.opInfo)) {
    for (const dtype of info.dtypes) {
      pairs.push({ op, code: at(math.ops, op), dtype, arity: info.arity, bool: info.bool, k: rand() % N, inputs: [], ref: new Uint8Array(0), flag: 0 });
    }
  }
  const spec = { n: N, pairs: pairs.map((p) => ({ op: p.op, dtype: p.dtype, arity: p.arity, k: p.k })) };
  const res = python(PY, { 'spec.json': new TextEncoder().encode(JSON.stringify(spec)) });
  const out = JSON.parse(at(res.files, 'out.json').toString()) as {
    inputs: string[];
    ref: string;
    refB?: string;
    refA?: string;
    flag: number;
    flagB?: number;
    flagA?: number;
  }[];
  out.forEach((e, i) => {
    const p = at(pairs, i);
    const od = p.bool ? DT.bool : p.dtype;
    p.inputs = e.inputs.map((s) => typed(p.dtype, s));
    p.ref = typed(od, e.ref);
    if (e.refB) p.refB = typed(od, e.refB);
    if (e.refA) p.refA = typed(od, e.refA);
    p.flag = e.flag;
    p.flagB = e.flagB;
    p.flagA = e.flagA;
  });
  return pairs;
}

// ---- Comparison -----------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

// Bits of element i as a BigInt (floats), or the value (ints) — plus NaN-ness.
function key(dtype: number, a: TA, i: number): { bits: bigint; nan: boolean; inf: boolean } {
  if (dtype === DT.float64) {
    f64[0] = at(a as Float64Array, i);
    const v = f64[0]!; // a scratch of length 1
    return { bits: u64[0]!, nan: Number.isNaN(v), inf: !Number.isFinite(v) && !Number.isNaN(v) };
  }
  if (dtype === DT.float32) {
    f32[0] = at(a as Float32Array, i);
    return { bits: BigInt(at(u32, 0)), nan: Number.isNaN(f32[0]), inf: !Number.isFinite(f32[0]) && !Number.isNaN(f32[0]) };
  }
  if (dtype === DT.float16 || dtype === DT.bfloat16) {
    const b = at(a as Uint16Array, i);
    const exp = dtype === DT.float16 ? 0x7c00 : 0x7f80;
    return { bits: BigInt(b), nan: (b & exp) === exp && (b & ~exp & 0x7fff) !== 0, inf: (b & 0x7fff) === exp };
  }
  return { bits: BigInt(a[i] as number | bigint), nan: false, inf: false };
}

const SIGN: Record<number, bigint> = { [DT.float64]: 1n << 63n, [DT.float32]: 1n << 31n, [DT.float16]: 1n << 15n, [DT.bfloat16]: 1n << 15n };
function ordered(dtype: number, bits: bigint): bigint {
  const s = at(SIGN, dtype);
  return bits & s ? -(bits & (s - 1n)) : bits;
}

function tolerance(op: string, dtype: number): number {
  if (!TRANSCENDENTAL.has(op) || dtype < DT.float16) return 0;
  const name = dtype === DT.float64 ? 'float64' : dtype === DT.float32 ? 'float32' : 'float16';
  return transcendentalUlps(op, name);
}

// Compares got[gi(i)] with want[i] for i < n; returns a description of the first mismatches.
function compare(op: string, dtype: number, got: TA, gi: (i: number) => number, want: TA, n: number, wi: (i: number) => number = (i) => i): string[] {
  const tol = BigInt(tolerance(op, dtype));
  const bad: string[] = [];
  for (let i = 0; i < n && bad.length < 3; i++) {
    const g = key(dtype, got, gi(i));
    const w = key(dtype, want, wi(i));
    if (g.nan || w.nan) {
      if (g.nan !== w.nan) bad.push(`[${i}] got ${got[gi(i)]} want ${want[wi(i)]}`);
      continue;
    }
    if (g.bits === w.bits) continue;
    if (tol > 0n && !g.inf && !w.inf) {
      let d = ordered(dtype, g.bits) - ordered(dtype, w.bits);
      if (d < 0n) d = -d;
      if (d <= tol) continue;
    }
    bad.push(`[${i}] got ${got[gi(i)]} (0x${g.bits.toString(16)}) want ${want[wi(i)]} (0x${w.bits.toString(16)})`);
  }
  return bad;
}

// ---- desc helpers ------------------------------------------------------------------

function desc(shape: number[], ops: [number, ...number[]][]): Float64Array {
  return new Float64Array([shape.length, ...shape, ...ops.flat()]);
}

function runCases(p: Pair): string[] {
  const errs: string[] = [];
  const od = p.bool ? DT.bool : p.dtype;
  const OC = at(CTOR, od);
  const IC = at(CTOR, p.dtype);
  const ar = p.arity;
  const note = (what: string, bad: string[]) => {
    if (bad.length) errs.push(`${what}: ${bad.join('; ')}`);
  };
  const call = (ops: TA[], d: Float64Array) => math.elementwise(p.code, p.dtype, ops, d);

  // contiguous
  {
    const out = new OC(N) as TA;
    const f = call(
      [...p.inputs, out],
      desc(
        [N],
        Array.from({ length: ar + 1 }, () => [0, 1] as [number, number]),
      ),
    );
    note(
      'contiguous',
      compare(p.op, od, out, (i) => i, p.ref, N),
    );
    if ((f & 1) !== p.flag) errs.push(`contiguous: flags ${f} want ${p.flag}`);
  }
  // negative strides in, stride 3 out
  {
    const ins = p.inputs.map((a) => {
      const b = new IC(2 * N + 1) as TA;
      for (let i = 0; i < N; i++) b[2 * (N - 1 - i) + 1] = at(a as ArrayLike<number | bigint>, i);
      return b;
    });
    const out = new OC(3 * N + 2) as TA;
    call([...ins, out], desc([N], [...ins.map(() => [2 * (N - 1) + 1, -2] as [number, number]), [2, 3]]));
    note(
      'strided',
      compare(p.op, od, out, (i) => 2 + 3 * i, p.ref, N),
    );
  }
  // transposed 2-d: inputs Fortran-order (strides [1, r]), output C-order
  {
    const r = 15,
      c = 20;
    const out = new OC(N) as TA;
    call([...p.inputs, out], desc([r, c], [...p.inputs.map(() => [0, 1, r] as [number, number, number]), [0, c, 1]]));
    note(
      '2-d',
      compare(
        p.op,
        od,
        out,
        (i) => i,
        p.ref,
        N,
        (i) => Math.floor(i / c) + (i % c) * r,
      ),
    );
  }
  // broadcast: every input but the first is element k (stride 0); then only the first is
  if (ar > 1) {
    const out = new OC(N) as TA;
    let f = call([...p.inputs, out], desc([N], [[0, 1], ...p.inputs.slice(1).map(() => [p.k, 0] as [number, number]), [0, 1]]));
    note(
      'broadcast rest',
      compare(p.op, od, out, (i) => i, p.refB!, N),
    );
    if ((f & 1) !== p.flagB) errs.push(`broadcast rest: flags ${f} want ${p.flagB}`);
    const out2 = new OC(N) as TA;
    f = call([...p.inputs, out2], desc([N], [[p.k, 0], ...p.inputs.slice(1).map(() => [0, 1] as [number, number]), [0, 1]]));
    note(
      'broadcast first',
      compare(p.op, od, out2, (i) => i, p.refA!, N),
    );
    if ((f & 1) !== p.flagA) errs.push(`broadcast first: flags ${f} want ${p.flagA}`);
  } else {
    const out = new OC(N) as TA;
    call(
      [at(p.inputs, 0), out],
      desc(
        [N],
        [
          [p.k, 0],
          [0, 1],
        ],
      ),
    );
    note(
      'broadcast',
      compare(
        p.op,
        od,
        out,
        (i) => i,
        p.ref,
        N,
        () => p.k,
      ),
    );
  }
  // in place (the output is input 0)
  if (od === p.dtype) {
    const x = at(p.inputs, 0).slice() as TA;
    call(
      [x, ...p.inputs.slice(1), x],
      desc(
        [N],
        Array.from({ length: ar + 1 }, () => [0, 1] as [number, number]),
      ),
    );
    note(
      'in place',
      compare(p.op, od, x, (i) => i, p.ref, N),
    );
  }
  // in place through the second input
  if (ar > 1 && od === p.dtype) {
    const x = at(p.inputs, 1).slice() as TA;
    call(
      [at(p.inputs, 0), x, ...p.inputs.slice(2), x],
      desc(
        [N],
        Array.from({ length: ar + 1 }, () => [0, 1] as [number, number]),
      ),
    );
    note(
      'in place (input 1)',
      compare(p.op, od, x, (i) => i, p.ref, N),
    );
  }
  // bool inputs: any nonzero byte is true
  if (p.dtype === DT.bool) {
    const ins = p.inputs.map((a) => (a as Uint8Array).map((v, i) => (v ? 1 + ((i * 37) % 255) : 0)));
    const out = new OC(N) as TA;
    call(
      [...ins, out],
      desc(
        [N],
        Array.from({ length: ar + 1 }, () => [0, 1] as [number, number]),
      ),
    );
    note(
      'bool bytes > 1',
      compare(p.op, od, out, (i) => i, p.ref, N),
    );
  }
  // 0-d at element k
  {
    const out = new OC(3) as TA;
    call([...p.inputs, out], desc([], [...p.inputs.map(() => [p.k] as [number]), [1]]));
    note(
      '0-d',
      compare(
        p.op,
        od,
        out,
        () => 1,
        p.ref,
        1,
        () => p.k,
      ),
    );
  }
  // zero-size: nothing written, offsets past the end are fine
  {
    const out = new OC(4) as TA;
    const before = out.slice();
    call([...p.inputs, out], desc([3, 0], [...p.inputs.map(() => [N + 5, 1, 1] as [number, number, number]), [9, 1, 1]]));
    if (out.some((v, i) => v !== before[i])) errs.push('zero-size wrote');
  }
  return errs;
}

// ---- Tests ---------------------------------------------------------------------------

test('math.ops / math.opInfo describe the engine', (t) => {
  t.equal(Object.keys(math.ops).length, 82, '82 ops');
  t.deepEqual(at(math.opInfo, 'add').dtypes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'add: all dtypes');
  t.deepEqual(at(math.opInfo, 'exp').dtypes, [9, 10, 11, 12], 'exp: floats');
  t.notOk(at(math.opInfo, 'subtract').dtypes.includes(0), 'no bool subtract');
  t.notOk(at(math.opInfo, 'sign').dtypes.includes(0), 'no bool sign (NumPy has none)');
  t.equal(at(math.opInfo, 'clip').arity, 3);
  t.equal(at(math.opInfo, 'less').bool, true);
  t.equal(at(math.opInfo, 'add').bool, false);
  t.end();
});

test('every (op, dtype) matches NumPy on every path and ISA', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const pairs = buildPairs();
  try {
    for (const isa of ISAS) {
      native.kernels.setIsa(isa);
      const byOp = new Map<string, string[]>();
      for (const p of pairs) {
        const errs = runCases(p).map((e) => `${DTNAME[p.dtype]} ${e}`);
        byOp.set(p.op, [...(byOp.get(p.op) ?? []), ...errs]);
      }
      for (const [op, errs] of byOp) t.deepEqual(errs.slice(0, 6), [], `${isa} ${op}`);
    }
  } finally {
    native.kernels.setIsa('auto');
  }
  t.end();
});

test('where: every element size, contiguous / strided / broadcast, every ISA', (t) => {
  const rand = mulberry32(7);
  try {
    for (const isa of ISAS) {
      native.kernels.setIsa(isa);
      for (let dtype = 0; dtype < 13; dtype++) {
        const C = at(CTOR, dtype);
        const n = 333;
        const cond = new Uint8Array(n).map(() => (rand() % 3 === 0 ? 0 : rand() % 4));
        const x = new C(n) as TA;
        const y = new C(n) as TA;
        const bytesX = new Uint8Array(x.buffer);
        const bytesY = new Uint8Array(y.buffer);
        for (let i = 0; i < bytesX.length; i++) {
          bytesX[i] = rand() & 255;
          bytesY[i] = rand() & 255;
        }
        const want = (i: number, xi: number, yi: number, ci = i) => (cond[ci] ? x[xi] : y[yi]);
        const same = (a: unknown, b: unknown) => a === b || (Number.isNaN(a) && Number.isNaN(b));
        let out = new C(n) as TA;
        math.where(
          dtype,
          [cond, x, y, out],
          desc(
            [n],
            [
              [0, 1],
              [0, 1],
              [0, 1],
              [0, 1],
            ],
          ),
        );
        let ok = true;
        for (let i = 0; i < n; i++) ok &&= same(out[i], want(i, i, i));
        // reversed x, broadcast y, stride-2 output
        out = new C(2 * n) as TA;
        math.where(
          dtype,
          [cond, x, y, out],
          desc(
            [n],
            [
              [0, 1],
              [n - 1, -1],
              [5, 0],
              [1, 2],
            ],
          ),
        );
        for (let i = 0; i < n; i++) ok &&= same(out[1 + 2 * i], want(i, n - 1 - i, 5));
        // in place into x
        const x2 = x.slice() as TA;
        math.where(
          dtype,
          [cond, x2, y, x2],
          desc(
            [n],
            [
              [0, 1],
              [0, 1],
              [0, 1],
              [0, 1],
            ],
          ),
        );
        for (let i = 0; i < n; i++) ok &&= same(x2[i], want(i, i, i));
        t.ok(ok, `${isa} where ${DTNAME[dtype]}`);
      }
    }
  } finally {
    native.kernels.setIsa('auto');
  }
  t.end();
});

test('bad calls throw coded errors, never crash', (t) => {
  const x = new Float64Array(4);
  const o = new Float64Array(4);
  const d1 = desc(
    [4],
    [
      [0, 1],
      [0, 1],
      [0, 1],
    ],
  );
  const expectCode = (label: string, fn: () => unknown, code: string, name: string) => {
    try {
      fn();
      t.fail(`${label}: did not throw`);
    } catch (e) {
      const err = e as Error & { code?: string };
      t.ok(err.code === code && err.name.includes(name), `${label}: ${err.name} ${err.code}: ${err.message}`);
    }
  };
  const A = at(math.ops, 'add');
  expectCode(
    'unsupported dtype',
    () => math.elementwise(at(math.ops, 'divide'), DT.int32, [new Int32Array(4), new Int32Array(4), new Int32Array(4)], d1),
    'ERR_NDSHARE_UNSUPPORTED',
    'TypeError',
  );
  expectCode(
    'bool subtract',
    () => math.elementwise(at(math.ops, 'subtract'), DT.bool, [new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)], d1),
    'ERR_NDSHARE_UNSUPPORTED',
    'TypeError',
  );
  expectCode('unknown op', () => math.elementwise(999, DT.float64, [x, x, o], d1), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'RangeError');
  expectCode('unknown dtype', () => math.elementwise(A, 15, [x, x, o], d1), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'RangeError');
  expectCode('op not a number', () => math.elementwise('add' as never, DT.float64, [x, x, o], d1), 'ERR_NDSHARE_INVALID_ARG_TYPE', 'TypeError');
  expectCode('wrong typed array', () => math.elementwise(A, DT.float64, [x, new Float32Array(4), o], d1), 'ERR_NDSHARE_INVALID_ARG_TYPE', 'TypeError');
  expectCode('bool output not uint8', () => math.elementwise(at(math.ops, 'less'), DT.float64, [x, x, o], d1), 'ERR_NDSHARE_INVALID_ARG_TYPE', 'TypeError');
  expectCode('too few operands', () => math.elementwise(A, DT.float64, [x, o], d1), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'RangeError');
  expectCode('operands not an array', () => math.elementwise(A, DT.float64, x as never, d1), 'ERR_NDSHARE_INVALID_ARG_TYPE', 'TypeError');
  expectCode(
    'desc not Float64Array',
    () => math.elementwise(A, DT.float64, [x, x, o], [1, 4, 0, 1, 0, 1, 0, 1] as never),
    'ERR_NDSHARE_INVALID_ARG_TYPE',
    'TypeError',
  );
  expectCode(
    'offset out of bounds',
    () =>
      math.elementwise(
        A,
        DT.float64,
        [x, x, o],
        desc(
          [4],
          [
            [1, 1],
            [0, 1],
            [0, 1],
          ],
        ),
      ),
    'ERR_NDSHARE_INVALID_ARG_VALUE',
    'RangeError',
  );
  expectCode(
    'negative stride out of bounds',
    () =>
      math.elementwise(
        A,
        DT.float64,
        [x, x, o],
        desc(
          [4],
          [
            [0, -1],
            [0, 1],
            [0, 1],
          ],
        ),
      ),
    'ERR_NDSHARE_INVALID_ARG_VALUE',
    'RangeError',
  );
  expectCode(
    'huge stride',
    () =>
      math.elementwise(
        A,
        DT.float64,
        [x, x, o],
        desc(
          [4],
          [
            [0, 2 ** 52],
            [0, 1],
            [0, 1],
          ],
        ),
      ),
    'ERR_NDSHARE_INVALID_ARG_VALUE',
    'RangeError',
  );
  expectCode(
    'fractional shape',
    () =>
      math.elementwise(
        A,
        DT.float64,
        [x, x, o],
        desc(
          [2.5],
          [
            [0, 1],
            [0, 1],
            [0, 1],
          ],
        ),
      ),
    'ERR_NDSHARE_INVALID_ARG_VALUE',
    'RangeError',
  );
  expectCode('short desc', () => math.elementwise(A, DT.float64, [x, x, o], new Float64Array([1, 4, 0, 1])), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'RangeError');
  expectCode(
    'where: cond not uint8',
    () =>
      math.where(
        DT.float64,
        [x, x, x, o],
        desc(
          [4],
          [
            [0, 1],
            [0, 1],
            [0, 1],
            [0, 1],
          ],
        ),
      ),
    'ERR_NDSHARE_INVALID_ARG_TYPE',
    'TypeError',
  );
  expectCode(
    'where: out of bounds',
    () =>
      math.where(
        DT.float64,
        [new Uint8Array(4), x, x, o],
        desc(
          [5],
          [
            [0, 1],
            [0, 1],
            [0, 1],
            [0, 1],
          ],
        ),
      ),
    'ERR_NDSHARE_INVALID_ARG_VALUE',
    'RangeError',
  );
  expectCode(
    'where: bad dtype',
    () =>
      math.where(
        -1,
        [new Uint8Array(4), x, x, o],
        desc(
          [4],
          [
            [0, 1],
            [0, 1],
            [0, 1],
            [0, 1],
          ],
        ),
      ),
    'ERR_NDSHARE_INVALID_ARG_VALUE',
    'RangeError',
  );
  t.end();
});

test('large float + - * / (the streaming-store path) give the same bits as scalar arithmetic, any alignment', (t) => {
  const rand = mulberry32(17);
  const n = 1_100_003; // > 4 MB of float64 and of float32
  const isas = ['baseline', 'avx2', 'avx512'].filter((isa) => {
    try {
      native.kernels.setIsa(isa);
      return true;
    } catch {
      return false;
    }
  });
  const ops: [string, (x: number, y: number) => number][] = [
    ['add', (x, y) => x + y],
    ['subtract', (x, y) => x - y],
    ['multiply', (x, y) => x * y],
    ['divide', (x, y) => x / y],
  ];
  try {
    for (const isa of isas) {
      native.kernels.setIsa(isa);
      for (const [Ctor, code, round] of [
        [Float64Array, native.math.dtypes.float64!, (v: number) => v],
        [Float32Array, native.math.dtypes.float32!, Math.fround],
      ] as const) {
        const a = new Ctor(n + 3).map(() => rand() * 4 - 2);
        const b = new Ctor(n + 3).map(() => rand() * 4 - 2);
        for (const [name, f] of ops) {
          // Output offset 1: misaligned for the vector width, aligned for the element.
          for (const [sa, sb] of [
            [1, 1],
            [0, 1],
            [1, 0],
          ]) {
            const out = new Ctor(n + 3);
            const desc = new Float64Array([1, n, 2, sa!, 1, sb!, 1, 1]);
            native.math.elementwise(native.math.ops[name]!, code, [a, b, out], desc);
            let bad = -1;
            for (let i = 0; i < n; i++) {
              const want = round(f(a[2 + i * sa!]!, b[1 + i * sb!]!));
              if (!Object.is(out[1 + i], want)) {
                bad = i;
                break;
              }
            }
            t.equal(bad, -1, `${isa} ${Ctor.name} ${name} strides (${sa}, ${sb}): every element as scalar arithmetic`);
            t.ok(out[0] === 0 && out[n + 1] === 0, `${isa} ${Ctor.name} ${name}: nothing written outside the run`);
          }
        }
      }
    }
  } finally {
    native.kernels.setIsa('auto');
  }
  t.end();
});
