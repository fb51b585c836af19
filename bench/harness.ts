/**
 * Helpers shared by every benchmark case file (`bench/cases/*.ts`).
 *
 * A case file calls {@link main} with one or more named cases. The
 * orchestrator (`bench/index.ts`) asks it for their names (`--list`), then
 * runs it once per case in a fresh process (`file.ts <case> [--quick]`); the
 * process prints exactly one JSON line on stdout, a {@link CaseResult}.
 * `bench/numpy/cases.py` prints the same shape with the same sample logic.
 *
 * Every op's result goes through the case's `check` inside the timed loop
 * (stdlib `benchmark/benchmark.get.js` style): the check reads the result and
 * throws if it is wrong, so the optimizer cannot drop the work and a fast but
 * wrong implementation cannot post a time.
 *
 * @module
 */

/** Sampling budget of one measurement. */
export interface MeasureOptions {
  /** Keep sampling until at least this many samples… */
  minSamples?: number;
  /** …and at least this much sampling time (ms) have been collected. */
  minTimeMs?: number;
  /** Stop sampling after this long (ms) even if `minSamples` is not reached. */
  maxTimeMs?: number;
  /** Untimed (but checked) warm-up, in ms; at least 3 ops run whatever this says. */
  warmupMs?: number;
  /**
   * Ops per sample. Default: calibrated so that one sample lasts at least
   * {@link MIN_SAMPLE_NS}, so the timer's resolution and its own cost (~50 ns)
   * do not dominate fast ops.
   */
  batch?: number;
  /**
   * Units of work in one op (default 1). Times are reported per unit: a case
   * whose op is a row of 1000 `get` calls passes 1000 and reports ns per element.
   */
  itemsPerOp?: number;
}

/** One measurement. All times are nanoseconds per unit of work (see {@link MeasureOptions.itemsPerOp}). */
export interface Measurement {
  name: string;
  median: number;
  p10: number;
  p90: number;
  /** Number of timed samples. */
  samples: number;
  /** Ops in each sample (the calibrated batch). */
  opsPerSample: number;
  itemsPerOp: number;
}

/** The JSON line a case process prints. Same shape from `bench/numpy/cases.py`. */
export interface CaseResult {
  case: string;
  impl: 'ndshare' | 'numpy' | string;
  median_ns: number;
  p10_ns: number;
  p90_ns: number;
  samples: number;
  meta: Record<string, unknown>;
}

/** One sample lasts at least this long (ns), by batching fast ops. */
export const MIN_SAMPLE_NS = 50_000;

/** Sampling budgets: the default run, and `--quick`. */
export const BUDGET: Readonly<Record<'default' | 'quick', Required<Pick<MeasureOptions, 'minSamples' | 'minTimeMs' | 'maxTimeMs' | 'warmupMs'>>>> = {
  default: { minSamples: 20, minTimeMs: 2000, maxTimeMs: 6000, warmupMs: 300 },
  quick: { minSamples: 5, minTimeMs: 300, maxTimeMs: 1500, warmupMs: 100 },
};

/** True when the process was started with `--quick`. */
export const quick = process.argv.includes('--quick');

/**
 * The `q`-quantile of sorted values, interpolating linearly between the two
 * nearest ranks (NumPy's default `np.quantile` method, so both sides agree).
 */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const now = process.hrtime.bigint;

/**
 * Times `op`. Warms up, calibrates a batch (unless given), then collects
 * samples until the budget is spent. `check(result, i)` is called on every
 * op's result, inside the timed loop; it must be cheap and must throw if the
 * result is wrong. `i` counts ops from 0 across warm-up and samples, so an op
 * can vary its input (e.g. which row it reads).
 *
 * @returns the median, 10th and 90th percentile of the per-unit time of the samples
 * @throws whatever `op` or `check` throws
 * @example
 * const m = measure('sum', (i) => x.get(i % 10), (r) => { if (typeof r !== 'number') throw new Error('bad'); });
 */
