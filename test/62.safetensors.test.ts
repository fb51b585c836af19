/**
 * safetensors read/write: round trips of every dtype, files written by a
 * hand-rolled Python writer (struct + json + numpy), our files read back by
 * Python, zero-copy mapping, malformed files, the store's loadSafetensors
 * across processes, and the PSS of 4 processes sharing 256 MiB of weights.
 */
import test from 'tape';
import type { Test } from 'tape';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import * as nd from '../src/index.js';
import { native } from '../src/binding.js';
import { encodeSafetensors, loadSafetensorsWithMetadata } from '../src/io/safetensors.js';
import { DTYPES, type DType } from '../src/ndarray/dtypes.js';
import { NdshareError } from '../src/errors.js';
import { numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { spawnChild, kill9, type Child } from './helpers/child.js';

const { loadSafetensors, saveSafetensors, parseSafetensors } = nd;

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-st-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The C-order bytes of an array, as hex. */
function hexOf(x: nd.NDArray): string {
  const c = x.flags.cContiguous ? x : x.copy();
  const item = c.data.BYTES_PER_ELEMENT;
  return Buffer.from(c.data.buffer, c.data.byteOffset + c.offset * item, c.size * item).toString('hex');
}

/** A deterministic array of `dtype` and `shape` with varied values (negative where signed). */
function sample(dtype: DType, shape: number[]): nd.NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const base = nd.arange(n).reshape(shape);
  if (dtype === 'bool') return nd.mod(base, 2).astype('bool');
  if (dtype.startsWith('uint')) return base.astype(dtype);
  return nd.subtract(nd.multiply(base, 3), 7).astype(dtype);
}

const SHAPES: number[][] = [[], [0], [5], [2, 3], [3, 0, 2], [2, 1, 3]];

test('round trip: every dtype and shape (0-d, zero-size), metadata, through a file and through bytes', (t) => {
  const dir = tempDir(t);
  const tensors: Record<string, nd.NDArray> = {};
  for (const dtype of DTYPES) for (const shape of SHAPES) tensors[`${dtype}/${shape.join('x') || 'scalar'}`] = sample(dtype, shape);
  tensors['float64/transposed'] = sample('float64', [3, 4]).T; // non-contiguous: written as a C-order copy
  const metadata = { format: 'pt', note: 'ünïcode ✓', empty: '' };
  const p = join(dir, 'all.safetensors');
  saveSafetensors(p, tensors, metadata);
  const raw = readFileSync(p);
  const n = Number(raw.readBigUInt64LE(0));
  t.equal((8 + n) % 8, 0, 'the data starts at a multiple of 8');
  const back = loadSafetensorsWithMetadata(pathToFileURL(p));
  t.deepEqual(back.metadata, metadata, 'metadata');
  t.deepEqual(Object.keys(back.tensors).sort(), Object.keys(tensors).sort(), 'the same names');
  let ok = 0;
  for (const [name, x] of Object.entries(tensors)) {
    const y = back.tensors[name]!;
    if (y.dtype === x.dtype && JSON.stringify(y.shape) === JSON.stringify(x.shape) && hexOf(y) === hexOf(x)) ok++;
    else t.fail(`${name}: got ${y.dtype} ${JSON.stringify(y.shape)} ${hexOf(y)}, expected ${x.dtype} ${JSON.stringify(x.shape)} ${hexOf(x)}`);
  }
  t.equal(ok, Object.keys(tensors).length, `all ${ok} tensors equal after load`);
  const parsed = parseSafetensors(encodeSafetensors(tensors, metadata));
  t.deepEqual(parsed.metadata, metadata);
  t.true(
    Object.entries(tensors).every(([k, x]) => hexOf(parsed.tensors[k]!) === hexOf(x)),
    'parseSafetensors(encode) equal',
  );
  const f = parsed.tensors['float32/2x3']!;
  t.true(f.flags.writeable && !f.flags.ownData, 'parse: writeable views over the bytes');
  t.deepEqual(parseSafetensors(encodeSafetensors({})).tensors, {}, 'an empty file of no tensors');
  t.end();
});

