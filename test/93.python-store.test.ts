// The store from Python (python/ndshare), with real python3 processes both
// ways: Node puts, Python reads every dtype (complex64/complex128 included) and layout zero-copy (read-only
// views inside the store's memfd mapping, at the offsets Node sees) and
// compares with NumPy; Python puts, Node reads; pins and refcounts seen from
// both sides; a Python reader/writer kill -9'ed while pinned or before sealing
// (the store reclaims it); wrong names, gone stores, stale handles and a
// wrong-version segment give coded errors. Also runs the Python unit tests
// (`python3 -m unittest` in python/).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'tape';
import * as nd from '../src/index.js';
import { native } from '../src/binding.js';
import { numpy, SKIP_MESSAGE } from './helpers/python.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const runtime = mkdtempSync(join(tmpdir(), 'ndshare-pyrt-'));
const scratch = mkdtempSync(join(tmpdir(), 'ndshare-pyst-'));
process.env.NDSHARE_RUNTIME_DIR = runtime;
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
/** Python runs the bridge from the sources under test (not a possibly stale dist/). */
const env = {
  ...process.env,
  PYTHONPATH: join(ROOT, 'python'),
  NDSHARE_BRIDGE: `${process.execPath} --import ${TSX} ${join(ROOT, 'src/bridge/python.ts')}`,
  NDSHARE_RUNTIME_DIR: runtime,
};
const PRELUDE = `import ndshare, numpy as np, json, sys, os\nfrom ndshare import Store, NdshareError\nD = ${JSON.stringify(scratch)}\n`;
const has = numpy();

process.on('exit', () => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(runtime, { recursive: true, force: true });
});

