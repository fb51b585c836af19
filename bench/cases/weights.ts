/**
 * Weights shared by worker processes (DESIGN §5: 4 workers sharing a 1 GiB
 * weights file, total PSS <= 1.1 GiB). A 1 GiB safetensors file (8 float32
 * tensors of 128 MiB) is read by 4 worker processes, each reading every
 * element, in three ways:
 *  - `store`: the owner loads it once with `store.loadSafetensors`; workers
 *    attach to the store and `get` each tensor by name (zero copy);
 *  - `mmap`: each worker calls `nd.loadSafetensors` (a private read-only
 *    mapping of the file: the page cache's pages, shared);
 *  - `copy`: each worker reads the file into its own memory (readFileSync),
 *    what a worker pool does without shared memory.
 * Reported per way: the time from spawning the 4 workers to all 4 having read
 * everything (one sample), and the total PSS (/proc/<pid>/smaps_rollup) of
 * EVERY process involved while the workers hold the weights: the 4 workers
 * and this process (the store's owner, which loaded the file), as
 * `meta.pssGiB`. DESIGN §5 asks for <= 1.1x the weights plus the runtimes;
 * the runtimes are measured first: the PSS of this process before it loads
 * anything plus that of 4 idle workers (the same child, no weights), and
 * `meta.ratio` = pssGiB / (1 GiB + runtimes).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { main, result, type CaseResult } from '../harness.js';
import { adopt, within } from '../peers/children.js';
import * as nd from '../../src/index.js';
import { native } from '../../src/binding.js';

const CHILD = fileURLToPath(new URL('../peers/weights-child.ts', import.meta.url));
const WORKERS = 4;
const TENSORS = 8;
const TENSOR_ELEMS = 32 * 1024 * 1024; // 128 MiB of float32 each: 1 GiB in all
const GiB = 2 ** 30;

function pssBytes(pid: number): number {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const m = /^Pss:\s+(\d+) kB/m.exec(text);
  if (!m) throw new Error(`no Pss in /proc/${pid}/smaps_rollup`);
  return Number(m[1]) * 1024;
}

/** Writes the 1 GiB file; returns the sum of all its elements. The arrays are unreachable on return. */
function writeWeights(path: string): number {
  let expected = 0;
  const tensors: Record<string, nd.NDArray> = {};
  for (let i = 0; i < TENSORS; i++) {
    tensors[`layer${i}.weight`] = nd.full([TENSOR_ELEMS / 1024, 1024], (i + 1) / 8, { dtype: 'float32' });
    expected += TENSOR_ELEMS * ((i + 1) / 8);
  }
  nd.saveSafetensors(path, tensors, { format: 'pt' });
  return expected;
}

/**
 * Lets the owner's garbage go before measuring: collected buffers are freed
 * by V8's sweeper (concurrently, a little after gc()) into the addon's
 * allocation cache, which trim() empties.
 */
async function settle(): Promise<void> {
  // A closed store's mapping goes when its SharedArrayBuffers are collected: without a GC the next
  // row would count a whole stale segment in this process.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  for (let k = 0; k < 2; k++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
  native.memory.trim();
}

/** Spawns the 4 workers; returns the time until all have read everything, their total PSS and the owner's, measured together. */
async function runWorkers(args: string[], expectedSum: number): Promise<{ ns: number; pss: number; owner: number; workers: number }> {
  const t0 = process.hrtime.bigint();
  const children = Array.from({ length: WORKERS }, () => {
    const child = fork(CHILD, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    adopt(child);
    return child;
  });
  const ready = children.map(
    (c) =>
      new Promise<number>((resolve, reject) => {
        c.once('message', (m: { ready?: boolean; sum?: number }) => (m.ready ? resolve(m.sum!) : reject(new Error('bad message'))));
        c.once('exit', (code) => reject(new Error(`weights child exited with ${code}`)));
      }),
  );
  const sums = await within(Promise.all(ready), 170_000, 'weights workers');
  const ns = Number(process.hrtime.bigint() - t0);
  for (const s of sums) if (Math.abs(s - expectedSum) > 1e-6 * Math.abs(expectedSum)) throw new Error(`checksum ${s}, want ${expectedSum}`);
  const workers = children.reduce((n, c) => n + pssBytes(c.pid!), 0);
  const owner = pssBytes(process.pid);
  await Promise.all(
    children.map(
      (c) =>
        new Promise((r) => {
          c.once('exit', r);
          c.send('exit');
        }),
    ),
  );
  return { ns, pss: workers + owner, owner, workers };
}

await main({
  weights: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndshare-weights-'));
    const path = join(dir, 'weights.safetensors');
    try {
      const expected = writeWeights(path);
      await settle();
      // The runtimes: this process before it loads anything, and 4 workers that load nothing.
      const idle = await runWorkers(['idle'], 0);
      const runtimes = idle.pss;
      const weightsBytes = TENSORS * TENSOR_ELEMS * 4;
      const rows: CaseResult[] = [];
      const row = (impl: string, r: { ns: number; pss: number; owner: number; workers: number }, extra: Record<string, unknown> = {}): CaseResult => {
        const m = { name: impl, median: r.ns, p10: r.ns, p90: r.ns, samples: 1, opsPerSample: 1, itemsPerOp: 1 };
        return result(
          'weights',
          m,
          {
            workers: WORKERS,
            fileGiB: 1,
            pssGiB: +(r.pss / GiB).toFixed(3),
            ownerPssGiB: +(r.owner / GiB).toFixed(3),
            workersPssGiB: +(r.workers / GiB).toFixed(3),
            runtimesGiB: +(runtimes / GiB).toFixed(3),
            ratio: +(r.pss / (weightsBytes + runtimes)).toFixed(3),
            per: '4 workers load + read all; PSS of all 5 processes',
            ...extra,
          },
          impl,
        );
      };
      // The other ways first: a closed store's segment stays mapped in this process until a GC collects it.
      rows.push(row('ndshare-mmap', await runWorkers(['mmap', path], expected), { note: 'nd.loadSafetensors in each worker (page cache shared)' }));
      rows.push(row('copy', await runWorkers(['copy', path], expected), { note: 'readFileSync + parseSafetensors in each worker' }));
      {
        using store = nd.Store.create({ capacity: Math.ceil(1.25 * GiB) });
        // No settle(): loadSafetensors leaves no mapping of the file behind.
        const ids = store.loadSafetensors(path);
        const r = await runWorkers(['store', JSON.stringify(store.handle), JSON.stringify(Object.keys(ids))], expected);
        rows.push(row('ndshare', r, { note: 'store.loadSafetensors once (pread into the store); workers store.get by name' }));
      }
      rows.unshift(rows.pop()!); // ndshare first
      const s = rows.map((r) => `${r.impl} ${(r.meta.pssGiB as number).toFixed(2)} GiB (${(r.meta.ratio as number).toFixed(2)}x)`).join(', ');
      rows[0]!.meta.summary =
        `total PSS of all 5 processes (owner + 4 workers) holding 1 GiB of weights: ${s}; ` +
        `runtimes alone ${(runtimes / GiB).toFixed(2)} GiB; target <= 1.1x (weights + runtimes)`;
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
