// The store's rules run natively (native/store/arena.cc, shared with the
// Python client's libndshare_store.so): the offsets native code uses agree
// with src/store/layout.ts, and a corrupt segment (superblock, control block,
// pin list, FlatBuffers header) gives coded errors or is dropped by the
// repair, never a crash or a stray access.
import test from 'tape';
import * as nd from '../src/index.js';
import { codes, NdshareError } from '../src/index.js';
import { native } from '../src/binding.js';
import { ClientField, CLIENT_BYTES, LAYOUT_VERSION, MAGIC, ObjectField, OBJECT_BYTES, PIN_BYTES, regionsOf, Superblock } from '../src/store/layout.js';
import { throwsCoded } from './helpers/assert.js';

/** A second mapping of a store's segment, to read and corrupt it from outside the Store. */
function segmentOf(store: nd.Store): { sab: SharedArrayBuffer; u32: Uint32Array; f64: Float64Array; bytes: Uint8Array; close: () => void } {
  const { fd, buffer } = native.shm.map(native.shm.duplicate(store.fd));
  return { sab: buffer, u32: new Uint32Array(buffer), f64: new Float64Array(buffer), bytes: new Uint8Array(buffer), close: () => native.shm.close(fd) };
}

/** Byte offset of object `slot`'s control block. */
function objectBase(sab: SharedArrayBuffer, slot: number): number {
  const g = native.store.attach(sab, undefined);
  return regionsOf({ ...g, pageSize: native.shm.pageSize }).objects + slot * OBJECT_BYTES;
}

/** Runs the repair a locker does after EOWNERDEAD (under the lock, as nobody's client). */
function repair(sab: SharedArrayBuffer): number {
  native.store.lock(sab, -1, -1, 5000);
  try {
    return native.store.repair(sab, -1, -1);
  } finally {
    native.store.unlock(sab, -1, -1);
  }
}

test('native code and src/store/layout.ts agree on every offset', (t) => {
  const L = native.store.layout;
  t.deepEqual(L.Superblock, { ...Superblock }, 'superblock fields');
  t.deepEqual(L.ClientField, { ...ClientField }, 'client slot fields');
  t.deepEqual(L.ObjectField, { ...ObjectField }, 'object control block fields');
  t.equal(L.sizes!.MAGIC, MAGIC, 'magic');
  t.equal(L.sizes!.LAYOUT_VERSION, LAYOUT_VERSION, 'layout version');
  t.equal(L.sizes!.CLIENT_BYTES, CLIENT_BYTES, 'client slot size');
  t.equal(L.sizes!.OBJECT_BYTES, OBJECT_BYTES, 'control block size');
  t.equal(L.sizes!.PIN_BYTES, PIN_BYTES, 'pin entry size');
  t.end();
});

test('a buffer that is not a store, or a store with impossible geometry, is refused with a coded error', (t) => {
  const junk = new SharedArrayBuffer(1 << 16);
  new Uint8Array(junk).fill(0xa5);
  throwsCoded(t, 'garbage', () => native.store.attach(junk, undefined), NdshareError, codes.CORRUPT_HEADER, /magic/);
  throwsCoded(t, 'too small', () => native.store.attach(new SharedArrayBuffer(64), undefined), NdshareError, codes.CORRUPT_HEADER);
  throwsCoded(t, 'lock on garbage', () => native.store.lock(junk, -1, -1, 0), NdshareError, codes.CORRUPT_HEADER);

  const store = nd.Store.create({ capacity: '1MiB' });
  const seg = segmentOf(store);
  for (const [field, value] of [
    [Superblock.maxObjects, 0],
    [Superblock.maxClients, 1 << 20],
    [Superblock.indexSize, 3],
    [Superblock.pinsPerClient, 0xffffffff],
  ] as const) {
    const saved = seg.u32[field / 4]!;
    seg.u32[field / 4] = value;
    throwsCoded(t, `superblock word ${field} = ${value}`, () => native.store.attach(seg.sab, undefined), NdshareError, codes.CORRUPT_HEADER, /geometry/);
    throwsCoded(t, `Store.attach with word ${field} = ${value}`, () => nd.Store.attach(store.handle).close(), NdshareError, codes.CORRUPT_HEADER);
    seg.u32[field / 4] = saved;
  }
  const cap = seg.f64[Superblock.capacity / 8]!;
  seg.f64[Superblock.capacity / 8] = 2 ** 60;
  throwsCoded(t, 'capacity past the segment', () => native.store.attach(seg.sab, undefined), NdshareError, codes.CORRUPT_HEADER);
  seg.f64[Superblock.capacity / 8] = cap;
  nd.Store.attach(store.handle).close();
  t.pass('attaches again once restored');
  seg.close();
  store.close();
  t.end();
});

