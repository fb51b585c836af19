// The main example: `npm install && npm run demo`.
//
// A 10M-element array lives in shared memory; worker processes compute on it
// in place (parallelMap); the same job done by copying approaches runs beside
// it, and a table compares them. Then a short tour of the rest: the store
// across processes, views, casts, .npy and interop.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as nd from 'ndshare';

const N = 10_000_000;
const WORKERS = Math.min(4, availableParallelism());
const line = (s = '') => console.log(s);
const ms = (t: number) => `${t.toFixed(0).padStart(6)} ms`;

// A compute-bound element function. Pure: everything it needs is in its arguments.
const f = (v: number) => Math.sin(v) * Math.cos(v * 0.5) + Math.sqrt(Math.abs(v)) * Math.exp(-v * 1e-7);
const F_SOURCE = f.toString();

/** A progress bar redrawn in place on a terminal; a line per quarter elsewhere (CI logs). */
function progressBar(label: string): (p: nd.Progress) => void {
  let lastQuarter = -1;
  return ({ done, total }) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const bar = `  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} chunks`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${bar}${done === total ? '\n' : ''}`);
    } else if (Math.floor((4 * done) / total) > lastQuarter) {
      lastQuarter = Math.floor((4 * done) / total);
      line(bar);
    }
  };
}

/** The copying peers: send chunks to workers, compute there, send results back. */
async function viaChildProcesses(x: Float64Array): Promise<Float64Array> {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-demo-'));
  const script = join(dir, 'child.cjs');
  writeFileSync(
    script,
    `const f = ${F_SOURCE};\nprocess.on('message', (a) => { const out = new Float64Array(a.length); for (let i = 0; i < a.length; i++) out[i] = f(a[i]); process.send(out); });\n`,
  );
  const children = Array.from({ length: WORKERS }, () => fork(script, [], { serialization: 'advanced' }));
  try {
    const part = Math.ceil(x.length / WORKERS);
    const parts = await Promise.all(
      children.map(
        (c, i) =>
          new Promise<Float64Array>((resolve) => {
            c.once('message', (m) => resolve(m as Float64Array));
            c.send(x.subarray(i * part, Math.min(x.length, (i + 1) * part)));
          }),
      ),
    );
    const out = new Float64Array(x.length);
    parts.forEach((p, i) => out.set(p, i * part));
    return out;
  } finally {
    for (const c of children) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function viaWorkerThreads(x: Float64Array): Promise<Float64Array> {
  const code = `const { parentPort } = require('node:worker_threads'); const f = ${F_SOURCE};
    parentPort.on('message', (a) => { const out = new Float64Array(a.length); for (let i = 0; i < a.length; i++) out[i] = f(a[i]); parentPort.postMessage(out); });`;
  const workers = Array.from({ length: WORKERS }, () => new Worker(code, { eval: true }));
  try {
    const part = Math.ceil(x.length / WORKERS);
    const parts = await Promise.all(
      workers.map(
        (w, i) =>
          new Promise<Float64Array>((resolve) => {
            w.once('message', resolve);
            w.postMessage(x.slice(i * part, Math.min(x.length, (i + 1) * part)));
          }),
      ),
    );
    const out = new Float64Array(x.length);
    parts.forEach((p, i) => out.set(p, i * part));
    return out;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

line(`== parallelMap over shared memory: ${N / 1e6}M float64 (${(N * 8) / 2 ** 20} MiB), ${WORKERS} worker processes ==`);
await using pool = await nd.Pool.start({ workers: WORKERS, capacity: '1GiB' });
const x = pool.store.empty([N]);
x.assign(nd.random.uniform([N], { low: -100, high: 100, seed: 42 }));
pool.store.seal(x);
line(`x is in the store (${pool.store.idOf(x)}); workers see it without a copy.`);

let t = performance.now();
const single = new Float64Array(N);
const xs = x.data as Float64Array;
for (let i = 0; i < N; i++) single[i] = f(xs[i]!);
const tSingle = performance.now() - t;

await pool.map(x, f, { chunkSize: 1 << 16 }); // warm the workers up (compile f there)
t = performance.now();
const y = await pool.map(x, f, { chunkSize: 1 << 16, onProgress: progressBar('ndshare') });
const tPool = performance.now() - t;

t = performance.now();
const viaIpc = await viaChildProcesses(xs);
const tIpc = performance.now() - t;
t = performance.now();
const viaThreads = await viaWorkerThreads(xs);
const tThreads = performance.now() - t;

line('');
line('| approach                                            |      time | vs ndshare |');
line('|-----------------------------------------------------|----------:|-----------:|');
const row = (name: string, time: number) => line(`| ${name.padEnd(51)} | ${ms(time)} | ${(time / tPool).toFixed(2).padStart(9)}x |`);
row(`ndshare parallelMap, ${WORKERS} processes, shared memory`, tPool);
row('one process, plain loop', tSingle);
row(`child_process IPC (advanced), ${WORKERS} processes, copies`, tIpc);
row(`worker_threads postMessage (clone), ${WORKERS} threads`, tThreads);
line(
  `results agree: max |difference| ${maxDiff(y.data as Float64Array, single)} (ndshare), ${maxDiff(viaIpc, single)} (IPC), ${maxDiff(viaThreads, single)} (threads)`,
);
pool.store.release(y);

line('\n== compute in one process: native SIMD kernels, NumPy semantics ==');
{
  // Median of 5 runs: the first run of each pays for fresh memory.
  const time = (f: () => unknown): number => {
    const t: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      f();
      t.push(performance.now() - t0);
    }
    return t.sort((p, q) => p - q)[2]!;
  };
  const xd = x.data as Float64Array;
  const tJs = time(() => {
    const out = new Float64Array(N);
    for (let i = 0; i < N; i++) out[i] = Math.exp(xd[i]! * 1e-2);
    return out;
  });
  const tNd = time(() => nd.exp(nd.multiply(x, 1e-2)));
  line(`exp(x * 0.01) on ${N / 1e6}M float64: a JS loop ${ms(tJs)}, nd.multiply + nd.exp ${ms(tNd)} (${nd.kernelInfo().isa})`);
  const a = nd.random.normal([512, 512], { seed: 1, dtype: 'float32' });
  const tMm = time(() => nd.matmul(a, a));
  line(`matmul 512x512 float32: ${ms(tMm)}; sum/std along axis 0 of a 512x512: ${nd.std(nd.sum(a, { axis: 0 })).item()}`);
  line(
    `NEP 50 promotion: int8 array + 1 -> ${nd.add(nd.array([1], { dtype: 'int8' }), 1).dtype}, float32 array * 2.5 -> ${nd.multiply(a, 2.5).dtype}, int8 / int8 -> ${nd.divide(nd.array([1], { dtype: 'int8' }), nd.array([2], { dtype: 'int8' })).dtype}`,
  );
}

line('\n== the rest, briefly ==');
const total = await pool.reduce(x, 'sum');
line(`pool.reduce(x, 'sum') = ${(total as number).toFixed(3)} (in the workers)`);
const m = nd.arange(12).reshape([3, 4]);
line(`views: m.slice('::-1', '1:3') = ${JSON.stringify(m.slice('::-1', '1:3').toArray())}, m.T.flags.fContiguous = ${m.T.flags.fContiguous}`);
line(
  `casts as NumPy: array([1.7, -1.7, 300]).astype('int8') = ${JSON.stringify(nd.array([1.7, -1.7, 300]).astype('int8').toArray())}; float16 of 0.1 = ${nd.array([0.1]).astype('float16').item(0)}`,
);
const dir = mkdtempSync(join(tmpdir(), 'ndshare-demo-'));
try {
  nd.save(join(dir, 'm.npy'), m.T);
  line(`.npy: saved m.T and loaded it back: ${JSON.stringify(nd.load(join(dir, 'm.npy')).toArray())}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const small = nd.arange(6, { dtype: 'float32' }).reshape([2, 3]);
small.toScijs().set(1, 2, 100);
line(`interop: a scijs ndarray view wrote 100 into small[1, 2]; stdlib reads ${small.T.toStdlib().get(2, 1)}`);
line('\nDone.');