test('reads bytes written by a hand-rolled Python writer exactly (aligned and unaligned)', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const { stdout, files } = python(`
import struct
rng = np.random.default_rng(5)
ts = {
  'b': np.array([[True, False, True]]),
  'u8': np.arange(7, dtype=np.uint8), 'i8': np.arange(-3, 4, dtype=np.int8),
  'i16': np.array([-32768, 5, 32767], dtype='<i2'), 'u16': np.array([0, 65535], dtype='<u2'),
  'i32': rng.integers(-2**31, 2**31, (2, 3), dtype=np.int32), 'u32': rng.integers(0, 2**32, (4,), dtype=np.uint32),
  'i64': np.array([-2**63, 2**63 - 1, 0], dtype='<i8'), 'u64': np.array([2**64 - 1, 1], dtype='<u8'),
  'f16': rng.standard_normal((3, 2)).astype('<f2'), 'f32': rng.standard_normal((2, 2, 2)).astype('<f4'),
  'f64': rng.standard_normal((5,)), 'scalar': np.array(2.5), 'empty': np.zeros((0, 3), dtype=np.float32),
}
codes = {'bool': 'BOOL', 'uint8': 'U8', 'int8': 'I8', 'int16': 'I16', 'uint16': 'U16', 'int32': 'I32', 'uint32': 'U32',
         'int64': 'I64', 'uint64': 'U64', 'float16': 'F16', 'float32': 'F32', 'float64': 'F64'}
bf = np.array([0x3f80, 0xc000, 0x7f80], dtype='<u2')  # bfloat16 bits of 1, -2, inf
def write(path, pad):
    header, data, pos = {'__metadata__': {'format': 'np', 'k': 'v'}}, b'', 0
    items = [(k, codes[str(v.dtype)], list(v.shape), v.tobytes(), v.itemsize) for k, v in ts.items()] + [('bf', 'BF16', [3], bf.tobytes(), 2)]
    items.sort(key=lambda it: -it[4])  # as the reference writer: larger items first, so each tensor is aligned
    for k, code, shape, b, _ in items:
        header[k] = {'dtype': code, 'shape': shape, 'data_offsets': [pos, pos + len(b)]}
        data += b; pos += len(b)
    h = json.dumps(header).encode()
    if pad: h += b' ' * ((8 - (8 + len(h)) % 8) % 8)
    else: h += b' ' * ((8 - (8 + len(h)) % 8) % 8 + 1)  # data at an odd offset: every tensor misaligned
    open(path, 'wb').write(struct.pack('<Q', len(h)) + h + data)
write(os.path.join(D, 'out_aligned'), True)
write(os.path.join(D, 'out_odd'), False)
out = {k: [str(v.dtype), list(v.shape), v.tobytes().hex()] for k, v in ts.items()}
out['bf'] = ['bfloat16', [3], bf.tobytes().hex()]
print(json.dumps(out))
`);
  const expected = JSON.parse(stdout) as Record<string, [string, number[], string]>;
  for (const file of ['out_aligned', 'out_odd']) {
    const { tensors, metadata } = parseSafetensors(new Uint8Array(files[file]!));
    t.deepEqual(metadata, { format: 'np', k: 'v' }, `${file}: metadata`);
    let ok = 0;
    for (const [name, [dtype, shape, hex]] of Object.entries(expected)) {
      const x = tensors[name]!;
      if (x.dtype === dtype && JSON.stringify(x.shape) === JSON.stringify(shape) && hexOf(x) === hex) ok++;
      else t.fail(`${file} ${name}: ${x.dtype} ${JSON.stringify(x.shape)} ${hexOf(x)} != ${dtype} ${JSON.stringify(shape)} ${hex}`);
    }
    t.equal(ok, Object.keys(expected).length, `${file}: every tensor exact`);
    if (file === 'out_odd') t.true(tensors['f64']!.flags.ownData, 'misaligned data is copied');
    else t.false(tensors['f64']!.flags.ownData, 'aligned data is a view');
  }
  t.equal(parseSafetensors(new Uint8Array(files['out_aligned']!)).tensors['bf']!.get(1), -2, 'bfloat16 decodes');
  t.end();
});

