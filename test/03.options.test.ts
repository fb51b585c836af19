// Options are never ignored (DESIGN §3.1 point 10): every public function that
// takes an options object rejects a key it does not know, with a coded error
// naming the key. The list of functions is derived from the sources' types
// (test/helpers/public-api.ts), so a new function is covered without an edit here.
import test from 'tape';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as nd from '../src/index.js';
import { publicFunctions, type ApiFunction, type ApiParam } from './helpers/public-api.js';

type Fn = (...args: unknown[]) => unknown;
const BOGUS = 'bogusOptionKey';

/** Arguments (and required options) for functions whose parameters the generic rules below cannot guess. */
/** A path in this test's temporary folder, created by `make` the first time it is asked for. */
let fixtureDir: string | undefined;
function fixture(name: string, make?: (path: string) => void): string {
  fixtureDir ??= mkdtempSync(join(tmpdir(), 'ndshare-t03-files-'));
  const path = join(fixtureDir, name);
  make?.(path);
  return path;
}

const OVERRIDES: Record<string, { args: () => unknown[]; options?: Record<string, unknown> }> = {
  fromfunction: { args: () => [(i: nd.NDArray, j: nd.NDArray) => nd.add(i, j), [2, 2]] },
  fromiter: { args: () => [[1, 2, 3], 'float64'] },
  frombuffer: { args: () => [new Float64Array(4).buffer] },
  'random.integers': { args: () => [[3]], options: { high: 5 } },
  'linalg.cholesky': {
    args: () => [
      nd.array([
        [4, 2],
        [2, 3],
      ]),
    ],
  },
  'linalg.cross': { args: () => [nd.array([1, 2, 3]), nd.array([4, 5, 6])] },
  putAlongAxis: {
    args: () => [
      nd.array([
        [1, 2],
        [3, 4],
      ]),
      nd.array([[0], [1]], { dtype: 'int64' }),
      0,
    ],
    options: { axis: 1 },
  },
  choose: { args: () => [nd.array([0, 1], { dtype: 'int64' }), [nd.array([1, 2]), nd.array([3, 4])]] },
  maskIndices: { args: () => [3, (m: nd.NDArray, k: number) => nd.triu(m, { k })] },
  ravelMultiIndex: {
    args: () => [
      [nd.array([1], { dtype: 'int64' }), nd.array([0], { dtype: 'int64' })],
      [2, 2],
    ],
  },
  astype: { args: () => [nd.array([1, 2]), 'float32'] },
  fromHeader: {
    args: () => {
      const x = nd.array([1, 2]);
      return [nd.headerOf(x), x.data.buffer];
    },
  },
  parallelReduce: { args: () => [nd.array([1, 2, 3]), 'sum'] },
  unpackbits: { args: () => [nd.array([3, 255], { dtype: 'uint8' })] },
  canCast: { args: () => ['int8', 'float64'] },
  load: { args: () => [fixture('a.npy', (p) => nd.save(p, nd.array([1, 2])))] },
  loadtxt: { args: () => [['1 2', '3 4']] },
  genfromtxt: { args: () => [['1 2', '3 4']] },
  savetxt: { args: () => [fixture('out.txt'), nd.array([1, 2])] },
  fromfile: { args: () => [fixture('a.bin', (p) => writeFileSync(p, new Uint8Array(new Float64Array([1, 2]).buffer)))] },
  'random.Generator.multivariateNormal': {
    args: () => [
      [0, 0],
      [
        [1, 0],
        [0, 1],
      ],
    ],
  },
  'Store.create': { args: () => [], options: { capacity: '1MiB' } },
  'Store.attach': { args: () => [(RECEIVERS.Store!() as nd.Store).handle] },
  'Store.open': { args: () => [(named ??= nd.Store.create({ name: `t03-${process.pid}`, capacity: '1MiB' })).name] },
  'Store.loadSafetensors': { args: () => [safetensorsFile()] },
  'Pool.reduce': { args: () => [nd.array([1, 2, 3]), 'sum'] },
  'Pool.mapChunks': { args: () => [nd.zeros([2, 1]), (_ins: unknown, out: nd.NDArray) => out.fill(1)] },
  'NDArray.astype': { args: () => ['float32'] },
  'random.Generator.integers': { args: () => [0, 5] },
  'Store.get': { args: () => [storedName()] },
  'Store.getAsync': { args: () => [storedName()] },
};