export function measure<T>(
  name: string,
  op: (i: number) => T,
  check: (result: T, i: number) => void,
  options: MeasureOptions = {},
): Measurement {
  const budget = BUDGET[quick ? 'quick' : 'default'];
  const minSamples = options.minSamples ?? budget.minSamples;
  const minTimeNs = BigInt(Math.round((options.minTimeMs ?? budget.minTimeMs) * 1e6));
  const maxTimeNs = BigInt(Math.round((options.maxTimeMs ?? budget.maxTimeMs) * 1e6));
  const warmupNs = BigInt(Math.round((options.warmupMs ?? budget.warmupMs) * 1e6));
  const itemsPerOp = options.itemsPerOp ?? 1;
  let i = 0;

  // One timed batch of `n` ops; returns its duration in ns.
  const run = (n: number): bigint => {
    const t0 = now();
    for (let k = 0; k < n; k++) {
      check(op(i), i);
      i++;
    }
    return now() - t0;
  };

  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc(); // start from a clean heap (the orchestrator passes --expose-gc)

  // Warm-up: at least 3 ops, so the op's code is compiled and the first-call
  // costs (lazy init, allocation of caches) are not sampled.
  const warmStart = now();
  let ops = 0;
  while (ops < 3 || now() - warmStart < warmupNs) {
    run(1);
    ops++;
  }

  // Calibration: double the batch until one lasts MIN_SAMPLE_NS.
  let batch = options.batch ?? 0;
  if (batch <= 0) {
    batch = 1;
    while (batch < 1 << 30) {
      const t = run(batch);
      if (t >= BigInt(MIN_SAMPLE_NS)) break;
      // Jump straight to the size that should be long enough, with a margin.
      const scale = t > 0n ? Math.ceil((MIN_SAMPLE_NS * 1.2) / Number(t)) : 16;
      batch *= Math.min(Math.max(scale, 2), 16);
    }
  }

  const times: number[] = [];
  const start = now();
  for (;;) {
    const t = run(batch);
    times.push(Number(t) / (batch * itemsPerOp));
    const elapsed = now() - start;
    if ((times.length >= minSamples && elapsed >= minTimeNs) || elapsed >= maxTimeNs) break;
  }
  times.sort((a, b) => a - b);
  return {
    name,
    median: quantile(times, 0.5),
    p10: quantile(times, 0.1),
    p90: quantile(times, 0.9),
    samples: times.length,
    opsPerSample: batch,
    itemsPerOp,
  };
}

/** Throws unless `cond` holds. For the checks of a case. */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`benchmark check failed: ${message}`);
}

/** The JSON line for one measurement. */
export function result(caseName: string, m: Measurement, meta: Record<string, unknown> = {}): CaseResult {
  return {
    case: caseName,
    impl: 'ndshare',
    median_ns: round(m.median),
    p10_ns: round(m.p10),
    p90_ns: round(m.p90),
    samples: m.samples,
    meta: { opsPerSample: m.opsPerSample, itemsPerOp: m.itemsPerOp, quick, ...meta },
  };
}

function round(ns: number): number {
  return Math.round(ns * 1000) / 1000;
}

/** A case: does its setup, measures, returns its JSON line. */
export type Case = () => CaseResult | Promise<CaseResult>;

/**
 * Entry point of a case file. With `--list`, prints the names of its cases
 * (one JSON array) and exits without any setup; with a case name, runs that
 * case and prints its JSON line. With no name, a file holding exactly one case
 * runs it (handy when running a file by hand).
 *
 * @throws (exits with code 2) for an unknown case name
 */
export async function main(cases: Record<string, Case>): Promise<void> {
  const names = Object.keys(cases);
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (process.argv.includes('--list')) {
    process.stdout.write(JSON.stringify(names) + '\n');
    return;
  }
  const name = args[0] ?? (names.length === 1 ? names[0]! : undefined);
  const run = name !== undefined && Object.hasOwn(cases, name) ? cases[name] : undefined;
  if (run === undefined) {
    process.stderr.write(`unknown case ${JSON.stringify(name)}; this file has: ${names.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const line = await run();
  process.stdout.write(JSON.stringify(line) + '\n');
}
