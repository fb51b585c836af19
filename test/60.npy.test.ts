/**
 * .npy read/write: NumPy differential tests both ways, malformed files,
 * header tolerance, zero-copy and copy paths, arguments.
 */
import test from 'tape';
import type { Test } from 'tape';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeNpy, load, parseNpy, readNpyHeader, save } from '../src/io/npy.js';
import { arange } from '../src/ndarray/creation.js';
import { NDArray } from '../src/ndarray/ndarray.js';
import { DTYPES, dtypeInfo, type DType, type TypedArray } from '../src/ndarray/dtypes.js';
import { NdshareError } from '../src/errors.js';

const SKIP = 'python3/numpy not found: NumPy differential tests skipped';
const HAVE_NUMPY = numpy(); // throws in CI when python3/NumPy is missing

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-npy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function python(script: string, ...args: string[]): string {
  const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python3 exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Raw stored values of a view in C order, walking shape/strides/offset directly. */
function rawValues(x: NDArray): (number | bigint)[] {
  const out: (number | bigint)[] = [];
  const walk = (axis: number, p: number): void => {
    if (axis === x.ndim) {
      out.push(x.data[p]!);
      return;
    }
    for (let i = 0; i < x.shape[axis]!; i++) walk(axis + 1, p + i * x.strides[axis]!);
  };
  if (x.size > 0) walk(0, x.offset);
  return out;
}

function codeOf(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}

// ---- NumPy writes, we read -----------------------------------------------------

const GEN = String.raw`
import numpy as np, json, os, sys, warnings
warnings.simplefilter('ignore')
D = sys.argv[1]
rng = np.random.default_rng(7)
NAMES = {'b1': 'bool', 'i1': 'int8', 'u1': 'uint8', 'i2': 'int16', 'u2': 'uint16', 'i4': 'int32',
         'u4': 'uint32', 'i8': 'int64', 'u8': 'uint64', 'f2': 'float16', 'f4': 'float32', 'f8': 'float64'}

def values(code, n):
    if code == 'b1':
        return rng.integers(0, 2, n).astype(bool)
    dt = np.dtype('<' + code)
    if code[0] in 'iu':
        info = np.iinfo(dt)
        v = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
        v[:3] = [info.min, info.max, 0]
        return v
    info = np.finfo(dt)
    v = (rng.standard_normal(n) * 100).astype(dt)
    special = np.array([np.nan, np.inf, -np.inf, -0.0, info.max, info.smallest_subnormal, -info.tiny], dtype=dt)
    v[:len(special)] = special
    return v

cases = []
def emit(name, a, version=None):
    with open(os.path.join(D, name + '.npy'), 'wb') as f:
        np.lib.format.write_array(f, a, version=version)
    ref = np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<'))
    with open(os.path.join(D, name + '.bin'), 'wb') as f:
        f.write(ref.tobytes())
    cases.append({'name': name, 'dtype': NAMES[a.dtype.str[1:]], 'shape': list(a.shape),
                  'fortran': bool(a.flags.f_contiguous and not a.flags.c_contiguous)})

for code in NAMES:
    v = values(code, 24)
    emit(code + '_1d', v[:7])
    emit(code + '_2d_c', v.reshape(4, 6))
    emit(code + '_2d_f', np.asfortranarray(v.reshape(4, 6)))
    emit(code + '_3d_c', v.reshape(2, 3, 4))
    emit(code + '_4d_f', np.asfortranarray(v.reshape(2, 1, 3, 4)))
    emit(code + '_0d', np.array(v[5]))
    emit(code + '_empty', v[:0].reshape(0, 3))
    emit(code + '_view', v.reshape(4, 6)[::-1, ::2])
    if code not in ('b1', 'i1', 'u1'):
        emit(code + '_2d_c_be', v.reshape(4, 6).astype('>' + code))
        emit(code + '_3d_f_be', np.asfortranarray(v.reshape(2, 3, 4).astype('>' + code)))
        emit(code + '_0d_be', np.array(v[3], dtype='>' + code))
    emit(code + '_v2', v.reshape(3, 8), version=(2, 0))
    emit(code + '_v3_f', np.asfortranarray(v.reshape(3, 8)), version=(3, 0))

unsupported = {
    'clongdouble': np.zeros(2, dtype=np.clongdouble),
    'unicode': np.array(['ab', 'c']),
    'bytes': np.array([b'ab', b'c']),
    'structured': np.zeros(2, dtype=[('a', '<f4'), ('b', '<i8')]),
    'object': np.array([1, 'x', None], dtype=object),
    'datetime': np.array(['2020-01-01'], dtype='datetime64[D]'),
    'timedelta': np.array([5], dtype='timedelta64[s]'),
    'longdouble': np.zeros(2, dtype=np.longdouble),
    'void': np.zeros(2, dtype='V4'),
}
for k, a in unsupported.items():
    np.save(os.path.join(D, 'unsup_' + k + '.npy'), a, allow_pickle=True)
with open(os.path.join(D, 'cases.json'), 'w') as f:
    json.dump({'cases': cases, 'unsupported': list(unsupported)}, f)
`;

test('npy: NumPy writes every dtype, order, byte order, version; load reads it exactly', (t) => {
  if (!HAVE_NUMPY) {
    t.skip(SKIP);
    t.end();
    return;
  }
  const dir = tempDir(t);
  python(GEN, dir);
  const { cases, unsupported } = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as {
    cases: { name: string; dtype: DType; shape: number[]; fortran: boolean }[];
    unsupported: string[];
  };
  t.equal(cases.length, 147, `${cases.length} NumPy-written files`);
  for (const c of cases) {
    const path = join(dir, `${c.name}.npy`);
    const x = load(path);
    const expected = readFileSync(join(dir, `${c.name}.bin`));
    const actual = bytesOf(x.copy('C').data);
    const ok =
      x.dtype === c.dtype &&
      JSON.stringify(x.shape) === JSON.stringify(c.shape) &&
      actual.equals(expected) &&
      (!c.fortran || (x.flags.fContiguous && !x.flags.cContiguous));
    t.ok(ok, `${c.name}: ${x.dtype} (${x.shape.join(', ')})${c.fortran ? ' F' : ''} equals NumPy's bytes`);
    if (x.size > 0) {
      // Zero-copy: the data is a view into the one buffer the file was read into.
      const h = readNpyHeader(new Uint8Array(readFileSync(path)));
      t.ok(
        x.data.buffer.byteLength === statSync(path).size && x.data.byteOffset === h.dataOffset,
        `${c.name}: view over the file buffer at byte ${h.dataOffset}`,
      );
    }
  }
  // Spot checks by value, not bytes.
  const f8 = load(join(dir, 'f8_1d.npy'));
  t.ok(Number.isNaN(f8.get(0) as number), 'f8 NaN');
  t.equal(f8.get(1), Infinity);
  t.equal(f8.get(2), -Infinity);
  t.ok(Object.is(f8.get(3), -0), 'f8 -0');
  t.equal(f8.get(4), Number.MAX_VALUE);
  t.equal(f8.get(5), 5e-324);
  const i8 = load(join(dir, 'i8_2d_c_be.npy'));
  t.equal(i8.get(0, 0), -(2n ** 63n), 'int64 min, big-endian');
  t.equal(i8.get(0, 1), 2n ** 63n - 1n, 'int64 max, big-endian');
  const u8 = load(join(dir, 'u8_3d_f_be.npy'));
  t.equal(u8.get(0, 0, 1), 2n ** 64n - 1n, 'uint64 max, big-endian Fortran');
  const b = load(join(dir, 'b1_2d_f.npy'));
  t.equal(typeof b.get(0, 0), 'boolean', 'bool elements are booleans');
  t.deepEqual(load(join(dir, 'f4_0d.npy')).shape, [], '0-d');
  for (const name of unsupported) {
    t.throws(
      () => load(join(dir, `unsup_${name}.npy`)),
      (e: unknown) => e instanceof NdshareError && e.code === 'ERR_NDSHARE_DTYPE' && e.message.includes(`unsup_${name}.npy`),
      `NumPy ${name} array -> ERR_NDSHARE_DTYPE naming the file`,
    );
  }
  t.end();
});

// ---- we write, NumPy reads ------------------------------------------------------

/** Storage values for 24 elements of each dtype, extremes first. */
function base(dtype: DType): NDArray {
  const n = 24;
  let data: TypedArray;
  switch (dtype) {
    case 'bool':
      data = Uint8Array.from({ length: n }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
      break;
    case 'int64':
      data = BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 1234567) * 1000003n - 9000000n);
      data.set([-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n]);
      break;
    case 'uint64':
      data = BigUint64Array.from({ length: n }, (_, i) => BigInt(i) * 0x123456789abcdefn);
      data.set([0n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n]);
      break;
    case 'float16':
      // Raw IEEE half bits: NaN, inf, -inf, -0, max, min subnormal, 1, then a pattern.
      data = Uint16Array.from({ length: n }, (_, i) => 0x3c00 + i * 0x155);
      data.set([0x7e00, 0x7c00, 0xfc00, 0x8000, 0x7bff, 0x0001, 0x3c00]);
      break;
    case 'float32':
      data = Float32Array.from({ length: n }, (_, i) => Math.fround((i - 11) * 1.37));
      data.set([NaN, Infinity, -Infinity, -0, 3.4028234663852886e38, 1.401298464324817e-45]);
      break;
    case 'float64':
      data = Float64Array.from({ length: n }, (_, i) => (i - 11) * 0.1);
      data.set([NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, 5e-324]);
      break;
    default: {
      const { ctor, itemsize } = dtypeInfo(dtype);
      data = new ctor(n) as TypedArray;
      const arr = data as unknown as number[];
      for (let i = 0; i < n; i++) arr[i] = (i * 37 - 300) * (itemsize === 4 ? 99991 : 1);
      const signed = dtype.startsWith('int');
      const bits = itemsize * 8;
      arr[0] = signed ? -(2 ** (bits - 1)) : 0;
      arr[1] = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    }
  }
  return new NDArray(data, dtype, [n]);
}

