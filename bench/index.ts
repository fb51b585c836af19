/**
 * The benchmark orchestrator (after `better-sqlite3`'s `benchmark/index.js`).
 *
 *     npm run bench                      # every case
 *     npm run bench -- astype            # cases whose name or file contains "astype"
 *     npm run bench -- --quick header    # fewer samples
 *
 * Finds the case files in `bench/cases/*.ts`, asks each for its cases
 * (`--list`), and runs every case in a fresh `node --import tsx` process,
 * then its NumPy twin (`bench/numpy/cases.py <case>`) in a fresh python3
 * process, one process at a time (the machine has 2 cores; two benchmarks at
 * once would time each other). Prints a table on stdout, progress on stderr,
 * and writes everything to `bench/results/<date>.json`.
 *
 * Two kinds of case, two tables:
 *  - a case whose process prints one `ndshare` row goes to the NumPy table
 *    (ndshare, its NumPy twin if any, and their ratio);
 *  - a case whose process prints several rows (one per `impl`: ndshare and
 *    the peers it was measured against in the same process, e.g.
 *    `ipc-advanced`, `buffer-copy`) goes to the peers table, each row with
 *    its ratio to the case's `ndshare` row (or, in a case measuring several
 *    ndshare configurations, to the row marked `meta.reference: true`). A row
 *    may be `skipped` (not run, with the reason), and a case may add a
 *    `meta.summary` line.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { writeChart } from './chart.js';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { CaseResult } from './harness.js';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const CASES_DIR = path.join(BENCH, 'cases');
const NUMPY_CASES = path.join(BENCH, 'numpy', 'cases.py');
const RESULTS_DIR = path.join(BENCH, 'results');
/** A case that runs longer than this is killed and reported as failed. */
const CASE_TIMEOUT_MS = 180_000;

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const filters = argv.filter((a) => !a.startsWith('--'));
const started = process.hrtime.bigint();

function elapsed(): string {
  return `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`;
}

function progress(line: string): void {
  process.stderr.write(`[bench ${elapsed().padStart(7)}] ${line}\n`);
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the child could not be started at all (e.g. ENOENT). */
  spawnError?: string;
}

/**
 * Runs one child to completion. stdout is collected (the JSON line); stderr is
 * collected and also passed through, so a failing case shows why.
 */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, passStderr = true): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL'); // this child only, by its handle
    }, CASE_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      if (passStderr) process.stderr.write(s);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr, timedOut, spawnError: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Every line of stdout that parses as a case result, in order. */
function allResults(stdout: string): CaseResult[] {
  const out: CaseResult[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const x: unknown = JSON.parse(line);
      if (isCaseResult(x)) out.push(x);
    } catch {
      // not JSON (stray output)
    }
  }
  return out;
}

/** The last line of stdout that parses as JSON, or undefined. */
function lastJson(stdout: string): unknown {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line);
    } catch {
      // not JSON (stray output); keep looking
    }
  }
  return undefined;
}

function why(r: Run): string {
  if (r.spawnError !== undefined) return `could not start: ${r.spawnError}`;
  if (r.timedOut) return `timed out after ${CASE_TIMEOUT_MS / 1000} s`;
  if (r.signal) return `killed by ${r.signal}`;
  if (r.code !== 0) {
    // The error's own line (Node ends its report with a "Node.js vX" line, Python with the exception).
    const lines = r.stderr.trim().split('\n');
    const err = lines.find((l) => /^\w*(Error|Exception)\b/.test(l)) ?? lines.at(-1) ?? '';
    return `exited with code ${r.code}: ${err.trim()}`;
  }
  return 'printed no JSON line';
}

const NODE_ARGS = ['--expose-gc', '--import', 'tsx'];

// Python's env: without the machine's OpenBLAS overrides, which make current NumPy slower.
const pyEnv: NodeJS.ProcessEnv = { ...process.env };
delete pyEnv.OPENBLAS_CORETYPE;
delete pyEnv.OPENBLAS_L2_SIZE;

