// Model serving with a pool of worker processes: an MLP (784-2048-2048-10,
// float32) whose weights are generated with a fixed seed and saved as
// safetensors, served over node:http on 127.0.0.1 (an ephemeral port) by
// 2 worker processes, with request batching (requests arriving within 2 ms
// are stacked into one batch of up to 32). A bounded load generator
// (2,000 requests at concurrency 16, loopback) prints requests per second,
// p50/p99 latency and the total PSS of every process, for two servers in the
// same run:
//   shared  the weights are loaded into the store once; workers read them by name
//   copies  each worker reads the file into its own memory
// Run: npm run example:serve   (options: --requests N --concurrency C --workers W --hidden H)
import { createServer, request, Agent, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as nd from '../../src/index.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    workers: { type: 'string', default: '2' },
    hidden: { type: 'string', default: '2048' },
    'batch-ms': { type: 'string', default: '2' },
    'max-batch': { type: 'string', default: '32' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const WORKERS = Number(values.workers);
const H = Number(values.hidden);
const BATCH_MS = Number(values['batch-ms']);
const MAX_BATCH = Number(values['max-batch']);
const TASK = new URL('./mlp.ts', import.meta.url);

// ---- the model file ------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'ndshare-serve-'));
const file = join(dir, 'mlp.safetensors');
{
  const init = (shape: number[], seed: number, fanIn: number) => nd.random.normal(shape, { seed, scale: Math.sqrt(2 / fanIn), dtype: 'float32' });
  nd.saveSafetensors(file, {
    w1: init([784, H], 1, 784),
    b1: nd.zeros([H], { dtype: 'float32' }),
    w2: init([H, H], 2, H),
    b2: nd.zeros([H], { dtype: 'float32' }),
    w3: init([H, 10], 3, H),
    b3: nd.zeros([10], { dtype: 'float32' }),
  });
}

// ---- the server ------------------------------------------------------------------------------
interface Pending {
  x: number[];
  reply: (logits: number[]) => void;
  fail: (e: Error) => void;
}

async function startServer(mode: 'shared' | 'copies'): Promise<{ server: Server; pool: nd.Pool; port: number; batches: () => number[] }> {
  const pool = await nd.Pool.start({ workers: WORKERS, capacity: '1GiB' });
  if (mode === 'shared') pool.store.loadSafetensors(file, { prefix: 'mlp/' });
  // Warm each worker (weights cached, code compiled) before serving.
  const warm = nd.zeros([1, 784], { dtype: 'float32' });
  await Promise.all(Array.from({ length: WORKERS * 2 }, () => pool.run<nd.NDArray>(TASK, 'infer', warm, mode, file).then((y) => pool.store.release(y))));

  const queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const sizes: number[] = [];
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) timer = setTimeout(flush, 0);
    if (batch.length === 0) return;
    sizes.push(batch.length);
    const x = nd.array(
      batch.map((p) => p.x),
      { dtype: 'float32' },
    );
    // The batch is put in the store for the call (one copy) and arrives as an NDArray.
    pool.run<nd.NDArray>({ module: TASK, name: 'infer', args: [x, mode, file], timeout: 10_000 }).then(
      (y) => {
        const rows = y.toArray() as number[][];
        pool.store.release(y);
        batch.forEach((p, i) => p.reply(rows[i]!));
      },
      (e: Error) => batch.forEach((p) => p.fail(e)),
    );
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let x: number[];
      try {
        x = (JSON.parse(body) as { x: number[] }).x;
        if (!Array.isArray(x) || x.length !== 784) throw new Error('x must have 784 numbers');
      } catch (e) {
        res.writeHead(400).end((e as Error).message);
        return;
      }
      queue.push({
        x,
        reply: (logits) => {
          let best = 0;
          for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ label: best, logits }));
        },
        fail: (e) => res.writeHead(500).end(e.message),
      });
      if (queue.length >= MAX_BATCH) flush();
      else timer ??= setTimeout(flush, BATCH_MS);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { server, pool, port, batches: () => sizes };
}

// ---- the load generator --------------------------------------------------------------------
function pssKiB(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function load(port: number): Promise<{ rps: number; p50: number; p99: number; labels: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const inputs = nd.random.uniform([64, 784], { seed: 7, dtype: 'float32' }).toArray() as number[][];
  const lat: number[] = [];
  const labels: number[] = new Array(REQUESTS);
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const body = JSON.stringify({ x: inputs[i % inputs.length] });
      const req = request({ host: '127.0.0.1', port, path: '/infer', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}: ${data}`));
          lat.push(performance.now() - t0);
          labels[i] = (JSON.parse(data) as { label: number }).label;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) await one(next++);
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (f: number) => lat[Math.min(lat.length - 1, Math.floor(f * lat.length))]!;
  return { rps: REQUESTS / secs, p50: q(0.5), p99: q(0.99), labels };
}

// ---- both servers, one run -----------------------------------------------------------------
const rows: string[] = [];
const answers: number[][] = [];
try {
  for (const mode of ['shared', 'copies'] as const) {
    const { server, pool, port, batches } = await startServer(mode);
    try {
      const r = await load(port);
      answers.push(r.labels);
      const pids = [process.pid, ...pool.stats().workers.map((w) => w.pid!)];
      const pss = pids.map(pssKiB);
      const total = pss.reduce((a, b) => a + b, 0);
      const sizes = batches();
      rows.push(
        `| ${mode} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(1)} | ` +
          `${(total / 1024).toFixed(0)} MiB (${pss.map((k) => (k / 1024).toFixed(0)).join(' + ')}) |`,
      );
    } finally {
      server.close();
      await pool.close({ timeout: 10_000 });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const same = answers[0]!.every((v, i) => v === answers[1]![i]);
console.log(
  `MLP 784-${H}-${H}-10 float32, ${WORKERS} worker processes, ${REQUESTS} requests at concurrency ${CONCURRENCY}, batches of ≤ ${MAX_BATCH} within ${BATCH_MS} ms`,
);
console.log('| weights | req/s | p50 ms | p99 ms | mean batch | total PSS (server + workers) |');
console.log('|---|---:|---:|---:|---:|---|');
for (const r of rows) console.log(r);
console.log(`both servers gave the same labels: ${same}`);
if (!same) process.exitCode = 1;
