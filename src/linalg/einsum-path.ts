/**
 * The contraction order of einsum (NumPy's `einsum_path`): which operands to
 * contract, pair by pair, and the report NumPy prints for it. Works on the
 * letters alone (no data): `inputs` are the letters of each operand (repeats
 * kept, ellipsis axes as private letters), `output` the result's letters.
 *
 * - 'optimal' tries every pairwise order (breadth first, as NumPy does) and
 *   drops any step whose intermediate has more elements than the memory limit
 *   (by default the largest input or output); when no pair fits, the rest is
 *   contracted in one step.
 * - 'greedy' contracts, each time, the pair that removes the most elements
 *   (then the cheapest), skipping pairs that share no letter while others do.
 * Costs are NumPy's `_flop_count`: the product of the sizes of every letter
 * involved, times (terms - 1, at least 1) plus 1 when a letter is summed away.
 * Ties resolve as NumPy's do (the first candidate in NumPy's order), so the
 * paths themselves agree with NumPy's, not only their costs.
 *
 * @module
 */
import { NdshareError, NdshareTypeError, codes } from '../errors.js';

/** A named strategy, an explicit NumPy path (['einsum_path', [0, 1], ...]), or [strategy, memory limit]. */
export type EinsumOptimize = boolean | 'greedy' | 'optimal' | ['greedy' | 'optimal', number] | (string | number[])[];

/** One step of a plan: positions in the current operand list (contracted, removed, result appended). */
export interface Contraction {
  positions: number[];
  /** Letters of the intermediate (the output's order on the last step, sorted by (size, letter) before). */
  result: string[];
  cost: number;
  /** Number of distinct letters involved (NumPy's "scaling"). */
  scale: number;
  /** Elements of the intermediate. */
  size: number;
  /** The step as einsum subscripts, and the operand list after it (NumPy's report columns). */
  subscripts: string;
  remaining: string;
}

export interface EinsumPlan {
  /** NumPy's path: each step's positions as given (not sorted). */
  path: number[][];
  steps: Contraction[];
  naiveCost: number;
  optimizedCost: number;
  /** NumPy's printed report. */
  report: string;
}

function fail(msg: string): never {
  throw new NdshareError(`einsum: ${msg}`, { code: codes.INVALID_ARG_VALUE });
}

/** Letter sets as bit masks (bigint: more than 53 letters can occur with many ellipsis axes). */
class Letters {
  readonly bit = new Map<string, bigint>();
  readonly sizes: number[] = [];
  private readonly cache = new Map<bigint, number>();
  constructor(sizes: Map<string, number>) {
    for (const [c, d] of sizes) {
      this.bit.set(c, 1n << BigInt(this.sizes.length));
      this.sizes.push(d);
    }
  }
  mask(letters: Iterable<string>): bigint {
    let m = 0n;
    for (const c of letters) m |= this.bit.get(c)!;
    return m;
  }
  /** Product of the sizes of the letters in m (NumPy's `_compute_size_by_dict` of a set). */
  size(m: bigint): number {
    let s = this.cache.get(m);
    if (s !== undefined) return s;
    s = 1;
    let k = 0;
    for (let r = m; r !== 0n; r >>= 1n, k++) if (r & 1n) s *= this.sizes[k]!;
    this.cache.set(m, s);
    return s;
  }
}

interface Found {
  result: bigint;
  remaining: bigint[];
  removed: bigint;
  contract: bigint;
}

/** NumPy's `_find_contraction`: the letters of contracting `positions`, and the operand list after it. */
function find(positions: readonly number[], sets: readonly bigint[], out: bigint): Found {
  let contract = 0n;
  let remain = out;
  const remaining: bigint[] = [];
  sets.forEach((s, i) => {
    if (positions.includes(i)) contract |= s;
    else {
      remaining.push(s);
      remain |= s;
    }
  });
  const result = remain & contract;
  remaining.push(result);
  return { result, remaining, removed: contract & ~result, contract };
}

/** NumPy's `_flop_count`. */
function flops(L: Letters, contract: bigint, inner: boolean, terms: number): number {
  return L.size(contract) * (Math.max(1, terms - 1) + (inner ? 1 : 0));
}

/** Every pair (i < j) of 0..n-1 in itertools.combinations order. */
function* pairs(n: number): Generator<[number, number]> {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) yield [i, j];
}