/** Runs a Python script to the end; returns its last stdout line as JSON. */
function py<T = Record<string, unknown>>(code: string): T {
  const r = spawnSync('python3', ['-c', PRELUDE + code], { env, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status} ${r.signal ?? ''}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** A Python process driven line by line: it prints one JSON line per command it reads. */
interface Interactive {
  proc: ChildProcess;
  next(): Promise<Record<string, unknown>>;
  send(cmd: string): Promise<Record<string, unknown>>;
}

function interactive(code: string): Interactive {
  // Its own process group (detached), so a kill -9 can take it and its bridge at once.
  const proc = spawn('python3', ['-u', '-c', PRELUDE + code], { env, stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let buf = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (c: string) => {
    buf += c;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const l = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(l);
      else lines.push(l);
    }
  });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('python: no answer within 60 s')), 60_000);
      const take = (l: string): void => {
        clearTimeout(timer);
        resolve(JSON.parse(l) as Record<string, unknown>);
      };
      const l = lines.shift();
      if (l !== undefined) take(l);
      else waiters.push(take);
    });
  return {
    proc,
    next,
    send: (cmd) => {
      proc.stdin!.write(cmd + '\n');
      return next();
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(pred: () => boolean, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return pred();
}

/** The bytes of a C-contiguous array (itemsize, not the storage's BYTES_PER_ELEMENT: a complex element is two floats). */
function bytesOf(x: nd.NDArray): Buffer {
  const d = x.data;
  return Buffer.from(d.buffer, d.byteOffset + x.offset * x.itemsize, x.nbytes);
}

/** The start of the FlatBuffers header (its 'NDSH' identifier at +4) nearest below an object's data. */
function findHeader(bytes: Uint8Array, dataOffset: number): number {
  for (let at = dataOffset - 64; at >= 0; at -= 64) {
    if (bytes[at + 4] === 0x4e && bytes[at + 5] === 0x44 && bytes[at + 6] === 0x53 && bytes[at + 7] === 0x48) return at;
  }
  throw new Error('no header below the data');
}

/** Byte offset of an array's data in its store segment (what Python's view must start at). */
function segmentOffset(x: nd.NDArray): number {
  return x.data.byteOffset + x.offset * x.itemsize;
}

const COMPLEX = ['complex64', 'complex128'] as const;
const NUMERIC = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64', ...COMPLEX] as const;
/** numpy expressions of each layout, applied to `a` (a (4, 6) C array), and Node's twin. */
const LAYOUTS: [string, string, (x: nd.NDArray) => nd.NDArray][] = [
  ['c', 'a', (x) => x],
  ['fortran', 'a.T', (x) => x.transpose()],
  ['strided', 'a[::2, ::-3]', (x) => x.slice('::2', '::-3')],
  ['zero-d', 'a[1, 2]', (x) => x.slice(1, 2)],
  ['empty', 'a[4:, :]', (x) => x.slice('4:', ':')],
];

test('Python unit tests (python3 -m unittest in python/)', { skip: !has && SKIP_MESSAGE }, (t) => {
  const r = spawnSync('python3', ['-m', 'unittest', '-v'], { cwd: join(ROOT, 'python'), env, encoding: 'utf8', timeout: 300_000 });
  const ran = /Ran (\d+) tests?/.exec(r.stderr);
  t.equal(r.status, 0, `python3 -m unittest exits 0${r.status === 0 ? '' : `:\n${r.stderr}`}`);
  t.ok(ran && Number(ran[1]) >= 10, `ran ${ran?.[1]} Python tests`);
  t.match(r.stderr, /\nOK\n?/, 'all OK');
  t.end();
});

test('Node puts every dtype and layout; Python reads them by name, zero-copy and read-only, equal to NumPy', { skip: !has && SKIP_MESSAGE }, (t) => {
  // NumPy makes the data (and later the expectations): NaN, -0, inf, extreme integers.
  py(`
rng = np.random.default_rng(7)
for dt in ${JSON.stringify(NUMERIC)}:
    if dt == 'bool':
        a = rng.integers(0, 2, (4, 6)).astype(bool)
    elif np.dtype(dt).kind == 'f':
        a = rng.standard_normal((4, 6)).astype(dt); a[0, :3] = [np.nan, -0.0, np.inf]
    elif np.dtype(dt).kind == 'c':
        a = (rng.standard_normal((4, 6)) + 1j * rng.standard_normal((4, 6))).astype(dt)
        a.real[0, :3] = [np.nan, -0.0, np.inf]; a.imag[0, 1:5] = [-np.inf, np.nan, -0.0, np.inf]
    else:
        i = np.iinfo(dt); a = rng.integers(i.min, i.max, (4, 6), dtype=dt, endpoint=True); a[0, :2] = [i.min, i.max]
    np.save(os.path.join(D, f'src-{dt}.npy'), a)
print('{}')`);
  const name = `py-read-${process.pid}`;
  const store = nd.Store.create({ name, capacity: '16MiB' });
  const offsets: Record<string, number> = {};
  for (const dt of NUMERIC) {
    const a = nd.load(join(scratch, `src-${dt}.npy`));
    for (const [layout, , f] of LAYOUTS) {
      const key = `${layout}-${dt}`;
      store.put(f(a), { name: key });
      const g = store.get(key);
      offsets[key] = segmentOffset(g);
      store.release(g);
    }
  }
  // bfloat16: values bfloat16 holds exactly, so its bits are float32's high half.
  const bfValues = [1, -2, 0.5, 3, 65280, -0, Infinity, -Infinity, NaN];
  store.put(nd.array(bfValues, { dtype: 'bfloat16' }), { name: 'bf16' });
  const r = py<{ checked: number; failures: string[]; pinned: Record<string, number> }>(`
layouts = ${JSON.stringify(LAYOUTS.map(([l, e]) => [l, e]))}
offsets = ${JSON.stringify(offsets)}
maps = [l.split() for l in open('/proc/self/maps')]
def in_memfd(addr, n):
    for m in maps:
        lo, hi = (int(v, 16) for v in m[0].split('-'))
        if len(m) >= 6 and m[5].startswith('/memfd:ndshare-store') and lo <= addr and addr + n <= hi:
            return True
    return False
failures, checked, pinned = [], 0, {}
with Store.open(${JSON.stringify(name)}) as store:
    maps = [l.split() for l in open('/proc/self/maps')]
    base = store._ro_base.ctypes.data
    for dt in ${JSON.stringify(NUMERIC)}:
        a = np.load(os.path.join(D, f'src-{dt}.npy'))
        for layout, expr in layouts:
            key = f'{layout}-{dt}'
            want = np.array(eval(expr), order='C')  # (ascontiguousarray would make a 0-d array 1-d)
            with store.get(key) as b:
                checked += 1
                if b.dtype != want.dtype or b.shape != want.shape or b.tobytes() != want.tobytes():
                    failures.append(f'{key}: {b.dtype}{b.shape} != {want.dtype}{want.shape}')
                if b.flags.writeable: failures.append(f'{key}: writeable')
                try:
                    b.setflags(write=True); failures.append(f'{key}: setflags(write=True) allowed')
                except ValueError: pass
                if b.size:
                    try:
                        b[(0,) * b.ndim] = 0; failures.append(f'{key}: write allowed')
                    except ValueError: pass
                if b.size and b.ctypes.data - base != offsets[key]: failures.append(f'{key}: offset {b.ctypes.data - base} != {offsets[key]}')
                if b.size and not in_memfd(b.ctypes.data, b.nbytes): failures.append(f'{key}: not inside the store memfd mapping')
    vals = np.array(${JSON.stringify(bfValues.map((v) => (Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0.0' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v))))}, dtype=np.float32)
    with store.get('bf16') as b:
        checked += 1
        if b.dtype != np.uint16 or not np.array_equal(b, (vals.view(np.uint32) >> 16).astype(np.uint16)):
            failures.append(f'bf16: {b.dtype} {b.tolist()}')
    keep = store.get('c-float32')
    pinned = {o['name']: o['refcount'] for o in store.list() if o['name'] == 'c-float32'}
print(json.dumps({'checked': checked, 'failures': failures, 'pinned': pinned}))`);
  t.equal(r.checked, NUMERIC.length * LAYOUTS.length + 1, `${r.checked} objects read in Python`);
  t.deepEqual(r.failures, [], 'every dtype and layout: same bytes, read-only, in place');
  t.deepEqual(r.pinned, { 'c-float32': 1 }, 'a get from Python shows as a pin in the list');
  t.equal(store.list().find((o) => o.name === 'c-float32')?.refcount, 0, 'the pins of a Python process that closed are gone');
  t.equal(store.stats().clients, 1, 'its client slot too');
  store.close();
  t.end();
});

test('Python puts every dtype and layout; Node reads them at once, equal to what NumPy holds', { skip: !has && SKIP_MESSAGE }, (t) => {
  const name = `py-write-${process.pid}`;
  const store = nd.Store.create({ name, capacity: '16MiB' });
  const ids = py<Record<string, string>>(`
rng = np.random.default_rng(11)
ids = {}
with Store.open(${JSON.stringify(name)}) as store:
    for dt in ${JSON.stringify(NUMERIC)}:
        base = (rng.standard_normal((6, 8)) * 1000).astype(dt) if dt != 'bool' else rng.integers(0, 2, (6, 8)).astype(bool)
        if base.dtype.kind == 'c':
            base.imag = rng.standard_normal((6, 8)) * 1000; base.real[0, :3] = [np.nan, -0.0, -np.inf]; base.imag[0, 1:4] = [np.nan, -0.0, np.inf]
        for layout, a in {'c': base, 'fortran': np.asfortranarray(base), 'strided': base[::2, ::-3], 'transposed': base.T,
                          'swapped': base.astype(base.dtype.newbyteorder('S')), 'zero-d': base[1, 2], 'empty': base[:0]}.items():
            key = f'{layout}-{dt}'
            ids[key] = store.put(a, name=key)
            np.save(os.path.join(D, f'exp-{key}.npy'), np.array(a, dtype=a.dtype.newbyteorder('='), order='C'))
    ids['bf16'] = store.put(np.array([0x3F80, 0xC000, 0x7FC0, 0x8000], np.uint16), name='bf16', dtype='bfloat16')
print(json.dumps(ids))`);
  let checked = 0;
  const bad: string[] = [];
  for (const [key, id] of Object.entries(ids)) {
    if (key === 'bf16') continue;
    const x = store.get(key);
    const want = nd.load(join(scratch, `exp-${key}.npy`));
    checked++;
    if (x.dtype !== want.dtype || x.shape.join() !== want.shape.join() || !bytesOf(x).equals(bytesOf(want)))
      bad.push(`${key}: ${x.dtype}(${x.shape}) vs ${want.dtype}(${want.shape})`);
    if (x.flags.writeable) bad.push(`${key}: writeable in Node`);
    if (store.idOf(x) !== id) bad.push(`${key}: id ${store.idOf(x)} != ${id}`);
    store.release(x);
  }
  t.equal(checked, NUMERIC.length * 7, `${checked} objects put by Python read in Node`);
  t.deepEqual(bad, [], 'same dtype, shape and bytes; sealed and read-only');
  const bf = store.get('bf16');
  t.equal(bf.dtype, 'bfloat16', 'dtype="bfloat16" puts raw bits as bfloat16');
  const v = bf.toArray() as number[];
  t.ok(v.length === 4 && v[0] === 1 && v[1] === -2 && Number.isNaN(v[2]) && Object.is(v[3], -0), `bfloat16 values ${v.join()}`);
  store.release(bf);
  const listed = store.list().filter((o) => o.id in Object.fromEntries(Object.values(ids).map((v) => [v, 1])));
  t.equal(listed.length, Object.keys(ids).length, 'every object outlives the Python process that put it');
  t.ok(
    listed.every((o) => o.state === 'sealed' && o.refcount === 0),
    'sealed, unpinned',
  );
  store.close();
  t.end();
});

/** A float as text both sides parse exactly: Python's repr (nan, inf, -inf, -0.0) and JS's shortest round trip. */
function floatText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Object.is(v, -0) ? '-0.0' : String(v);
}
function parseFloatText(s: string): number {
  return s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
}

test('complex64/complex128 cross both ways with their values (C, Fortran, strided; NaN, Inf and -0 parts)', { skip: !has && SKIP_MESSAGE }, (t) => {
  const name = `py-complex-${process.pid}`;
  const store = nd.Store.create({ name, capacity: '4MiB' });
  // Python -> Node: NumPy makes the arrays and reports each element's parts as text.
  const fromPy = py<Record<string, { id: string; dtype: string; shape: number[]; parts: [string, string][] }>>(`
rng = np.random.default_rng(5)
out = {}
with Store.open(${JSON.stringify(name)}) as store:
    for dt in ${JSON.stringify(COMPLEX)}:
        base = (rng.standard_normal((4, 5)) + 1j * rng.standard_normal((4, 5))).astype(dt)
        base.real[0, :4] = [np.nan, -0.0, np.inf, -np.inf]; base.imag[0, 2:] = [np.nan, -0.0, -np.inf]; base.imag[1, 0] = np.inf
        for layout, a in {'c': base, 'fortran': np.asfortranarray(base), 'strided': base[::2, ::-2], 'transposed': base.T}.items():
            key = f'{layout}-{dt}'
            c = np.array(a, order='C')
            out[key] = {'id': store.put(a, name=key), 'dtype': str(a.dtype), 'shape': list(a.shape),
                        'parts': [[repr(float(z.real)), repr(float(z.imag))] for z in c.ravel()]}
print(json.dumps(out))`);
  let compared = 0;
  const bad: string[] = [];
  for (const [key, want] of Object.entries(fromPy)) {
    const x = store.get(key);
    if (x.dtype !== want.dtype || x.shape.join() !== want.shape.join()) bad.push(`${key}: ${x.dtype}(${x.shape}) vs ${want.dtype}(${want.shape})`);
    if (store.idOf(x) !== want.id) bad.push(`${key}: id ${store.idOf(x)} != ${want.id}`);
    const got = (x.toArray() as unknown[]).flat(Infinity) as nd.Complex[];
    want.parts.forEach(([re, im], i) => {
      compared++;
      const z = got[i];
      if (!z || !Object.is(z.re, parseFloatText(re)) || !Object.is(z.im, parseFloatText(im))) bad.push(`${key}[${i}]: ${z?.re}+${z?.im}j != ${re}+${im}j`);
    });
    store.release(x);
  }
  t.equal(Object.keys(fromPy).length, 8, 'Python put 2 complex dtypes × 4 layouts');
  t.ok(compared > 0, `${compared} complex elements compared part by part`);
  t.deepEqual(bad, [], 'Node reads complex NDArrays of the same dtype, shape and values (NaN, ±Inf, -0 in either part)');

  // Node -> Python: Node makes the arrays; NumPy applies the twin layout and compares part by part, in place.
  const parts = (dt: (typeof COMPLEX)[number]): [number, number][] => {
    const r = dt === 'complex64' ? Math.fround : (v: number): number => v;
    const specials = [NaN, -0, Infinity, -Infinity, 0];
    return Array.from({ length: 12 }, (_, i) => [r(specials[i] ?? Math.sin(i) * 1e3), r(specials[(i + 2) % 12] ?? Math.cos(i) / 7)]);
  };
  const offsets: Record<string, number> = {};
  const layouts: [string, string, (x: nd.NDArray) => nd.NDArray][] = [
    ['c', 'a', (x) => x],
    ['fortran', 'a.T', (x) => x.transpose()],
    ['strided', 'a[::2, ::-1]', (x) => x.slice('::2', '::-1')],
  ];
  for (const dt of COMPLEX) {
    const a = nd
      .array(
        parts(dt).map(([re, im]) => nd.complex(re, im)),
        { dtype: dt },
      )
      .reshape([3, 4]);
    for (const [layout, , f] of layouts) {
      const key = `node-${layout}-${dt}`;
      store.put(f(a), { name: key });
      const g = store.get(key);
      offsets[key] = segmentOffset(g);
      store.release(g);
    }
  }
  const r = py<{ checked: number; failures: string[] }>(`
src = ${JSON.stringify(Object.fromEntries(COMPLEX.map((dt) => [dt, parts(dt).map(([re, im]) => [floatText(re), floatText(im)])])))}
offsets = ${JSON.stringify(offsets)}
def same(x, y):  # equal values, NaN where NaN, and the sign of zeros
    return x.shape == y.shape and np.array_equal(x, y, equal_nan=True) and np.array_equal(np.signbit(x), np.signbit(y))
failures, checked = [], 0
with Store.open(${JSON.stringify(name)}) as store:
    base = store._ro_base.ctypes.data
    for dt, p in src.items():
        a = np.empty(len(p), dt)
        a.real = [float(re) for re, im in p]; a.imag = [float(im) for re, im in p]
        a = a.reshape(3, 4)
        for layout, expr in ${JSON.stringify(layouts.map(([l, e]) => [l, e]))}:
            key = f'node-{layout}-{dt}'
            want = eval(expr)
            with store.get(key) as b:
                checked += 1
                if b.dtype != np.dtype(dt): failures.append(f'{key}: dtype {b.dtype}')
                if not (same(b.real, want.real) and same(b.imag, want.imag)): failures.append(f'{key}: {b.tolist()} != {want.tolist()}')
                if b.ctypes.data - base != offsets[key]: failures.append(f'{key}: offset {b.ctypes.data - base} != {offsets[key]}')
                if b.imag.ctypes.data != b.ctypes.data + b.itemsize // 2 or b.imag.flags.writeable: failures.append(f'{key}: imag is not a read-only view in place')
print(json.dumps({'checked': checked, 'failures': failures}))`);
  t.equal(r.checked, COMPLEX.length * layouts.length, `${r.checked} complex objects put by Node read in Python`);
  t.deepEqual(r.failures, [], 'numpy complex views over the same memory, with the same values');
  store.close();
  t.end();
});

test(
  'pins and refcounts seen from both sides; kill -9 of a pinned Python reader and of an unsealed writer is repaired',
  { skip: !has && SKIP_MESSAGE },
  async (t) => {
    const name = `py-kill-${process.pid}`;
    const store = nd.Store.create({ name, capacity: '16MiB' });
    const id = store.put(nd.arange(1000, { dtype: 'float32' }), { name: 'w' });
    const refcount = (): number | undefined => store.list().find((o) => o.id === id)?.refcount;
    const script = `
store = Store.open(${JSON.stringify(name)})
held = []
for line in sys.stdin:
    cmd = line.split()
    if cmd[0] == 'get':
        held.append(store.get(cmd[1])); print(json.dumps({'sum': float(held[-1].sum())}))
    elif cmd[0] == 'release':
        store.release(held.pop()); print('{}')
    elif cmd[0] == 'empty':
        held.append(store.empty(1 << 20, np.float32, name=cmd[1])); held[-1][:] = 1; print('{}')
    elif cmd[0] == 'refcount':
        print(json.dumps({'refcount': next(o['refcount'] for o in store.list() if o['name'] == cmd[1])}))
    elif cmd[0] == 'pids':
        print(json.dumps({'python': os.getpid(), 'bridge': store._bridge.pid}))
`;
    for (const how of ['the Python process (its bridge sees EOF)', 'the whole process group (the reaper)']) {
      // Python holds two clients: its own (in process: get/release) and its bridge's (the name, empty).
      const clientsBefore = store.stats().clients;
      const p = interactive(script);
      const pids = (await p.send('pids')) as { python: number; bridge: number };
      t.equal((await p.send('get w')).sum, 499500, `Python reads the sum (${how})`);
      t.equal(refcount(), 1, 'Node sees the Python pin');
      const mine = store.get('w');
      t.equal((await p.send('refcount w')).refcount, 2, 'Python sees Node pin too');
      await p.send('get w');
      t.equal(refcount(), 3, 'a second Python get counts');
      await p.send('release');
      t.equal(refcount(), 2, 'a Python release gives one back');
      const objects = store.stats().objects;
      await p.send('empty half-written');
      t.equal(store.stats().objects, objects + 1, 'an unsealed Python object exists');
      t.notOk(store.has('half-written'), 'but Node cannot see it before the seal');
      t.equal(store.stats().clients, clientsBefore + 2, 'Python is a client of its own, and so is its bridge');
      if (how.startsWith('the Python')) process.kill(pids.python, 'SIGKILL');
      else process.kill(-p.proc.pid!, 'SIGKILL');
      t.ok(await until(() => !alive(pids.python) && !alive(pids.bridge)), 'Python and its bridge are gone');
      t.ok(await until(() => store.stats().clients === clientsBefore && refcount() === 1), 'its pins are released, both client slots freed');
      t.equal(store.stats().objects, objects, 'its unsealed object is reclaimed');
      t.deepEqual(store.check(), [], 'the store is consistent');
      store.release(mine);
      t.equal(refcount(), 0, 'Node releases its own pin');
    }
    store.close();
    t.end();
  },
);

test(
  'Python attached by handle gets and releases in process (no bridge process); a kill -9 while pinned and holding the store mutex is repaired',
  { skip: !has && SKIP_MESSAGE },
  async (t) => {
    const store = nd.Store.create({ capacity: '16MiB' });
    const w = nd.arange(1000, { dtype: 'float32' });
    const id = store.put(w, { name: 'w' });
    const refcount = (): number | undefined => store.list().find((o) => o.id === id)?.refcount;
    const clientsBefore = store.stats().clients;
    const objectsBefore = store.stats().objects;
    const p = interactive(`
store = Store.attach(${JSON.stringify(JSON.stringify(store.handle))})
base = np.frombuffer(store._ro, np.uint8).ctypes.data
held = []
def children():
    me, out = str(os.getpid()), []
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open(f'/proc/{d}/stat') as f:
                    if f.read().rsplit(')', 1)[1].split()[1] == me: out.append(int(d))
            except OSError:
                pass
    return out
print(json.dumps({'pid': os.getpid()}))
for line in sys.stdin:
    cmd = line.split()
    if cmd[0] == 'get':
        try:
            a = store.get(cmd[1], timeout=float(cmd[2]) if len(cmd) > 2 else None); held.append(a)
        except NdshareError as e:
            print(json.dumps({'code': e.code, 'pinsHeld': store.stats()['pinsHeld']})); continue
        print(json.dumps({'sum': float(a.sum()), 'offset': a.ctypes.data - base, 'id': a.object_id, 'writeable': bool(a.flags.writeable)}))
    elif cmd[0] == 'delete':
        try:
            store.delete(cmd[1]); print('{}')
        except NdshareError as e:
            print(json.dumps({'code': e.code}))
    elif cmd[0] == 'release':
        store.release(held.pop()); print('{}')
    elif cmd[0] == 'lock':
        # Take the store mutex itself (the pthread call the library makes) and never give it back.
        import ctypes
        rc = ctypes.CDLL(None).pthread_mutex_lock(ctypes.c_void_p(np.frombuffer(store._rw, np.uint8).ctypes.data + 64))
        print(json.dumps({'rc': rc}))
    elif cmd[0] == 'state':
        print(json.dumps({'bridge': store._bridge is not None, 'children': children(), 'pinsHeld': store.stats()['pinsHeld']}))
`);
    const pid = (await p.next()).pid as number;
    const first = await p.send('get w');
    t.equal(first.sum, 499500, 'Python reads the values');
    const mine = store.get('w');
    t.equal(first.offset, segmentOffset(mine), 'at the offset Node reads them');
    store.release(mine);
    t.equal(first.id, id, 'with the same id');
    t.equal(first.writeable, false, 'read-only');
    await p.send(`get ${id}`);
    await p.send('get w');
    t.equal(refcount(), 3, 'Node sees the three Python pins');
    let state = await p.send('state');
    t.equal(state.pinsHeld, 1, 'Python holds one pin entry (three pins on one object)');
    t.equal(state.bridge, false, 'no bridge was started');
    t.deepEqual(state.children, [], 'Python has no child process: get and release ran in process');
    t.equal(store.stats().clients, clientsBefore + 1, 'Python registered one client of its own');
    await p.send('release');
    t.equal(refcount(), 2, 'a Python release gives one back at once');
    // A get that waits: Node puts the object 200 ms later; Python wakes on the store's futex.
    setTimeout(() => store.put(nd.full([10], 7), { name: 'later' }), 200);
    const later = await p.send('get later 20');
    t.equal(later.sum, 70, 'a waiting get wakes when Node seals the object');
    // Python deletes in process too; a second delete of the name is NOT_FOUND.
    const laterId = store.list().find((o) => o.name === 'later')!.id;
    const nodePin = store.get('later');
    t.deepEqual(await p.send('delete later'), {}, 'Python deletes an object Node and Python hold pinned');
    t.notOk(store.has('later'), 'Node no longer sees it');
    t.equal(store.list().find((o) => o.id === laterId)?.state, 'deleting', 'it waits for its pins');
    t.deepEqual(await p.send('delete later'), { code: 'ERR_NDSHARE_NOT_FOUND' }, 'a second delete is NOT_FOUND');
    store.release(nodePin);
    await p.send('release');
    t.notOk(
      store.list().some((o) => o.id === laterId),
      'freed with the last pin (Python gave it back)',
    );
    // A corrupt header seen from Python: a coded error, no pin left, the process unharmed.
    const bad = store.put(nd.arange(8, { dtype: 'float64' }), { name: 'bad' });
    const seg = native.shm.map(native.shm.duplicate(store.fd));
    const view = store.get(bad);
    const dataOffset = segmentOffset(view);
    store.release(view);
    // The header sits at the block's start, below the data: overwrite its root offset and identifier.
    const bytes = new Uint8Array(seg.buffer);
    const blockStart = findHeader(bytes, dataOffset);
    const saved = bytes.slice(blockStart, blockStart + 8);
    bytes.fill(0xff, blockStart, blockStart + 8);
    const corrupt = await p.send(`get ${bad}`);
    t.deepEqual(corrupt, { code: 'ERR_NDSHARE_CORRUPT_HEADER', pinsHeld: 1 }, 'a corrupt header is CORRUPT_HEADER in Python, and its pin is given back');
    bytes.set(saved, blockStart);
    t.equal((await p.send(`get ${bad}`)).sum, 28, 'restored: Python reads it');
    await p.send('release');
    native.shm.close(seg.fd);
    state = await p.send('state');
    t.deepEqual([state.bridge, state.children], [false, []], 'still no bridge');
    // Node deletes w while Python holds it: freed only with Python's last pin, which the reaper gives back.
    store.delete('w');
    t.equal(store.stats().objects, objectsBefore + 1, 'the deleted object waits for its pins (later is the +1)');
    const repairs = store.stats().repairs;
    // Python dies holding the store mutex too: the next locker repairs the tables, then reaps it.
    t.deepEqual(await p.send('lock'), { rc: 0 }, 'Python holds the store mutex');
    process.kill(pid, 'SIGKILL');
    t.ok(await until(() => !alive(pid)), 'Python is gone');
    t.ok(await until(() => store.stats().clients === clientsBefore), 'the reaper retired its client');
    t.equal(store.stats().repairs, repairs + 1, 'the mutex came back owner-dead: one repair');
    t.equal(store.stats().objects, objectsBefore, 'its pins are released: the deleted object went with them');
    t.equal(store.stats().pinned, 0, 'nothing is pinned');
    t.deepEqual(store.check(), [], 'the store is consistent');
    store.close();
    t.end();
  },
);

test('wrong names, gone stores, stale handles and a wrong-version segment are coded errors in Python', { skip: !has && SKIP_MESSAGE }, async (t) => {
  const store = nd.Store.create({ capacity: '1MiB' });
  const r = py<Record<string, string>>(`
out = {}
def code(f):
    try:
        f(); return 'no error'
    except NdshareError as e:
        return e.code
out['missing'] = code(lambda: Store.open('no-such-store'))
out['badName'] = code(lambda: Store.open('a/b'))
out['deadHandle'] = code(lambda: Store.attach({'kind': 'ndshare-store', 'version': 1, 'pid': 2**22 + 7, 'fd': 3, 'token': '0' * 32}))
handle = ${JSON.stringify(store.handle)}
out['wrongToken'] = code(lambda: Store.attach({**handle, 'token': 'f' * 32}))
with Store.attach(handle) as s:
    v = s._rw_base[4:8].view(np.uint32)
    version = int(v[0]); v[0] = 99   # pretend the segment is another layout version
    out['wrongVersion'] = code(lambda: Store.attach(handle))
    v[0] = version
    out['rightVersion'] = code(lambda: Store.attach(handle).close())
print(json.dumps(out))`);
  t.equal(r.missing, 'ERR_NDSHARE_NOT_FOUND', 'no store of that name');
  t.equal(r.badName, 'ERR_NDSHARE_INVALID_ARG_VALUE', 'a bad name');
  t.equal(r.deadHandle, 'ERR_NDSHARE_STORE_GONE', 'the handle of an exited process');
  t.equal(r.wrongToken, 'ERR_NDSHARE_CORRUPT_HEADER', 'a handle whose token differs');
  t.equal(r.wrongVersion, 'ERR_NDSHARE_CORRUPT_HEADER', 'a segment of another layout version is refused');
  t.equal(r.rightVersion, 'no error', 'and attaches again once restored');
  store.close();

  // A store whose every holder was kill -9'ed: its files remain, and opening it says it is gone.
  const p = interactive(`s = Store.create('1MiB', name='py-gone-${process.pid}')\nprint('{}')\nsys.stdin.read()`);
  await p.next();
  process.kill(-p.proc.pid!, 'SIGKILL');
  await until(() => p.proc.exitCode !== null || p.proc.signalCode !== null);
  await new Promise((res) => setTimeout(res, 200));
  t.ok(
    readdirSync(runtime).some((f) => f.startsWith(`py-gone-${process.pid}.`)),
    'the killed store left its files',
  );
  const gone = py<{ code: string }>(`
try:
    Store.open('py-gone-${process.pid}'); print(json.dumps({'code': 'no error'}))
except NdshareError as e:
    print(json.dumps({'code': e.code}))`);
  t.equal(gone.code, 'ERR_NDSHARE_STORE_GONE', 'a store whose processes were all killed');
  t.end();
});

test('examples/python: a Node HTTP front end and a Python worker share a named store', { skip: !has && SKIP_MESSAGE }, (t) => {
  const r = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'examples/python/serve.ts')], { env, encoding: 'utf8', timeout: 180_000 });
  t.equal(r.status, 0, `it exits 0${r.status === 0 ? '' : `:\n${r.stdout}\n${r.stderr}`}`);
  t.match(r.stdout, /worker: weights \(64, 10\) float32, writeable=False/, 'the worker sees the weights read-only');
  t.match(r.stdout, /worker: answered 3 requests/, 'answers every request');
  t.match(r.stdout, /ok: every answer matched/, 'every answer equals ndshare’s own softmax(x @ W + b)');
  t.end();
});

test('pip install --no-build-isolation -e python/ works with the standard library alone', { skip: !has && SKIP_MESSAGE }, (t) => {
  const venv = join(scratch, 'venv');
  const made = spawnSync('python3', ['-m', 'venv', '--system-site-packages', venv], { encoding: 'utf8' });
  if (made.status !== 0) {
    t.skip(`python3 -m venv is not available here: ${made.stderr.trim().split('\n').pop()}`);
    t.end();
    return;
  }
  const pip = spawnSync(join(venv, 'bin/pip'), ['install', '--no-build-isolation', '--no-index', '-e', join(ROOT, 'python')], { encoding: 'utf8' });
  t.equal(pip.status, 0, `pip install exits 0${pip.status === 0 ? '' : `:\n${pip.stdout}\n${pip.stderr}`}`);
  const noPath = { ...env, PYTHONPATH: '' };
  const r = spawnSync(join(venv, 'bin/python'), ['-c', 'import ndshare; print(ndshare.__file__)'], { cwd: scratch, env: noPath, encoding: 'utf8' });
  t.equal(r.stdout.trim(), join(ROOT, 'python/ndshare/__init__.py'), 'import ndshare finds the repository’s package');
  t.end();
});
