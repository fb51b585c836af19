// store.loadSafetensors (issue 10 item 5): read into the store with pread, no
// mapping of the file left behind, not evictable on request, sharded checkpoints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type Test } from 'tape';
import * as nd from '../src/index.js';
import { codes, NdshareError } from '../src/index.js';
import { spawnChild } from './helpers/child.js';
import { throwsCoded } from './helpers/assert.js';

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-weights-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Mappings of this process whose path contains `part` (from /proc/self/maps). */
function mappingsOf(part: string): string[] {
  return readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((l) => l.includes(part));
}

function hexOf(x: nd.NDArray): string {
  const c = x.flags.cContiguous ? x : x.copy();
  const item = c.data.BYTES_PER_ELEMENT;
  return Buffer.from(c.data.buffer, c.data.byteOffset + c.offset * item, c.size * item).toString('hex');
}

/** A checkpoint of 6 tensors of several dtypes, split over 3 shards, with its index. */
function sharded(dir: string): { index: string; shards: string[]; tensors: Record<string, nd.NDArray> } {
  const tensors: Record<string, nd.NDArray> = {
    'embed.weight': nd.random.normal([64, 32], { seed: 1 }).astype('float32'),
    'layer.0.w': nd.arange(24, { dtype: 'int16' }).reshape([4, 6]),
    'layer.0.b': nd.array([1.5, -0.0, Infinity, NaN]).astype('float16'),
    'layer.1.w': nd.arange(10).astype('bfloat16'),
    mask: nd.array([true, false, true]),
    scale: nd.array(3.25),
  };
  const names = Object.keys(tensors);
  const shards = [0, 1, 2].map((k) => join(dir, `model-0000${k + 1}-of-00003.safetensors`));
  const weightMap: Record<string, string> = {};
  shards.forEach((file, k) => {
    const part = Object.fromEntries(names.filter((_, i) => i % 3 === k).map((n) => [n, tensors[n]!]));
    nd.saveSafetensors(file, part);
    for (const n of Object.keys(part)) weightMap[n] = file.split('/').pop()!;
  });
  const index = join(dir, 'model.safetensors.index.json');
  writeFileSync(index, JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
  return { index, shards, tensors };
}

test('loadSafetensors leaves no mapping of the file behind (no GC needed) and reads every byte right', (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'single-model.safetensors');
  const w = nd.random.normal([256, 256], { seed: 2 }).astype('float32');
  nd.saveSafetensors(p, { w, b: nd.arange(7, { dtype: 'int64' }) });
  using store = nd.Store.create({ capacity: '16MiB' });
  const ids = store.loadSafetensors(p, { prefix: 'm/' });
  t.deepEqual(mappingsOf('single-model.safetensors'), [], 'no mapping of the file in /proc/self/maps once it returned');
  const got = store.get(ids.w!);
  t.equal(hexOf(got), hexOf(w), 'the same bytes');
  t.equal(store.get('m/b').get(6), 6n);
  t.end();
});

test('evictable: false keeps the weights through any pressure; stats count them', (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'w.safetensors');
  nd.saveSafetensors(p, { a: nd.ones([2 ** 18]), b: nd.ones([2 ** 18]) }); // 2 x 2 MiB
  using store = nd.Store.create({ capacity: '8MiB' });
  store.loadSafetensors(p, { evictable: false });
  t.equal(store.stats().unevictable, 2);
  for (let k = 0; k < 10; k++) store.put(nd.zeros([2 ** 17])); // 1 MiB each: they evict each other
  t.true(store.has('a') && store.has('b'), 'the weights stayed');
  throwsCoded(t, 'bad evictable', () => store.loadSafetensors(p, { evictable: 1 as never }), TypeError, codes.INVALID_ARG_TYPE);
  t.end();
});

test('sharded checkpoints: the index, or the shards listed, give every tensor; a child reads them by name', async (t) => {
  const dir = tempDir(t);
  const { index, shards, tensors } = sharded(dir);
  {
    using store = nd.Store.create({ capacity: '16MiB' });
    const ids = store.loadSafetensors(index, { prefix: 'llm/' });
    t.deepEqual(Object.keys(ids).sort(), Object.keys(tensors).sort(), 'every tensor of the index');
    for (const [name, x] of Object.entries(tensors)) {
      const y = store.get(`llm/${name}`);
      t.equal(y.dtype, x.dtype, `${name}: dtype`);
      t.deepEqual(y.shape, x.shape, `${name}: shape`);
      t.equal(hexOf(y), hexOf(x), `${name}: bytes`);
      store.release(y);
    }
    t.deepEqual(mappingsOf('-of-00003.safetensors'), [], 'no shard stays mapped');
    const child = spawnChild('weights-child.ts', 'read', { handle: store.handle, name: 'llm/layer.0.w' });
    const r = await child.next<{ values: string[]; shape: number[] }>();
    t.deepEqual(r.shape, [4, 6]);
    t.equal(r.values[23], '23', 'another process reads a tensor of the second shard by name');
    await child.exited;
  }
  {
    using store = nd.Store.create({ capacity: '16MiB' });
    const ids = store.loadSafetensors(shards.map((s) => new URL(`file://${s}`)));
    t.equal(Object.keys(ids).length, 6, 'the shards as a list of file URLs');
  }
});

test('bad checkpoints: coded errors, and nothing half-loaded stays behind', (t) => {
  const dir = tempDir(t);
  const { index, shards } = sharded(dir);
  using store = nd.Store.create({ capacity: '16MiB' });
  const indexJson = JSON.parse(readFileSync(index, 'utf8'));
  const bad = (label: string, json: unknown, re: RegExp): void => {
    const p = join(dir, `bad-${label.replace(/\W+/g, '-')}.index.json`);
    writeFileSync(p, typeof json === 'string' ? json : JSON.stringify(json));
    throwsCoded(t, label, () => store.loadSafetensors(p), NdshareError, codes.CORRUPT_FILE, re);
    t.equal(store.list().length, 0, `${label}: no object left`);
  };
  bad('not JSON', '{', /JSON/);
  bad('no weight_map', { metadata: {} }, /weight_map/);
  bad('a tensor in the wrong shard', { weight_map: { ...indexJson.weight_map, 'embed.weight': shards[1]!.split('/').pop() } }, /index puts it/);
  bad('a tensor missing from its shard', { weight_map: { ...indexJson.weight_map, ghost: shards[0]!.split('/').pop() } }, /not in the file/);
  const copy = join(dir, 'copy-of-shard-1.safetensors');
  writeFileSync(copy, readFileSync(shards[0]!));
  throwsCoded(t, 'a tensor in two files', () => store.loadSafetensors([shards[0]!, copy]), NdshareError, codes.CORRUPT_FILE, /also in/);
  t.equal(store.list().length, 0, 'nothing left after a duplicate');
  t.equal(Object.keys(store.loadSafetensors([shards[0]!, index])).length, 6, 'the same file named twice is read once');
  throwsCoded(t, 'a device is not a regular file', () => store.loadSafetensors('/dev/zero'), NdshareError, codes.CORRUPT_FILE, /regular file/);
  throwsCoded(t, 'a missing shard', () => store.loadSafetensors(join(dir, 'missing.safetensors')), NdshareError, codes.NATIVE);
  throwsCoded(t, 'an empty list', () => store.loadSafetensors([]), TypeError, codes.INVALID_ARG_TYPE);
  t.end();
});