let named: nd.Store | undefined;
/** The name of a sealed object in the shared store. */
function storedName(): string {
  const s = RECEIVERS.Store!() as nd.Store;
  if (!s.has('x')) s.put(nd.array([1, 2]), { name: 'x' });
  return 'x';
}
let weights: string | undefined;
/** A one-tensor safetensors file (a float32 named 'w'), in a temporary folder. */
function safetensorsFile(): string {
  if (weights) return weights;
  const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  weights = join(mkdtempSync(join(tmpdir(), 'ndshare-t03-')), 'w.safetensors');
  writeFileSync(weights, Buffer.concat([size, header, Buffer.alloc(4)]));
  return weights;
}

/**
 * Functions of src/ndarray/creation.ts and NDArray.astype (src/ndarray/ndarray.ts):
 * they check that options is an object but not its keys yet (those files are
 * being split elsewhere; their calls get rules after). The test fails if one
 * of them is fixed and still listed, or another one appears.
 */
const PENDING: string[] = [];

/** Candidate values for one parameter, most likely first. */
function candidates(p: ApiParam): (() => unknown)[] {
  const t = p.type;
  if (p.optional) return [() => undefined];
  if (/^(shape|dims|dimensions)$/.test(p.name)) return [() => [2, 2], () => 4];
  if (/NDArray|Operand|ArrayInput|readonly Operand\[\]/.test(t) || /Param/.test(t)) {
    if (/\[\]$/.test(t) && !/NDArray|Operand|ArrayInput/.test(t.replace(/\[\]$/, ''))) return [() => [nd.array([1, 2])]];
    if (/^readonly (Operand|NDArray|ArrayInput)/.test(t)) return [() => [nd.array([1, 2]), nd.array([3, 4])], () => [nd.array([true, false])]];
    return [
      () =>
        nd.array([
          [1.5, 2],
          [3, 4.5],
        ]),
      () =>
        nd.array(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'int64' },
        ),
      () => nd.array([1, 2, 3, 4]),
      () => nd.array([1, 2, 3, 4], { dtype: 'int64' }),
      () => nd.array([true, false]),
      () => 2,
    ];
  }
  if (/^(axis|k|shift|deg)$/.test(p.name)) return [() => 0, () => 1];
  if (t.includes('number')) return [() => 2, () => 1, () => 0, () => [2, 2]];
  if (t.includes('bigint')) return [() => 2n];
  if (t.includes('=>')) return [() => (x: unknown) => x, () => () => 1];
  if (t.includes('Scalar')) return [() => 1];
  if (t.includes('boolean')) return [() => false];
  if (/"float64"/.test(t)) return [() => 'float64'];
  return [() => undefined];
}

/** Every combination of the parameters' candidates (before the options), at most `limit` of them. */
function argSets(f: ApiFunction, limit = 64): unknown[][] {
  const o = OVERRIDES[f.path.join('.')];
  if (o) return [o.args()];
  let sets: (() => unknown)[][] = [[]];
  for (const p of f.params.slice(0, f.optionsIndex)) {
    const c = candidates(p);
    sets = sets.flatMap((s) => c.map((v) => [...s, v])).slice(0, limit);
  }
  return sets.map((s) => s.map((v) => v()));
}

function lookup(path: string[]): Fn {
  let v: unknown = nd;
  for (const k of path) v = (v as Record<string, unknown>)[k];
  return v as Fn;
}

/** Receivers of the public classes' instance methods (by class path), made fresh per call. */
let store: nd.Store | undefined;
let pool: nd.Pool | undefined;
const RECEIVERS: Record<string, () => unknown> = {
  NDArray: () =>
    nd.array([
      [1.5, 2],
      [3, 4.5],
    ]),
  'random.Generator': () => nd.random.defaultRng(1),
  Store: () => (store ??= nd.Store.create({ capacity: '16MiB' })),
  Pool: () => pool,
};

