// float16/bfloat16 conversions: the native kernels (every CPU path, lengths
// that hit the SIMD bodies and the scalar tails, unaligned starts) and the TS
// scalar functions, differential against NumPy; argument validation (coded
// errors, never a crash); SharedArrayBuffers; loading in a worker thread.
import test from 'tape';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { native } from '../src/binding.js';
import { NdshareRangeError, NdshareTypeError, isNdshareError } from '../src/errors.js';
import {
  HALF_ENCODE_NATIVE_MIN_LENGTH,
  NATIVE_MIN_LENGTH,
  bfloat16ArrayToFloat32,
  bfloat16ArrayToFloat64,
  bfloat16ToNumber,
  float32ToBfloat16Array,
  float32ToHalfArray,
  float64ToBfloat16Array,
  float64ToHalfArray,
  halfArrayToFloat32,
  halfArrayToFloat64,
  halfToNumber,
  numberToBfloat16,
  numberToHalf,
} from '../src/ndarray/float16.js';
import { bytesOf, numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { mulberry32 } from './helpers/assert.js';

// ---- Inputs ------------------------------------------------------------------

const rng = mulberry32;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32FromBits = (b: number): number => ((u32[0] = b), f32[0]!);
const f32Bits = (x: number): number => ((f32[0] = x), u32[0]!);
const f64FromBits = (b: bigint): number => ((u64[0] = b), f64[0]!);
const f64Bits = (x: number): bigint => ((f64[0] = x), u64[0]!);

/** float32 bit patterns: random, every half tie and its neighbours, and the edges. */
function float32Inputs(): Uint32Array {
  const out: number[] = [];
  const next = rng(15);
  for (let i = 0; i < 200_000; i++) out.push(next());
  for (let i = 0; i < 50_000; i++) out.push((next() & 0x80ffffff) | ((0x60 + (next() % 0x20)) << 23)); // half exponents
  for (let h = 0; h < 0x7bff; h++) {
    const mid = f32Bits((halfToNumber(h) + halfToNumber(h + 1)) / 2); // exact in float32
    for (const b of [mid - 1, mid, mid + 1]) out.push(b, (b | 0x80000000) >>> 0);
  }
  const edges = [
    0,
    -0,
    1,
    -1,
    65504,
    65519,
    65519.99609375,
    65520,
    65520.00390625,
    65536,
    3.4028234663852886e38,
    Infinity,
    -Infinity,
    NaN,
    2 ** -14,
    2 ** -24,
    2 ** -25,
    3 * 2 ** -26,
    1e-45,
    1.17549435e-38,
  ];
  for (const x of edges) out.push(f32Bits(x), (f32Bits(x) | 0x80000000) >>> 0, f32Bits(x) + 1, f32Bits(x) - 1);
  // NaNs: quiet, signaling, with payloads, both signs.
  out.push(0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fa00000, 0x7fffffff, 0x7f802000, 0x7fc01234);
  return Uint32Array.from(out, (b) => b >>> 0);
}

/** float64 values: random bits, the half range, every half tie and its neighbours, the edges. */
function float64Inputs(): Float64Array {
  const out: number[] = [];
  const next = rng(16);
  const bits = (): bigint => (BigInt(next()) << 32n) | BigInt(next());
  for (let i = 0; i < 100_000; i++) out.push(f64FromBits(bits()));
  for (let i = 0; i < 100_000; i++) {
    const e = BigInt(0x3e0 + (next() % 0x30)); // exponents of the float16 range and a bit beyond
    out.push(f64FromBits((bits() & 0x800fffffffffffffn) | (e << 52n)));
  }
  for (let h = 0; h < 0x7bff; h++) {
    const mid = f64Bits((halfToNumber(h) + halfToNumber(h + 1)) / 2);
    for (const d of [-2n, -1n, 0n, 1n, 2n]) out.push(f64FromBits(mid + d), -f64FromBits(mid + d));
    // A tie of float16 that float32 cannot see: mid + 2^-40 relative (double rounding would go wrong).
    out.push(f64FromBits(mid + (1n << 12n)));
  }
  const edges = [
    0,
    1,
    65504,
    65519.999999,
    65520,
    65520 + 2 ** -37,
    65536,
    1e300,
    Infinity,
    2 ** -14,
    2 ** -24,
    2 ** -25,
    2 ** -25 + 2 ** -80,
    1e-300,
    5e-324,
    1 + 2 ** -11 + 2 ** -40,
    0.1,
    1 / 3,
  ];
  for (const x of edges) {
    out.push(x, -x, f64FromBits(f64Bits(x) + 1n), f64FromBits(f64Bits(x) - 1n));
  }
  const nans = [0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000000000001n, 0x7ff4000000000000n, 0x7ffc0000deadbeefn];
  for (const b of nans) out.push(f64FromBits(b)); // Float64Array keeps the bits as pushed below
  const arr = new Float64Array(out);
  const arrBits = new BigUint64Array(arr.buffer);
  nans.forEach((b, i) => (arrBits[arr.length - nans.length + i] = b));
  return arr;
}

const ALL_HALVES = Uint16Array.from({ length: 65536 }, (_, i) => i);

interface Reference {
  f32: Uint32Array; // inputs (bits)
  f64: Float64Array; // inputs
  h2f: Uint32Array; // float16 -> float32 bits, all 65536
  h2d: BigUint64Array; // float16 -> float64 bits
  f2h: Uint16Array; // float32 inputs -> float16
  d2h: Uint16Array; // float64 inputs -> float16
  f2bf: Uint16Array; // float32 inputs -> bfloat16 (integer RNE, NaN -> 0x7fc0|sign)
  d2bf: Uint16Array; // float64 inputs -> float32 -> bfloat16
  bf2f: Uint32Array; // bfloat16 -> float32 bits (shift)
  bf2d: BigUint64Array; // bfloat16 -> float64 bits
}

const NUMPY_CODE = `
f32 = np.fromfile(os.path.join(D, 'f32.bin'), dtype='<u4')
f64 = np.fromfile(os.path.join(D, 'f64.bin'), dtype='<u8')
h = np.arange(65536, dtype=np.uint16)
def bf16(b):
    # RNE on the float32 bits in integers; NaN -> 0x7fc0 | sign.
    b = b.astype(np.uint64)
    r = ((b + 0x7fff + ((b >> 16) & 1)) >> 16) & 0xffff
    nan = (b & 0x7fffffff) > 0x7f800000
    r[nan] = ((b[nan] >> 16) & 0x8000) | 0x7fc0
    return r.astype('<u2')
with np.errstate(all='ignore'):
    h.view(np.float16).astype(np.float32).view('<u4').tofile(os.path.join(D, 'out_h2f'))
    h.view(np.float16).astype(np.float64).view('<u8').tofile(os.path.join(D, 'out_h2d'))
    f32.view(np.float32).astype(np.float16).view('<u2').tofile(os.path.join(D, 'out_f2h'))
    f64.view(np.float64).astype(np.float16).view('<u2').tofile(os.path.join(D, 'out_d2h'))
    bf16(f32).tofile(os.path.join(D, 'out_f2bf'))
    bf16(f64.view(np.float64).astype(np.float32).view(np.uint32)).tofile(os.path.join(D, 'out_d2bf'))
    b32 = h.astype(np.uint32) << 16
    b32.astype('<u4').tofile(os.path.join(D, 'out_bf2f'))
    b32.view(np.float32).astype(np.float64).view('<u8').tofile(os.path.join(D, 'out_bf2d'))
print(np.__version__)
`;

let reference: Reference | undefined;

/** Runs NumPy once for all tests. */
function getReference(): Reference {
  if (reference) return reference;
  const inF32 = float32Inputs();
  const inF64 = float64Inputs();
  const { files, stdout } = python(NUMPY_CODE, { 'f32.bin': bytesOf(inF32), 'f64.bin': bytesOf(inF64) });
  // A copy of each file's bytes: a fresh, aligned ArrayBuffer.
  const view = <T>(name: string, ctor: new (b: ArrayBuffer) => T): T => new ctor(new Uint8Array(files[`out_${name}`]!).buffer);
  reference = {
    f32: inF32,
    f64: inF64,
    h2f: view('h2f', Uint32Array),
    h2d: view('h2d', BigUint64Array),
    f2h: view('f2h', Uint16Array),
    d2h: view('d2h', Uint16Array),
    f2bf: view('f2bf', Uint16Array),
    d2bf: view('d2bf', Uint16Array),
    bf2f: view('bf2f', Uint32Array),
    bf2d: view('bf2d', BigUint64Array),
  };
  console.log(`# numpy ${stdout.trim()}`);
  return reference;
}

// ---- Comparison ------------------------------------------------------------

const isNaN16 = (h: number): boolean => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
const isNaN32 = (b: number): boolean => (b & 0x7fffffff) > 0x7f800000;
const isNaN64 = (b: bigint): boolean => (b & 0x7fffffffffffffffn) > 0x7ff0000000000000n;

/**
 * Counts elements whose bits differ. With `nan`, two NaNs of the same sign
 * count as equal: we quiet signaling NaNs (as F16C does), NumPy does not.
 */
function diff<T extends number | bigint>(
  got: ArrayLike<T>,
  want: ArrayLike<T>,
  nan: ((v: T) => boolean) | null,
  sign: (v: T) => boolean,
): { count: number; first: string } {
  let count = 0;
  let first = '';
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (g === w) continue;
    if (nan && nan(g) && nan(w) && sign(g) === sign(w)) continue;
    if (count++ === 0) first = `at ${i}: got 0x${g.toString(16)}, want 0x${w.toString(16)}`;
  }
  return { count, first };
}
const sign16 = (h: number): boolean => (h & 0x8000) !== 0;
const sign32 = (b: number): boolean => b >>> 31 === 1;
const sign64 = (b: bigint): boolean => b >> 63n === 1n;

