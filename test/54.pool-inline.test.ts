// Small arrays in the control message (src/pool/inline.ts), with real worker
// processes and threads: a map or mapChunks whose inputs, args arrays and
// output are at most 4 KiB sends their bytes in the message; the result is a
// local array (not in the store) equal, bit for bit, to the store path's
// ({inline: false}) for every dtype family, non-contiguous and negative-stride
// inputs, 0-d and empty arrays, NaN/-0; larger arrays keep the store path.
import test from 'tape';
import * as nd from '../src/index.js';
import { codes } from '../src/index.js';
import { INLINE_BYTES } from '../src/pool/inline.js';
import { within, withPool } from './helpers/pool.js';

const BACKENDS: nd.Backend[] = ['process', 'thread'];
const TEST_MS = 120_000;

/** Raw bytes of an array's elements in C order (so NaN payloads and -0 compare exactly). */
function bytes(x: nd.NDArray): number[] {
  const c = x.copy();
  const d = c.data;
  return [...new Uint8Array(d.buffer, d.byteOffset + c.offset * d.BYTES_PER_ELEMENT, c.size * d.BYTES_PER_ELEMENT)];
}

test('small maps travel in the message and equal the store path', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(
      backend,
      async (pool) => {
        const f64 = nd.array([1.5, -0, NaN, Infinity, -2.25, 3]);
        const cases: [string, nd.NDArray | nd.NDArray[], (...a: never[]) => unknown, nd.MapOptions][] = [
          ['float64 with NaN and -0', f64, ((v: number) => v * 2) as never, {}],
          ['float32', nd.arange(7, { dtype: 'float32' }), ((v: number) => v / 3) as never, {}],
          ['float16', nd.arange(5, { dtype: 'float16' }), ((v: number) => v + 0.5) as never, {}],
          ['int64 out', nd.arange(6, { dtype: 'int32' }), ((v: number) => v * 1e6) as never, { dtype: 'int64' }],
          ['uint8 out', nd.arange(6, { dtype: 'int16' }), ((v: number) => v * 50) as never, { dtype: 'uint8' }],
          ['bool out', nd.arange(6), ((v: number) => v % 2) as never, { dtype: 'bool' }],
          ['transposed', nd.arange(12).reshape([3, 4]).T, ((v: number) => v - 1) as never, {}],
          ['negative stride', nd.arange(10).slice({ step: -3 }), ((v: number) => v * v) as never, {}],
          ['0-d', nd.array(4.5), ((v: number) => v + 1) as never, {}],
          ['empty', nd.zeros([0, 3]), ((v: number) => v + 1) as never, {}],
          ['broadcast pair', [nd.arange(3).reshape([3, 1]), nd.arange(4)], ((a: number, b: number) => a * 10 + b) as never, {}],
          ['args array', nd.arange(4), ((v: number, a: { w: nd.NDArray }) => v * (a.w.get(1) as number)) as never, { args: { w: nd.array([2, 3, 4]) } }],
        ];
        for (const [label, x, fn, options] of cases) {
          const y = await within(pool.map(x, fn, options), 30_000, label);
          const z = await within(pool.map(x, fn, { ...options, inline: false }), 30_000, label);
          t.equal(pool.store.idOf(y), undefined, `${backend} ${label}: a local array, not in the store`);
          t.ok(pool.store.idOf(z) !== undefined, `${backend} ${label}: {inline: false} gives a store array`);
          t.deepEqual([y.dtype, y.shape, bytes(y)], [z.dtype, z.shape, bytes(z)], `${backend} ${label}: same dtype, shape and bytes`);
          t.ok(y.flags.writeable, `${backend} ${label}: writable, like a store result`);
          pool.store.release(z);
        }
        // A sealed store input: copied into the message, the result the same.
        const sealed = pool.store.empty([4], { dtype: 'float64' });
        (sealed.data as Float64Array).set([1, 2, 3, 4], sealed.offset);
        pool.store.seal(sealed);
        const s = await pool.map(sealed, (v: number) => v + 0.25);
        t.deepEqual(s.toArray(), [1.25, 2.25, 3.25, 4.25], `${backend}: a stored input, values`);
        pool.store.release(sealed);
        // mapChunks with a small output of another shape.
        const rows = await pool.mapChunks(
          nd.arange(12).reshape([4, 3]),
          ([xs], out) => {
            for (let i = 0; i < xs!.shape[0]!; i++) out.set(i, (xs!.get(i, 0) as number) + (xs!.get(i, 2) as number));
          },
          { outShape: [4], chunkSize: 4 },
        );
        t.equal(pool.store.idOf(rows), undefined, `${backend} mapChunks in one chunk: a small output comes back in the answer`);
        t.deepEqual(rows.toArray(), [2, 8, 14, 20], `${backend} mapChunks: values`);
      },
      { workers: 2 },
    );
  }
  t.end();
});

test('above the threshold, or with several chunks or out, the store path is used', async (t) => {
  t.timeoutAfter(TEST_MS);
  await withPool('process', async (pool) => {
    const n = INLINE_BYTES / 8;
    const fits = await pool.map(nd.arange(n), (v: number) => v + 1);
    t.equal(pool.store.idOf(fits), undefined, `${n} float64 (${INLINE_BYTES} bytes): inline`);
    const over = await pool.map(nd.arange(n + 1), (v: number) => v + 1);
    t.ok(pool.store.idOf(over) !== undefined, `${n + 1} float64: in the store`);
    t.equal(over.get(n), n + 1, 'values');
    const chunked = await pool.map(nd.arange(100), (v: number) => v * 3, { chunkSize: 10 });
    t.ok(pool.store.idOf(chunked) !== undefined, 'several chunks: in the store');
    t.equal(chunked.get(99), 297, 'values');
    const out = pool.store.empty([3], { dtype: 'float64' });
    const same = await pool.map(nd.arange(3), (v: number) => v - 1, { out });
    t.equal(same, out, 'out is written in place');
    t.deepEqual(out.toArray(), [-1, 0, 1], 'values');
    for (const a of [over, chunked, out]) pool.store.release(a);
  });
  t.end();
});

test('inline errors: a bad option, and element errors still name the element', async (t) => {
  t.timeoutAfter(TEST_MS);
  await withPool('process', async (pool) => {
    await pool
      .map(nd.arange(3), (v: number) => v, { inline: 'yes' as never })
      .then(
        () => t.fail('resolved'),
        (e: { code?: string }) => t.equal(e.code, codes.INVALID_ARG_TYPE, 'options.inline must be a boolean'),
      );
    const e = await pool
      .map(nd.arange(8), (v: number) => {
        if (v === 5) throw new RangeError('bad 5');
        return v;
      })
      .then(
        () => undefined,
        (err: unknown) => err as Error & { index?: number },
      );
    t.ok(e instanceof RangeError && (e as { index?: number }).index === 5, 'the element index comes back');
  });
  t.end();
});