test('a corrupt FlatBuffers header is CORRUPT_HEADER on get (the pin is given back); its name no longer resolves', (t) => {
  const store = nd.Store.create({ capacity: '1MiB' });
  const seg = segmentOf(store);
  const id = store.put(nd.arange(16, { dtype: 'float32' }), { name: 'x' });
  const slot = Number(/^#(\d+)/.exec(id)![1]);
  const b = objectBase(seg.sab, slot);
  const blockOffset = seg.f64[(b + ObjectField.blockOffset) / 8]!;
  const headerBytes = seg.u32[(b + ObjectField.headerBytes) / 4]!;
  const saved = seg.bytes.slice(blockOffset, blockOffset + headerBytes);
  // Each corruption: the root offset, the vtable offset, then every 4-byte word in turn set to 0xffffffff.
  const corruptions: [string, () => void][] = [
    ['root offset past the header', () => new DataView(seg.sab).setUint32(blockOffset, 0x7ffffff0, true)],
    ['identifier', () => (seg.bytes[blockOffset + 4] = 0)],
  ];
  for (let w = 8; w + 4 <= headerBytes; w += 4) {
    corruptions.push([`word at +${w}`, () => new DataView(seg.sab).setUint32(blockOffset + w, 0xffffffff, true)]);
  }
  let refused = 0;
  for (const [what, corrupt] of corruptions) {
    corrupt();
    try {
      const v = store.get(id);
      // Some words (padding, the metadata strings) do not matter to a view: then it must still be right.
      t.equal(v.size, 16, `${what}: still a valid view`);
      store.release(v);
    } catch (e) {
      const err = e as NdshareError;
      if (err.code === codes.CORRUPT_HEADER) refused++;
      else t.fail(`${what}: ${err.code} ${err.message}`);
    }
    t.equal(store.stats().pinsHeld, 0, `${what}: no pin left behind`);
    seg.bytes.set(saved, blockOffset);
  }
  t.ok(refused >= corruptions.length / 2, `${refused} of ${corruptions.length} corruptions refused, none crashed`);
  new DataView(seg.sab).setUint32(blockOffset, 0x7ffffff0, true);
  throwsCoded(t, 'by name, its header unreadable', () => store.get('x'), NdshareError, codes.NOT_FOUND);
  seg.bytes.set(saved, blockOffset);
  t.equal(Array.from(store.get('x').toArray() as number[]).length, 16, 'restored: readable by name again');
  seg.close();
  store.close();
  t.end();
});

test('impossible control blocks and pin entries are dropped by the repair, leaving a consistent store', (t) => {
  const store = nd.Store.create({ capacity: '1MiB', maxObjects: 8 });
  const seg = segmentOf(store);
  const ids = [0, 1, 2, 3].map((k) => store.put(nd.full([100], k), { name: `o${k}` }));
  const base = (id: string): number => objectBase(seg.sab, Number(/^#(\d+)/.exec(id)![1]));
  seg.f64[(base(ids[0]!) + ObjectField.blockOffset) / 8] = NaN;
  seg.f64[(base(ids[1]!) + ObjectField.blockBytes) / 8] = 2 ** 52;
  seg.f64[(base(ids[2]!) + ObjectField.blockOffset) / 8] = seg.f64[(base(ids[3]!) + ObjectField.blockOffset) / 8]!;
  throwsCoded(t, 'get of an object whose block is impossible', () => store.get(ids[0]!), NdshareError, codes.CORRUPT_HEADER);
  // A client's pin list that lies: a slot past the table and a count past pinsPerClient.
  const g = native.store.attach(seg.sab, undefined);
  const r = regionsOf({ ...g, pageSize: native.shm.pageSize });
  const myClient = [...Array(g.maxClients).keys()].find((c) => seg.u32[(r.clients + c * CLIENT_BYTES + ClientField.state) / 4] === 1)!;
  const pins = r.pins + myClient * g.pinsPerClient * PIN_BYTES;
  seg.u32[pins / 4] = 0xfffffff0;
  seg.u32[pins / 4 + 1] = 7;
  seg.u32[(r.clients + myClient * CLIENT_BYTES + ClientField.pinCount) / 4] = 0xffffffff;
  t.equal(native.store.pinCount(seg.sab, -1, myClient), g.pinsPerClient, 'a pin count past the list is read as the list');
  repair(seg.sab);
  t.deepEqual(store.check(), [], 'consistent after the repair');
  t.equal(store.stats().pinsHeld, 0, 'the lying pin entries are gone');
  t.equal(store.stats().repairs, 1, 'one repair counted');
  const left = store.list();
  t.ok(
    left.length <= 2 && !left.some((o) => o.id === ids[0] || o.id === ids[1]),
    `impossible blocks dropped, one of two overlapping ones (left: ${left.map((o) => o.id).join(', ')})`,
  );
  for (const o of left) {
    const y = store.get(o.id);
    t.equal(y.size, 100, `${o.id} stays readable`);
    store.release(y);
  }
  store.put(nd.zeros([1000]), { name: 'after' });
  t.deepEqual(store.check(), [], 'and allocates consistently afterwards');
  seg.close();
  store.close();
  t.end();
});