function same16(t: test.Test, got: Uint16Array, want: Uint16Array, msg: string, nanLoose = true): void {
  const d = diff(got, want, nanLoose ? isNaN16 : null, sign16);
  t.equal(d.count, 0, `${msg}${d.count ? ` (${d.count} differ, first ${d.first})` : ''}`);
}
function same32(t: test.Test, got: Uint32Array, want: Uint32Array, msg: string, nanLoose = true): void {
  const d = diff(got, want, nanLoose ? isNaN32 : null, sign32);
  t.equal(d.count, 0, `${msg}${d.count ? ` (${d.count} differ, first ${d.first})` : ''}`);
}
function same64(t: test.Test, got: BigUint64Array, want: BigUint64Array, msg: string): void {
  const d = diff(got, want, isNaN64, sign64);
  t.equal(d.count, 0, `${msg}${d.count ? ` (${d.count} differ, first ${d.first})` : ''}`);
}

const bits32 = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);
const bits64 = (a: Float64Array): BigUint64Array => new BigUint64Array(a.buffer, a.byteOffset, a.length);

function needNumpy(t: test.Test): boolean {
  if (numpy()) return true;
  t.skip(SKIP_MESSAGE);
  t.end();
  return false;
}

// Lengths around the vector widths (8 and 16) and long ones; odd starts make the loads unaligned.
const LENGTHS = [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 1031];
const STARTS = [0, 1, 3];

