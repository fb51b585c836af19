/**
 * Node → Python handoff of a float32 array (1 KB and 100 MB, decimal units):
 * Node puts it in a store once, before timing; a python3 process
 * (bench/peers/python-handoff.py, the ndshare Python package) times
 * `with store.get(name) as a: a[0] + a[-1]` (a pin and a read-only numpy view
 * over the store's memory, then the release; in process through
 * libndshare_store.so), against the same get through the Node bridge (two
 * pipe round trips: how it worked before the store's rules were native) and
 * what a Python process uses today, in the same run: pickle over a pipe to another python3, np.save
 * into a BytesIO and np.load back (in process), and multiprocessing.shared_memory
 * with a copy in. One op = one array made readable and both ends read; every
 * answer is checked. The Python side's timings are its own (perf_counter_ns).
 *
 * The ndshare row's cost must not grow with the size (docs/python.md): its
 * `meta.vs1KB` is its median over the 1 KB one.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as nd from '../../src/index.js';
import { main, skipped, type CaseResult } from '../harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PEER = join(ROOT, 'bench/peers/python-handoff.py');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const SIZES: [label: string, bytes: number][] = [
  ['1KB', 1e3],
  ['100MB', 1e8],
];

function run(): CaseResult[] {
  const rows: CaseResult[] = [];
  const store = nd.Store.create({ capacity: '256MiB' });
  const env = {
    ...process.env,
    PYTHONPATH: join(ROOT, 'python'),
    NDSHARE_BRIDGE: `${process.execPath} --import ${TSX} ${join(ROOT, 'src/bridge/python.ts')}`,
  };
  for (const [label, bytes] of SIZES) store.put(nd.arange(bytes / 4, { dtype: 'float32' }), { name: label });
  const r = spawnSync('python3', [PEER, JSON.stringify(store.handle), ...SIZES.map(([l, b]) => `${l}:${b}`)], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  store.close();
  if (r.status !== 0)
    return SIZES.map(([label]) => skipped('python-handoff', `ndshare-python-${label}`, `python3 failed: ${r.stderr.trim().split('\n').pop() ?? r.status}`));
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { object: string; impl: string; median_ns: number; p10_ns: number; p90_ns: number; samples: number });
  const ref1KB = lines.find((m) => m.object === '1KB' && m.impl === 'ndshare-python')?.median_ns;
  for (const m of lines) {
    const bytes = SIZES.find(([l]) => l === m.object)?.[1];
    const meta: Record<string, unknown> = { bytes, dtype: 'float32', timedIn: 'python3' };
    if (m.impl === 'ndshare-python' && m.object !== '1KB' && ref1KB) meta.vs1KB = Math.round((m.median_ns / ref1KB) * 100) / 100;
    // One case (the orchestrator keeps the rows named after it), one row per (impl, size).
    rows.push({ case: 'python-handoff', impl: `${m.impl}-${m.object}`, median_ns: m.median_ns, p10_ns: m.p10_ns, p90_ns: m.p90_ns, samples: m.samples, meta });
  }
  return rows;
}

await main({ 'python-handoff': run });