test('our files read by the same Python reader', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const tensors: Record<string, nd.NDArray> = {};
  for (const dtype of DTYPES) if (dtype !== 'bfloat16') tensors[dtype] = sample(dtype, [2, 3]);
  tensors['scalar'] = sample('float64', []);
  tensors['zero'] = sample('int32', [0, 4]);
  tensors['bf'] = sample('bfloat16', [4]);
  const bytes = encodeSafetensors(tensors, { who: 'ndshare' });
  const { stdout } = python(
    `
import struct
raw = open(os.path.join(D, 'in.safetensors'), 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
assert (8 + n) % 8 == 0
h = json.loads(raw[8:8 + n].decode())
data = raw[8 + n:]
dt = {'BOOL': '?', 'U8': 'u1', 'I8': 'i1', 'I16': '<i2', 'U16': '<u2', 'I32': '<i4', 'U32': '<u4', 'I64': '<i8', 'U64': '<u8',
      'F16': '<f2', 'BF16': '<u2', 'F32': '<f4', 'F64': '<f8'}
out = {'__metadata__': h.pop('__metadata__')}
covered = sorted((v['data_offsets'][0], v['data_offsets'][1]) for v in h.values())
pos = 0
for b, e in covered:
    assert b == pos, (b, pos); pos = e
assert pos == len(data)
for k, v in h.items():
    b, e = v['data_offsets']
    a = np.frombuffer(data[b:e], dtype=dt[v['dtype']]).reshape(v['shape'])
    assert b % a.itemsize == 0
    out[k] = [v['dtype'], list(a.shape), a.tobytes().hex(), a.ravel().tolist()[:3] if a.dtype != np.float16 else []]
print(json.dumps(out))
`,
    { 'in.safetensors': bytes },
  );
  const got = JSON.parse(stdout) as Record<string, unknown>;
  t.deepEqual(got['__metadata__'], { who: 'ndshare' }, 'metadata');
  for (const [name, x] of Object.entries(tensors)) {
    const [code, shape, hex] = got[name] as [string, number[], string];
    t.true(JSON.stringify(shape) === JSON.stringify(x.shape) && hex === hexOf(x), `${name} (${code}): shape and bytes equal in Python`);
  }
  t.deepEqual((got['int64'] as unknown[])[3], [-7, -4, -1], 'int64 values in Python');
  t.end();
});

test('loadSafetensors is zero-copy over a private mapping of the file', (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'w.safetensors');
  saveSafetensors(p, { w: sample('float32', [64, 64]), b: sample('int64', [8]), flag: sample('bool', [3]) });
  const size = readFileSync(p).length;
  const a = loadSafetensors(p);
  const b = loadSafetensors(p);
  const w = a['w']!;
  t.equal(w.data.buffer.byteLength, size, "the tensor's buffer is the whole file's mapping");
  t.equal(w.data.buffer, a['b']!.data.buffer, 'every tensor of one load views the same mapping');
  t.false(w.data.buffer instanceof SharedArrayBuffer, 'an ArrayBuffer');
  t.false(w.flags.writeable, 'read-only');
  t.false(w.flags.ownData, 'borrows its memory');
  t.equal(hexOf(w), hexOf(b['w']!), 'two loads see the same bytes');
  t.throws(
    () => w.set(0, 0, 1),
    (e: NdshareError) => e.code === 'ERR_NDSHARE_READ_ONLY',
    'ndshare refuses to write',
  );
  const before = readFileSync(p);
  w.data[0] = 12345; // a raw write lands in a private copy of the page
  t.equal(w.data[0], 12345, 'the writer sees its write');
  t.equal(b['w']!.data[0], before.readFloatLE(before.length - size + w.data.byteOffset), 'another mapping does not');
  t.true(readFileSync(p).equals(before), 'the file is unchanged');
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  t.equal(native.memory.mapFile(empty).byteLength, 0, 'mapFile of an empty file: a zero-length buffer');
  t.throws(
    () => loadSafetensors(empty),
    (e: NdshareError) => e.code === 'ERR_NDSHARE_CORRUPT_FILE',
    'an empty file is corrupt',
  );
  t.throws(
    () => loadSafetensors(join(dir, 'missing')),
    (e: NdshareError & { errno?: number; syscall?: string }) => e.code === 'ERR_NDSHARE_NATIVE' && e.syscall === 'open' && e.errno === 2,
    'a missing file: coded system error (open, ENOENT)',
  );
  t.throws(
    () => loadSafetensors(dir),
    (e: NdshareError) => e.code === 'ERR_NDSHARE_NATIVE',
    'a directory: coded error',
  );
  t.throws(() => loadSafetensors(42 as unknown as string), TypeError, 'bad path type');
  t.end();
});

/** A file from a header text and data bytes. */
function file(header: string, data: Uint8Array | number[] = [], lengthOverride?: bigint): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const e = (dtype: string, shape: unknown, offs: unknown) => JSON.stringify({ dtype, shape, data_offsets: offs });