// ---- Native kernels against NumPy ---------------------------------------------

test('native kernels match NumPy bit for bit on every CPU path', (t) => {
  if (!needNumpy(t)) return;
  const ref = getReference();
  const c = native.cast;
  const k = native.kernels;
  t.ok(k.isas.includes('baseline'), `ISAs: ${k.isas.join(', ')} (this CPU's best: ${k.isa})`);
  const f32in = new Float32Array(ref.f32.buffer);
  try {
    for (const path of k.isas) {
      k.setIsa(path);
      t.equal(k.getIsa(), path, `ISA ${path} selected`);
      const h2f = new Float32Array(65536);
      c.halfToFloat32(ALL_HALVES, h2f);
      same32(t, bits32(h2f), ref.h2f, `[${path}] float16 -> float32, all 65536 patterns`);
      const h2d = new Float64Array(65536);
      c.halfToFloat64(ALL_HALVES, h2d);
      same64(t, bits64(h2d), ref.h2d, `[${path}] float16 -> float64, all 65536 patterns`);
      const f2h = new Uint16Array(f32in.length);
      c.float32ToHalf(f32in, f2h);
      same16(t, f2h, ref.f2h, `[${path}] float32 -> float16, ${f32in.length} values`);
      const d2h = new Uint16Array(ref.f64.length);
      c.float64ToHalf(ref.f64, d2h);
      same16(t, d2h, ref.d2h, `[${path}] float64 -> float16, ${ref.f64.length} values`);
      const f2bf = new Uint16Array(f32in.length);
      c.float32ToBfloat16(f32in, f2bf);
      same16(t, f2bf, ref.f2bf, `[${path}] float32 -> bfloat16 (NaN exact)`, false);
      const d2bf = new Uint16Array(ref.f64.length);
      c.float64ToBfloat16(ref.f64, d2bf);
      same16(t, d2bf, ref.d2bf, `[${path}] float64 -> bfloat16 (NaN exact)`, false);
      const bf2f = new Float32Array(65536);
      c.bfloat16ToFloat32(ALL_HALVES, bf2f);
      same32(t, bits32(bf2f), ref.bf2f, `[${path}] bfloat16 -> float32 (a shift, NaN exact)`, false);
      const bf2d = new Float64Array(65536);
      c.bfloat16ToFloat64(ALL_HALVES, bf2d);
      same64(t, bits64(bf2d), ref.bf2d, `[${path}] bfloat16 -> float64`);
    }
  } finally {
    k.setIsa('auto');
  }
  t.end();
});

