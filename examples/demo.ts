// The main example: `npm install && npm run demo`.
//
// 1. NumPy-style arrays: creation, views, casts.
// 2. An array placed in shared memory with its FlatBuffers header in front:
//    a worker rebuilds the view from the header alone, in O(ndim), with no
//    copy and no decoding, and computes on the same bytes.
// 3. .npy files and zero-copy interop with scijs ndarray and @stdlib/ndarray.
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nd from 'ndshare';

const line = (s = '') => console.log(s);

line('== 1. Arrays ==');
const x = nd.random.normal([2000, 3000], { seed: 7 });
line(`x: ${x.dtype} ${JSON.stringify(x.shape)} (${(x.nbytes / 2 ** 20).toFixed(1)} MiB)`);
const corner = x.slice('0:2', '::-1000');
line(`x.slice('0:2', '::-1000') -> shape ${JSON.stringify(corner.shape)}, strides ${JSON.stringify(corner.strides)}, a view: ${corner.base === x}`);
line(`x.T.flags.fContiguous = ${x.T.flags.fContiguous}; x.reshape([6000, -1]) is a view: ${x.reshape([6000, -1]).base === x}`);
const h = x.slice(0, '0:4').astype('float16');
line(`float16 of ${JSON.stringify(x.slice(0, '0:4').toArray())}\n      = ${JSON.stringify(h.toArray())}`);
line(`nd.array([1.7, -1.7, 300]).astype('int8') = ${JSON.stringify(nd.array([1.7, -1.7, 300]).astype('int8').toArray())} (NumPy's results)`);

line('\n== 2. Shared memory: header + data, read by another thread without a copy ==');
const header = nd.encodeHeader({ ...nd.headerOf(x), name: 'x' });
const dataStart = Math.ceil(header.length / 64) * 64;
const sab = new SharedArrayBuffer(dataStart + x.nbytes);
new Uint8Array(sab, 0, header.length).set(header);
const shared = nd.asarray(new Float64Array(sab, dataStart, x.size), { shape: x.shape });
shared.assign(x);
// The header we ship describes the data at its place in the shared buffer.
const placed = nd.encodeHeader({ ...nd.headerOf(shared), name: 'x' });
new Uint8Array(sab, 0, placed.length).set(placed);
const workerSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  parentPort.once('message', async ({ url }) => {
    const nd = await import(url);
    const { sab, headerLength } = workerData;
    const bytes = new Uint8Array(sab);
    const open = () => nd.fromHeader(nd.readHeader(bytes, 0, headerLength, sab.byteLength), sab, { writeable: false });
    let t0 = process.hrtime.bigint();
    const x = open();
    const coldNs = Number(process.hrtime.bigint() - t0);
    const times = [];
    for (let i = 0; i < 1001; i++) {
      t0 = process.hrtime.bigint();
      open();
      times.push(Number(process.hrtime.bigint() - t0));
    }
    const viewNs = times.sort((a, b) => a - b)[500];
    const h = nd.readHeader(bytes, 0, headerLength, sab.byteLength);
    // Column sums of the first 10 columns, straight from shared memory.
    const sums = [];
    for (let j = 0; j < 10; j++) {
      let s = 0;
      for (let i = 0; i < x.shape[0]; i++) s += x.get(i, j);
      sums.push(s);
    }
    parentPort.postMessage({ name: h.name, shape: x.shape, coldNs, viewNs, sums });
  });
`;
const worker = new Worker(workerSource, { eval: true, workerData: { sab, headerLength: placed.length } });
worker.postMessage({ url: import.meta.resolve('ndshare') });
const reply = await new Promise<{ name: string; shape: number[]; coldNs: number; viewNs: number; sums: number[] }>((resolve, reject) => {
  worker.once('message', resolve);
  worker.once('error', reject);
});
await worker.terminate();
const expected = Array.from({ length: 10 }, (_, j) => {
  let s = 0;
  for (let i = 0; i < x.shape[0]!; i++) s += x.get(i, j) as number;
  return s;
});
line(`worker read header '${reply.name}' ${JSON.stringify(reply.shape)} and built its view of ${(x.nbytes / 2 ** 20).toFixed(1)} MiB ` +
  `in ${(reply.viewNs / 1000).toFixed(1)} µs (median of 1001; first, cold call ${(reply.coldNs / 1000).toFixed(0)} µs)`);
line(`column sums from the worker match ours: ${reply.sums.every((s, j) => s === expected[j])}`);

line('\n== 3. .npy files and interop ==');
const dir = mkdtempSync(join(tmpdir(), 'ndshare-demo-'));
try {
  const file = join(dir, 'x.npy');
  nd.save(file, x.T);
  const back = nd.load(file);
  line(`saved x.T to .npy and loaded it back: shape ${JSON.stringify(back.shape)}, fContiguous ${back.flags.fContiguous}, equal ${back.get(2999, 1999) === x.get(1999, 2999)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const small = nd.arange(6, { dtype: 'float32' }).reshape([2, 3]);
const scijs = small.toNdarray();
scijs.set(1, 2, 100);
const stdlib = small.T.toStdlib();
line(`scijs ndarray writes through: small.get(1, 2) = ${small.get(1, 2)}; stdlib sees it too: ${stdlib.get(2, 1)}`);
line('\nDone.');