function views(x: NDArray): [string, NDArray][] {
  return [
    ['1d', x],
    ['2d', x.reshape([4, 6])],
    ['T', x.reshape([4, 6]).T],
    ['3d_F', x.reshape([2, 3, 4]).copy('F')],
    ['stepped', x.reshape([4, 6]).slice('::-1', '1::2')],
    ['perm', x.reshape([2, 3, 4]).transpose([1, 0, 2])],
    ['4d', x.reshape([2, 3, 2, 2])],
    ['0d', x.slice(5)],
    ['offset', x.slice('6:18')],
    ['empty', x.reshape([4, 6]).slice('2:2')],
    ['newaxis', x.slice('::3', null)],
  ];
}

function str(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (Object.is(v, -0)) return '-0.0';
  return String(v);
}

const VERIFY = String.raw`
import numpy as np, json, io, sys, warnings
warnings.simplefilter('ignore')
spec = json.load(open(sys.argv[1]))
NP = {'bool': '|b1', 'int8': '|i1', 'uint8': '|u1', 'int16': '<i2', 'uint16': '<u2', 'int32': '<i4',
      'uint32': '<u4', 'int64': '<i8', 'uint64': '<u8', 'float16': '<f2', 'float32': '<f4', 'float64': '<f8'}
for c in spec:
    try:
        a = np.load(c['file'])
        dt = np.dtype(NP[c['dtype']])
        if 'expr' in c:
            e = eval(c['expr'])
        elif c['dtype'] == 'bool':
            e = np.array([int(s) for s in c['vals']], dtype='u1').astype(bool)
        elif c['dtype'] == 'float16':
            e = np.array([int(s) for s in c['vals']], dtype='<u2').view('<f2')
        elif dt.kind == 'f':
            e = np.array([float(s) for s in c['vals']], dtype=dt)
        else:
            e = np.array([int(s) for s in c['vals']], dtype=dt)
        e = e.reshape(c['shape'])
        with open(c['file'], 'rb') as f:
            version = np.lib.format.read_magic(f)
            _, fortran, _ = np.lib.format.read_array_header_1_0(f) if version == (1, 0) else np.lib.format.read_array_header_2_0(f)
        if a.dtype != dt: raise AssertionError('dtype %s != %s' % (a.dtype, dt))
        if a.shape != e.shape: raise AssertionError('shape %s != %s' % (a.shape, e.shape))
        if dt.kind == 'f':
            same = np.array_equal(a, e, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(e))
        else:
            same = np.array_equal(a, e)
        if not same: raise AssertionError('values differ: %r vs %r' % (a.ravel()[:8], e.ravel()[:8]))
        if fortran != c['fortran']: raise AssertionError('fortran_order %s, expected %s' % (fortran, c['fortran']))
        buf = io.BytesIO()
        np.save(buf, e.copy(order='F' if c['fortran'] else 'C'))
        if buf.getvalue() != open(c['file'], 'rb').read(): raise AssertionError('bytes differ from np.save')
        print('OK', c['name'])
    except Exception as ex:
        print('FAIL', c['name'], repr(ex))
`;
import { numpy } from './helpers/python.js';

