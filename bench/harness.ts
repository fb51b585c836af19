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
  /** Untimed (but checked) warm-up, in ms; at least {@link MeasureOptions.warmupOps} ops run whatever this says. */
  warmupMs?: number;
  /** Minimum number of warm-up ops (default 3; slow peers whose op takes a second pass 1). */
  warmupOps?: number;
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
  /** null only in a row from {@link skipped} (the impl was not run; `meta.skipped` says why). */
  median_ns: number | null;
  p10_ns: number | null;
  p90_ns: number | null;
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

/** The budget of one measurement, options over the default (or `--quick`) budget. */
function budgetOf(options: MeasureOptions) {
  const budget = BUDGET[quick ? 'quick' : 'default'];
  return {
    minSamples: options.minSamples ?? budget.minSamples,
    minTimeNs: BigInt(Math.round((options.minTimeMs ?? budget.minTimeMs) * 1e6)),
    maxTimeNs: BigInt(Math.round((options.maxTimeMs ?? budget.maxTimeMs) * 1e6)),
    warmupNs: BigInt(Math.round((options.warmupMs ?? budget.warmupMs) * 1e6)),
    warmupOps: Math.max(1, options.warmupOps ?? 3),
    itemsPerOp: options.itemsPerOp ?? 1,
  };
}

/**
 * A batch that looks long enough but is under 20× MIN_SAMPLE_NS may owe its
 * length to one outlier (a GC pause in the middle of a sub-µs op), which
 * would leave the batch at 1 and the samples dominated by the timer: time it
 * once more and keep the shorter time.
 */
function confirmed(t: bigint, again: () => bigint): bigint {
  if (t < BigInt(MIN_SAMPLE_NS) || t >= BigInt(20 * MIN_SAMPLE_NS)) return t;
  const t2 = again();
  return t2 < t ? t2 : t;
}

/**
 * The next batch size while calibrating, or undefined when a batch of `batch`
 * ops that took `t` ns is long enough (MIN_SAMPLE_NS).
 */
function nextBatch(batch: number, t: bigint): number | undefined {
  if (t >= BigInt(MIN_SAMPLE_NS) || batch >= 1 << 30) return undefined;
  // Jump straight to the size that should be long enough, with a margin.
  const scale = t > 0n ? Math.ceil((MIN_SAMPLE_NS * 1.2) / Number(t)) : 16;
  return batch * Math.min(Math.max(scale, 2), 16);
}