test('malformed files give ERR_NDSHARE_CORRUPT_FILE naming the tensor and the value', (t) => {
  const dir = tempDir(t);
  const d16 = new Uint8Array(16);
  const cases: [string, Uint8Array, string][] = [
    ['too short', new Uint8Array(5), 'too short'],
    ['header length past the end', file('{}', [], 100n), 'runs past the end'],
    ['huge header length', file('{}', [], 1n << 40n), 'limit'],
    ['header over 100 MB', file('{}', [], 100_000_001n), 'limit'],
    ['bad JSON', file('{"a": '), 'not valid JSON'],
    ['not UTF-8', file('{"\xff"}').map((b, i) => (i === 10 ? 0xff : b)), 'UTF-8'],
    ['JSON array', file('[1, 2]'), 'JSON object'],
    ['non-object entry', file('{"wte": 5}'), '"wte"'],
    ['dtype not a string', file(`{"wte": ${e(7 as unknown as string, [2], [0, 8])}}`, d16.subarray(0, 8)), '"wte"'],
    ['negative dim', file(`{"wte": ${e('F32', [-2], [0, 8])}}`, d16.subarray(0, 8)), '-2'],
    ['fractional dim', file(`{"wte": ${e('F32', [1.5], [0, 8])}}`, d16.subarray(0, 8)), '1.5'],
    ['shape not an array', file(`{"wte": ${e('F32', 2, [0, 8])}}`, d16.subarray(0, 8)), '"wte"'],
    ['offsets not a pair', file(`{"wte": ${e('F32', [2], [0])}}`, d16.subarray(0, 8)), 'data_offsets'],
    ['negative offset', file(`{"wte": ${e('F32', [2], [-8, 0])}}`, d16.subarray(0, 8)), '-8'],
    ['end before begin', file(`{"wte": ${e('F32', [0], [8, 0])}}`, d16.subarray(0, 8)), 'end before begin'],
    ['size mismatch', file(`{"wte": ${e('F32', [3], [0, 8])}}`, d16.subarray(0, 8)), 'needs 12'],
    ['outside the data', file(`{"wte": ${e('F32', [4], [0, 16])}}`, d16.subarray(0, 8)), 'run past'],
    ['overlap', file(`{"a": ${e('F32', [2], [0, 8])}, "b": ${e('F32', [2], [4, 12])}}`, d16.subarray(0, 12)), 'overlaps'],
    ['hole', file(`{"a": ${e('F32', [1], [0, 4])}, "b": ${e('F32', [1], [8, 12])}}`, d16.subarray(0, 12)), 'hole'],
    ['trailing bytes', file(`{"a": ${e('F32', [1], [0, 4])}}`, d16.subarray(0, 12)), 'trailing'],
    ['duplicate names', file(`{"a": ${e('F32', [1], [0, 4])}, "a": ${e('F32', [1], [4, 8])}}`, d16.subarray(0, 8)), 'duplicate tensor name "a"'],
    ['bad metadata', file(`{"__metadata__": {"k": 1}}`), '"k"'],
    ['unknown dtype spelling', file(`{"wte": ${e('f32', [1], [0, 4])}}`, d16.subarray(0, 4)), '"f32"'],
    ['too many elements', file(`{"wte": ${e('F32', [2 ** 30, 2 ** 30, 2 ** 30], [0, 4])}}`, d16.subarray(0, 4)), 'too many'],
  ];
  for (const [what, bytes, needle] of cases) {
    try {
      parseSafetensors(bytes);
      t.fail(`${what}: no error`);
    } catch (err) {
      const ok = err instanceof NdshareError && err.code === 'ERR_NDSHARE_CORRUPT_FILE' && err.message.includes(needle);
      t.true(ok, `${what}: ${(err as Error).message}`);
    }
  }
  // Through a file, the message names the path.
  const p = join(dir, 'bad.safetensors');
  writeFileSync(p, cases[17]![1]);
  t.throws(
    () => loadSafetensors(p),
    (err: NdshareError) => err.code === 'ERR_NDSHARE_CORRUPT_FILE' && err.message.includes(p),
    'the path is named',
  );
  // Unsupported dtypes: ERR_NDSHARE_DTYPE naming the tensor.
  t.throws(
    () => parseSafetensors(file(`{"q": ${e('F8_E4M3', [4], [0, 4])}}`, d16.subarray(0, 4))),
    (err: NdshareError) => err.code === 'ERR_NDSHARE_DTYPE' && err.message.includes('"q"') && err.message.includes('F8_E4M3'),
    'F8_E4M3: a dtype error naming the tensor',
  );
  // Tolerated: unknown keys in an entry; bool bytes other than 0/1 (normalized in a copy).
  const ok = parseSafetensors(file(`{"m": {"dtype": "BOOL", "shape": [3], "data_offsets": [0, 3], "extra": true}}`, [0, 2, 1]));
  const m = ok.tensors['m']!;
  t.deepEqual(m.toArray(), [false, true, true], 'bool bytes > 1 read as true');
  t.deepEqual([...(m.data as Uint8Array)], [0, 1, 1], 'normalized to 1 in a copy');
  t.true(m.flags.ownData, 'a copy');
  t.end();
});