test('npy: save writes every dtype and layout; NumPy loads the same values (and the same bytes as np.save)', (t) => {
  if (!HAVE_NUMPY) {
    t.skip(SKIP);
    t.end();
    return;
  }
  const dir = tempDir(t);
  const spec: Record<string, unknown>[] = [];
  for (const dtype of DTYPES) {
    if (dtype === 'bfloat16') continue;
    for (const [vname, x] of views(base(dtype))) {
      const file = join(dir, `${dtype}_${vname}.npy`);
      save(file, x);
      t.ok(readFileSync(file).equals(bytesOf(encodeNpy(x))), `${dtype}_${vname}: save and encodeNpy agree`);
      spec.push({
        name: `${dtype}_${vname}`,
        file,
        dtype,
        shape: x.shape,
        vals: rawValues(x).map(str),
        fortran: !x.flags.cContiguous && x.flags.fContiguous,
      });
    }
  }
  // Views checked against NumPy recomputing them from a formula.
  const formulas: [string, NDArray, string][] = [
    [
      'formula_perm_step',
      arange(24, { dtype: 'int32' }).reshape([2, 3, 4]).transpose([2, 0, 1]).slice('::-1', ':', '::-2'),
      "np.arange(24, dtype='<i4').reshape(2, 3, 4).transpose(2, 0, 1)[::-1, :, ::-2]",
    ],
    ['formula_T', arange(12, { dtype: 'int16' }).reshape([3, 4]).T, "np.arange(12, dtype='<i2').reshape(3, 4).T"],
    ['formula_neg', arange(30, { dtype: 'int64' }).reshape([5, 6]).slice('-1:0:-2', '::-3'), "np.arange(30, dtype='<i8').reshape(5, 6)[-1:0:-2, ::-3]"],
  ];
  for (const [name, x, expr] of formulas) {
    const file = join(dir, `${name}.npy`);
    save(file, x);
    spec.push({ name, file, dtype: x.dtype, shape: x.shape, expr, fortran: !x.flags.cContiguous && x.flags.fContiguous });
  }
  const specPath = join(dir, 'spec.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const lines = python(VERIFY, specPath).trim().split('\n');
  t.equal(lines.length, spec.length, 'NumPy checked every file');
  for (const line of lines) t.ok(line.startsWith('OK '), line);
  // No temporary files left behind.
  t.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary files left',
  );
  t.end();
});

