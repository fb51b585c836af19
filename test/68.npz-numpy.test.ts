// .npz against NumPy 2: archives NumPy writes (savez, savez_compressed; every
// dtype, 0-d, empty, Fortran order, big-endian, many members) read by
// nd.load, and archives ndshare writes read by np.load; NpzFile's keys,
// laziness, close, and the errors (corrupt members, bad CRC, key clashes).
import test from 'tape';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nd from '../src/index.js';
import type { NDArray } from '../src/index.js';
import { SKIP_MESSAGE, numpy, python } from './helpers/python.js';

/** C-order bytes and metadata of an array, for exact comparison. */
function sig(x: NDArray): string {
  const c = x.copy();
  const b = Buffer.from(c.data.buffer, c.data.byteOffset + c.offset * c.itemsize, c.nbytes);
  return `${x.dtype} (${x.shape.join(',')}) ${b.toString('hex')}`;
}

const MAKE = `
rng = np.random.default_rng(68)
arrs = {}
for d in ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64']:
    arrs['v_' + d] = (rng.integers(0, 100, size=(3, 5)) % (2 if d == 'bool' else 100)).astype(d)
arrs['zero_d'] = np.array(3.5)
arrs['empty'] = np.zeros((0, 4), dtype='int32')
arrs['fortran'] = np.asfortranarray(np.arange(12.0).reshape(3, 4))
arrs['big_endian'] = np.arange(6, dtype='>i4').reshape(2, 3)
arrs['strided'] = np.arange(40.0)[::-3]
arrs['large'] = rng.standard_normal(100000)
arrs['complex'] = (np.arange(6) + 1j * np.arange(6)[::-1]).astype('complex64').reshape(2, 3)
`;