test('saveSafetensors arguments', (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'x.safetensors');
  t.throws(() => saveSafetensors(p, { a: [1, 2] as unknown as nd.NDArray }), TypeError, 'a non-NDArray tensor');
  t.throws(() => saveSafetensors(p, { __metadata__: nd.zeros([1]) }), RangeError, "the name '__metadata__'");
  t.throws(() => saveSafetensors(p, { a: nd.zeros([1]) }, { k: 1 as unknown as string }), TypeError, 'a non-string metadata value');
  t.throws(() => parseSafetensors([1, 2] as unknown as Uint8Array), TypeError, 'parse: not bytes');
  t.end();
});

test('store.loadSafetensors: tensors by name in the store; a child process reads them by name', async (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'model.safetensors');
  const w = sample('float32', [16, 8]);
  const bias = sample('int64', [8]);
  saveSafetensors(p, { 'layer.0.w': w, 'layer.0.b': bias, mask: sample('bool', [5]) });
  using store = nd.Store.create({ capacity: '16MiB' });
  const ids = store.loadSafetensors(p, { prefix: 'gpt/' });
  t.deepEqual(Object.keys(ids).sort(), ['layer.0.b', 'layer.0.w', 'mask']);
  const got = store.get('gpt/layer.0.w');
  t.equal(hexOf(got), hexOf(w), 'the parent reads it by name');
  t.equal(store.idOf(got), ids['layer.0.w'], 'the returned id');
  t.false(got.flags.writeable);
  store.release(got);
  const child = spawnChild('weights-child.ts', 'read', { handle: store.handle, name: 'gpt/layer.0.b' });
  const r = await child.next<{ dtype: string; shape: number[]; values: string[]; writeable: boolean; shared: boolean }>();
  t.equal(r.dtype, 'int64');
  t.deepEqual(r.shape, [8]);
  t.deepEqual(r.values, (bias.toArray() as bigint[]).map(String), 'the child reads the same values by name');
  t.true(r.shared && !r.writeable, 'a read-only view over shared memory in the child');
  t.equal((await child.exited).code, 0);

  // All or nothing: a name already taken fails the load and leaves nothing of it behind.
  store.put(nd.zeros([1]), { name: 'b/mask' });
  const before = store.list().length;
  t.throws(
    () => store.loadSafetensors(p, { prefix: 'b/' }),
    (e: NdshareError) => e.code === 'ERR_NDSHARE_EXISTS',
    'a taken name: coded error',
  );
  t.equal(store.list().length, before, 'nothing half-loaded stays behind');
  t.throws(() => store.loadSafetensors(p, { prefix: 3 as unknown as string }), TypeError, 'bad prefix');
  t.end();
});

test('store.loadSafetensors: a file larger than the store is STORE_FULL, nothing left behind', (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'big.safetensors');
  const tensors: Record<string, nd.NDArray> = {};
  for (let i = 0; i < 6; i++) tensors[`t${i}`] = nd.zeros([256 * 1024], { dtype: 'float32' }); // 1 MiB each
  saveSafetensors(p, tensors);
  using store = nd.Store.create({ capacity: '4MiB' });
  store.put(nd.zeros([10]), { name: 'keep' });
  t.throws(
    () => store.loadSafetensors(p),
    (e: NdshareError) => e.code === 'ERR_NDSHARE_STORE_FULL',
    'STORE_FULL',
  );
  const names = store.list().map((o) => o.name);
  t.false(
    names.some((n) => n?.startsWith('t')),
    `no tensor of the file stays (left: ${JSON.stringify(names)})`,
  );
  t.end();
});

