/**
 * scijs ndarray and @stdlib/ndarray interop: zero copy in both directions
 * (proven by writing through one and reading through the other), dtype
 * mapping, read-only flag, errors.
 */
import test from 'tape';
import type { Test } from 'tape';
import { createRequire } from 'node:module';
import ndarray from 'ndarray';
import { fromScijs, isScijsNdarray, toScijs, type ScijsNdarrayLike } from '../src/interop/scijs.js';
import { fromStdlib, isStdlibNdarray, toStdlib, type StdlibNdarray, type StdlibNdarrayLike } from '../src/interop/stdlib.js';
import { arange, zeros } from '../src/ndarray/creation.js';
import { NDArray } from '../src/ndarray/ndarray.js';
import { DTYPES, type DType } from '../src/ndarray/dtypes.js';
import { NdshareError } from '../src/errors.js';

const require = createRequire(import.meta.url);
type StdlibCtor = (
  dtype: string,
  buffer: unknown,
  shape: number[],
  strides: number[],
  offset: number,
  order: string,
  options?: { readonly?: boolean },
) => StdlibNdarray;
const stdlibNdarray = require('@stdlib/ndarray/ctor') as StdlibCtor;
const BooleanArray = (require('@stdlib/ndarray/base/buffer-ctors') as (d: string) => new (b: ArrayBufferLike, o: number, n: number) => ArrayLike<boolean>)(
  'bool',
);

type Scijs = ReturnType<typeof toScijs>;

function codeOf(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}

/** Every multi-index of a shape, in C order. */
function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[]): void => {
    if (prefix.length === shape.length) {
      out.push(prefix);
      return;
    }
    for (let i = 0; i < shape[prefix.length]!; i++) walk([...prefix, i]);
  };
  walk([]);
  return out;
}

/** Writes distinct values through `write` at each index and reads them through `read`. */
function provesSharing(t: Test, name: string, shape: readonly number[], write: (idx: number[], v: number) => void, read: (idx: number[]) => unknown): void {
  const all = indices(shape);
  let ok = all.length > 0;
  all.forEach((idx, k) => {
    write(idx, 100 + k);
    if (Number(read(idx)) !== 100 + k) ok = false;
  });
  t.ok(ok, `${name}: ${all.length} writes seen through the other side`);
}

// ---- scijs -------------------------------------------------------------------------

test('scijs: fromScijs shares memory for contiguous, transposed and stepped views', (t) => {
  const base = ndarray(new Float64Array(24), [4, 6]);
  const views: [string, Scijs][] = [
    ['contiguous', base as unknown as Scijs],
    ['transposed', base.transpose(1, 0) as unknown as Scijs],
    ['stepped', base.step(-1, 2) as unknown as Scijs],
    ['lo/hi/step(-2)', base.lo(1, 1).hi(3, 5).step(1, -2) as unknown as Scijs],
    ['pick', base.pick(null, 3) as unknown as Scijs],
  ];
  for (const [name, s] of views) {
    const x = fromScijs(s);
    t.equal(x.data, s.data, `${name}: same typed array`);
    t.deepEqual([x.shape, x.strides, x.offset], [s.shape, s.stride, s.offset], `${name}: same shape, strides, offset`);
    provesSharing(
      t,
      `${name} scijs -> NDArray`,
      x.shape,
      (i, v) => s.set(...i, v),
      (i) => x.get(...i),
    );
    provesSharing(
      t,
      `${name} NDArray -> scijs`,
      x.shape,
      (i, v) => x.set(...i, v),
      (i) => s.get(...i),
    );
  }
  const z = ndarray(new Int32Array([1, 2, 3]), [], [], 2);
  const x0 = fromScijs(z);
  t.deepEqual([x0.shape, x0.item()], [[], 3], '0-d');
  t.end();
});

