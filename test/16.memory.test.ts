// Large private buffers from the addon: zeroed, usable as array storage,
// coded errors for bad sizes, and returned to the OS when collected.
import test from 'tape';
import { native } from '../src/binding.js';
import * as nd from '../src/index.js';
import { codes } from '../src/errors.js';
import { throwsCoded } from './helpers/assert.js';

test('memory.allocate gives zeroed buffers of the exact length', (t) => {
  const buf = native.memory.allocate(3 * 1024 * 1024 + 5);
  t.equal(buf.byteLength, 3 * 1024 * 1024 + 5);
  const bytes = new Uint8Array(buf);
  t.ok(
    bytes.every((b) => b === 0),
    'zero-filled',
  );
  bytes[bytes.length - 1] = 7;
  t.equal(bytes[bytes.length - 1], 7, 'last byte writable');
  t.equal(native.memory.alignment, 2 * 1024 * 1024);
  t.ok(native.memory.pageSize >= 4096);
  t.end();
});

test('large arrays use it and behave like any other', (t) => {
  const x = nd.zeros([1000, 1000]);
  t.equal(x.data.buffer.byteLength, 8e6, 'an 8 MB buffer of its own');
  t.ok(
    (x.data as Float64Array).every((v) => v === 0),
    'zeros are zero',
  );
  const y = nd.arange(1e6).astype('float32');
  t.equal(y.get(999_999), 999_999);
  t.end();
});

test('memory.allocate rejects bad sizes with coded errors', (t) => {
  for (const bad of [0, -1, 1.5, NaN, 2 ** 47]) {
    t.throws(
      () => native.memory.allocate(bad),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
      `bytes ${bad}`,
    );
  }
  for (const bad of ['1', null, undefined, {}]) {
    t.throws(
      () => native.memory.allocate(bad as never),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_TYPE',
      `bytes ${String(bad)}`,
    );
  }
  t.end();
});

test('dropped buffers are freed: 16 GiB allocated in turn, RSS stays bounded', (t) => {
  const size = 256 * 1024 * 1024;
  let peak = 0;
  for (let i = 0; i < 64; i++) {
    const b = new Uint8Array(native.memory.allocate(size));
    // Touch one byte every 2 MiB so each buffer really holds memory.
    for (let j = 0; j < size; j += 2 * 1024 * 1024) b[j] = 1;
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  t.ok(peak < 8 * 1024 ** 3, `peak RSS ${(peak / 1024 ** 3).toFixed(2)} GiB after 16 GiB of buffers`);
  t.end();
});

test('memory.allocateUninit and trim: bad sizes are coded errors; reuse is bounded', (t) => {
  for (const bad of [0, -1, 1.5, 2 ** 47, Number.NaN]) {
    throwsCoded(
      t,
      `allocateUninit(${bad})`,
      () => native.memory.allocateUninit(bad),
      RangeError,
      codes.INVALID_ARG_VALUE,
      /memory\.allocateUninit: expected an integer in \[1, 2\^46\] for bytes/,
    );
  }
  throwsCoded(t, 'allocateUninit("1")', () => native.memory.allocateUninit('1' as never), TypeError, codes.INVALID_ARG_TYPE, /for bytes/);
  const b = native.memory.allocateUninit(3 << 20);
  t.equal(b.byteLength, 3 << 20, 'the requested length');
  t.ok(native.memory.trim() >= 0, 'trim returns the bytes it released');
  t.end();
});