async function python(args: string[], passStderr = true): Promise<Run> {
  return run('python3', [NUMPY_CASES, ...args], pyEnv, passStderr);
}

// ---------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------

interface Planned {
  file: string; // relative to ROOT
  name: string;
}

async function discover(): Promise<{ planned: Planned[]; failures: Failure[] }> {
  const files = readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const planned: Planned[] = [];
  const failures: Failure[] = [];
  for (const f of files) {
    const file = path.join('bench', 'cases', f);
    const base = f.slice(0, -3);
    const r = await run(process.execPath, [...NODE_ARGS, file, '--list'], process.env, false);
    const names = lastJson(r.stdout);
    if (r.code !== 0 || !Array.isArray(names)) {
      // A file that cannot even list its cases is reported (whatever the filter:
      // its names are unknown), once, under its file name.
      failures.push({ case: base, impl: 'ndshare', error: `--list: ${why(r)}` });
      progress(`${file}: cannot list its cases: ${why(r)}`);
      continue;
    }
    for (const name of names as string[]) if (selected(base, [name])) planned.push({ file, name });
  }
  return { planned, failures };
}

function selected(fileBase: string, names: string[]): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) => fileBase.includes(f) || names.some((n) => n.includes(f)));
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

/** A duration in ns with a unit that keeps 3 significant digits. */
function formatNs(ns: number | null | undefined): string {
  if (ns === undefined || ns === null || !Number.isFinite(ns)) return '—';
  const units: [number, string][] = [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ];
  for (const [scale, unit] of units) {
    if (ns >= scale || unit === 'ns') {
      const v = ns / scale;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
    }
  }
  return `${ns} ns`;
}

/** A ratio with about 3 significant digits (0.012, 0.51, 2.54, 10.1). */
function formatRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  return r >= 10 ? r.toFixed(1) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2);
}

