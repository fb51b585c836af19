// nd.random against NumPy's Generator at test time: SeedSequence words, the
// five bit generators' raw streams, states, advance and jumps, and the streams
// of every Generator method for many seeds, sizes and dtypes — byte for byte
// where the method is bit-exact, to a stated relative tolerance for the draws
// that go through the ziggurat tables (see docs/random.md).
import test from 'tape';
import * as nd from '../src/index.js';
import { NdshareRangeError, NdshareTypeError } from '../src/index.js';
import { numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { throwsCoded } from './helpers/assert.js';
import { compareStreams, type StreamCase, type BitGenName } from './helpers/random-diff.js';

const BITGENS: BitGenName[] = ['PCG64', 'PCG64DXSM', 'MT19937', 'Philox', 'SFC64'];
const SEEDS: StreamCase['seed'][] = [0, 1, 42, 2n ** 64n + 5n, [1, 2, 3], 123456789];
/** Relative tolerance for ziggurat-based draws: NumPy's tables differ from their construction by a few ulps. */
const ZIG = 1e-13;
/** The same for float32 results: one float32 ulp. */
const ZIG32 = 2.4e-7;

function report(t: test.Test, cases: StreamCase[]): void {
  for (const r of compareStreams(cases)) t.ok(r.equal, `${r.label}${r.detail ? `: ${r.detail}` : ''}`);
}

test('SeedSequence: generate_state and spawn keys as NumPy', (t) => {
  if (!numpy()) return (t.skip(SKIP_MESSAGE), t.end());
  const entropies: (number | bigint | (number | bigint)[])[] = [
    0,
    1,
    42,
    2 ** 32,
    2n ** 128n - 1n,
    2n ** 200n + 7n,
    [],
    [0],
    [1, 2, 3],
    [2n ** 70n, 5],
    987654321,
  ];
  const code = entropies.flatMap((e) => {
    const lit = Array.isArray(e) ? `[${e.join(', ')}]` : String(e);
    return [
      `print(' '.join(map(str, np.random.SeedSequence(${lit}).generate_state(9))))`,
      `print(' '.join(map(str, np.random.SeedSequence(${lit}).generate_state(3, np.uint64))))`,
      `print(' '.join(map(str, np.random.SeedSequence(${lit}, spawn_key=(3, 2**40)).generate_state(5))))`,
      `print(' '.join(map(str, np.random.SeedSequence(${lit}).spawn(3)[2].spawn(2)[1].generate_state(4))))`,
    ];
  });
  const lines = python(code.join('\n')).stdout.trim().split('\n');
  let k = 0;
  for (const e of entropies) {
    const ss = () => new nd.random.SeedSequence(e);
    t.equal(Array.from(ss().generateState(9) as Uint32Array).join(' '), lines[k++], `generate_state(9) of ${String(e)}`);
    t.equal(Array.from(ss().generateState64(3)).join(' '), lines[k++], `generate_state(3, uint64) of ${String(e)}`);
    t.equal(
      Array.from(new nd.random.SeedSequence(e, { spawnKey: [3, 2 ** 40] }).generateState(5) as Uint32Array).join(' '),
      lines[k++],
      `spawn_key (3, 2^40) of ${String(e)}`,
    );
    t.equal(Array.from(ss().spawn(3)[2]!.spawn(2)[1]!.generateState(4) as Uint32Array).join(' '), lines[k++], `grandchild of ${String(e)}`);
  }
  t.end();
});

test('bit generators: raw streams, states after seeding, advance and jumped as NumPy', (t) => {
  if (!numpy()) return (t.skip(SKIP_MESSAGE), t.end());
  const code: string[] = [];
  const ours: string[] = [];
  for (const bg of BITGENS) {
    for (const seed of [0, 7, 2n ** 100n]) {
      code.push(`print(' '.join(map(str, np.random.${bg}(${seed}).random_raw(700))))`);
      ours.push(Array.from(new nd.random[bg](seed).randomRaw(700) as BigUint64Array).join(' '));
    }
  }
  for (const bg of ['PCG64', 'PCG64DXSM', 'Philox'] as const) {
    for (const d of [1, 5, 1000, 2n ** 100n + 3n]) {
      code.push(`b = np.random.${bg}(9); b.random_raw(3); b.advance(${d}); print(' '.join(map(str, b.random_raw(5))))`);
      const b = new nd.random[bg](9);
      b.randomRaw(3);
      b.advance(d);
      ours.push(Array.from(b.randomRaw(5) as BigUint64Array).join(' '));
    }
    for (const j of [1, 3]) {
      code.push(`print(' '.join(map(str, np.random.${bg}(9).jumped(${j}).random_raw(5))))`);
      ours.push(Array.from(new nd.random[bg](9).jumped(j).randomRaw(5) as BigUint64Array).join(' '));
    }
  }
  // MT19937: NumPy's jump polynomial, recomputed by scripts/gen-mt19937-jump.py; from several positions.
  for (const [seed, drawn, jumps] of [
    [9, 0, 1],
    [9, 3, 1],
    [5, 700, 2],
    [0, 623, 1],
    [1, 624, 1],
  ] as const) {
    code.push(
      `b = np.random.MT19937(${seed}); b.random_raw(${drawn}); j = b.jumped(${jumps}); print(j.state['state']['pos'], ' '.join(map(str, j.random_raw(5))), int(j.state['state']['key'].astype('uint64').sum()))`,
    );
    const b = new nd.random.MT19937(seed);
    b.randomRaw(drawn);
    const j = b.jumped(jumps);
    const st = j.state as { state: { key: Uint32Array; pos: number } };
    const keySum = st.state.key.reduce((a, v) => a + v, 0);
    ours.push(`${st.state.pos} ${Array.from(j.randomRaw(5) as BigUint64Array).join(' ')} ${keySum}`);
  }
  code.push(`s = np.random.PCG64(5).state; print(s['state']['state'], s['state']['inc'])`);
  const st = new nd.random.PCG64(5).state as { state: { state: bigint; inc: bigint } };
  ours.push(`${st.state.state} ${st.state.inc}`);
  const lines = python(code.join('\n')).stdout.trim().split('\n');
  ours.forEach((o, i) => t.equal(o, lines[i], `case ${i}: ${o.slice(0, 40)}…`));
  throwsCoded(t, 'SFC64 has no jumped', () => new nd.random.SFC64(1).jumped(), NdshareRangeError, 'ERR_NDSHARE_UNSUPPORTED');
  throwsCoded(t, 'negative seed', () => nd.random.defaultRng(-1), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE', /entropy/);
  throwsCoded(t, 'float seed', () => nd.random.defaultRng(1.5), NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE', /entropy/);
  t.end();
});

test('random, uniform, integers (every dtype, endpoint, bounds): bit for bit, many seeds and sizes', (t) => {
  if (!numpy()) return (t.skip(SKIP_MESSAGE), t.end());
  const cases: StreamCase[] = [];
  const INT: [string, bigint, bigint][] = [
    ['int8', -128n, 127n],
    ['uint8', 0n, 255n],
    ['int16', -32768n, 32767n],
    ['uint16', 0n, 65535n],
    ['int32', -(2n ** 31n), 2n ** 31n - 1n],
    ['uint32', 0n, 2n ** 32n - 1n],
    ['int64', -(2n ** 63n), 2n ** 63n - 1n],
    ['uint64', 0n, 2n ** 64n - 1n],
  ];
  for (const seed of SEEDS) {
    for (const n of [0, 1, 7, 1001]) {
      cases.push({ label: `random(${n})`, seed, py: `g.random(${n})`, js: (g) => g.random(n) });
      cases.push({ label: `random(${n}, float32)`, seed, py: `g.random(${n}, dtype=np.float32)`, js: (g) => g.random(n, { dtype: 'float32' }) });
    }
    cases.push({ label: 'random() 0-d', seed, py: 'g.random()', js: (g) => g.random() });
    cases.push({ label: 'random([3, 4])', seed, py: 'g.random((3, 4))', js: (g) => g.random([3, 4]) });
    cases.push({ label: 'uniform(-2, 3, 999)', seed, py: 'g.uniform(-2, 3, 999)', js: (g) => g.uniform(-2, 3, 999) });
    cases.push({
      label: 'uniform broadcast',
      seed,
      py: 'g.uniform([0, 1], [[2, 3], [4, 5]])',
      js: (g) =>
        g.uniform(
          [0, 1],
          [
            [2, 3],
            [4, 5],
          ],
        ),
    });
    for (const [dt, lo, hi] of INT) {
      for (const endpoint of [false, true]) {
        const ep = endpoint ? 'True' : 'False';
        const ranges: [bigint, bigint][] = [
          [0n, 10n],
          [lo, hi + (endpoint ? 0n : 1n)],
          [lo, lo + (endpoint ? 0n : 1n)],
          [0n, 200n],
        ];
        if (hi > 2n ** 40n) ranges.push([5n, 2n ** 33n + 17n], [-3n * (lo < 0n ? 1n : 0n), 2n ** 40n]);
        for (const [a, b] of ranges) {
          if (b > hi + (endpoint ? 0n : 1n)) continue;
          cases.push({
            label: `integers(${a}, ${b}, 777, ${dt}, endpoint=${ep})`,
            seed,
            py: `g.integers(${a}, ${b}, 777, dtype=np.${dt}, endpoint=${ep})`,
            js: (g) => g.integers(a, b, 777, { dtype: dt as nd.DType, endpoint }),
          });
        }
      }
    }
    cases.push({ label: 'integers bool', seed, py: 'g.integers(0, 2, 999, dtype=bool)', js: (g) => g.integers(0, 2, 999, { dtype: 'bool' }) });
    cases.push({ label: 'integers(10) 0-d', seed, py: 'g.integers(10)', js: (g) => g.integers(10) });
    cases.push({
      label: 'integers broadcast int16',
      seed,
      py: 'g.integers([0, 10, 100], [[200], [1000]], dtype=np.int16)',
      js: (g) => g.integers([0, 10, 100], [[200], [1000]], { dtype: 'int16' }),
    });
    cases.push({
      label: 'integers broadcast int64 + size',
      seed,
      py: 'g.integers([0, -5], 2**40, size=(3, 2))',
      js: (g) => g.integers([0, -5], 2 ** 40, [3, 2]),
    });
  }
  for (const bitgen of BITGENS) {
    for (const seed of [3, 2n ** 90n]) {
      cases.push({ label: 'random(1001)', bitgen, seed, py: 'g.random(1001)', js: (g) => g.random(1001) });
      cases.push({ label: 'random(1001, float32)', bitgen, seed, py: 'g.random(1001, dtype=np.float32)', js: (g) => g.random(1001, { dtype: 'float32' }) });
      for (const dt of ['int8', 'uint16', 'int32', 'int64', 'bool'] as const) {
        cases.push({
          label: `integers ${dt}`,
          bitgen,
          seed,
          py: `g.integers(0, 2 if '${dt}' == 'bool' else 100, 1001, dtype=np.${dt === 'bool' ? 'bool_' : dt})`,
          js: (g) => g.integers(0, dt === 'bool' ? 2 : 100, 1001, { dtype: dt }),
        });
      }
      cases.push({ label: 'integers 2^40', bitgen, seed, py: 'g.integers(0, 2**40, 1001)', js: (g) => g.integers(0, 2 ** 40, 1001) });
    }
  }
  report(t, cases);
  t.end();
});

test('choice, permutation, permuted, shuffle, bytes: bit for bit', (t) => {
  if (!numpy()) return (t.skip(SKIP_MESSAGE), t.end());
  const cases: StreamCase[] = [];
  const P = '[0.1, 0.2, 0.3, 0.25, 0.15]';
  const p = [0.1, 0.2, 0.3, 0.25, 0.15];
  for (const seed of SEEDS) {
    cases.push({ label: 'choice(1000, 50)', seed, py: 'g.choice(1000, 50)', js: (g) => g.choice(1000, 50) });
    cases.push({ label: 'choice 2^40 population', seed, py: 'g.choice(2**40, 50)', js: (g) => g.choice(2 ** 40, 50) });
    cases.push({ label: 'choice floyd', seed, py: 'g.choice(1000, 50, replace=False)', js: (g) => g.choice(1000, 50, { replace: false }) });
    cases.push({
      label: 'choice floyd no shuffle',
      seed,
      py: 'g.choice(1000, 50, replace=False, shuffle=False)',
      js: (g) => g.choice(1000, 50, { replace: false, shuffle: false }),
    });
    cases.push({ label: 'choice tail shuffle', seed, py: 'g.choice(20000, 5000, replace=False)', js: (g) => g.choice(20000, 5000, { replace: false }) });
    cases.push({
      label: 'choice tail no shuffle',
      seed,
      py: 'g.choice(20000, 5000, replace=False, shuffle=False)',
      js: (g) => g.choice(20000, 5000, { replace: false, shuffle: false }),
    });
    cases.push({ label: 'choice all', seed, py: 'g.choice(300, 300, replace=False)', js: (g) => g.choice(300, 300, { replace: false }) });
    cases.push({ label: 'choice p', seed, py: `g.choice(5, (20, 3), p=${P})`, js: (g) => g.choice(5, [20, 3], { p }) });
    cases.push({ label: 'choice p no replace', seed, py: `g.choice(5, 4, replace=False, p=${P})`, js: (g) => g.choice(5, 4, { replace: false, p }) });
    cases.push({
      label: 'choice array axis 1',
      seed,
      py: 'g.choice(np.arange(12.).reshape(3, 4), 5, axis=1)',
      js: (g) => g.choice(nd.arange(12).reshape([3, 4]), 5, { axis: 1 }),
    });
    cases.push({ label: 'choice array 0-d', seed, py: 'g.choice(np.arange(7, dtype=np.int32))', js: (g) => g.choice(nd.arange(7, { dtype: 'int32' })) });
    cases.push({ label: 'permutation(1000)', seed, py: 'g.permutation(1000)', js: (g) => g.permutation(1000) });
    cases.push({ label: 'permutation(1)', seed, py: 'g.permutation(1)', js: (g) => g.permutation(1) });
    cases.push({
      label: 'permutation 2-d axis 1',
      seed,
      py: 'g.permutation(np.arange(24.).reshape(4, 6), axis=1)',
      js: (g) => g.permutation(nd.arange(24).reshape([4, 6]), { axis: 1 }),
    });
    cases.push({
      label: 'permutation uint8',
      seed,
      py: 'g.permutation(np.arange(200, dtype=np.uint8))',
      js: (g) => g.permutation(nd.arange(200, { dtype: 'uint8' })),
    });
    cases.push({
      label: 'permuted axis 1',
      seed,
      py: 'g.permuted(np.arange(24.).reshape(4, 6), axis=1)',
      js: (g) => g.permuted(nd.arange(24).reshape([4, 6]), { axis: 1 }),
    });
    cases.push({
      label: 'permuted axis 0 3-d',
      seed,
      py: 'g.permuted(np.arange(60).reshape(3, 4, 5), axis=0)',
      js: (g) => g.permuted(nd.arange(60, { dtype: 'int64' }).reshape([3, 4, 5]), { axis: 0 }),
    });
    cases.push({ label: 'permuted flat', seed, py: 'g.permuted(np.arange(24.).reshape(4, 6))', js: (g) => g.permuted(nd.arange(24).reshape([4, 6])) });
    cases.push({
      label: 'shuffle 1-d',
      seed,
      py: '(lambda a: (g.shuffle(a), a)[1])(np.arange(500.))',
      js: (g) => {
        const a = nd.arange(500);
        g.shuffle(a);
        return a;
      },
    });
    cases.push({
      label: 'shuffle 2-d axis 1',
      seed,
      py: '(lambda a: (g.shuffle(a, axis=1), a)[1])(np.arange(24.).reshape(4, 6))',
      js: (g) => {
        const a = nd.arange(24).reshape([4, 6]);
        g.shuffle(a, { axis: 1 });
        return a;
      },
    });
    cases.push({
      label: 'shuffle strided view',
      seed,
      py: '(lambda a: (g.shuffle(a[::-2]), a)[1])(np.arange(21.))',
      js: (g) => {
        const a = nd.arange(21);
        g.shuffle(a.slice('::-2'));
        return a;
      },
    });
    for (const n of [0, 1, 3, 4, 37]) cases.push({ label: `bytes(${n})`, seed, py: `g.bytes(${n})`, js: (g) => g.bytes(n) });
  }
  report(t, cases);
  t.end();
});

test('discrete and non-ziggurat continuous distributions: bit for bit', (t) => {
  if (!numpy()) return (t.skip(SKIP_MESSAGE), t.end());
  const D: [string, string, (g: nd.random.Generator) => nd.NDArray][] = [
    ['standardExponential inv', 'g.standard_exponential(5000, method="inv")', (g) => g.standardExponential(5000, { method: 'inv' })],
    [
      'standardExponential inv f32',
      'g.standard_exponential(5000, method="inv", dtype=np.float32)',
      (g) => g.standardExponential(5000, { method: 'inv', dtype: 'float32' }),
    ],
    ['standardNormal f32', 'g.standard_normal(50000, dtype=np.float32)', (g) => g.standardNormal(50000, { dtype: 'float32' })],
    ['beta small a, b', 'g.beta(0.5, 0.7, 5000)', (g) => g.beta(0.5, 0.7, 5000)],
    ['binomial inversion', 'g.binomial(20, 0.3, 5000)', (g) => g.binomial(20, 0.3, 5000)],
    ['binomial BTPE', 'g.binomial(1000, 0.4, 5000)', (g) => g.binomial(1000, 0.4, 5000)],
    ['binomial p > 0.5', 'g.binomial(1000, 0.8, 5000)', (g) => g.binomial(1000, 0.8, 5000)],
    ['binomial broadcast', 'g.binomial([5, 50, 500], [[0.1], [0.9]])', (g) => g.binomial([5, 50, 500], [[0.1], [0.9]])],
    ['poisson small', 'g.poisson(3.5, 5000)', (g) => g.poisson(3.5, 5000)],
    ['poisson PTRS', 'g.poisson(250, 5000)', (g) => g.poisson(250, 5000)],
    ['poisson default', 'g.poisson(size=100)', (g) => g.poisson({ size: 100 })],
    ['geometric search', 'g.geometric(0.5, 5000)', (g) => g.geometric(0.5, 5000)],
    ['geometric inversion', 'g.geometric(0.01, 5000)', (g) => g.geometric(0.01, 5000)],
    ['logseries', 'g.logseries(0.9, 5000)', (g) => g.logseries(0.9, 5000)],
    ['zipf', 'g.zipf(2.5, 5000)', (g) => g.zipf(2.5, 5000)],
    ['hypergeometric sample', 'g.hypergeometric(5, 7, 4, 5000)', (g) => g.hypergeometric(5, 7, 4, 5000)],
    ['hypergeometric HRUA', 'g.hypergeometric(500, 700, 300, 5000)', (g) => g.hypergeometric(500, 700, 300, 5000)],
    ['hypergeometric HRUA good > bad', 'g.hypergeometric(900, 70, 600, 2000)', (g) => g.hypergeometric(900, 70, 600, 2000)],
    ['laplace', 'g.laplace(1, 2, 5000)', (g) => g.laplace(1, 2, 5000)],
    ['gumbel', 'g.gumbel(1, 2, 5000)', (g) => g.gumbel(1, 2, 5000)],
    ['logistic', 'g.logistic(1, 2, 5000)', (g) => g.logistic(1, 2, 5000)],
    ['triangular', 'g.triangular(0, 1, 3, 5000)', (g) => g.triangular(0, 1, 3, 5000)],
    ['vonmises', 'g.vonmises(0.5, 3, 5000)', (g) => g.vonmises(0.5, 3, 5000)],
    ['vonmises tiny kappa', 'g.vonmises(0.5, 1e-9, 100)', (g) => g.vonmises(0.5, 1e-9, 100)],
    ['multinomial', 'g.multinomial(100, [0.2, 0.3, 0.5], 50)', (g) => g.multinomial(100, [0.2, 0.3, 0.5], 50)],
    ['multinomial n array', 'g.multinomial([10, 1000], [0.2, 0.3, 0.5])', (g) => g.multinomial([10, 1000], [0.2, 0.3, 0.5])],
    ['multivariate_hypergeometric marginals', 'g.multivariate_hypergeometric([10, 20, 30], 25, 50)', (g) => g.multivariateHypergeometric([10, 20, 30], 25, 50)],
    [
      'multivariate_hypergeometric count',
      'g.multivariate_hypergeometric([10, 20, 30], 45, 50, method="count")',
      (g) => g.multivariateHypergeometric([10, 20, 30], 45, 50, { method: 'count' }),
    ],
  ];
  const cases: StreamCase[] = [];
  for (const seed of [0, 42, [7, 8]] as StreamCase['seed'][]) for (const [label, py, js] of D) cases.push({ label, seed, py, js });
  report(t, cases);
  t.end();
});

test("ziggurat-based draws: NumPy's values to a relative 1e-13 (tables by construction, see docs/random.md)", (t) => {
  if (!numpy()) return (t.skip(SKIP_MESSAGE), t.end());
  const D: [string, string, (g: nd.random.Generator) => nd.NDArray][] = [
    ['standardNormal', 'g.standard_normal(50000)', (g) => g.standardNormal(50000)],
    ['normal', 'g.normal(3, 2, 5000)', (g) => g.normal(3, 2, 5000)],
    ['normal broadcast', 'g.normal([0, 10], [[1], [2], [3]])', (g) => g.normal([0, 10], [[1], [2], [3]])],
    ['standardExponential', 'g.standard_exponential(50000)', (g) => g.standardExponential(50000)],
    ['standardExponential f32', 'g.standard_exponential(50000, dtype=np.float32)', (g) => g.standardExponential(50000, { dtype: 'float32' })],
    ['exponential', 'g.exponential(2, 5000)', (g) => g.exponential(2, 5000)],
    ['standardGamma 0.5', 'g.standard_gamma(0.5, 5000)', (g) => g.standardGamma(0.5, 5000)],
    ['standardGamma 3', 'g.standard_gamma(3, 5000)', (g) => g.standardGamma(3, 5000)],
    ['gamma', 'g.gamma(2, 3, 5000)', (g) => g.gamma(2, 3, 5000)],
    ['beta', 'g.beta(2, 3, 5000)', (g) => g.beta(2, 3, 5000)],
    ['chisquare', 'g.chisquare(4, 5000)', (g) => g.chisquare(4, 5000)],
    ['f', 'g.f(3, 7, 5000)', (g) => g.f(3, 7, 5000)],
    ['noncentral_chisquare', 'g.noncentral_chisquare(3, 2, 5000)', (g) => g.noncentralChisquare(3, 2, 5000)],
    ['noncentral_chisquare df < 1', 'g.noncentral_chisquare(0.5, 2, 5000)', (g) => g.noncentralChisquare(0.5, 2, 5000)],
    ['noncentral_f', 'g.noncentral_f(3, 7, 2, 5000)', (g) => g.noncentralF(3, 7, 2, 5000)],
    ['standard_cauchy', 'g.standard_cauchy(5000)', (g) => g.standardCauchy(5000)],
    ['standard_t', 'g.standard_t(5, 5000)', (g) => g.standardT(5, 5000)],
    ['pareto', 'g.pareto(3, 5000)', (g) => g.pareto(3, 5000)],
    ['weibull', 'g.weibull(1.5, 5000)', (g) => g.weibull(1.5, 5000)],
    ['power', 'g.power(2, 5000)', (g) => g.power(2, 5000)],
    ['lognormal', 'g.lognormal(0, 0.5, 5000)', (g) => g.lognormal(0, 0.5, 5000)],
    ['rayleigh', 'g.rayleigh(2, 5000)', (g) => g.rayleigh(2, 5000)],
    ['wald', 'g.wald(1, 2, 5000)', (g) => g.wald(1, 2, 5000)],
    ['dirichlet', 'g.dirichlet([1, 2, 3], 500)', (g) => g.dirichlet([1, 2, 3], 500)],
    ['dirichlet small alpha', 'g.dirichlet([0.05, 0.02, 0.08], 500)', (g) => g.dirichlet([0.05, 0.02, 0.08], 500)],
    [
      'multivariate_normal cholesky',
      'g.multivariate_normal([1, 2], [[2, 0.5], [0.5, 1]], 500, method="cholesky")',
      (g) =>
        g.multivariateNormal(
          [1, 2],
          [
            [2, 0.5],
            [0.5, 1],
          ],
          500,
          { method: 'cholesky' },
        ),
    ],
  ];
  const cases: StreamCase[] = [];
  for (const seed of [0, 42] as StreamCase['seed'][])
    for (const [label, py, js] of D) cases.push({ label, seed, py, js, tol: py.includes('float32') ? ZIG32 : ZIG });
  for (const seed of [0, 42] as StreamCase['seed'][]) {
    cases.push({ label: 'negative_binomial (ints equal)', seed, py: 'g.negative_binomial(5, 0.3, 5000)', js: (g) => g.negativeBinomial(5, 0.3, 5000) });
  }
  report(t, cases);
  t.end();
});

test('errors where NumPy raises', (t) => {
  const g = nd.random.defaultRng(1);
  const V = 'ERR_NDSHARE_INVALID_ARG_VALUE';
  throwsCoded(t, 'integers low >= high', () => g.integers(5, 5), NdshareRangeError, V, /low >= high/);
  throwsCoded(t, 'integers high out of bounds', () => g.integers(0, 300, { dtype: 'uint8' }), NdshareRangeError, V, /high is out of bounds for uint8/);
  throwsCoded(t, 'integers low out of bounds', () => g.integers(-1, 3, { dtype: 'uint8' }), NdshareRangeError, V, /low is out of bounds/);
  throwsCoded(t, 'integers float dtype', () => g.integers(0, 3, { dtype: 'float64' }), NdshareRangeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(t, 'normal scale < 0', () => g.normal(0, -1), NdshareRangeError, V, /scale/);
  throwsCoded(t, 'beta a <= 0', () => g.beta(0, 1), NdshareRangeError, V, /\ba\b/);
  throwsCoded(t, 'binomial p > 1', () => g.binomial(3, 1.5), NdshareRangeError, V, /\bp\b/);
  throwsCoded(t, 'poisson lam < 0', () => g.poisson(-1), NdshareRangeError, V, /lam/);
  throwsCoded(t, 'zipf a <= 1', () => g.zipf(1), NdshareRangeError, V, /\ba\b/);
  throwsCoded(t, 'triangular left > mode', () => g.triangular(2, 1, 3), NdshareRangeError, V, /left > mode/);
  throwsCoded(t, 'hypergeometric nsample too big', () => g.hypergeometric(2, 3, 9), NdshareRangeError, V, /nsample/);
  throwsCoded(t, 'uniform range overflows', () => g.uniform(-1e308, 1e308), NdshareRangeError, V, /high - low/);
  throwsCoded(t, 'choice too many without replacement', () => g.choice(5, 6, { replace: false }), NdshareRangeError, V, /larger sample/);
  throwsCoded(t, 'choice p not summing to 1', () => g.choice(3, 2, { p: [0.5, 0.5, 0.5] }), NdshareRangeError, V, /sum to 1/);
  throwsCoded(t, 'choice p negative', () => g.choice(2, 2, { p: [1.5, -0.5] }), NdshareRangeError, V, /non-negative/);
  throwsCoded(t, 'choice empty', () => g.choice(0, 2), NdshareRangeError, V, /empty/);
  throwsCoded(t, 'random float16', () => g.random(3, { dtype: 'float16' }), NdshareRangeError, V, /dtype/);
  throwsCoded(t, 'size vs parameters', () => g.normal([1, 2, 3], 1, 2), NdshareRangeError, 'ERR_NDSHARE_BROADCAST');
  throwsCoded(t, 'unknown option', () => g.normal({ mu: 1 } as never), NdshareRangeError, V, /options\.mu/);
  throwsCoded(t, 'shuffle read-only', () => g.shuffle(nd.arange(3).broadcastTo([3])), NdshareRangeError, 'ERR_NDSHARE_READ_ONLY');
  throwsCoded(t, 'bytes negative', () => g.bytes(-1), NdshareRangeError, V, /length/);
  throwsCoded(t, 'multinomial pvals > 1', () => g.multinomial(3, [0.9, 0.9, 0.1]), NdshareRangeError, V, /pvals/);
  throwsCoded(t, 'Generator needs a bit generator', () => new nd.random.Generator({} as never), NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  t.end();
});

test('module-level functions and spawn', (t) => {
  nd.random.seedGlobal(42);
  t.deepEqual(nd.random.random(5).toArray(), nd.random.defaultRng(42).random(5).toArray(), 'seedGlobal(42) then random(5) = defaultRng(42).random(5)');
  const kids = nd.random.defaultRng(7).spawn(2);
  const again = new nd.random.Generator(new nd.random.PCG64(new nd.random.SeedSequence(7, { spawnKey: [1] })));
  t.deepEqual(kids[1]!.random(3).toArray(), again.random(3).toArray(), 'spawn(2)[1] is SeedSequence(7, spawnKey [1])');
  t.notDeepEqual(kids[0]!.random(3).toArray(), kids[1]!.random(3).toArray(), 'siblings differ');
  t.equal(typeof nd.random.defaultRng().random().item(), 'number', 'OS entropy seeding works');
  t.end();
});