test('native kernels: short lengths and unaligned starts (vector bodies and scalar tails)', (t) => {
  if (!needNumpy(t)) return;
  const ref = getReference();
  const c = native.cast;
  const k = native.kernels;
  const f32in = new Float32Array(ref.f32.buffer);
  // A window of inputs with plenty of ties, subnormals and specials: the tie block starts at 250000.
  const base = 250_000;
  try {
    for (const path of k.isas) {
      k.setIsa(path);
      let bad = 0;
      const report: string[] = [];
      for (const n of LENGTHS) {
        for (const s of STARTS) {
          const at = base + s + n * 37;
          const check = <T extends number | bigint>(name: string, got: ArrayLike<T>, want: ArrayLike<T>, nan: ((v: T) => boolean) | null): void => {
            for (let i = 0; i < n; i++) {
              const g = got[i]!;
              const w = want[i]!;
              if (g === w || (nan && nan(g) && nan(w))) continue;
              bad++;
              if (report.length < 5) report.push(`${name} n=${n} start=${s} i=${i}`);
            }
          };
          // Sources are subarrays at an odd element offset; destinations too.
          const hs = ALL_HALVES.subarray(at % 60000, (at % 60000) + n);
          const df = new Float32Array(n + 3).subarray(s, s + n);
          c.halfToFloat32(hs, df);
          check('h2f', bits32(df), ref.h2f.subarray(at % 60000), isNaN32);
          const dd = new Float64Array(n + 3).subarray(s, s + n);
          c.halfToFloat64(hs, dd);
          check('h2d', bits64(dd), ref.h2d.subarray(at % 60000), isNaN64);
          const oh = new Uint16Array(n + 3).subarray(s, s + n);
          c.float32ToHalf(f32in.subarray(at, at + n), oh);
          check('f2h', oh, ref.f2h.subarray(at), isNaN16);
          c.float64ToHalf(ref.f64.subarray(at, at + n), oh);
          check('d2h', oh, ref.d2h.subarray(at), isNaN16);
          c.float32ToBfloat16(f32in.subarray(at, at + n), oh);
          check('f2bf', oh, ref.f2bf.subarray(at), null);
          c.float64ToBfloat16(ref.f64.subarray(at, at + n), oh);
          check('d2bf', oh, ref.d2bf.subarray(at), null);
          c.bfloat16ToFloat32(hs, df);
          check('bf2f', bits32(df), ref.bf2f.subarray(at % 60000), null);
          c.bfloat16ToFloat64(hs, dd);
          check('bf2d', bits64(dd), ref.bf2d.subarray(at % 60000), isNaN64);
        }
      }
      t.equal(bad, 0, `[${path}] lengths ${LENGTHS.join(',')} x starts ${STARTS.join(',')}${report.length ? `: ${report.join('; ')}` : ''}`);
    }
  } finally {
    k.setIsa('auto');
  }
  t.end();
});