function summarize(name: string, times: number[], batch: number, itemsPerOp: number): Measurement {
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
export function measure<T>(name: string, op: (i: number) => T, check: (result: T, i: number) => void, options: MeasureOptions = {}): Measurement {
  const b = budgetOf(options);
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

  // Warm-up: at least warmupOps ops, so the op's code is compiled and the
  // first-call costs (lazy init, allocation of caches) are not sampled.
  const warmStart = now();
  for (let ops = 0; ops < b.warmupOps || now() - warmStart < b.warmupNs; ops++) run(1);

  // Calibration: grow the batch until one lasts MIN_SAMPLE_NS.
  let batch = options.batch ?? 0;
  if (batch <= 0) {
    batch = 1;
    const timed = (): bigint => confirmed(run(batch), () => run(batch));
    for (let next = nextBatch(batch, timed()); next !== undefined; next = nextBatch(batch, timed())) batch = next;
  }

  const times: number[] = [];
  const start = now();
  for (;;) {
    const t = run(batch);
    times.push(Number(t) / (batch * b.itemsPerOp));
    const elapsed = now() - start;
    if ((times.length >= b.minSamples && elapsed >= b.minTimeNs) || elapsed >= b.maxTimeNs) break;
  }
  return summarize(name, times, batch, b.itemsPerOp);
}

/**
 * {@link measure} for an op that returns a Promise (a message to another
 * thread or process and its reply): the same warm-up, calibration and
 * sampling, each op awaited before the next starts, so a sample's time is the
 * sum of whole round trips, event-loop hops included.
 *
 * @throws whatever `op` or `check` throws (or rejects with)
 * @example
 * const m = await measureAsync('echo', (i) => roundTrip(i), (r, i) => assert(r === i, 'echo'));
 */
export async function measureAsync<T>(
  name: string,
  op: (i: number) => Promise<T>,
  check: (result: T, i: number) => void,
  options: MeasureOptions = {},
): Promise<Measurement> {
  const b = budgetOf(options);
  let i = 0;

  const run = async (n: number): Promise<bigint> => {
    const t0 = now();
    for (let k = 0; k < n; k++) {
      check(await op(i), i);
      i++;
    }
    return now() - t0;
  };

  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();

  const warmStart = now();
  for (let ops = 0; ops < b.warmupOps || now() - warmStart < b.warmupNs; ops++) await run(1);

  let batch = options.batch ?? 0;
  if (batch <= 0) {
    batch = 1;
    const timed = async (): Promise<bigint> => {
      const t = await run(batch);
      if (t < BigInt(MIN_SAMPLE_NS) || t >= BigInt(20 * MIN_SAMPLE_NS)) return t;
      const t2 = await run(batch); // as confirmed(), awaited
      return t2 < t ? t2 : t;
    };
    for (let next = nextBatch(batch, await timed()); next !== undefined; next = nextBatch(batch, await timed())) batch = next;
  }

  const times: number[] = [];
  const start = now();
  for (;;) {
    const t = await run(batch);
    times.push(Number(t) / (batch * b.itemsPerOp));
    const elapsed = now() - start;
    if ((times.length >= b.minSamples && elapsed >= b.minTimeNs) || elapsed >= b.maxTimeNs) break;
  }
  return summarize(name, times, batch, b.itemsPerOp);
}

/** One op of {@link measureInterleaved}. */
export interface InterleavedOp<T = unknown> {
  name: string;
  op: (i: number) => T;
  check: (result: T, i: number) => void;
}

/**
 * Times several ops with their samples interleaved (A, B, A, B…), so a
 * machine-wide slowdown or a change of scheduling mode that lasts seconds
 * hits all of them alike and their ratio stays meaningful. Each op is warmed
 * up and gets its own calibrated batch; sampling stops when every op has
 * `minSamples` samples and `minTimeMs` have passed in all (or at `maxTimeMs`).
 *
 * @returns one measurement per op, in order
 * @throws whatever an op or its check throws
 * @example
 * const [big, small] = measureInterleaved([{ name: 'big', op: readBig, check }, { name: 'small', op: readSmall, check }]);
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ops of different result types in one list
export function measureInterleaved(ops: InterleavedOp<any>[], options: MeasureOptions = {}): Measurement[] {
  const b = budgetOf(options);
  const state = ops.map((o) => {
    let i = 0;
    const run = (n: number): bigint => {
      const t0 = now();
      for (let k = 0; k < n; k++) {
        o.check(o.op(i), i);
        i++;
      }
      return now() - t0;
    };
    return { o, run, batch: options.batch ?? 0, times: [] as number[] };
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  for (const s of state) {
    const warmStart = now();
    for (let ops = 0; ops < b.warmupOps || now() - warmStart < b.warmupNs; ops++) s.run(1);
    if (s.batch <= 0) {
      s.batch = 1;
      const timed = (): bigint => confirmed(s.run(s.batch), () => s.run(s.batch));
      for (let next = nextBatch(s.batch, timed()); next !== undefined; next = nextBatch(s.batch, timed())) s.batch = next;
    }
  }
  const start = now();
  for (;;) {
    for (const s of state) s.times.push(Number(s.run(s.batch)) / (s.batch * b.itemsPerOp));
    const elapsed = now() - start;
    if ((state[0]!.times.length >= b.minSamples && elapsed >= b.minTimeNs) || elapsed >= b.maxTimeNs) break;
  }
  return state.map((s) => summarize(s.o.name, s.times, s.batch, b.itemsPerOp));
}

/** One op of {@link measureInterleavedAsync}. */
export interface InterleavedAsyncOp<T = unknown> {
  name: string;
  /** The timed op (a Promise is awaited before the next op starts). */
  op: (i: number) => Promise<T> | T;
  /** Inside the timing, on every result; throws if it is wrong. */
  check: (result: T, i: number) => void;
  /** Untimed, before each timed sample (e.g. a pause that lets a worker fall asleep). */
  before?: () => Promise<void> | void;
  /** Untimed, right after each timed sample, with the results of its ops (e.g. to free an output). */
  after?: (results: T[]) => Promise<void> | void;
  /** Stop sampling this op once it has this many samples (a slow peer among fast ones). */
  maxSamples?: number;
}

/** Options of {@link measureInterleavedAsync}. */
export interface InterleavedAsyncOptions extends MeasureOptions {
  /**
   * Consecutive timed samples of one op per turn (default 1). More than one
   * keeps an op's state between its samples (a worker still spinning on its
   * last task) while the ops still alternate every few milliseconds.
   */
  samplesPerTurn?: number;
  /** Untimed (checked) ops at the start of each turn (default 0): they absorb the switch from the previous op. */
  turnWarmupOps?: number;
  /** Call `gc()` (given `--expose-gc`) before every sample, untimed: one op's garbage is not collected in another's time. */
  gcBetweenSamples?: boolean;
}

/**
 * {@link measureInterleaved} for ops that return Promises (work in other
 * threads and processes): each op is warmed up and gets its own calibrated
 * batch (unless `options.batch`), then the ops take turns, `samplesPerTurn`
 * samples each, until every op has `minSamples` samples (or its
 * `maxSamples`) and `minTimeMs` have passed, or `maxTimeMs` have passed.
 * `before`/`after` hooks and `gc()` run outside the timing.
 *
 * @returns one measurement per op, in order
 * @throws whatever an op, its check or a hook throws (or rejects with)
 * @example
 * const [a, b] = await measureInterleavedAsync([{ name: 'a', op: runA, check }, { name: 'b', op: runB, check }], { batch: 1 });
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ops of different result types in one list
export async function measureInterleavedAsync(ops: InterleavedAsyncOp<any>[], options: InterleavedAsyncOptions = {}): Promise<Measurement[]> {
  const b = budgetOf(options);
  const perTurn = Math.max(1, options.samplesPerTurn ?? 1);
  const turnWarmup = Math.max(0, options.turnWarmupOps ?? 0);
  const gc = (globalThis as { gc?: () => void }).gc;
  const state = ops.map((o) => {
    let i = 0;
    /**
     * `count` samples of `n` ops each, every op checked, the hooks (and gc)
     * around each sample untimed; pushes each sample's per-unit time to `sink`
     * and returns the last sample's time. One async call for a whole turn, so
     * the harness adds as little as possible between the samples of an op.
     */
    const samples = async (count: number, n: number, sink?: number[]): Promise<bigint> => {
      let t = 0n;
      for (let c = 0; c < count; c++) {
        if (options.gcBetweenSamples && gc) gc();
        if (o.before) await o.before();
        const results: unknown[] | undefined = o.after ? [] : undefined;
        const t0 = now();
        for (let k = 0; k < n; k++) {
          const r = await o.op(i);
          o.check(r, i);
          results?.push(r);
          i++;
        }
        t = now() - t0;
        if (o.after) await o.after(results!);
        sink?.push(Number(t) / (n * b.itemsPerOp));
      }
      return t;
    };
    const run = (n: number): Promise<bigint> => samples(1, n);
    return { o, run, samples, batch: options.batch ?? 0, times: [] as number[], max: o.maxSamples ?? Infinity };
  });
  if (gc) gc();
  for (const s of state) {
    const warmStart = now();
    for (let n = 0; n < b.warmupOps || now() - warmStart < b.warmupNs; n++) await s.run(1);
    if (s.batch <= 0) {
      s.batch = 1;
      const timed = async (): Promise<bigint> => {
        const t = await s.run(s.batch);
        if (t < BigInt(MIN_SAMPLE_NS) || t >= BigInt(20 * MIN_SAMPLE_NS)) return t;
        const t2 = await s.run(s.batch); // as confirmed(), awaited
        return t2 < t ? t2 : t;
      };
      for (let next = nextBatch(s.batch, await timed()); next !== undefined; next = nextBatch(s.batch, await timed())) s.batch = next;
    }
  }
  const start = now();
  for (;;) {
    for (const s of state) {
      if (s.times.length >= s.max) continue;
      if (turnWarmup > 0) await s.samples(turnWarmup, 1);
      await s.samples(Math.min(perTurn, s.max - s.times.length), s.batch, s.times);
    }
    const elapsed = now() - start;
    const enough = state.every((s) => s.times.length >= Math.min(b.minSamples, s.max));
    const capped = state.every((s) => s.times.length >= s.max);
    if ((enough && elapsed >= b.minTimeNs) || elapsed >= b.maxTimeNs || capped) break;
  }
  return state.map((s) => summarize(s.o.name, s.times, s.batch, b.itemsPerOp));
}

