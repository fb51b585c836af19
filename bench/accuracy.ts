/**
 * The accuracy table of docs/math.md: for every transcendental ufunc and float
 * dtype, the maximum and mean error in ULPs of ndshare and of NumPy against a
 * correctly rounded reference (mpmath at 60 digits), on the same inputs.
 *
 *     npm run accuracy            # 4000 points per function and dtype (~2-4 min)
 *     npm run accuracy -- 20000   # more points
 *     npm run accuracy -- 4000 sin,tan avx2   # only these functions, on one ISA
 *
 * bench/numpy/accuracy.py draws the inputs (log-uniform over each domain plus
 * its hard regions) and scores both sides; this file computes ndshare's results
 * and prints a markdown table (and the ISA in use).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nd from '../src/index.js';
import { native } from '../src/binding.js';

const PY = new URL('./numpy/accuracy.py', import.meta.url).pathname;
const points = process.argv[2] ?? '4000';
const only = process.argv[3] ?? '';
if (process.argv[4]) native.kernels.setIsa(process.argv[4]);
const dir = mkdtempSync(join(tmpdir(), 'ndshare-accuracy-'));
type Fn = (...xs: nd.NDArray[]) => nd.NDArray;

try {
  execFileSync('python3', [PY, 'gen', dir, points, only], { stdio: 'inherit' });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.x.npy'))) {
    const [name] = file.split('-') as [string];
    const x = nd.load(join(dir, file));
    const f = (nd as unknown as Record<string, Fn>)[name]!;
    const y = x.ndim === 2 ? f(x.index(0) as nd.NDArray, x.index(1) as nd.NDArray) : f(x);
    nd.save(join(dir, file.replace('.x.npy', '.ours.npy')), y);
  }
  const out = execFileSync('python3', [PY, 'score', dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const rows = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { fn: string; dtype: string; points: number; numpy_max: number; numpy_mean: number; ours_max: number; ours_mean: number });
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
  console.log(`ISA ${nd.kernelInfo().isa}; ${points} points per function and dtype; ULP errors against mpmath (60 digits)\n`);
  console.log('| function | float64 ndshare max (mean) | float64 NumPy max (mean) | float32 ndshare max (mean) | float32 NumPy max (mean) |');
  console.log('|---|--:|--:|--:|--:|');
  for (const name of [...new Set(rows.map((r) => r.fn))]) {
    const cell = (dt: string, who: 'ours' | 'numpy') => {
      const r = rows.find((q) => q.fn === name && q.dtype === dt);
      return r ? `${f(r[`${who}_max`])} (${f(r[`${who}_mean`])})` : '–';
    };
    console.log(`| ${name} | ${cell('float64', 'ours')} | ${cell('float64', 'numpy')} | ${cell('float32', 'ours')} | ${cell('float32', 'numpy')} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