test('native kernels: NaN, Inf and signed zero rules', (t) => {
  const c = native.cast;
  const k = native.kernels;
  try {
    for (const path of k.isas) {
      k.setIsa(path);
      const src = new Float32Array(new Uint32Array([0x7fc00000, 0xffc00000, 0x7f800001, 0xff812345, 0x7f800000, 0xff800000, 0x80000000, 0]).buffer);
      const h = new Uint16Array(8);
      c.float32ToHalf(src, h);
      t.deepEqual(
        [...h],
        [0x7e00, 0xfe00, 0x7e00, 0xfe09, 0x7c00, 0xfc00, 0x8000, 0],
        `[${path}] float32 -> float16: NaN quiet with sign and top payload bits`,
      );
      c.float32ToBfloat16(src, h);
      t.deepEqual([...h], [0x7fc0, 0xffc0, 0x7fc0, 0xffc0, 0x7f80, 0xff80, 0x8000, 0], `[${path}] float32 -> bfloat16: NaN -> 0x7fc0 | sign`);
      const d = new Float64Array(8);
      new BigUint64Array(d.buffer).set([
        0x7ff8000000000000n,
        0xfff8000000000000n,
        0x7ff0000000000001n,
        0x7ff0000000000000n,
        0xfff0000000000000n,
        0x8000000000000000n,
        0n,
        0x7ff4000000000000n,
      ]);
      c.float64ToHalf(d, h);
      t.deepEqual(
        [...h],
        [0x7e00, 0xfe00, 0x7e00, 0x7c00, 0xfc00, 0x8000, 0, 0x7f00],
        `[${path}] float64 -> float16: NaN quiet with sign and top payload bits`,
      );
      const f = new Float32Array(8);
      c.halfToFloat32(new Uint16Array([0x7c01, 0xfe00, 0x7c00, 0xfc00, 0x8000, 0, 0x0001, 0x7bff]), f);
      t.deepEqual(
        [...bits32(f)],
        [0x7fc02000, 0xffc00000, 0x7f800000, 0xff800000, 0x80000000, 0, 0x33800000, 0x477fe000],
        `[${path}] float16 -> float32: NaN quieted, exact otherwise`,
      );
    }
  } finally {
    k.setIsa('auto');
  }
  t.end();
});

// ---- TS scalar functions against NumPy -------------------------------------------

test('halfToNumber / numberToHalf match NumPy', (t) => {
  if (!needNumpy(t)) return;
  const ref = getReference();
  let bad = 0;
  for (let h = 0; h < 65536; h++) {
    const want = f64FromBits(ref.h2d[h]!);
    const got = halfToNumber(h);
    if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)))) bad++;
  }
  t.equal(bad, 0, 'halfToNumber: all 65536 patterns');
  const fromF64 = Uint16Array.from(ref.f64, numberToHalf);
  same16(t, fromF64, ref.d2h, `numberToHalf on ${ref.f64.length} float64 values == np.float64(x).astype(np.float16)`);
  const fromF32 = Uint16Array.from(new Float32Array(ref.f32.buffer), numberToHalf);
  same16(t, fromF32, ref.f2h, `numberToHalf on ${ref.f32.length} float32 values == np.float32(x).astype(np.float16)`);
  t.equal(numberToHalf(NaN), 0x7e00, 'numberToHalf(NaN) is 0x7e00');
  t.equal(numberToHalf(-NaN) & 0x7fff, 0x7e00, 'numberToHalf(-NaN) is a quiet NaN');
  t.equal(numberToHalf(1 + 2 ** -11 + 2 ** -40), 0x3c01, 'rounds once from the double (through float32 it would be 0x3c00)');
  t.equal(numberToHalf(65519.99), 0x7bff, '65519.99 -> 65504');
  t.equal(numberToHalf(65520), 0x7c00, '65520 -> Infinity');
  t.equal(numberToHalf(-(2 ** -25)), 0x8000, '-2^-25 (a tie) -> -0');
  t.equal(numberToHalf(2 ** -25 * 1.0000001), 0x0001, 'just above 2^-25 -> smallest subnormal');
  t.end();
});

test('bfloat16ToNumber / numberToBfloat16 match the integer reference', (t) => {
  if (!needNumpy(t)) return;
  const ref = getReference();
  let bad = 0;
  for (let h = 0; h < 65536; h++) {
    const want = f32FromBits(ref.bf2f[h]!);
    const got = bfloat16ToNumber(h);
    if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)))) bad++;
  }
  t.equal(bad, 0, 'bfloat16ToNumber: all 65536 patterns');
  same16(t, Uint16Array.from(new Float32Array(ref.f32.buffer), numberToBfloat16), ref.f2bf, 'numberToBfloat16 on float32 values (NaN exact)', false);
  same16(t, Uint16Array.from(ref.f64, numberToBfloat16), ref.d2bf, 'numberToBfloat16 on float64 values, through Math.fround (NaN exact)', false);
  t.equal(numberToBfloat16(NaN), 0x7fc0, 'NaN -> 0x7fc0');
  t.equal(numberToBfloat16(f32FromBits(0xff812345)), 0xffc0, '-NaN -> 0xffc0');
  t.end();
});

// ---- Array helpers: TS loops (short) and native (long) agree --------------------------