/** Pss in bytes of a process: the whole process (smaps_rollup) and the part in mappings whose path matches `weights`. */
function pss(pid: number, weights: RegExp): { total: number; weights: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const total = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)![1]) * 1024;
  let w = 0;
  let inWeights = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inWeights = weights.test(line);
    else if (inWeights && line.startsWith('Pss:')) w += Number(/(\d+)/.exec(line)![1]) * 1024;
  }
  return { total, weights: w };
}

test('PSS: 4 processes reading 256 MiB of weights from the store share one copy', async (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'big.safetensors');
  const MiB = 1 << 20;
  const tensors: Record<string, nd.NDArray> = {};
  for (let i = 0; i < 4; i++) tensors[`layer${i}`] = nd.full([16 * MiB], 1 + i, { dtype: 'float32' }); // 64 MiB each
  saveSafetensors(p, tensors);
  for (const k of Object.keys(tensors)) delete tensors[k];
  const fileSize = readFileSync(p, { flag: 'r' }).length;
  using store = nd.Store.create({ capacity: '300MiB', retainFreed: 0 });
  const ids = store.loadSafetensors(p, { prefix: 'w/' });
  const names = Object.keys(ids).map((n) => `w/${n}`);
  // Drop the file mapping of this process now (it is garbage once the tensors are in the store).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
  gc?.();
  native.memory.trim(); // and the freed source arrays kept in the allocation cache
  const children: Child[] = [];
  t.teardown(async () => {
    for (const c of children) await kill9(c);
  });
  for (let i = 0; i < 4; i++) children.push(spawnChild('weights-child.ts', 'hold', { handle: store.handle, names }));
  const pids = [process.pid];
  for (const c of children) pids.push((await c.next<{ pid: number }>(30_000)).pid);
  const seg = /memfd:|ndshare|\/dev\/shm|big\.safetensors/;
  const base = pids.map((pid) => pss(pid, seg));
  for (const c of children) c.proc.kill('SIGUSR1');
  // Expected byte sum: float32 1..4 in every element of each tensor (bytes 00 00 80 3f, 00 00 00 40, 00 00 40 40, 00 00 80 40).
  const perElem = [0x80 + 0x3f, 0x40, 0x40 + 0x40, 0x80 + 0x40];
  const expected = perElem.reduce((s, v) => s + v * 16 * MiB, 0);
  for (const c of children) {
    const r = await c.next<{ sum: number; bytes: number }>(30_000);
    t.equal(r.bytes, 256 * MiB, 'every byte read');
    t.equal(r.sum, expected, 'the sum of every byte');
  }
  const after = pids.map((pid) => pss(pid, seg));
  const total = after.reduce((s, x) => s + x.total, 0);
  const weights = after.reduce((s, x) => s + x.weights, 0);
  const baseTotal = base.reduce((s, x) => s + x.total, 0);
  t.comment(
    `file ${(fileSize / MiB).toFixed(1)} MiB; PSS of 5 processes (parent + 4 readers): ${(total / MiB).toFixed(1)} MiB = ${(total / fileSize).toFixed(3)}x the file`,
  );
  t.comment(
    `  of which in the store/file mappings: ${(weights / MiB).toFixed(1)} MiB = ${(weights / fileSize).toFixed(3)}x; growth while the 4 children read everything: ${((total - baseTotal) / MiB).toFixed(1)} MiB`,
  );
  t.comment(
    `  per process PSS (MiB): ${after.map((x) => (x.total / MiB).toFixed(0)).join(', ')}; Node runtime baseline of 5 processes before reading: ${((baseTotal - base.reduce((s, x) => s + x.weights, 0)) / MiB).toFixed(0)} MiB`,
  );
  t.true(weights <= 1.25 * fileSize, `weights PSS ${(weights / fileSize).toFixed(3)}x <= 1.25x the file`);
  t.true(total - baseTotal <= 0.25 * fileSize, `reading all weights in 4 processes adds ${((total - baseTotal) / MiB).toFixed(1)} MiB <= 0.25x the file`);
  t.true(total - (baseTotal - base.reduce((s, x) => s + x.weights, 0)) <= 1.25 * fileSize, 'total PSS beyond the runtime baseline <= 1.25x the file');
  t.end();
});
