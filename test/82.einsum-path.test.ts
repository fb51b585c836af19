// einsumPath and einsum's `optimize` against NumPy 2's np.einsum_path: for
// random expressions (3-6 operands, repeated letters, outer products, size-1
// letters), the 'optimal' path's cost equals NumPy's 'optimal' cost (and the
// path itself is NumPy's), the same for 'greedy' and for a memory limit;
// einsum along each path gives NumPy's values; explicit paths are followed;
// bad optimize values are coded errors.
import test from 'tape';
import * as nd from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { skipWithoutNumpy } from './helpers/numpy-diff.js';
import { python } from './helpers/python.js';
import { close, np, randn, throwsCode } from './helpers/linalg.js';

interface Expr {
  subscripts: string;
  shapes: number[][];
}

/** A random expression: nterm operands over a pool of letters with sizes 1-7 (all letters of the output appear in an input). */
function randomExpr(seed: number): Expr {
  const r = mulberry32(seed);
  const u = (): number => r() / 2 ** 32;
  const pool = 'abcdefghij'.slice(0, 4 + Math.floor(u() * 6));
  const size = new Map([...pool].map((c) => [c, u() < 0.1 ? 1 : 2 + Math.floor(u() * 6)]));
  const nterm = 3 + Math.floor(u() * 4);
  const terms: string[] = [];
  for (let k = 0; k < nterm; k++) {
    const len = 1 + Math.floor(u() * 4);
    let t = '';
    for (let i = 0; i < len; i++) t += pool[Math.floor(u() * pool.length)]!;
    terms.push(t);
  }
  const used = [...new Set(terms.join(''))];
  const out = used.filter(() => u() < 0.35).join('');
  const subscripts = `${terms.join(',')}->${out}`;
  return { subscripts, shapes: terms.map((t) => [...t].map((c) => size.get(c)!)) };
}

/** NumPy's einsum_path for each (expr, optimize) as a list of position lists. */
function numpyPaths(cases: { e: Expr; optimize: string }[]): number[][][] {
  const code = `
cases = json.loads(${JSON.stringify(JSON.stringify(cases.map(({ e, optimize }) => [e.subscripts, e.shapes, optimize])))})
out = []
for s, shapes, opt in cases:
    ops = [np.empty(sh) for sh in shapes]
    o = eval(opt)
    path, _ = np.einsum_path(s, *ops, optimize=o)
    out.append([list(map(int, p)) for p in path[1:]])
print(json.dumps(out))
`;
  return JSON.parse(python(code).stdout) as number[][][];
}

const N = 60;
const exprs = [...Array(N).keys()].map((i) => randomExpr(1000 + i));
const opsOf = (e: Expr, seed: number): nd.NDArray[] => e.shapes.map((sh, k) => randn(sh, seed + k));

test("einsumPath 'optimal' and 'greedy': NumPy's path and cost on random expressions", (t) => {
  if (skipWithoutNumpy(t)) return;
  const kinds: [string, nd.EinsumOptimize][] = [
    ["'optimal'", 'optimal'],
    ["'greedy'", 'greedy'],
    ["('optimal', 40)", ['optimal', 40]],
    ["('greedy', 40)", ['greedy', 40]],
  ];
  const cases = exprs.flatMap((e) => kinds.map(([py, optimize]) => ({ e, py, optimize })));
  const theirs = numpyPaths(cases.map(({ e, py }) => ({ e, optimize: py })));
  let samePath = 0;
  cases.forEach(({ e, py, optimize }, i) => {
    const ops = e.shapes.map((sh) => nd.zeros(sh));
    const [ours, report] = nd.einsumPath(e.subscripts, ...ops, { optimize });
    const want = theirs[i]!;
    // The cost of NumPy's path, computed by the same rule (its report rounds to 4 digits).
    const cost = (path: (string | number[])[]): string => /Optimized FLOP count:\s+(\S+)/.exec(nd.einsumPath(e.subscripts, ...ops, { optimize: path })[1])![1]!;
    const oursCost = /Optimized FLOP count:\s+(\S+)/.exec(report)![1]!;
    const theirCost = cost(['einsum_path', ...want]);
    if (oursCost !== theirCost) t.fail(`${e.subscripts} ${py}: cost ${oursCost} != NumPy's ${theirCost}`);
    else t.pass(`${e.subscripts} ${py}: cost ${oursCost}`);
    if (JSON.stringify(ours.slice(1)) === JSON.stringify(want)) samePath++;
    else t.comment(`${e.subscripts} ${py}: path ${JSON.stringify(ours.slice(1))}, NumPy ${JSON.stringify(want)} (same cost)`);
  });
  t.equal(samePath, cases.length, 'every path is NumPy’s, step for step');
  t.end();
});