// ---- malformed files -----------------------------------------------------------

/** .npy bytes with a given header text (no padding unless asked), version and data. */
function npy(header: string, data: Uint8Array = new Uint8Array(0), opts: { version?: [number, number]; pad?: boolean; hlen?: number } = {}): Uint8Array {
  const [major, minor] = opts.version ?? [1, 0];
  const lenSize = major === 1 ? 2 : 4;
  let h = Buffer.from(header, major >= 3 ? 'utf8' : 'latin1');
  if (opts.pad) {
    const total = 8 + lenSize + h.length + 1;
    h = Buffer.concat([h, Buffer.alloc((64 - (total % 64)) % 64, 0x20), Buffer.from('\n')]);
  }
  const prefix = Buffer.alloc(8 + lenSize);
  Buffer.from('\x93NUMPY', 'latin1').copy(prefix);
  prefix[6] = major;
  prefix[7] = minor;
  if (lenSize === 2) prefix.writeUInt16LE(opts.hlen ?? h.length, 8);
  else prefix.writeUInt32LE(opts.hlen ?? h.length, 8);
  return new Uint8Array(Buffer.concat([prefix, h, data]));
}

const F8x3 = new Uint8Array(new Float64Array([1, 2, 3]).buffer);
const dict = (descr: string, fortran = 'False', shape = '(3,)') => `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

test('npy: malformed files are ERR_NDSHARE_CORRUPT_FILE; valid files of other dtypes ERR_NDSHARE_DTYPE', (t) => {
  const CORRUPT = 'ERR_NDSHARE_CORRUPT_FILE';
  const DTYPE = 'ERR_NDSHARE_DTYPE';
  const good = npy(dict("'<f8'"), F8x3, { pad: true });
  const cases: [string, Uint8Array, string][] = [
    ['empty', new Uint8Array(0), CORRUPT],
    ['2 bytes', new Uint8Array([0x93, 0x4e]), CORRUPT],
    [
      'bad magic',
      (() => {
        const b = good.slice();
        b[1] = 0x58;
        return b;
      })(),
      CORRUPT,
    ],
    ['version 4.0', npy(dict("'<f8'"), F8x3, { version: [4, 0] }), CORRUPT],
    ['version 1.1', npy(dict("'<f8'"), F8x3, { version: [1, 1] }), CORRUPT],
    ['version 0.0', npy(dict("'<f8'"), F8x3, { version: [0, 0] }), CORRUPT],
    ['no header length', good.slice(0, 8), CORRUPT],
    ['v2 half a header length', npy(dict("'<f8'"), F8x3, { version: [2, 0] }).slice(0, 10), CORRUPT],
    ['header length beyond file', npy(dict("'<f8'"), F8x3, { hlen: 60000 }), CORRUPT],
    ['v2 header length 4 GiB', npy(dict("'<f8'"), F8x3, { version: [2, 0], hlen: 0xffffffff }), CORRUPT],
    ['truncated header', good.slice(0, 40), CORRUPT],
    ['not a dict', npy('[1, 2, 3]'), CORRUPT],
    ['unclosed dict', npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)", F8x3), CORRUPT],
    ['garbage', npy('hello world', F8x3), CORRUPT],
    ['empty header', npy('', F8x3), CORRUPT],
    ['expression', npy(dict("'<f8'", 'False', '(1+2,)'), F8x3), CORRUPT],
    ['call', npy(dict("__import__('os').getcwd()"), F8x3), CORRUPT],
    ['missing key', npy("{'descr': '<f8', 'shape': (3,)}", F8x3), CORRUPT],
    ['extra key', npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1}", F8x3), CORRUPT],
    ['duplicate key', npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,)}", F8x3), CORRUPT],
    ['non-string key', npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 1: 2}", F8x3), CORRUPT],
    ['unknown descr <x4', npy(dict("'<x4'"), F8x3), CORRUPT],
    // Object.prototype names must not resolve to a dtype through a table lookup.
    ['descr __proto__', npy(dict("'__proto__'"), F8x3), CORRUPT],
    ['descr <__proto__', npy(dict("'<__proto__'"), F8x3), CORRUPT],
    ['descr constructor', npy(dict("'constructor'"), F8x3), CORRUPT],
    ['descr toString', npy(dict("'<toString'"), F8x3), CORRUPT],
    ['descr hasOwnProperty', npy(dict("'|hasOwnProperty'"), F8x3), CORRUPT],
    ['descr valueOf', npy(dict("'valueOf'"), F8x3), CORRUPT],
    ['unknown descr <f3', npy(dict("'<f3'"), F8x3), CORRUPT],
    ['unknown descr i16', npy(dict("'<i16'"), F8x3), CORRUPT],
    ['empty descr', npy(dict("''"), F8x3), CORRUPT],
    ['descr byte order only', npy(dict("'<'"), F8x3), CORRUPT],
    ['descr not a string', npy(dict('8'), F8x3), CORRUPT],
    ['fortran_order 1', npy(dict("'<f8'", '1'), F8x3), CORRUPT],
    ['fortran_order string', npy(dict("'<f8'", "'False'"), F8x3), CORRUPT],
    ['fortran_order None', npy(dict("'<f8'", 'None'), F8x3), CORRUPT],
    ['shape list', npy(dict("'<f8'", 'False', '[3]'), F8x3), CORRUPT],
    ['shape int', npy(dict("'<f8'", 'False', '(3)'), F8x3), CORRUPT],
    ['shape negative', npy(dict("'<f8'", 'False', '(-3,)'), F8x3), CORRUPT],
    ['shape negative 2-D', npy(dict("'<f8'", 'False', '(3, -1)'), F8x3), CORRUPT],
    ['shape float', npy(dict("'<f8'", 'False', '(3.0,)'), F8x3), CORRUPT],
    ['shape string', npy(dict("'<f8'", 'False', "('3',)"), F8x3), CORRUPT],
    ['shape bool', npy(dict("'<f8'", 'False', '(True,)'), F8x3), CORRUPT],
    ['shape hex', npy(dict("'<f8'", 'False', '(0x3,)'), F8x3), CORRUPT],
    ['shape 10^30', npy(dict("'<f8'", 'False', `(1${'0'.repeat(30)},)`), F8x3), CORRUPT],
    ['shape product > 2^53', npy(dict("'<f8'", 'False', '(1099511627776, 1099511627776)'), F8x3), CORRUPT],
    ['shape 65 dims', npy(dict("'<f8'", 'False', `(${'1, '.repeat(65)})`), F8x3), CORRUPT],
    ['data truncated', npy(dict("'<f8'"), F8x3.slice(0, 23), { pad: true }), CORRUPT],
    ['data missing', npy(dict("'<f8'"), new Uint8Array(0), { pad: true }), CORRUPT],
    ['huge shape, no data', npy(dict("'|u1'", 'False', '(1000000000000,)'), new Uint8Array(0), { pad: true }), CORRUPT],
    [
      'v3 invalid utf8',
      (() => {
        const b = npy(dict("'<f8'"), F8x3, { version: [3, 0], pad: true });
        b[12] = 0xff;
        return b;
      })(),
      CORRUPT,
    ],
    ['deep nesting (v2)', npy(dict(`${'('.repeat(100000)}1${')'.repeat(100000)}`), F8x3, { version: [2, 0] }), CORRUPT],
    ['deep list nesting', npy(dict("'<f8'", 'False', `${'['.repeat(50)}${']'.repeat(50)}`), F8x3), CORRUPT],
    ['unterminated string', npy("{'descr': '<f8, 'fortran_order': False, 'shape': (3,)}", F8x3), CORRUPT],
    ['string across lines', npy("{'descr': '<f\n8', 'fortran_order': False, 'shape': (3,)}", F8x3), CORRUPT],
    ['nul byte', npy(`${dict("'<f8'")}\0`, F8x3), CORRUPT],
    ['two dicts', npy(`${dict("'<f8'")} {}`, F8x3), CORRUPT],
    ['bad escape', npy(dict("'<f\\x8'"), F8x3), CORRUPT],
    ['object', npy(dict("'|O'"), F8x3), DTYPE],
    ['complex256', npy(dict("'<c32'"), F8x3), DTYPE],
    ['complex char', npy(dict("'G'"), F8x3), DTYPE],
    ['unicode', npy(dict("'<U5'"), F8x3), DTYPE],
    ['bytes', npy(dict("'|S3'"), F8x3), DTYPE],
    ['void', npy(dict("'|V8'"), F8x3), DTYPE],
    ['structured', npy(dict("[('a', '<f4'), ('b', '<i4')]"), F8x3), DTYPE],
    ['datetime', npy(dict("'<M8[ns]'"), F8x3), DTYPE],
    ['timedelta', npy(dict("'<m8[s]'"), F8x3), DTYPE],
    ['longdouble', npy(dict("'<f16'"), F8x3), DTYPE],
  ];
  for (const [name, bytes, code] of cases) {
    t.throws(
      () => parseNpy(bytes),
      (e: unknown) => e instanceof NdshareError && e.code === code,
      `${name} -> ${code}`,
    );
  }
  // The message names the file and the problem.
  const dir = tempDir(t);
  const path = join(dir, 'bad.npy');
  writeFileSync(path, npy(dict("'<f8'", 'False', '(-3,)'), F8x3));
  try {
    load(path);
    t.fail('no error');
  } catch (e) {
    t.equal(codeOf(e), CORRUPT);
    t.ok((e as Error).message.includes(path) && (e as Error).message.includes('negative'), (e as Error).message);
    t.equal((e as { path?: string }).path, path, 'error.path');
  }
  writeFileSync(path, npy(dict("'<f8'"), F8x3.slice(0, 20), { pad: true }));
  t.throws(() => load(path), /data truncated: shape \(3,\) of float64 needs 24 bytes, found 20/, 'truncation message');
  t.end();
});

test('npy: header parsing tolerates what Python literals allow', (t) => {
  const I4 = new Uint8Array(new Int32Array([0, 1, 2, 3, 4, 5]).buffer);
  const variants: [string, string, DType][] = [
    ['NumPy style', "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", 'int32'],
    ['compact, other key order', "{'shape':(2,3),'fortran_order':False,'descr':'<i4'}", 'int32'],
    ['double quotes', '{"descr": "<i4", "fortran_order": False, "shape": (2, 3)}', 'int32'],
    ['newlines and tabs', "{\n\t'descr' :\t'<i4' ,\n 'fortran_order' : False ,\n 'shape' : ( 2 , 3 , ) ,\n}\n", 'int32'],
    ["'=' byte order", "{'descr': '=i4', 'fortran_order': False, 'shape': (2, 3)}", 'int32'],
    ["'|' byte order", "{'descr': '|i4', 'fortran_order': False, 'shape': (2, 3)}", 'int32'],
    ['no byte order', "{'descr': 'i4', 'fortran_order': False, 'shape': (2, 3)}", 'int32'],
    ['char code', "{'descr': '<i', 'fortran_order': False, 'shape': (2, 3)}", 'int32'],
    ['Python 2 long', "{'descr': '<i4', 'fortran_order': False, 'shape': (2L, 3L), }", 'int32'],
    ['u prefix', "{u'descr': u'<i4', u'fortran_order': False, u'shape': (2, 3)}", 'int32'],
    ['escapes', "{'descr': '\\x3ci\\u0034', 'fortran_order': False, 'shape': (2, 3)}", 'int32'],
    ['parenthesized value', "{'descr': ('<i4'), 'fortran_order': (False), 'shape': ((2, 3))}", 'int32'],
    ['unsigned view', "{'descr': '<u4', 'fortran_order': False, 'shape': (2, 3)}", 'uint32'],
  ];
  for (const [name, header, dtype] of variants) {
    for (const version of [
      [1, 0],
      [3, 0],
    ] as [number, number][]) {
      let x: NDArray | undefined;
      try {
        x = parseNpy(npy(header, I4, { version }));
      } catch (e) {
        t.fail(`${name} v${version[0]}: ${(e as Error).message}`);
        continue;
      }
      t.ok(
        x.dtype === dtype && JSON.stringify(x.toArray()) === '[[0,1,2],[3,4,5]]',
        `${name} (v${version[0]}.0, data at byte ${10 + (version[0] === 1 ? 0 : 2) + Buffer.byteLength(header)})`,
      );
    }
  }
  const f = parseNpy(npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3)}", I4));
  t.deepEqual(
    f.toArray(),
    [
      [0, 2, 4],
      [1, 3, 5],
    ],
    'fortran_order True reads column-major',
  );
  t.ok(f.flags.fContiguous && !f.flags.cContiguous, 'as an F-contiguous array');
  const extra = parseNpy(new Uint8Array(Buffer.concat([npy("{'descr': '<i4', 'fortran_order': False, 'shape': (6,)}", I4), Buffer.from('trailing')])));
  t.deepEqual(extra.toArray(), [0, 1, 2, 3, 4, 5], 'bytes after the data are ignored, as np.load does');
  t.throws(
    () => parseNpy(npy("{'descr': '<é4', 'fortran_order': False, 'shape': (6,)}", I4, { version: [3, 0] })),
    /unknown descr '<é4'/,
    'v3 headers are decoded as UTF-8',
  );
  t.end();
});

// ---- zero copy and copy paths ----------------------------------------------------

test('npy: parseNpy is a view when aligned and native, a copy otherwise; input never modified', (t) => {
  const x = arange(12).reshape([3, 4]);
  const bytes = encodeNpy(x);
  t.equal(readNpyHeader(bytes).dataOffset % 64, 0, 'data at a multiple of 64');
  const y = parseNpy(bytes);
  t.equal(y.data.buffer, bytes.buffer, 'same buffer');
  new Float64Array(bytes.buffer, readNpyHeader(bytes).dataOffset, 12)[5] = 42;
  t.equal(y.get(1, 1), 42, 'writes to the bytes show in the array');
  y.set(2, 3, -7);
  t.equal(new Float64Array(bytes.buffer, readNpyHeader(bytes).dataOffset, 12)[11], -7, 'and back');

  // Misaligned: the same file one byte into a buffer.
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const z = parseNpy(shifted.subarray(1));
  t.notEqual(z.data.buffer, shifted.buffer, 'misaligned data is copied');
  t.deepEqual(z.toArray(), y.toArray(), 'with the same values');

  // Unpadded header: data at byte 10 + header length, not a multiple of 8.
  const unpadded = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2)}", new Uint8Array(new Float64Array([1, 2, 3, 4]).buffer));
  t.notEqual(readNpyHeader(unpadded).dataOffset % 8, 0, 'unpadded header leaves data misaligned');
  const u = parseNpy(unpadded);
  t.deepEqual(
    u.toArray(),
    [
      [1, 3],
      [2, 4],
    ],
    'misaligned Fortran data copied into F order',
  );
  t.ok(u.flags.fContiguous, 'F-contiguous');

  // Big-endian: swapped into a copy, the input untouched.
  const be = npy("{'descr': '>i4', 'fortran_order': False, 'shape': (3,)}", new Uint8Array([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0x12, 0x34, 0x56, 0x78]), {
    pad: true,
  });
  const before = Buffer.from(be);
  const b = parseNpy(be);
  t.deepEqual(b.toArray(), [1, -2, 0x12345678], 'big-endian int32');
  t.ok(Buffer.from(be).equals(before), 'input bytes not modified');
  const bbig = parseNpy(npy("{'descr': '>f2', 'fortran_order': False, 'shape': (2,)}", new Uint8Array([0x3c, 0x00, 0xc0, 0x00]), { pad: true }));
  t.deepEqual([...(bbig.data as Uint16Array)], [0x3c00, 0xc000], 'big-endian float16 bits');

  // bool bytes other than 0/1 read as true.
  const bools = npy("{'descr': '|b1', 'fortran_order': False, 'shape': (4,)}", new Uint8Array([0, 1, 2, 255]), { pad: true });
  const bb = parseNpy(bools);
  t.deepEqual(bb.toArray(), [false, true, true, true]);
  t.deepEqual([...(bb.data as Uint8Array)], [0, 1, 1, 1], 'stored as 0/1');
  t.deepEqual([...bools.subarray(bools.length - 4)], [0, 1, 2, 255], 'input not modified');

  // Zero-size arrays at any offset.
  const e = parseNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5)}"));
  t.deepEqual(e.shape, [0, 5]);
  t.equal(e.size, 0);
  t.end();
});

test('npy: save/load round trip of every dtype without NumPy; files are replaced atomically', (t) => {
  const dir = tempDir(t);
  for (const dtype of DTYPES) {
    if (dtype === 'bfloat16') continue;
    for (const [vname, x] of views(base(dtype))) {
      const path = join(dir, `${dtype}_${vname}.npy`);
      save(path, x);
      const y = load(path);
      const same = y.dtype === x.dtype && JSON.stringify(y.shape) === JSON.stringify(x.shape) && bytesOf(y.copy('C').data).equals(bytesOf(x.copy('C').data));
      t.ok(same, `${dtype} ${vname}`);
      if (x.flags.fContiguous && !x.flags.cContiguous) t.ok(y.flags.fContiguous, `${dtype} ${vname} stays F-contiguous`);
    }
  }
  const path = join(dir, 'replace.npy');
  save(path, arange(3));
  save(pathToFileURL(path), arange(5, { dtype: 'int8' }));
  t.deepEqual(load(pathToFileURL(path)).toArray(), [0, 1, 2, 3, 4], 'replaced, file: URLs accepted');
  t.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary files left',
  );
  t.end();
});

test('npy: argument and dtype errors', (t) => {
  const dir = tempDir(t);
  const x = arange(3);
  const bad: [string, () => unknown, string][] = [
    ['load(123)', () => load(123 as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['load(undefined)', () => load(undefined as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ["load('')", () => load(''), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['load(http URL)', () => load(new URL('http://example.com/x.npy')), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['save(123, x)', () => save(123 as never, x), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['save(path, {})', () => save(join(dir, 'a.npy'), {} as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['save(path, Float64Array)', () => save(join(dir, 'a.npy'), new Float64Array(3) as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['encodeNpy(null)', () => encodeNpy(null as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ["parseNpy('x')", () => parseNpy('x' as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['parseNpy(ArrayBuffer)', () => parseNpy(new ArrayBuffer(8) as never), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
  ];
  for (const [name, fn, code] of bad) t.throws(fn, (e: unknown) => codeOf(e) === code, `${name} -> ${code}`);

  const bf = new NDArray(new Uint16Array([0x3f80]), 'bfloat16', [1]);
  t.throws(
    () => save(join(dir, 'bf.npy'), bf),
    (e: unknown) => e instanceof NdshareError && e.code === 'ERR_NDSHARE_DTYPE' && /astype\('float32'\)/.test(e.message),
    'bfloat16 -> ERR_NDSHARE_DTYPE suggesting astype',
  );
  t.throws(
    () => encodeNpy(bf),
    (e: unknown) => codeOf(e) === 'ERR_NDSHARE_DTYPE',
    'encodeNpy(bfloat16) too',
  );
  t.notOk(existsSync(join(dir, 'bf.npy')), 'no file written');

  t.throws(
    () => load(join(dir, 'missing.npy')),
    (e: unknown) => codeOf(e) === 'ENOENT',
    "missing file: Node's ENOENT",
  );
  t.throws(
    () => load(dir),
    (e: unknown) => codeOf(e) === 'EISDIR',
    "directory: Node's EISDIR",
  );
  t.throws(
    () => save(join(dir, 'no', 'such', 'dir.npy'), x),
    (e: unknown) => codeOf(e) === 'ENOENT',
    "missing directory: Node's ENOENT",
  );
  t.deepEqual(readdirSync(dir), [], 'nothing left behind');
  t.end();
});

test('npy: load refuses what is not a regular file (a device, a FIFO) instead of reading it to the end', (t) => {
  const dir = tempDir(t);
  const fifo = join(dir, 'pipe.npy');
  const haveFifo = spawnSync('mkfifo', [fifo]).status === 0;
  const paths = ['/dev/zero', '/dev/null', ...(haveFifo ? [fifo] : [])];
  for (const p of paths) {
    t.throws(
      () => load(p),
      (e: unknown) =>
        e instanceof RangeError &&
        e instanceof NdshareError &&
        e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE' &&
        e.message.includes(p) &&
        /regular file/.test(e.message),
      `load('${p}') is a coded error naming the path`,
    );
  }
  t.end();
});