function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) => '| ' + r.map((cell, c) => (right[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, c) => (right[c] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [fmt(header), rule, ...rows.map(fmt)].join('\n');
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

interface Failure {
  case: string;
  impl: string;
  error: string;
}

interface Row {
  case: string;
  ndshare?: CaseResult;
  numpy?: CaseResult;
  ratio?: number;
  /** Peers table: every row the case printed (ndshare first, as printed), and each one's ratio to ndshare. */
  peers?: { result: CaseResult; ratio?: number }[];
}

function isCaseResult(x: unknown): x is CaseResult {
  const r = x as CaseResult;
  if (typeof x !== 'object' || x === null || typeof r.case !== 'string' || typeof r.impl !== 'string') return false;
  if (typeof r.median_ns === 'number') return true;
  // A skipped row: no times, and the reason.
  return r.median_ns === null && typeof (r.meta as { skipped?: unknown } | undefined)?.skipped === 'string';
}

/**
 * The row a peers-table case's ratios are taken against: its `ndshare` row,
 * or, in a case that measures several ndshare configurations (`ndshare-1`,
 * `ndshare-2`, …), the one marked `meta.reference: true`.
 */
function referenceOf(rows: CaseResult[]): CaseResult | undefined {
  return rows.find((o) => o.impl === 'ndshare') ?? rows.find((o) => o.meta.reference === true);
}

/** `1.23 GB/s` for a row with `meta.bytesPerOp`, `1.23 M op/s` for one with `meta.rate: 'ops'`, else ''. */
function formatRate(r: CaseResult): string {
  if (r.median_ns === null || !(r.median_ns > 0)) return '';
  const bytes = r.meta.bytesPerOp;
  if (typeof bytes === 'number') return `${(bytes / r.median_ns).toFixed(2)} GB/s`;
  if (r.meta.rate === 'ops') {
    const perSec = 1e9 / r.median_ns;
    return perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M op/s` : perSec >= 1e3 ? `${(perSec / 1e3).toFixed(1)} k op/s` : `${perSec.toFixed(1)} op/s`;
  }
  return '';
}

async function main(): Promise<void> {
  const date = new Date();
  const loadAtStart = os.loadavg(); // other tenants' load (ours has not started yet)
  progress(`discovering cases in bench/cases${filters.length ? ` matching ${filters.join(', ')}` : ''}${quick ? ' (--quick)' : ''}`);
  const { planned, failures } = await discover();
  if (planned.length === 0 && failures.length === 0) {
    progress(`no case matches ${filters.join(', ')}`);
    process.exitCode = 1;
    return;
  }

  // NumPy: which twins exist, and which version; a missing python3 or numpy skips the baselines.
  let numpyVersion: string | undefined;
  let pythonVersion: string | undefined;
  let twins = new Set<string>();
  const v = await python(['--version'], false);
  const ver = lastJson(v.stdout) as { numpy?: string; python?: string } | undefined;
  if (v.code === 0 && ver?.numpy) {
    numpyVersion = ver.numpy;
    pythonVersion = ver.python;
    const l = await python(['--list']);
    twins = new Set((lastJson(l.stdout) as string[] | undefined) ?? []);
  } else {
    const line = `NumPy baselines are skipped: python3 with numpy is not available (${why(v)})`;
    progress(line);
    console.log(`** ${line} **`);
  }

  const rows: Row[] = [];
  const flag = quick ? ['--quick'] : [];
  for (const [k, p] of planned.entries()) {
    const row: Row = { case: p.name };
    rows.push(row);
    const tag = `[${k + 1}/${planned.length}] ${p.name}`;

    progress(`${tag}: ndshare (${p.file}) …`);
    const t0 = process.hrtime.bigint();
    const r = await run(process.execPath, [...NODE_ARGS, p.file, p.name, ...flag]);
    const outs = allResults(r.stdout);
    const secs = (Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1);
    const mine = outs.filter((o) => o.case === p.name);
    if (r.code === 0 && mine.length === 1 && mine[0]!.impl === 'ndshare') {
      const out = mine[0]!;
      row.ndshare = out;
      progress(`${tag}: ndshare ${formatNs(out.median_ns)} (${out.samples} samples, ${secs} s)`);
    } else if (r.code === 0 && mine.length > 0) {
      // Several impls measured in the case's own process: the peers table.
      const base = referenceOf(mine);
      row.peers = mine.map((o) => ({
        result: o,
        ...(base && base.median_ns !== null && o.median_ns !== null ? { ratio: o.median_ns / base.median_ns } : {}),
      }));
      if (base) row.ndshare = base;
      const brief = mine.map((o) => `${o.impl} ${o.median_ns === null ? 'skipped' : formatNs(o.median_ns)}`).join(', ');
      progress(`${tag}: ${brief} (${secs} s)`);
    } else {
      failures.push({ case: p.name, impl: 'ndshare', error: why(r) });
      progress(`${tag}: ndshare FAILED: ${why(r)}`);
    }

    if (numpyVersion !== undefined && twins.has(p.name)) {
      progress(`${tag}: numpy …`);
      const t1 = process.hrtime.bigint();
      const pr = await python([p.name, ...flag]);
      const pout = lastJson(pr.stdout);
      const psecs = (Number(process.hrtime.bigint() - t1) / 1e9).toFixed(1);
      if (pr.code === 0 && isCaseResult(pout)) {
        row.numpy = pout;
        progress(`${tag}: numpy ${formatNs(pout.median_ns)} (${pout.samples} samples, ${psecs} s)`);
      } else {
        failures.push({ case: p.name, impl: 'numpy', error: why(pr) });
        progress(`${tag}: numpy FAILED: ${why(pr)}`);
      }
    }
    if (row.ndshare?.median_ns && row.numpy?.median_ns) row.ratio = row.ndshare.median_ns / row.numpy.median_ns;
  }

  // --- the tables ---
  const spread = (x?: CaseResult) => (x && x.median_ns !== null ? ` (${formatNs(x.p10_ns)}–${formatNs(x.p90_ns)})` : '');
  const numpyRows = rows.filter((r) => !r.peers);
  const peerRows = rows.filter((r) => r.peers);
  if (numpyRows.length > 0) {
    const notes: string[] = [];
    const body = numpyRows.map((r) => {
      const per = String(r.ndshare?.meta.per ?? r.numpy?.meta.per ?? 'op');
      const note = (r.ndshare?.meta.note ?? r.numpy?.meta.note) as string | undefined;
      if (note && !notes.includes(note)) notes.push(note);
      const mark = note ? ` [${notes.indexOf(note) + 1}]` : '';
      return [
        r.case + mark,
        per,
        formatNs(r.ndshare?.median_ns) + spread(r.ndshare),
        numpyVersion === undefined ? 'skipped' : formatNs(r.numpy?.median_ns) + spread(r.numpy),
        formatRatio(r.ratio),
      ];
    });
    console.log('');
    console.log(table(['case', 'per', 'ndshare median (p10–p90)', 'NumPy median (p10–p90)', 'ratio'], body, [false, false, true, true, true]));
    console.log('ratio = ndshare median / NumPy median (< 1: ndshare is faster).');
    notes.forEach((n, i) => console.log(`[${i + 1}] ${n}`));
  }
  if (peerRows.length > 0) {
    const notes: string[] = [];
    const summaries: string[] = [];
    const body: string[][] = [];
    for (const r of peerRows) {
      for (const { result: o, ratio } of r.peers!) {
        const note = o.meta.note as string | undefined;
        if (note && !notes.includes(note)) notes.push(note);
        const mark = note ? ` [${notes.indexOf(note) + 1}]` : '';
        const skip = o.meta.skipped as string | undefined;
        if (typeof o.meta.summary === 'string') summaries.push(`${r.case}: ${o.meta.summary}`);
        body.push([
          r.case,
          o.impl + mark,
          String(o.meta.per ?? 'op'),
          skip !== undefined ? `skipped: ${skip}` : formatNs(o.median_ns) + spread(o),
          o === r.ndshare ? '1' : formatRatio(ratio),
          formatRate(o),
        ]);
      }
    }
    console.log('');
    console.log(table(['case', 'impl', 'per', 'median (p10–p90)', '× ndshare', 'rate'], body, [false, false, false, true, true, true]));
    console.log('× ndshare = impl median / ndshare median, same case, same process (> 1: ndshare is faster).');
    notes.forEach((n, i) => console.log(`[${i + 1}] ${n}`));
    for (const line of summaries) console.log(line);
  }
  for (const f of failures) console.log(`FAILED ${f.case} (${f.impl}): ${f.error}`);

  // --- the record ---
  const cpus = os.cpus();
  const record = {
    date: date.toISOString(),
    durationSeconds: Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100,
    quick,
    filters,
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryBytes: os.totalmem(),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadavgAtStart: loadAtStart,
      loadavgAtEnd: os.loadavg(),
    },
    node: process.version,
    numpy: numpyVersion ?? null,
    python: pythonVersion ?? null,
    results: rows.map((r) => ({
      case: r.case,
      ndshare: r.ndshare ?? null,
      numpy: r.numpy ?? null,
      ratio: r.ratio ?? null,
      ...(r.peers ? { peers: r.peers.map((p) => ({ ...p.result, ratioToNdshare: p.ratio ?? null })) } : {}),
    })),
    failures,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  // ISO 8601 basic-ish time, without ':' so the name is portable.
  const file = path.join(
    RESULTS_DIR,
    `${date
      .toISOString()
      .replace(/:/g, '-')
      .replace(/\.\d+Z$/, 'Z')}.json`,
  );
  writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  const chart = writeChart();
  progress(`done; wrote ${path.relative(ROOT, file)}${chart ? ` and ${path.relative(ROOT, chart)}` : ''}`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