test('array helpers: TS loops below the native threshold, kernels above, same bits', (t) => {
  if (!needNumpy(t)) return;
  const ref = getReference();
  const f32in = new Float32Array(ref.f32.buffer);
  const base = 250_000;
  const lengths = [0, 1, 7, 8, 17, HALF_ENCODE_NATIVE_MIN_LENGTH - 1, HALF_ENCODE_NATIVE_MIN_LENGTH, NATIVE_MIN_LENGTH - 1, NATIVE_MIN_LENGTH, 1000];
  let bad = 0;
  const report: string[] = [];
  const note = (name: string, n: number, d: { count: number; first: string }): void => {
    if (d.count === 0) return;
    bad += d.count;
    if (report.length < 5) report.push(`${name} n=${n} ${d.first}`);
  };
  for (const n of lengths) {
    for (let at = base; at < base + 20 * 1000; at += 997) {
      const hs = ALL_HALVES.subarray(at % 64000, (at % 64000) + n);
      const df = new Float32Array(n);
      const dd = new Float64Array(n);
      const oh = new Uint16Array(n);
      halfArrayToFloat32(hs, df);
      note('halfArrayToFloat32', n, diff(bits32(df), ref.h2f.subarray(at % 64000, (at % 64000) + n), isNaN32, sign32));
      halfArrayToFloat64(hs, dd);
      note('halfArrayToFloat64', n, diff(bits64(dd), ref.h2d.subarray(at % 64000, (at % 64000) + n), isNaN64, sign64));
      bfloat16ArrayToFloat32(hs, df);
      note('bfloat16ArrayToFloat32', n, diff(bits32(df), ref.bf2f.subarray(at % 64000, (at % 64000) + n), null, sign32));
      bfloat16ArrayToFloat64(hs, dd);
      note('bfloat16ArrayToFloat64', n, diff(bits64(dd), ref.bf2d.subarray(at % 64000, (at % 64000) + n), isNaN64, sign64));
      float32ToHalfArray(f32in.subarray(at, at + n), oh);
      note('float32ToHalfArray', n, diff(oh, ref.f2h.subarray(at, at + n), isNaN16, sign16));
      float64ToHalfArray(ref.f64.subarray(at, at + n), oh);
      note('float64ToHalfArray', n, diff(oh, ref.d2h.subarray(at, at + n), isNaN16, sign16));
      float32ToBfloat16Array(f32in.subarray(at, at + n), oh);
      note('float32ToBfloat16Array', n, diff(oh, ref.f2bf.subarray(at, at + n), null, sign16));
      float64ToBfloat16Array(ref.f64.subarray(at, at + n), oh);
      note('float64ToBfloat16Array', n, diff(oh, ref.d2bf.subarray(at, at + n), null, sign16));
    }
  }
  t.equal(bad, 0, `8 helpers x lengths ${lengths.join(',')}${report.length ? `: ${report.join('; ')}` : ''}`);

  // NaN payloads: the TS loops give the kernels' bits exactly.
  const nanHalves = new Uint16Array([0x7c01, 0x7d00, 0x7e00, 0xfe01, 0x7fff, 0xfc01]);
  const nanBf = new Uint16Array([0x7f81, 0x7fc0, 0xff81, 0x7fff, 0xffc1, 0x7f80]);
  const a = new Float32Array(6);
  const b = new Float32Array(6);
  halfArrayToFloat32(nanHalves, a);
  native.cast.halfToFloat32(nanHalves, b);
  t.deepEqual([...bits32(a)], [...bits32(b)], 'halfArrayToFloat32 (TS loop) keeps NaN payloads like the kernel');
  bfloat16ArrayToFloat32(nanBf, a);
  native.cast.bfloat16ToFloat32(nanBf, b);
  t.deepEqual([...bits32(a)], [...bits32(b)], 'bfloat16ArrayToFloat32 (TS loop) copies signaling NaNs bit for bit like the kernel');
  const nanF32 = new Float32Array(new Uint32Array([0x7f800001, 0xffc01234, 0x7fffffff, 0x7fc00000]).buffer);
  const h1 = new Uint16Array(4);
  const h2 = new Uint16Array(4);
  float32ToHalfArray(nanF32, h1);
  native.cast.float32ToHalf(nanF32, h2);
  t.deepEqual([...h1], [...h2], "float32ToHalfArray (TS loop) gives the kernel's NaN bits");
  t.end();
});