test('nd.load reads the .npz archives NumPy writes', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const { files } = python(`${MAKE}
np.savez(os.path.join(D, 'out_plain.npz'), np.arange(4), np.ones(2), **arrs)
np.savez_compressed(os.path.join(D, 'out_comp.npz'), np.arange(4), np.ones(2), **arrs)
for k, v in arrs.items():
    np.save(os.path.join(D, 'out_' + k + '.npy'), v)
`);
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-npz-'));
  try {
    for (const kind of ['plain', 'comp']) {
      const p = join(dir, `${kind}.npz`);
      writeFileSync(p, files[`out_${kind}.npz`]!);
      const f = nd.load(p as `${string}.npz`);
      t.ok(f instanceof nd.NpzFile, `${kind}: an NpzFile`);
      const keys = [
        'v_bool',
        'v_int8',
        'v_uint8',
        'v_int16',
        'v_uint16',
        'v_int32',
        'v_uint32',
        'v_int64',
        'v_uint64',
        'v_float16',
        'v_float32',
        'v_float64',
        'zero_d',
        'empty',
        'fortran',
        'big_endian',
        'strided',
        'large',
        'complex',
        'arr_0',
        'arr_1',
      ];
      t.deepEqual(f.files, keys, `${kind}: the keys in NumPy's order`);
      let same = 0;
      for (const k of keys.slice(0, -2)) {
        const want = nd.parseNpy(new Uint8Array(files[`out_${k}.npy`]!));
        if (sig(f.get(k)) === sig(want)) same++;
        else t.fail(`${kind}: ${k} differs: ${sig(f.get(k)).slice(0, 80)} vs ${sig(want).slice(0, 80)}`);
      }
      t.equal(same, keys.length - 2, `${kind}: ${same} arrays equal NumPy's`);
      t.deepEqual(f.get('arr_0').toArray(), [0n, 1n, 2n, 3n], `${kind}: positional arrays as arr_0 (int64)`);
      t.deepEqual(f.get('arr_1.npy').toArray(), [1, 1], `${kind}: a key with its .npy suffix`);
      t.equal(f.get('fortran').flags.fContiguous, true, `${kind}: Fortran order kept`);
      t.ok(f.has('large') && !f.has('nope'), `${kind}: has`);
      t.throws(
        () => f.get('nope'),
        (e: { code?: string }) => e.code === 'ERR_NDSHARE_NOT_FOUND',
        `${kind}: unknown key`,
      );
      t.notEqual(f.get('large'), f.get('large'), `${kind}: a fresh array on every get`);
      f.close();
      f.close();
      t.throws(
        () => f.get('large'),
        (e: { code?: string }) => e.code === 'ERR_NDSHARE_CLOSED',
        `${kind}: get after close`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.end();
});

test('np.load reads the .npz archives ndshare writes', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-npz-'));
  try {
    const x = nd.arange(24, { dtype: 'int16' }).reshape([2, 3, 4]);
    const arrays: Record<string, NDArray> = {
      f8: nd.random.normal([50, 7], { seed: 1 }),
      i16view: x.slice('::-1', null, '1::2'),
      xT: x.T,
      b: nd.greater(nd.arange(10), 4),
      u64: nd.array([0n, 18446744073709551615n], { dtype: 'uint64' }),
      zero_d: nd.array(7, { dtype: 'float32' }),
      empty: nd.zeros([3, 0], { dtype: 'uint8' }),
      f16: nd.linspace(-2, 2, 9).astype('float16'),
      c128: nd.array([nd.complex(1, -2), nd.complex(0.5, 3)]),
      c64T: nd.array(
        [
          [nd.complex(1, 2), nd.complex(3, 4)],
          [nd.complex(5, 6), nd.complex(7, 8)],
        ],
        { dtype: 'complex64' },
      ).T,
      'ünï code': nd.ones([2]),
    };
    const inputs: Record<string, Uint8Array> = {};
    for (const [kind, fn] of [
      ['plain', nd.savez],
      ['comp', nd.savezCompressed],
    ] as const) {
      const p = join(dir, `${kind}.npz`);
      fn(p, nd.arange(3), arrays);
      inputs[`${kind}.npz`] = readFileSync(p);
    }
    const { stdout, files } = python(
      `
res = {}
for kind in ['plain', 'comp']:
    with np.load(os.path.join(D, kind + '.npz')) as f:
        res[kind] = f.files
        for k in f.files:
            np.save(os.path.join(D, 'out_%s_%d.npy' % (kind, f.files.index(k))), f[k])
        import zipfile
        z = zipfile.ZipFile(os.path.join(D, kind + '.npz'))
        res[kind + '_methods'] = sorted(set(i.compress_type for i in z.infolist()))
        res[kind + '_test'] = z.testzip()
print(json.dumps(res))
`,
      inputs,
    );
    const res = JSON.parse(stdout) as Record<string, unknown>;
    const keys = [...Object.keys(arrays), 'arr_0'];
    for (const kind of ['plain', 'comp']) {
      t.deepEqual(res[kind], keys, `${kind}: NumPy sees the keys`);
      t.deepEqual(res[`${kind}_methods`], [kind === 'plain' ? 0 : 8], `${kind}: members ${kind === 'plain' ? 'stored' : 'deflated'}`);
      t.equal(res[`${kind}_test`], null, `${kind}: zipfile.testzip finds no bad CRC`);
      let same = 0;
      keys.forEach((k, i) => {
        const got = nd.parseNpy(new Uint8Array(files[`out_${kind}_${i}.npy`]!));
        const want = k === 'arr_0' ? nd.arange(3) : arrays[k]!;
        if (sig(got) === sig(want)) same++;
        else t.fail(`${kind}: ${k}: NumPy read ${sig(got).slice(0, 60)}, ours ${sig(want).slice(0, 60)}`);
      });
      t.equal(same, keys.length, `${kind}: NumPy reads all ${same} arrays exactly`);
    }
    // Round trip through our own reader too.
    using f = nd.loadNpz(join(dir, 'comp.npz'));
    t.equal(sig(f.get('i16view')), sig(arrays.i16view!), 'our reader reads our archive');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.end();
});

test('npz errors are coded', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-npz-'));
  try {
    const p = join(dir, 'a.npz');
    t.throws(
      () => nd.savez(p, nd.arange(2), { arr_0: nd.ones([1]) }),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
      'a key that clashes with arr_0',
    );
    nd.savez(p, { x: nd.arange(1000) });
    const bytes = readFileSync(p);
    // Flip one data byte: the CRC check catches it.
    const bad = Buffer.from(bytes);
    bad[200] = bad[200]! ^ 0xff;
    const q = join(dir, 'bad.npz');
    writeFileSync(q, bad);
    const f = nd.loadNpz(q);
    t.throws(
      () => f.get('x'),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_CORRUPT_FILE',
      'a corrupted member fails its CRC',
    );
    f.close();
    writeFileSync(q, bytes.subarray(0, bytes.length - 10));
    t.throws(
      () => nd.loadNpz(q),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_CORRUPT_FILE',
      'a truncated archive',
    );
    t.throws(
      () => nd.load(p, { mmapMode: 'r' } as never),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_UNSUPPORTED',
      'mmapMode is refused',
    );
    t.throws(
      () => nd.savez(p, nd.ones([2]).astype('bfloat16')),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_DTYPE',
      'bfloat16 cannot be saved',
    );
    t.ok(nd.load(p) instanceof nd.NpzFile, 'nd.load tells a zip by its bytes, whatever the name');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.end();
});