test("einsumPath: the exact costs of 'optimal' equal NumPy's (the report's exact figures, from NumPy's own rule)", (t) => {
  if (skipWithoutNumpy(t)) return;
  // NumPy's exact cost of its optimal path: the sum of _flop_count over the contraction list, from Python.
  const code = `
from numpy._core.einsumfunc import _flop_count
cases = json.loads(${JSON.stringify(JSON.stringify(exprs.map((e) => [e.subscripts, e.shapes])))})
res = []
for s, shapes in cases:
    ops = [np.empty(sh) for sh in shapes]
    _, contraction_list = np.einsum_path(s, *ops, optimize='optimal', einsum_call=True)
    sizes = {}
    for term, sh in zip(s.split('->')[0].split(','), shapes):
        for c, d in zip(term, sh):
            sizes[c] = max(sizes.get(c, 1), d)
    total = 0
    sets = [set(x) for x in s.split('->')[0].split(',')]
    out = set(s.split('->')[1])
    for inds, *_ in contraction_list:
        contract = set(); remain = set(out); rest = []
        for k, v in enumerate(sets):
            if k in inds: contract |= v
            else: rest.append(v); remain |= v
        new = remain & contract
        total += _flop_count(contract, contract - new, len(inds), sizes)
        sets = rest + [new]
    res.append(total)
print(json.dumps(res))
`;
  const want = JSON.parse(python(code).stdout) as number[];
  exprs.forEach((e, i) => {
    const ops = e.shapes.map((sh) => nd.zeros(sh));
    const report = nd.einsumPath(e.subscripts, ...ops, { optimize: 'optimal' })[1];
    const opt = Number(/Optimized FLOP count:\s+(\S+)/.exec(report)![1]);
    // The report prints cost + 1 with 4 significant digits.
    t.ok(Math.abs(opt - (want[i]! + 1)) <= 5e-4 * (want[i]! + 1), `${e.subscripts}: ${opt} ~ NumPy ${want[i]! + 1}`);
  });
  t.end();
});

test("einsum with optimize 'optimal' / 'greedy' / explicit paths gives NumPy's values", (t) => {
  if (skipWithoutNumpy(t)) return;
  const some = exprs.slice(0, 30);
  const res = np(some.map((e, i) => ({ expr: `np.einsum('${e.subscripts}', ${e.shapes.map((_, k) => `a${k}`).join(', ')})`, args: opsOf(e, 10 * i) })));
  some.forEach((e, i) => {
    const ops = opsOf(e, 10 * i);
    close(t, nd.einsum(e.subscripts, ...ops, { optimize: 'optimal' }), res[i]!, 1e-12, `einsum ${e.subscripts} optimal`);
    close(t, nd.einsum(e.subscripts, ...ops, { optimize: 'greedy' }), res[i]!, 1e-12, `einsum ${e.subscripts} greedy`);
    const path = nd.einsumPath(e.subscripts, ...ops, { optimize: ['optimal', 30] })[0];
    close(t, nd.einsum(e.subscripts, ...ops, { optimize: path }), res[i]!, 1e-12, `einsum ${e.subscripts} along ${JSON.stringify(path.slice(1))}`);
  });
  t.end();
});