test('kernels work on SharedArrayBuffer-backed arrays', (t) => {
  const sab = new SharedArrayBuffer(4096);
  const h = new Uint16Array(sab, 2, 100);
  for (let i = 0; i < h.length; i++) h[i] = 0x3c00 + i;
  const f = new Float32Array(sab, 1024, 100);
  native.cast.halfToFloat32(h, f);
  t.equal(f[0], 1, 'first value');
  t.equal(f[99], halfToNumber(0x3c00 + 99), 'last value');
  const back = new Uint16Array(sab, 2048, 100);
  native.cast.float32ToHalf(f, back);
  t.deepEqual([...back], [...h], 'round trip');
  t.end();
});

// ---- Bad arguments ---------------------------------------------------------------

test('bad arguments throw coded errors and never crash', (t) => {
  const c = native.cast;
  const kernels: [string, (...args: unknown[]) => void, () => ArrayBufferView, () => ArrayBufferView][] = [
    ['halfToFloat32', c.halfToFloat32 as never, () => new Uint16Array(4), () => new Float32Array(4)],
    ['float32ToHalf', c.float32ToHalf as never, () => new Float32Array(4), () => new Uint16Array(4)],
    ['halfToFloat64', c.halfToFloat64 as never, () => new Uint16Array(4), () => new Float64Array(4)],
    ['float64ToHalf', c.float64ToHalf as never, () => new Float64Array(4), () => new Uint16Array(4)],
    ['bfloat16ToFloat32', c.bfloat16ToFloat32 as never, () => new Uint16Array(4), () => new Float32Array(4)],
    ['float32ToBfloat16', c.float32ToBfloat16 as never, () => new Float32Array(4), () => new Uint16Array(4)],
    ['bfloat16ToFloat64', c.bfloat16ToFloat64 as never, () => new Uint16Array(4), () => new Float64Array(4)],
    ['float64ToBfloat16', c.float64ToBfloat16 as never, () => new Float64Array(4), () => new Uint16Array(4)],
    ['halfArrayToFloat32', halfArrayToFloat32 as never, () => new Uint16Array(4), () => new Float32Array(4)],
    ['halfArrayToFloat64', halfArrayToFloat64 as never, () => new Uint16Array(4), () => new Float64Array(4)],
    ['float32ToHalfArray', float32ToHalfArray as never, () => new Float32Array(4), () => new Uint16Array(4)],
    ['float64ToHalfArray', float64ToHalfArray as never, () => new Float64Array(4), () => new Uint16Array(4)],
    ['bfloat16ArrayToFloat32', bfloat16ArrayToFloat32 as never, () => new Uint16Array(4), () => new Float32Array(4)],
    ['bfloat16ArrayToFloat64', bfloat16ArrayToFloat64 as never, () => new Uint16Array(4), () => new Float64Array(4)],
    ['float32ToBfloat16Array', float32ToBfloat16Array as never, () => new Float32Array(4), () => new Uint16Array(4)],
    ['float64ToBfloat16Array', float64ToBfloat16Array as never, () => new Float64Array(4), () => new Uint16Array(4)],
  ];
  const notArrays: unknown[] = [
    undefined,
    null,
    0,
    1.5,
    'abc',
    {},
    [1, 2, 3, 4],
    new ArrayBuffer(8),
    new DataView(new ArrayBuffer(8)),
    () => 1,
    Symbol('x'),
    10n,
  ];
  const wrongArrays = (): ArrayBufferView[] => [
    new Int16Array(4),
    new Uint8Array(4),
    new Uint8ClampedArray(4),
    new Int32Array(4),
    new Uint32Array(4),
    new BigUint64Array(4),
    new BigInt64Array(4),
    new Float32Array(4),
    new Float64Array(4),
    new Uint16Array(4),
  ];
  const expectThrow = (name: string, fn: () => void, cls: typeof NdshareTypeError | typeof NdshareRangeError, code: string, what: string): boolean => {
    try {
      fn();
    } catch (e) {
      if (e instanceof cls && isNdshareError(e) && e.code === code) return true;
      t.fail(`${name} ${what}: threw ${String(e)} (code ${(e as { code?: string }).code})`);
      return false;
    }
    t.fail(`${name} ${what}: did not throw`);
    return false;
  };
  let checks = 0;
  for (const [name, fn, mkSrc, mkDst] of kernels) {
    let ok = true;
    for (const bad of notArrays) {
      ok = expectThrow(name, () => fn(bad, mkDst()), NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE', `src=${String(bad)}`) && ok;
      ok = expectThrow(name, () => fn(mkSrc(), bad), NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE', `dst=${String(bad)}`) && ok;
      checks += 2;
    }
    for (const bad of wrongArrays()) {
      const srcType = mkSrc()[Symbol.toStringTag as never];
      const dstType = mkDst()[Symbol.toStringTag as never];
      if (bad[Symbol.toStringTag as never] !== srcType) {
        ok = expectThrow(name, () => fn(bad, mkDst()), NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE', `src=${bad.constructor.name}`) && ok;
        checks++;
      }
      if (bad[Symbol.toStringTag as never] !== dstType) {
        ok = expectThrow(name, () => fn(mkSrc(), bad), NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE', `dst=${bad.constructor.name}`) && ok;
        checks++;
      }
    }
    ok = expectThrow(name, () => fn(), NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE', 'no arguments') && ok;
    // Length mismatch, both ways, including an empty side.
    for (const [s, d] of [
      [4, 3],
      [3, 4],
      [0, 1],
      [1000, 999],
    ]) {
      const src = new (mkSrc().constructor as new (n: number) => ArrayBufferView)(s!);
      const dst = new (mkDst().constructor as new (n: number) => ArrayBufferView)(d!);
      ok = expectThrow(name, () => fn(src, dst), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE', `lengths ${s} vs ${d}`) && ok;
      checks++;
    }
    // Overlapping views of one buffer (widths differ, so no length agrees with in-place use).
    const buf = new ArrayBuffer(4096);
    const S = mkSrc().constructor as new (b: ArrayBuffer, o: number, n: number) => ArrayBufferView;
    const D = mkDst().constructor as new (b: ArrayBuffer, o: number, n: number) => ArrayBufferView;
    ok = expectThrow(name, () => fn(new S(buf, 0, 200), new D(buf, 8, 200)), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE', 'overlap') && ok;
    fn(new S(buf, 0, 100), new D(buf, 2048, 100)); // disjoint views of one buffer are fine
    checks += 2;
    // A detached buffer reads as length 0.
    const detached = mkSrc();
    structuredClone(detached.buffer, { transfer: [detached.buffer as ArrayBuffer] });
    fn(detached, new (mkDst().constructor as new (n: number) => ArrayBufferView)(0));
    t.ok(ok, `${name}: rejects non-arrays, wrong types, length mismatch, overlap`);
  }
  t.ok(checks > 500, `${checks} bad calls, each a coded error`);
  const setIsaBad = (): void => native.kernels.setIsa('avx512-nope');
  t.throws(setIsaBad, (e: unknown) => isNdshareError(e) && e.code === 'ERR_NDSHARE_UNSUPPORTED', 'setIsa rejects an unknown ISA');
  t.throws(
    () => native.kernels.setIsa(3 as never),
    (e: unknown) => e instanceof NdshareTypeError,
    'setIsa rejects a non-string',
  );
  t.equal(native.kernels.getIsa(), native.kernels.isa, 'the ISA is unchanged after bad setIsa calls');
  t.end();
});

// ---- Worker threads --------------------------------------------------------------

test('the addon loads and throws coded errors in a worker thread', async (t) => {
  const binding = pathToFileURL(new URL('../src/binding.ts', import.meta.url).pathname).href;
  const errors = pathToFileURL(new URL('../src/errors.ts', import.meta.url).pathname).href;
  // Node 20 does not apply --import hooks inside workers: register tsx's there by hand.
  // (the ESM entry: the CJS one resolves its hooks file wrongly from a worker)
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      (await import(workerData.tsx)).register();
      const { native } = await import(workerData.binding);
      const { NdshareTypeError } = await import(workerData.errors);
      const f = new Float32Array(16);
      native.cast.halfToFloat32(new Uint16Array(16).fill(0x3c00), f);
      let err;
      try { native.cast.halfToFloat32(f, f); } catch (e) { err = e; }
      parentPort.postMessage({ sum: f.reduce((a, b) => a + b), path: native.kernels.getIsa(), code: err && err.code, isClass: err instanceof NdshareTypeError });
    })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
  `;
  const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { binding, errors, tsx } });
    w.once('message', (m) => {
      resolve(m as Record<string, unknown>);
      void w.terminate();
    });
    w.once('error', reject);
  });
  t.notOk(result.error, `worker ran${result.error ? `: ${String(result.error)}` : ''}`);
  t.equal(result.sum, 16, 'kernel result in the worker');
  t.equal(result.path, native.kernels.isa, 'a worker runs the best ISA');
  t.equal(result.code, 'ERR_NDSHARE_INVALID_ARG_TYPE', 'coded error in the worker');
  t.ok(result.isClass, "the worker's own NdshareTypeError class (per-env error classes)");
});