/** NumPy's `_optimal_path`: breadth-first over every pairwise order, within the memory limit. */
function optimalPath(L: Letters, sets: bigint[], out: bigint, limit: number): number[][] {
  let full: { cost: number; path: number[][]; sets: bigint[] }[] = [{ cost: 0, path: [], sets }];
  const cheapest = (): number[][] => full.reduce((a, b) => (b.cost < a.cost ? b : a)).path;
  for (let it = 0; it < sets.length - 1; it++) {
    const next: typeof full = [];
    for (const cur of full) {
      for (const con of pairs(sets.length - it)) {
        const f = find(con, cur.sets, out);
        if (L.size(f.result) > limit) continue;
        next.push({ cost: cur.cost + flops(L, f.contract, f.removed !== 0n, 2), path: [...cur.path, con], sets: f.remaining });
      }
    }
    if (next.length === 0) return [...cheapest(), [...Array(sets.length - it).keys()]];
    full = next;
  }
  return cheapest();
}

interface Candidate {
  removed: number; // elements removed (the sort key is -removed, then cost)
  cost: number;
  pos: [number, number];
  sets: bigint[];
}

/** NumPy's `_parse_possible_contraction`. */
function candidate(L: Letters, pos: [number, number], sets: bigint[], out: bigint, limit: number, pathCost: number, naive: number): Candidate | undefined {
  const f = find(pos, sets, out);
  const size = L.size(f.result);
  if (size > limit) return undefined;
  const cost = flops(L, f.contract, f.removed !== 0n, 2);
  if (pathCost + cost > naive) return undefined;
  return { removed: L.size(sets[pos[0]]!) + L.size(sets[pos[1]]!) - size, cost, pos, sets: f.remaining };
}

/** NumPy's `_greedy_path`: each time the pair that removes the most elements, then the cheapest. */
function greedyPath(L: Letters, sets0: bigint[], out: bigint, limit: number): number[][] {
  if (sets0.length === 1) return [[0]];
  if (sets0.length === 2) return [[0, 1]];
  let sets = sets0;
  const all = find([...sets.keys()], sets, out);
  const naive = flops(L, all.contract, all.removed !== 0n, sets.length);
  let known: Candidate[] = [];
  let pathCost = 0;
  const path: number[][] = [];
  let combos: Iterable<[number, number]> = pairs(sets.length);
  for (let it = 0; it < sets0.length - 1; it++) {
    for (const pos of combos) {
      if ((sets[pos[0]]! & sets[pos[1]]!) === 0n) continue;
      const c = candidate(L, pos, sets, out, limit, pathCost, naive);
      if (c !== undefined) known.push(c);
    }
    if (known.length === 0) {
      for (const pos of pairs(sets.length)) {
        const c = candidate(L, pos, sets, out, limit, pathCost, naive);
        if (c !== undefined) known.push(c);
      }
      if (known.length === 0) {
        path.push([...sets.keys()]);
        break;
      }
    }
    const best = known.reduce((a, b) => (b.removed > a.removed || (b.removed === a.removed && b.cost < a.cost) ? b : a));
    // NumPy's `_update_other_results`: drop candidates touching the pair, renumber the rest.
    const [bx, by] = best.pos;
    const kept: Candidate[] = [];
    for (const c of known) {
      const [x, y] = c.pos;
      if (x === bx || x === by || y === bx || y === by) continue;
      const s = c.sets.slice();
      s.splice(by - +(by > x) - +(by > y), 1);
      s.splice(bx - +(bx > x) - +(bx > y), 1);
      s.splice(s.length - 1, 0, best.sets[best.sets.length - 1]!);
      kept.push({ ...c, pos: [x - +(x > bx) - +(x > by), y - +(y > bx) - +(y > by)], sets: s });
    }
    known = kept;
    sets = best.sets;
    const last = sets.length - 1;
    combos = [...Array(last).keys()].map((i): [number, number] => [i, last]);
    path.push(best.pos);
    pathCost += best.cost;
  }
  return path;
}

/** The strategy and memory limit of an `optimize` value, or an explicit path. */
function strategy(optimize: unknown): { kind: false | 'greedy' | 'optimal'; limit?: number; explicit?: number[][] } {
  if (optimize === undefined || optimize === null || optimize === false) return { kind: false };
  if (optimize === true || optimize === 'greedy') return { kind: 'greedy' };
  if (optimize === 'optimal') return { kind: 'optimal' };
  if (Array.isArray(optimize)) {
    if (optimize[0] === 'einsum_path') {
      const steps = optimize.slice(1);
      for (const s of steps) {
        if (!Array.isArray(s) || s.length === 0 || !s.every((k) => Number.isSafeInteger(k) && (k as number) >= 0)) {
          throw new NdshareTypeError(
            `einsum: Did not understand the path: each step of an explicit path must be a list of operand positions (received ${JSON.stringify(s)})`,
            {
              code: codes.INVALID_ARG_TYPE,
            },
          );
        }
      }
      return { kind: false, explicit: steps as number[][] };
    }
    if (optimize.length === 2 && (optimize[0] === 'greedy' || optimize[0] === 'optimal') && typeof optimize[1] === 'number' && Number.isFinite(optimize[1])) {
      return { kind: optimize[0], limit: Math.trunc(optimize[1]) };
    }
  }
  throw new NdshareTypeError(
    `einsum: Did not understand the path (options.optimize): expected a boolean, 'greedy', 'optimal', ['greedy' | 'optimal', memoryLimit] or ['einsum_path', [i, j], ...] but received ${JSON.stringify(optimize)}`,
    { code: codes.INVALID_ARG_TYPE },
  );
}

