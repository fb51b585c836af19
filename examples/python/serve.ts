/**
 * A Node HTTP front end and a Python worker sharing one named store:
 *
 *     node --import tsx examples/python/serve.ts
 *
 * Node puts the model's weights in the store once; the Python worker
 * (worker.py) opens the store by name and computes on zero-copy numpy views
 * of them. Each HTTP request's input goes into the store as `req-<n>`; the
 * worker answers with `res-<n>`, which Node reads in place. The script then
 * sends itself a few requests, checks every answer against the same
 * computation in ndshare, stops the worker and exits (0 when all matched).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nd from '../../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');
const IN = 64;
const OUT = 10;

const store = nd.Store.create({ name: `py-example-${process.pid}`, capacity: '64MiB' });
const W = nd.random.normal([IN, OUT], { seed: 1, dtype: 'float32' });
const b = nd.random.normal([OUT], { seed: 2, dtype: 'float32' });
store.put(W, { name: 'weights', evictable: false });
store.put(b, { name: 'bias', evictable: false });

// The worker finds the package through PYTHONPATH (or `pip install -e python/`).
const worker = spawn('python3', [join(HERE, 'worker.py'), store.name!], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PYTHONPATH: join(ROOT, 'python') },
});

let next = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      const n = next++;
      const x = nd.array(JSON.parse(Buffer.concat(chunks).toString()) as number[][], { dtype: 'float32' });
      store.put(x, { name: `req-${n}` });
      const y = await store.getAsync(`res-${n}`, { timeout: 30_000 });
      res.end(JSON.stringify(y.toArray()));
      store.release(y);
      store.delete(`req-${n}`);
      store.delete(`res-${n}`);
    })().catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/predict`;

let bad = 0;
for (let k = 0; k < 3; k++) {
  const x = nd.random.uniform([4, IN], { seed: 10 + k, dtype: 'float32' });
  const r = await fetch(url, { method: 'POST', body: JSON.stringify(x.toArray()) });
  const got = (await r.json()) as number[][];
  // The same softmax(x @ W + b) in ndshare, to check the worker's answer.
  const logits = nd.add(nd.matmul(x, W), b);
  const e = nd.exp(nd.subtract(logits, nd.max(logits, { axis: -1, keepdims: true })));
  const want = nd.divide(e, nd.sum(e, { axis: -1, keepdims: true })).toArray() as number[][];
  const err = Math.max(...got.flatMap((row, i) => row.map((v, j) => Math.abs(v - want[i]![j]!))));
  console.log(`request ${k}: argmax ${got.map((row) => row.indexOf(Math.max(...row))).join(',')}, max |error| ${err.toExponential(1)}`);
  if (!(err < 1e-5)) bad++;
}

store.put(nd.zeros([0], { dtype: 'float32' }), { name: `req-${next}` }); // stop signal
const [code] = (await once(worker, 'exit')) as [number | null];
server.close();
store.close();
console.log(bad === 0 && code === 0 ? 'ok: every answer matched' : `FAILED: ${bad} answers differ, worker exit ${code}`);
process.exitCode = bad === 0 && code === 0 ? 0 : 1;
