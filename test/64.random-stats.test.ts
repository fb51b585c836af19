// Statistical tests of every nd.random distribution (fixed seeds, so they are
// deterministic): Kolmogorov-Smirnov for continuous draws and chi-squared for
// discrete ones, against SciPy's distributions at test time. A correct sampler
// fails one of these with probability 1e-4 per case; the seeds are fixed, so a
// failure is a bug, not bad luck.
import test from 'tape';
import * as nd from '../src/index.js';
import { numpy, python } from './helpers/python.js';

const N = 20000;
const ALPHA = 1e-4;

interface StatCase {
  label: string;
  /** scipy.stats frozen distribution expression, e.g. 'st.norm(3, 2)'. */
  dist: string;
  kind: 'ks' | 'chi2';
  draw: (g: nd.random.Generator) => nd.NDArray;
}

function scipy(): boolean {
  if (!numpy()) return false;
  try {
    python('import scipy.stats');
    return true;
  } catch {
    return false;
  }
}

function values(x: nd.NDArray): Float64Array {
  return x.astype('float64').copy().data as Float64Array;
}

test('every distribution passes KS / chi-squared against SciPy (fixed seeds)', (t) => {
  if (!scipy()) return (t.skip('scipy not found: statistical tests skipped'), t.end());
  const col = (k: number) => (x: nd.NDArray) => x.transpose([1, 0]).slice(k).copy();
  const cases: StatCase[] = [
    { label: 'random', dist: 'st.uniform()', kind: 'ks', draw: (g) => g.random(N) },
    { label: 'random float32', dist: 'st.uniform()', kind: 'ks', draw: (g) => g.random(N, { dtype: 'float32' }) },
    { label: 'uniform(-2, 3)', dist: 'st.uniform(-2, 5)', kind: 'ks', draw: (g) => g.uniform(-2, 3, N) },
    { label: 'standardNormal', dist: 'st.norm()', kind: 'ks', draw: (g) => g.standardNormal(N) },
    { label: 'standardNormal float32', dist: 'st.norm()', kind: 'ks', draw: (g) => g.standardNormal(N, { dtype: 'float32' }) },
    { label: 'normal(3, 2)', dist: 'st.norm(3, 2)', kind: 'ks', draw: (g) => g.normal(3, 2, N) },
    { label: 'standardExponential', dist: 'st.expon()', kind: 'ks', draw: (g) => g.standardExponential(N) },
    { label: 'standardExponential float32', dist: 'st.expon()', kind: 'ks', draw: (g) => g.standardExponential(N, { dtype: 'float32' }) },
    { label: 'standardExponential inv', dist: 'st.expon()', kind: 'ks', draw: (g) => g.standardExponential(N, { method: 'inv' }) },
    { label: 'exponential(2)', dist: 'st.expon(scale=2)', kind: 'ks', draw: (g) => g.exponential(2, N) },
    { label: 'standardGamma(0.5)', dist: 'st.gamma(0.5)', kind: 'ks', draw: (g) => g.standardGamma(0.5, N) },
    { label: 'standardGamma(3) float32', dist: 'st.gamma(3)', kind: 'ks', draw: (g) => g.standardGamma(3, N, { dtype: 'float32' }) },
    { label: 'gamma(2, 3)', dist: 'st.gamma(2, scale=3)', kind: 'ks', draw: (g) => g.gamma(2, 3, N) },
    { label: 'beta(2, 3)', dist: 'st.beta(2, 3)', kind: 'ks', draw: (g) => g.beta(2, 3, N) },
    { label: 'beta(0.5, 0.7)', dist: 'st.beta(0.5, 0.7)', kind: 'ks', draw: (g) => g.beta(0.5, 0.7, N) },
    { label: 'chisquare(4)', dist: 'st.chi2(4)', kind: 'ks', draw: (g) => g.chisquare(4, N) },
    { label: 'noncentralChisquare(3, 2)', dist: 'st.ncx2(3, 2)', kind: 'ks', draw: (g) => g.noncentralChisquare(3, 2, N) },
    { label: 'noncentralChisquare(0.5, 2)', dist: 'st.ncx2(0.5, 2)', kind: 'ks', draw: (g) => g.noncentralChisquare(0.5, 2, N) },
    { label: 'f(3, 7)', dist: 'st.f(3, 7)', kind: 'ks', draw: (g) => g.f(3, 7, N) },
    { label: 'noncentralF(3, 7, 2)', dist: 'st.ncf(3, 7, 2)', kind: 'ks', draw: (g) => g.noncentralF(3, 7, 2, N) },
    { label: 'standardCauchy', dist: 'st.cauchy()', kind: 'ks', draw: (g) => g.standardCauchy(N) },
    { label: 'standardT(5)', dist: 'st.t(5)', kind: 'ks', draw: (g) => g.standardT(5, N) },
    { label: 'vonmises(0.5, 3)', dist: 'st.vonmises(3, loc=0.5)', kind: 'ks', draw: (g) => g.vonmises(0.5, 3, N) },
    { label: 'pareto(3)', dist: 'st.lomax(3)', kind: 'ks', draw: (g) => g.pareto(3, N) },
    { label: 'weibull(1.5)', dist: 'st.weibull_min(1.5)', kind: 'ks', draw: (g) => g.weibull(1.5, N) },
    { label: 'power(2)', dist: 'st.powerlaw(2)', kind: 'ks', draw: (g) => g.power(2, N) },
    { label: 'laplace(1, 2)', dist: 'st.laplace(1, 2)', kind: 'ks', draw: (g) => g.laplace(1, 2, N) },
    { label: 'gumbel(1, 2)', dist: 'st.gumbel_r(1, 2)', kind: 'ks', draw: (g) => g.gumbel(1, 2, N) },
    { label: 'logistic(1, 2)', dist: 'st.logistic(1, 2)', kind: 'ks', draw: (g) => g.logistic(1, 2, N) },
    { label: 'lognormal(0, 0.5)', dist: 'st.lognorm(0.5)', kind: 'ks', draw: (g) => g.lognormal(0, 0.5, N) },
    { label: 'rayleigh(2)', dist: 'st.rayleigh(scale=2)', kind: 'ks', draw: (g) => g.rayleigh(2, N) },
    { label: 'wald(1, 2)', dist: 'st.invgauss(0.5, scale=2)', kind: 'ks', draw: (g) => g.wald(1, 2, N) },
    { label: 'triangular(0, 1, 3)', dist: 'st.triang(1/3, 0, 3)', kind: 'ks', draw: (g) => g.triangular(0, 1, 3, N) },
    { label: 'dirichlet([1, 2, 3]) marginal', dist: 'st.beta(1, 5)', kind: 'ks', draw: (g) => col(0)(g.dirichlet([1, 2, 3], N)) },
    { label: 'dirichlet small alpha marginal', dist: 'st.beta(0.05, 0.1)', kind: 'ks', draw: (g) => col(0)(g.dirichlet([0.05, 0.02, 0.08], N)) },
    {
      label: 'multivariateNormal marginal (svd)',
      dist: 'st.norm(1, 2**0.5)',
      kind: 'ks',
      draw: (g) =>
        col(0)(
          g.multivariateNormal(
            [1, 2],
            [
              [2, 0.5],
              [0.5, 1],
            ],
            N,
          ),
        ),
    },
    {
      label: 'multivariateNormal marginal (eigh)',
      dist: 'st.norm(2, 1)',
      kind: 'ks',
      draw: (g) =>
        col(1)(
          g.multivariateNormal(
            [1, 2],
            [
              [2, 0.5],
              [0.5, 1],
            ],
            N,
            { method: 'eigh' },
          ),
        ),
    },
    {
      label: 'multivariateNormal marginal (cholesky)',
      dist: 'st.norm(2, 1)',
      kind: 'ks',
      draw: (g) =>
        col(1)(
          g.multivariateNormal(
            [1, 2],
            [
              [2, 0.5],
              [0.5, 1],
            ],
            N,
            { method: 'cholesky' },
          ),
        ),
    },
    { label: 'integers(0, 10)', dist: 'st.randint(0, 10)', kind: 'chi2', draw: (g) => g.integers(0, 10, N) },
    { label: 'integers(-3, 4, int8)', dist: 'st.randint(-3, 4)', kind: 'chi2', draw: (g) => g.integers(-3, 4, N, { dtype: 'int8' }) },
    { label: 'binomial(20, 0.3)', dist: 'st.binom(20, 0.3)', kind: 'chi2', draw: (g) => g.binomial(20, 0.3, N) },
    { label: 'binomial(1000, 0.4)', dist: 'st.binom(1000, 0.4)', kind: 'chi2', draw: (g) => g.binomial(1000, 0.4, N) },
    { label: 'binomial(1000, 0.8)', dist: 'st.binom(1000, 0.8)', kind: 'chi2', draw: (g) => g.binomial(1000, 0.8, N) },
    { label: 'negativeBinomial(5, 0.3)', dist: 'st.nbinom(5, 0.3)', kind: 'chi2', draw: (g) => g.negativeBinomial(5, 0.3, N) },
    { label: 'poisson(3.5)', dist: 'st.poisson(3.5)', kind: 'chi2', draw: (g) => g.poisson(3.5, N) },
    { label: 'poisson(250)', dist: 'st.poisson(250)', kind: 'chi2', draw: (g) => g.poisson(250, N) },
    { label: 'geometric(0.5)', dist: 'st.geom(0.5)', kind: 'chi2', draw: (g) => g.geometric(0.5, N) },
    { label: 'geometric(0.01)', dist: 'st.geom(0.01)', kind: 'chi2', draw: (g) => g.geometric(0.01, N) },
    { label: 'zipf(2.5)', dist: 'st.zipf(2.5)', kind: 'chi2', draw: (g) => g.zipf(2.5, N) },
    { label: 'logseries(0.9)', dist: 'st.logser(0.9)', kind: 'chi2', draw: (g) => g.logseries(0.9, N) },
    { label: 'hypergeometric(5, 7, 4)', dist: 'st.hypergeom(12, 5, 4)', kind: 'chi2', draw: (g) => g.hypergeometric(5, 7, 4, N) },
    { label: 'hypergeometric(500, 700, 300)', dist: 'st.hypergeom(1200, 500, 300)', kind: 'chi2', draw: (g) => g.hypergeometric(500, 700, 300, N) },
    { label: 'multinomial marginal', dist: 'st.binom(100, 0.2)', kind: 'chi2', draw: (g) => col(0)(g.multinomial(100, [0.2, 0.3, 0.5], N)) },
    {
      label: 'multivariateHypergeometric marginal',
      dist: 'st.hypergeom(60, 20, 25)',
      kind: 'chi2',
      draw: (g) => col(1)(g.multivariateHypergeometric([10, 20, 30], 25, N)),
    },
    {
      label: 'multivariateHypergeometric count marginal',
      dist: 'st.hypergeom(60, 20, 45)',
      kind: 'chi2',
      draw: (g) => col(1)(g.multivariateHypergeometric([10, 20, 30], 45, N, { method: 'count' })),
    },
    {
      label: 'choice p',
      dist: 'st.rv_discrete(values=([0, 1, 2, 3], [0.1, 0.2, 0.3, 0.4]))',
      kind: 'chi2',
      draw: (g) => g.choice(4, N, { p: [0.1, 0.2, 0.3, 0.4] }),
    },
    {
      label: 'choice without replacement (first pick)',
      dist: 'st.randint(0, 50)',
      kind: 'chi2',
      draw: (g) => nd.array(Array.from({ length: 5000 }, () => Number(g.choice(50, 5, { replace: false }).get(0)))),
    },
    {
      label: 'permutation (position of 0)',
      dist: 'st.randint(0, 10)',
      kind: 'chi2',
      draw: (g) => nd.array(Array.from({ length: 5000 }, () => (g.permutation(10).toArray() as bigint[]).indexOf(0n))),
    },
  ];
  const inputs: Record<string, Uint8Array> = {};
  cases.forEach((c, i) => {
    const v = values(c.draw(nd.random.defaultRng(1000 + i)));
    inputs[`in${i}`] = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  });
  const specs = JSON.stringify(cases.map((c) => [c.dist, c.kind]));
  const { stdout } = python(
    `
import scipy.stats as st
res = []
for i, (dist, kind) in enumerate(json.loads(${JSON.stringify(specs)})):
    x = np.fromfile(os.path.join(D, 'in%d' % i), dtype=np.float64)
    d = eval(dist)
    if kind == 'ks':
        res.append(float(st.kstest(x, d.cdf).pvalue))
    else:
        lo, hi = d.ppf(0.001), d.ppf(0.999)
        ks = np.arange(lo, hi + 1)
        edges = np.concatenate([[-np.inf], ks[:-1] + 0.5, [np.inf]]) if len(ks) > 1 else np.array([-np.inf, lo + 0.5, np.inf])
        obs = np.histogram(x, edges)[0]
        cdf = d.cdf(np.floor(edges[1:-1]))
        probs = np.diff(np.concatenate([[0.0], cdf, [1.0]]))
        exp = probs * len(x)
        keep = exp > 5
        o = np.concatenate([obs[keep], [obs[~keep].sum()]]); e = np.concatenate([exp[keep], [exp[~keep].sum()]])
        if e[-1] == 0: o, e = o[:-1], e[:-1]
        e = e * o.sum() / e.sum()
        res.append(float(st.chisquare(o, e).pvalue))
print(json.dumps(res))
`,
    inputs,
  );
  const p = JSON.parse(stdout) as number[];
  cases.forEach((c, i) => t.ok(p[i]! > ALPHA, `${c.label}: ${c.kind} p = ${p[i]!.toPrecision(3)} (> ${ALPHA})`));
  t.end();
});