test('scijs: toScijs shares memory for contiguous, transposed and stepped views', (t) => {
  const x = arange(24).reshape([4, 6]);
  const views: [string, NDArray][] = [
    ['contiguous', x],
    ['transposed', x.T],
    ['negative steps', x.slice('::-1', '1::2')],
    ['row', x.slice(2)],
    ['newaxis', x.slice(null, '::-3', 1)],
    ['0-d', x.slice(1, 2)],
  ];
  for (const [name, v] of views) {
    const s = toScijs(v);
    t.equal(s.data, x.data, `${name}: same typed array`);
    t.deepEqual([s.shape, s.stride, s.offset], [v.shape, v.strides, v.offset], `${name}: same shape, strides, offset`);
    t.equal(s.dtype, 'float64');
    if (v.ndim === 0) {
      v.set(55);
      t.equal(s.get(), 55, '0-d NDArray -> scijs');
      s.set(66);
      t.equal(v.item(), 66, '0-d scijs -> NDArray');
      continue;
    }
    provesSharing(
      t,
      `${name} NDArray -> scijs`,
      v.shape,
      (i, val) => v.set(...i, val),
      (i) => s.get(...i),
    );
    provesSharing(
      t,
      `${name} scijs -> NDArray`,
      v.shape,
      (i, val) => s.set(...i, val),
      (i) => v.get(...i),
    );
  }
  const round = fromScijs(toScijs(x.T));
  t.equal(round.data, x.data, 'round trip keeps the typed array');
  t.end();
});

test('scijs: dtype mapping both ways', (t) => {
  const expected: Record<(typeof DTYPES)[number], string | null> = {
    bool: 'uint8',
    int8: 'int8',
    uint8: 'uint8',
    int16: 'int16',
    uint16: 'uint16',
    int32: 'int32',
    uint32: 'uint32',
    int64: 'bigint64',
    uint64: 'biguint64',
    float16: typeof (globalThis as { Float16Array?: unknown }).Float16Array === 'function' ? 'float16' : null,
    bfloat16: null,
    float32: 'float32',
    float64: 'float64',
  };
  for (const dtype of DTYPES) {
    const x = zeros([2, 3], { dtype });
    const want = expected[dtype];
    if (want === null) {
      t.throws(
        () => toScijs(x),
        (e: unknown) => e instanceof NdshareError && e.code === 'ERR_NDSHARE_DTYPE' && e.message.includes("astype('float32')"),
        `${dtype} -> ERR_NDSHARE_DTYPE suggesting astype('float32')`,
      );
      continue;
    }
    const s = toScijs(x);
    t.equal(s.dtype, want, `${dtype} -> scijs '${want}'`);
    const back = fromScijs(s);
    const backDtype = dtype === 'bool' ? 'uint8' : dtype;
    t.equal(back.dtype, backDtype, `scijs '${want}' -> ${backDtype}`);
  }
  const scijsCases: [string, ScijsNdarrayLike, DType][] = [
    ['uint8_clamped', ndarray(new Uint8ClampedArray(4)), 'uint8'],
    ['buffer', ndarray(Buffer.alloc(4) as unknown as Uint8Array), 'uint8'],
    ['bigint64', ndarray(new BigInt64Array(4) as never) as unknown as ScijsNdarrayLike, 'int64'],
    ['biguint64', ndarray(new BigUint64Array(4) as never) as unknown as ScijsNdarrayLike, 'uint64'],
  ];
  for (const [sd, s, dt] of scijsCases) {
    t.equal(s.dtype, sd, `scijs calls it '${sd}'`);
    const x = fromScijs(s);
    t.equal(x.dtype, dt, `scijs '${sd}' -> ${dt}`);
    t.equal(x.data, s.data, `scijs '${sd}': same storage`);
  }
  const c = fromScijs(ndarray(new Uint8ClampedArray(3)));
  t.equal(toScijs(c).dtype, 'uint8_clamped', 'a uint8 NDArray over a Uint8ClampedArray goes back as uint8_clamped');
  const big = toScijs(new NDArray(new BigInt64Array([-(2n ** 63n), 5n]), 'int64', [2]));
  t.equal(big.get(0), -(2n ** 63n), 'bigint64 values');
  const b = toScijs(new NDArray(new Uint8Array([1, 0]), 'bool', [2]));
  t.deepEqual([b.get(0), b.get(1)], [1, 0], 'bool as 0/1 uint8');
  t.end();
});