/** Throws unless `cond` holds. For the checks of a case. */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`benchmark check failed: ${message}`);
}

/**
 * The JSON line for one measurement. `impl` names what was measured: `'ndshare'`
 * (the default), or a peer measured in the same process for comparison
 * (`'ipc-advanced'`, `'buffer-copy'`…). A case whose process prints rows for
 * several impls is shown in the orchestrator's peers table, each peer with its
 * ratio to the case's `'ndshare'` row.
 */
export function result(caseName: string, m: Measurement, meta: Record<string, unknown> = {}, impl = 'ndshare'): CaseResult {
  return {
    case: caseName,
    impl,
    median_ns: round(m.median),
    p10_ns: round(m.p10),
    p90_ns: round(m.p90),
    samples: m.samples,
    meta: { opsPerSample: m.opsPerSample, itemsPerOp: m.itemsPerOp, quick, ...meta },
  };
}

/**
 * The row of an impl that was not run (not enough memory, too slow at this
 * size…): `median_ns` is null and `meta.skipped` says why. The orchestrator
 * prints it as a visible `skipped` row, not as a failure.
 */
export function skipped(caseName: string, impl: string, reason: string, meta: Record<string, unknown> = {}): CaseResult {
  process.stderr.write(`${caseName} (${impl}): skipped: ${reason}\n`);
  return {
    case: caseName,
    impl,
    median_ns: null,
    p10_ns: null,
    p90_ns: null,
    samples: 0,
    meta: { quick, ...meta, skipped: reason },
  };
}

function round(ns: number): number {
  return Math.round(ns * 1000) / 1000;
}

/** A case: does its setup, measures, returns its JSON line (or one line per impl). */
export type Case = () => CaseResult | CaseResult[] | Promise<CaseResult | CaseResult[]>;

/**
 * Entry point of a case file. With `--list`, prints the names of its cases
 * (one JSON array) and exits without any setup; with a case name, runs that
 * case and prints its JSON line. With no name, a file holding exactly one case
 * runs it (handy when running a file by hand). A case that returns several
 * rows (one per impl) prints one line each.
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
  const out = await run();
  for (const line of Array.isArray(out) ? out : [out]) process.stdout.write(JSON.stringify(line) + '\n');
}