const SYMBOLS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** NumPy prints ellipsis axes as unused letters: '#k' (the k-th ellipsis axis from the right) as the k-th unused letter from the end. */
function displayNames(inputs: string[][]): (c: string) => string {
  const used = new Set(inputs.flat());
  const unused = [...SYMBOLS].filter((c) => !used.has(c));
  return (c) => (c.startsWith('#') ? (unused[unused.length - Number(c.slice(1))] ?? c) : c);
}

/** Python's '%.3e': two exponent digits at least. */
function sci(v: number): string {
  return v.toExponential(3).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * The contraction plan of einsum for `optimize` (NumPy's `einsum_path`):
 * the path, each step's letters and cost, and NumPy's report.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for an optimize value NumPy does not understand.
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE for an explicit path that names a missing operand or leaves operands uncontracted.
 */
export function planEinsum(inputs: string[][], output: string[], sizes: Map<string, number>, optimize: unknown): EinsumPlan {
  const how = strategy(optimize);
  const L = new Letters(sizes);
  const sets = inputs.map((t) => L.mask(t));
  const out = L.mask(output);
  const termSize = (t: string[]): number => t.reduce((p, c) => p * sizes.get(c)!, 1);
  const limit = how.limit ?? Math.max(...[...inputs, output].map(termSize));
  const indices = L.mask(inputs.flat());
  let path: number[][];
  if (how.explicit !== undefined) path = how.explicit;
  else if (how.kind === false || inputs.length <= 2 || indices === out) path = [[...inputs.keys()]];
  else if (how.kind === 'greedy') path = greedyPath(L, sets, out, limit);
  else path = optimalPath(L, sets, out, limit);

  const name = displayNames(inputs);
  const word = (t: string[]): string => t.map(name).join('');
  const lettersOf = (m: bigint): string[] => [...sizes.keys()].filter((c) => (m & L.bit.get(c)!) !== 0n);
  const list = inputs.map((t) => t.slice());
  let cur = sets;
  const steps: Contraction[] = path.map((pos, n) => {
    const desc = [...pos].sort((a, b) => b - a);
    if (new Set(desc).size !== desc.length || desc[0]! >= cur.length)
      fail(`Invalid einsum_path: step ${n} names operand positions ${JSON.stringify(pos)} of ${cur.length} operands`);
    const f = find(desc, cur, out);
    cur = f.remaining;
    const taken = desc.map((k) => list.splice(k, 1)[0]!);
    const result =
      n === path.length - 1
        ? output
        : lettersOf(f.result).sort((a, b) => sizes.get(a)! - sizes.get(b)! || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
    list.push(result);
    return {
      positions: pos,
      result,
      cost: flops(L, f.contract, f.removed !== 0n, desc.length),
      scale: lettersOf(f.contract).length,
      size: L.size(f.result),
      subscripts: `${taken.map(word).join(',')}->${word(result)}`,
      remaining: `${list.map(word).join(',')}->${word(output)}`,
    };
  });
  if (list.length !== 1) fail(`Invalid einsum_path is specified: ${list.length - 1} more operands has to be contracted.`);

  const distinct = inputs.reduce((s, t) => s + new Set(t).size, 0);
  const naiveCost = flops(L, indices, distinct - lettersOf(indices).length > 0, inputs.length);
  const optimizedCost = steps.reduce((s, c) => s + c.cost, 0) + 1;
  const lines = [
    `  Complete contraction:  ${inputs.map(word).join(',')}->${word(output)}`,
    `         Naive scaling:  ${lettersOf(indices).length}`,
    `     Optimized scaling:  ${Math.max(...steps.map((c) => c.scale))}`,
    `      Naive FLOP count:  ${sci(naiveCost)}`,
    `  Optimized FLOP count:  ${sci(optimizedCost)}`,
    `   Theoretical speedup:  ${(naiveCost / optimizedCost).toFixed(3)}`,
    `  Largest intermediate:  ${sci(Math.max(...steps.map((c) => c.size)))} elements`,
    '-'.repeat(74),
    `${'scaling'.padStart(6)} ${'current'.padStart(24)} ${'remaining'.padStart(40)}`,
    '-'.repeat(74),
    ...steps.map((c) => `${String(c.scale).padStart(4)}    ${c.subscripts.padStart(24)} ${c.remaining.padStart(40)}`),
  ];
  return { path, steps, naiveCost, optimizedCost, report: lines.join('\n') };
}