/** The function to call for `f`: module-level, static (bound to its class) or a method bound to a receiver. */
async function callable(f: ApiFunction): Promise<Fn | undefined> {
  if (f.kind === 'function') return lookup(f.path);
  const cls = f.path.slice(0, -1);
  const name = f.path[f.path.length - 1]!;
  if (f.kind === 'static') {
    const c = lookup(cls) as unknown as Record<string, Fn>;
    return c[name]?.bind(c);
  }
  if (cls.join('.') === 'Pool') pool ??= await nd.Pool.start({ workers: 1 });
  const make = RECEIVERS[cls.join('.')];
  if (!make) return undefined;
  // `close` ends its receiver: each call gets its own.
  if (cls.join('.') === 'Pool' && name === 'close') return async (...a: unknown[]) => (await nd.Pool.start({ workers: 1 })).close(...(a as [never]));
  return (...a: unknown[]) => (make() as Record<string, Fn>)[name]!(...a);
}

/** Closes what a call returned if it is a store or a pool (Store.create, Pool.start, ...). */
async function dispose(v: unknown): Promise<void> {
  if (v instanceof nd.Store) v.close();
  else if (v instanceof nd.Pool) await v.close();
}

async function attempt(fn: Fn, args: unknown[]): Promise<unknown> {
  try {
    await dispose(await fn(...args));
    return undefined;
  } catch (e) {
    return e ?? new Error('thrown undefined');
  }
}

test('every public function and method with an options object rejects an unknown key, naming it', async (t) => {
  const fns = publicFunctions().filter((f) => f.optionsIndex >= 0);
  t.ok(fns.length > 150, `the public API has ${fns.length} functions and methods with options (derived from src/index.ts)`);
  const noArgs: string[] = [];
  const silent: string[] = [];
  const badError: string[] = [];
  const undeclared: string[] = [];
  for (const f of fns) {
    const name = f.path.join('.');
    const fn = await callable(f);
    if (typeof fn !== 'function') {
      t.fail(`${name} is in the types but not a function at run time (or a class without a RECEIVERS row)`);
      continue;
    }
    const base = OVERRIDES[name]?.options ?? {};
    let args: unknown[] | undefined;
    for (const a of argSets(f)) {
      if ((await attempt(fn, [...a, { ...base }])) === undefined) {
        args = a;
        break;
      }
    }
    if (!args) {
      noArgs.push(name);
      continue;
    }
    // Fresh arguments: the baseline call may have written into them.
    const fresh = args.map((v) => (v instanceof nd.NDArray ? v.copy() : v));
    const e = (await attempt(fn, [...fresh, { ...base, [BOGUS]: 1 }])) as { code?: string; message?: string } | undefined;
    // checkOptions lists the options it knows: they must be the ones the function's type declares.
    const listed = /the options are (.*)$/.exec(String(e?.message))?.[1]?.split(', ');
    if (listed) {
      const missing = f.optionKeys.filter((k) => !listed.includes(k));
      if (missing.length > 0) undeclared.push(`${name}: ${missing.join(', ')}`);
    }
    if (e === undefined) silent.push(name);
    else if (e.code !== nd.codes.INVALID_ARG_VALUE || !String(e.message).includes(BOGUS)) badError.push(`${name} (${e.code}: ${e.message})`);
  }
  t.deepEqual(noArgs, [], 'arguments found for every function (else add a row to OVERRIDES)');
  t.deepEqual(silent, PENDING, 'no function ignores an unknown option (but the pending ones)');
  t.deepEqual(badError, [], `the error is ${nd.codes.INVALID_ARG_VALUE} and names the key`);
  t.deepEqual(undeclared, [], 'every option the type declares is a known option at run time');
  store?.close();
  named?.close();
  await pool?.close();
  if (weights) rmSync(dirname(weights), { recursive: true, force: true });
  if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
  t.end();
});