test('scijs: detection and errors', (t) => {
  const s = ndarray(new Float64Array(4), [2, 2]);
  t.ok(isScijsNdarray(s), 'scijs ndarray');
  t.ok(isScijsNdarray(s.transpose(1, 0)), 'scijs view');
  t.notOk(isScijsNdarray(zeros([2, 2])), 'not an NDArray');
  t.notOk(isScijsNdarray(stdlibNdarray('float64', new Float64Array(4), [2, 2], [2, 1], 0, 'row-major')), 'not a stdlib ndarray');
  for (const v of [null, undefined, {}, [], new Float64Array(2), 'x', { data: [], shape: [1], stride: [1], offset: 0 }]) {
    t.notOk(isScijsNdarray(v), `not ${JSON.stringify(v) ?? String(v)}`);
  }
  const bad: [string, () => unknown, string][] = [
    ["dtype 'array'", () => fromScijs(ndarray([1, 2, 3]) as unknown as ScijsNdarrayLike), 'ERR_NDSHARE_DTYPE'],
    [
      "dtype 'generic'",
      () => fromScijs(ndarray({ get: () => 0, set: () => undefined, length: 3 } as never) as unknown as ScijsNdarrayLike),
      'ERR_NDSHARE_DTYPE',
    ],
    ['unknown dtype', () => fromScijs({ data: new Float64Array(2), shape: [2], stride: [1], offset: 0, dtype: 'float128' }), 'ERR_NDSHARE_DTYPE'],
    [
      'data not matching dtype',
      () => fromScijs({ data: new Float32Array(2), shape: [2], stride: [1], offset: 0, dtype: 'float64' }),
      'ERR_NDSHARE_INVALID_ARG_TYPE',
    ],
    ['view outside data', () => fromScijs({ data: new Float64Array(4), shape: [5], stride: [1], offset: 0, dtype: 'float64' }), 'ERR_NDSHARE_OUT_OF_BOUNDS'],
    [
      'negative stride below 0',
      () => fromScijs({ data: new Float64Array(4), shape: [2], stride: [-1], offset: 0, dtype: 'float64' }),
      'ERR_NDSHARE_OUT_OF_BOUNDS',
    ],
    ['stride count', () => fromScijs({ data: new Float64Array(4), shape: [2, 2], stride: [1], offset: 0, dtype: 'float64' }), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['fromScijs({})', () => fromScijs({} as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['fromScijs(NDArray)', () => fromScijs(zeros([2]) as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['toScijs(scijs)', () => toScijs(s as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['toScijs(null)', () => toScijs(null as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
  ];
  for (const [name, fn, code] of bad) t.throws(fn, (e: unknown) => codeOf(e) === code, `${name} -> ${code}`);
  const empty = fromScijs({ data: new Float64Array(0), shape: [0, 3], stride: [3, 1], offset: -4, dtype: 'float64' });
  t.deepEqual(empty.shape, [0, 3], 'an empty view with any offset is accepted');
  t.end();
});

// ---- stdlib -----------------------------------------------------------------------

test('stdlib: fromStdlib shares memory for contiguous, column-major and stepped views', (t) => {
  const buf = new Float64Array(24);
  const views: [string, StdlibNdarray][] = [
    ['row-major', stdlibNdarray('float64', buf, [4, 6], [6, 1], 0, 'row-major')],
    ['column-major (transposed)', stdlibNdarray('float64', buf, [6, 4], [1, 6], 0, 'column-major')],
    ['negative steps', stdlibNdarray('float64', buf, [4, 3], [-6, 2], 18, 'row-major')],
    ['offset and step', stdlibNdarray('float64', buf, [2, 2], [12, -3], 5, 'row-major')],
  ];
  for (const [name, s] of views) {
    const x = fromStdlib(s);
    t.equal(x.data, buf, `${name}: same typed array`);
    t.deepEqual([x.shape, x.strides, x.offset], [s.shape, s.strides, s.offset], `${name}: same shape, strides, offset`);
    t.equal(x.flags.writeable, true);
    provesSharing(
      t,
      `${name} stdlib -> NDArray`,
      x.shape,
      (i, v) => s.set(...i, v),
      (i) => x.get(...i),
    );
    provesSharing(
      t,
      `${name} NDArray -> stdlib`,
      x.shape,
      (i, v) => x.set(...i, v),
      (i) => s.get(...i),
    );
  }
  const z = fromStdlib(stdlibNdarray('int16', new Int16Array([4, 5, 6]), [], [0], 2, 'row-major'));
  t.deepEqual([z.shape, z.strides, z.item()], [[], [], 6], '0-d (stdlib strides [0])');
  const ro = fromStdlib(stdlibNdarray('float32', new Float32Array(4), [4], [1], 0, 'row-major', { readonly: true }));
  t.equal(ro.flags.writeable, false, 'READONLY -> not writeable');
  t.throws(
    () => ro.set(0, 1),
    (e: unknown) => codeOf(e) === 'ERR_NDSHARE_READ_ONLY',
    'writes refused',
  );
  t.end();
});

test('stdlib: toStdlib shares memory for contiguous, transposed and stepped views', (t) => {
  const x = arange(24).reshape([4, 6]);
  const views: [string, NDArray, string][] = [
    ['contiguous', x, 'row-major'],
    ['transposed', x.T, 'column-major'],
    ['negative steps', x.slice('::-1', '1::2'), 'row-major'],
    ['column', x.slice(':', 4), 'row-major'],
    ['F copy', x.copy('F'), 'column-major'],
    ['0-d', x.slice(1, 2), 'row-major'],
  ];
  for (const [name, v, order] of views) {
    const s = toStdlib(v);
    t.equal(s.data, v.data, `${name}: same typed array`);
    t.deepEqual([s.shape, s.offset], [v.shape, v.offset], `${name}: same shape, offset`);
    t.deepEqual(s.strides, v.ndim === 0 ? [0] : v.strides, `${name}: same strides`);
    t.equal(s.order, order, `${name}: ${order}`);
    t.equal(s.dtype, 'float64');
    t.equal(s.flags.READONLY, false);
    if (v.ndim === 0) {
      v.set(55);
      t.equal(s.get(), 55, '0-d NDArray -> stdlib');
      s.set(66);
      t.equal(v.item(), 66, '0-d stdlib -> NDArray');
      continue;
    }
    provesSharing(
      t,
      `${name} NDArray -> stdlib`,
      v.shape,
      (i, val) => v.set(...i, val),
      (i) => s.get(...i),
    );
    provesSharing(
      t,
      `${name} stdlib -> NDArray`,
      v.shape,
      (i, val) => s.set(...i, val),
      (i) => v.get(...i),
    );
  }
  const ro = toStdlib(arange(3).broadcastTo([2, 3]));
  t.equal(ro.flags.READONLY, true, 'a read-only NDArray gives a read-only stdlib ndarray');
  t.throws(() => ro.set(0, 0, 1), /read-only/, 'stdlib refuses writes');
  t.equal(fromStdlib(ro).flags.writeable, false, 'and comes back read-only');
  const e = toStdlib(zeros([0, 3]));
  t.deepEqual(e.shape, [0, 3], 'empty');
  t.end();
});

test('stdlib: bool shares bytes through a BooleanArray', (t) => {
  const x = new NDArray(new Uint8Array([1, 0, 0, 1, 1, 0]), 'bool', [2, 3]);
  const s = toStdlib(x.T);
  t.equal(s.dtype, 'bool');
  t.equal((s.data as { buffer: ArrayBufferLike }).buffer, x.data.buffer, 'same bytes');
  t.equal(s.get(1, 0), false, 'transposed view');
  t.equal(s.get(0, 0), true, 'booleans, not 0/1');
  s.set(2, 1, true);
  t.equal(x.get(1, 2), true, 'stdlib write seen by the NDArray');
  x.set(0, 0, false);
  t.equal(s.get(0, 0), false, 'NDArray write seen by stdlib');

  const bytes = new Uint8Array(8);
  const sb = stdlibNdarray('bool', new BooleanArray(bytes.buffer, 2, 4), [2, 2], [2, 1], 0, 'row-major');
  const y = fromStdlib(sb);
  t.equal(y.dtype, 'bool');
  t.equal(y.data.buffer, bytes.buffer, 'fromStdlib bool: same bytes');
  t.equal(y.data.byteOffset, 2, 'at the BooleanArray offset');
  let same = true;
  indices(y.shape).forEach((i, k) => {
    sb.set(...i, k % 2 === 0);
    if (y.get(...i) !== (k % 2 === 0)) same = false;
  });
  t.ok(same, 'stdlib bool writes seen by the NDArray at every index');
  sb.set(1, 1, true);
  t.equal(bytes[5], 1, 'stdlib writes land in the shared bytes');
  y.set(1, 1, false);
  t.equal(sb.get(1, 1), false, 'NDArray writes seen by stdlib');
  t.end();
});

test('stdlib: complex64/complex128 share parts through Complex64Array/Complex128Array', (t) => {
  const ctors = require('@stdlib/ndarray/base/buffer-ctors') as (d: string) => new (b: ArrayBufferLike, o: number, n: number) => unknown;
  const real = require('@stdlib/complex/float64/real') as (z: unknown) => number;
  const imag = require('@stdlib/complex/float64/imag') as (z: unknown) => number;
  const realf = require('@stdlib/complex/float32/real') as (z: unknown) => number;
  const imagf = require('@stdlib/complex/float32/imag') as (z: unknown) => number;
  for (const [dtype, P, re, im] of [
    ['complex128', Float64Array, real, imag],
    ['complex64', Float32Array, realf, imagf],
  ] as const) {
    // ndshare -> stdlib: a transposed view over the same parts.
    const parts = new P([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const x = new NDArray(parts, dtype, [2, 3]);
    const s = toStdlib(x.T);
    t.equal(s.dtype, dtype, `${dtype}: stdlib dtype`);
    t.equal((s.data as { buffer: ArrayBufferLike }).buffer, parts.buffer, `${dtype}: same bytes`);
    const z = s.get(2, 1); // x[1, 2] = 11 + 12j
    t.deepEqual([re(z), im(z)], [11, 12], `${dtype}: stdlib reads x[1, 2] through the transpose`);
    x.set(0, 1, { re: -1, im: 0.5 });
    const w = s.get(1, 0);
    t.deepEqual([re(w), im(w)], [-1, 0.5], `${dtype}: NDArray write seen by stdlib`);
    // stdlib -> ndshare: an offset Complex array with stepped strides.
    const C = ctors(dtype);
    const bytes = new P(16);
    const sc = stdlibNdarray(dtype, new C(bytes.buffer, 2 * P.BYTES_PER_ELEMENT, 6), [3], [2], 0, 'row-major');
    const y = fromStdlib(sc);
    t.equal(y.dtype, dtype, `${dtype}: fromStdlib dtype`);
    t.equal(y.data.buffer, bytes.buffer, `${dtype}: fromStdlib shares the bytes`);
    y.set(1, { re: 7, im: -3 });
    t.deepEqual([bytes[6], bytes[7]], [7, -3], `${dtype}: element 1 (stride 2, after the 1-element offset) lands at parts 6, 7`);
    const v = sc.get(1);
    t.deepEqual([re(v), im(v)], [7, -3], `${dtype}: stdlib reads the NDArray write`);
  }
  t.end();
});

test('stdlib: dtype mapping and errors', (t) => {
  const expected: Record<(typeof DTYPES)[number], string | null> = {
    bool: 'bool',
    int8: 'int8',
    uint8: 'uint8',
    int16: 'int16',
    uint16: 'uint16',
    int32: 'int32',
    uint32: 'uint32',
    int64: null,
    uint64: null,
    float16: typeof (globalThis as { Float16Array?: unknown }).Float16Array === 'function' ? 'float16' : null,
    bfloat16: null,
    float32: 'float32',
    float64: 'float64',
  };
  for (const dtype of DTYPES) {
    const x = zeros([2, 3], { dtype });
    const want = expected[dtype];
    if (want === null) {
      t.throws(
        () => toStdlib(x),
        (e: unknown) => e instanceof NdshareError && e.code === 'ERR_NDSHARE_DTYPE' && /astype\('float(32|64)'\)/.test(e.message),
        `${dtype} -> ERR_NDSHARE_DTYPE suggesting astype`,
      );
      continue;
    }
    const s = toStdlib(x);
    t.equal(s.dtype, want, `${dtype} -> stdlib '${want}'`);
    t.equal(fromStdlib(s).dtype, dtype, `stdlib '${want}' -> ${dtype}`);
  }
  const u8c = fromStdlib(stdlibNdarray('uint8c', new Uint8ClampedArray(3), [3], [1], 0, 'row-major'));
  t.equal(u8c.dtype, 'uint8', "stdlib 'uint8c' -> uint8");
  t.equal(toStdlib(u8c).dtype, 'uint8c', "and back to 'uint8c'");
  const bin = Buffer.alloc(3);
  const xb = fromStdlib(stdlibNdarray('binary', bin, [3], [1], 0, 'row-major'));
  t.deepEqual([xb.dtype, xb.data === (bin as Uint8Array)], ['uint8', true], "stdlib 'binary' -> uint8 over the Buffer");

  t.ok(isStdlibNdarray(stdlibNdarray('float64', new Float64Array(4), [2, 2], [2, 1], 0, 'row-major')), 'stdlib ndarray');
  t.notOk(isStdlibNdarray(zeros([2, 2])), 'not an NDArray');
  t.notOk(isStdlibNdarray(ndarray(new Float64Array(4), [2, 2])), 'not a scijs ndarray');
  for (const v of [null, undefined, {}, new Float64Array(2), 3]) t.notOk(isStdlibNdarray(v), `not ${String(v)}`);

  const like = (over: Partial<Record<keyof StdlibNdarrayLike, unknown>>): StdlibNdarrayLike =>
    ({ dtype: 'float64', data: new Float64Array(4), shape: [4], strides: [1], offset: 0, order: 'row-major', ...over }) as StdlibNdarrayLike;
  const bad: [string, () => unknown, string][] = [
    ["dtype 'generic'", () => fromStdlib(stdlibNdarray('generic', [1, 2, 3], [3], [1], 0, 'row-major')), 'ERR_NDSHARE_DTYPE'],
    ['complex64 over a Float32Array', () => fromStdlib(like({ dtype: 'complex64', data: new Float32Array(8) })), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ["dtype 'complex32'", () => fromStdlib(like({ dtype: 'complex32', data: new Float32Array(8) })), 'ERR_NDSHARE_DTYPE'],
    ['float64 over an Array', () => fromStdlib(stdlibNdarray('float64', [1, 2, 3], [3], [1], 0, 'row-major')), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['bool over an Array', () => fromStdlib(like({ dtype: 'bool', data: [true, false, true, true] })), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['view outside data', () => fromStdlib(like({ shape: [5] })), 'ERR_NDSHARE_OUT_OF_BOUNDS'],
    ['strides count', () => fromStdlib(like({ shape: [2, 2] })), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['fromStdlib({})', () => fromStdlib({} as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['fromStdlib(scijs)', () => fromStdlib(ndarray(new Float64Array(2)) as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['toStdlib(stdlib)', () => toStdlib(like({}) as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['toStdlib(undefined)', () => toStdlib(undefined as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
  ];
  for (const [name, fn, code] of bad) t.throws(fn, (e: unknown) => codeOf(e) === code, `${name} -> ${code}`);
  t.end();
});

test('scijs: the old names are deprecated aliases of toScijs/fromScijs', async (t) => {
  const nd = await import('../src/index.js');
  t.equal(nd.fromNdarray, nd.fromScijs, 'nd.fromNdarray is nd.fromScijs');
  const x = nd.arange(6).reshape([2, 3]);
  const a = x.toNdarray();
  const b = x.toScijs();
  t.equal(a.data, b.data, 'x.toNdarray() views the same memory as x.toScijs()');
  t.deepEqual([a.shape, a.stride, a.offset], [b.shape, b.stride, b.offset]);
  t.equal(nd.toScijs(x).get(1, 2), 5, 'nd.toScijs(x) is the function form');
  t.equal(typeof nd.toStdlib, 'function', 'nd.toStdlib is exported too');
  t.end();
});