test('einsumPath: the report and the documented examples of np.einsum_path', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a = nd.zeros([2, 2]);
  const b = nd.zeros([2, 5]);
  const c = nd.zeros([5, 2]);
  const I = nd.zeros([10, 10, 10, 10]);
  const C = nd.zeros([10, 10]);
  const specs: [string, nd.NDArray[], string][] = [
    ['ij,jk,kl->il', [a, b, c], "'greedy'"],
    ['ea,fb,abcd,gc,hd->efgh', [C, C, I, C, C], "'optimal'"],
    ['ea,fb,abcd,gc,hd->efgh', [C, C, I, C, C], "'greedy'"],
    ['ij,jk,kl->il', [a, b, c], 'False'],
    ['ij->ji', [a], "'optimal'"],
  ];
  const code = `
specs = json.loads(${JSON.stringify(JSON.stringify(specs.map(([s, ops, o]) => [s, ops.map((x) => x.shape), o])))})
print(json.dumps([np.einsum_path(s, *[np.zeros(sh) for sh in shapes], optimize=eval(o)) for s, shapes, o in specs], default=list))
`;
  const want = JSON.parse(python(code).stdout) as [(string | number[])[], string][];
  specs.forEach(([s, ops, o], i) => {
    const optimize = o === 'False' ? false : (o.slice(1, -1) as 'greedy' | 'optimal');
    const [path, report] = nd.einsumPath(s, ...ops, { optimize });
    t.deepEqual(path, want[i]![0], `${s} ${o}: path ${JSON.stringify(path)}`);
    t.equal(report, want[i]![1], `${s} ${o}: the report, character for character`);
  });
  t.end();
});

test('einsum optimize: explicit paths, memory limits and bad values', (t) => {
  const A = randn([3, 4], 1);
  const B = randn([4, 5], 2);
  const C = randn([5, 2], 3);
  const want = nd.einsum('ij,jk,kl->il', A, B, C);
  const got = nd.einsum('ij,jk,kl->il', A, B, C, { optimize: ['einsum_path', [1, 2], [0, 1]] });
  t.ok(nd.allclose(got, want), 'an explicit path is followed');
  t.deepEqual(
    nd.einsumPath('ij,jk,kl->il', A, B, C, { optimize: ['einsum_path', [1, 2], [0, 1]] })[0],
    ['einsum_path', [1, 2], [0, 1]],
    'einsumPath returns an explicit path as given',
  );
  // A memory limit below every intermediate leaves one step of all operands (NumPy's rule).
  t.deepEqual(nd.einsumPath('ij,jk,kl->il', A, B, C, { optimize: ['optimal', 1] })[0], ['einsum_path', [0, 1, 2]], 'optimal under a tiny memory limit');
  t.ok(nd.allclose(nd.einsum('ij,jk,kl->il', A, B, C, { optimize: ['greedy', 1] }), want), 'einsum under a tiny memory limit');
  for (const bad of ['fast', 3, ['optimal'], ['optimal', 'x'], ['einsum_path', [0.5, 1]], { path: 1 }]) {
    throwsCode(
      t,
      () => nd.einsum('ij,jk,kl->il', A, B, C, { optimize: bad as nd.EinsumOptimize }),
      'ERR_NDSHARE_INVALID_ARG_TYPE',
      `optimize ${JSON.stringify(bad)}`,
    );
  }
  throwsCode(
    t,
    () => nd.einsum('ij,jk,kl->il', A, B, C, { optimize: ['einsum_path', [0, 1]] }),
    'ERR_NDSHARE_INVALID_ARG_VALUE',
    'a path that leaves operands',
  );
  throwsCode(
    t,
    () => nd.einsum('ij,jk,kl->il', A, B, C, { optimize: ['einsum_path', [0, 5], [0, 1]] }),
    'ERR_NDSHARE_INVALID_ARG_VALUE',
    'a path naming a missing operand',
  );
  throwsCode(t, () => nd.einsum('ij,jk->ik', A, B, { out: A } as nd.EinsumOptions), 'ERR_NDSHARE_UNSUPPORTED', "NumPy's out is refused by name");
  throwsCode(t, () => nd.einsum('ij,jk->ik', A, B, { bogus: 1 } as nd.EinsumOptions), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'an unknown option');
  t.end();
});
