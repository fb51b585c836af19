/**
 * NumPy's `Generator`: every method of `numpy.random.Generator` in camelCase
 * over a bit generator (PCG64 by default), with NumPy's algorithms so that the
 * same seed gives the same numbers as NumPy (see docs/random.md for which
 * methods are bit for bit and which agree to rounding).
 *
 * Arguments follow DESIGN §3.1: NumPy's parameters positionally in NumPy's
 * order (`rng.normal(0, 1, 1000)`), or any trailing subset in one options
 * object keyed by NumPy's names (`rng.normal({loc: 0, scale: 1, size: 1000})`,
 * `rng.normal(0, 1, {size: [2, 3]})`). Without `size`, scalar parameters give
 * a 0-d array (NumPy returns a scalar).
 *
 * @module
 */
import { native } from '../binding.js';
import { invalidType, invalidValue } from '../errors.js';
import { checkDType, type DType } from '../ndarray/dtypes.js';
import { checkOptions } from '../validate.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { ArrayInput } from '../ndarray/creation.js';
import { BitGenerator, PCG64, type Seed } from './bitgen.js';
import { body, floatParam, outArray, sizeShape, type Param, type Size } from './args.js';
import { CONT, DISC, cont, disc, type ParamSpec } from './kernels.js';
import { integers, type IntegersOptions } from './integers.js';
import { choice, permutation, permuted, randomBytes, shuffle, type ChoiceOptions, type PermutedOptions } from './sampling.js';
import {
  dirichlet,
  multinomial,
  multivariateHypergeometric,
  multivariateNormal,
  type MultivariateNormalOptions,
  type MvHypergeometricOptions,
} from './multivariate.js';

/** The `size` option alone. */
export interface SizeOptions {
  size?: Size;
}
/** Options of the float draws that take a dtype and an output array. */
export interface FloatOptions extends SizeOptions {
  /** 'float64' (default) or 'float32' (NumPy's float32 algorithms). */
  dtype?: DType;
  /** A C-contiguous array of the dtype and shape to fill. */
  out?: NDArray;
}
/** Options of `standardExponential`. */
export interface ExponentialOptions extends FloatOptions {
  /** 'zig' (default, ziggurat) or 'inv' (inversion). */
  method?: 'zig' | 'inv';
}
/** Any method's options: NumPy's parameter names. */
export type Options = Record<string, unknown>;

function isOptions(v: unknown): v is Options {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof NDArray) &&
    !ArrayBuffer.isView(v) &&
    Object.getPrototypeOf(v) === Object.prototype
  );
}

/**
 * Reads NumPy's parameters `names` from positional arguments and a trailing
 * options object; `defaults` fills the optional ones.
 */
function parse(fn: string, args: readonly unknown[], names: readonly string[], defaults: Options = {}, extra: readonly string[] = []): Options {
  let pos = args;
  let opts: Options = {};
  while (pos.length > 0 && pos[pos.length - 1] === undefined) pos = pos.slice(0, -1);
  if (pos.length > 0 && isOptions(pos[pos.length - 1])) {
    opts = pos[pos.length - 1] as Options;
    pos = pos.slice(0, -1);
  }
  if (pos.length > names.length) invalidValue(`${fn}()`, `at most ${names.length} positional arguments (${names.join(', ')})`, pos.length);
  const out: Options = { ...defaults };
  checkOptions(opts, { fn: `Generator.${fn}`, known: [...names, ...extra] });
  for (const k of Object.keys(opts)) if (opts[k] !== undefined) out[k] = opts[k];
  pos.forEach((v, i) => {
    const k = names[i]!;
    if (v === undefined) return;
    if (opts[k] !== undefined) invalidValue(`options.${k}`, `${k} given once (it is also the positional argument ${i})`, opts[k]);
    out[k] = v;
  });
  for (const k of names) {
    if (out[k] === undefined && !(k in defaults) && k !== 'size') invalidType(k, `a value (${fn} requires ${k})`, undefined);
  }
  return out;
}

type P = Param;

/**
 * A random number generator with NumPy's methods. Create with
 * `nd.random.defaultRng(seed)` or `new nd.random.Generator(bitGenerator)`.
 * @example const rng = nd.random.defaultRng(42); rng.random(3) // NumPy's default_rng(42).random(3)
 */
export class Generator {
  /** The bit generator (NumPy's `bit_generator`). */
  readonly bitGenerator: BitGenerator;

  constructor(bitGenerator: BitGenerator) {
    if (!(bitGenerator instanceof BitGenerator)) invalidType('bitGenerator', 'a BitGenerator (PCG64, PCG64DXSM, MT19937, Philox, SFC64)', bitGenerator);
    this.bitGenerator = bitGenerator;
  }

  /** `n` independent child generators (NumPy's `Generator.spawn`). */
  spawn(n: number): Generator[] {
    return this.bitGenerator.spawn(n).map((b) => new Generator(b));
  }

  #float(fn: string, dist: number, args: readonly unknown[], names: readonly string[], extraNames: readonly string[] = []): NDArray {
    const o = parse(fn, args, names, {}, ['dtype', 'out', ...extraNames]);
    const dtype = checkDType(o.dtype ?? 'float64', 'options.dtype');
    if (dtype !== 'float64' && dtype !== 'float32') invalidValue('options.dtype', "'float64' or 'float32'", dtype);
    const out = o.out as NDArray | undefined;
    const param = names[0] === 'size' ? undefined : floatParam(o[names[0]!] as P, names[0]!);
    if (param !== undefined) {
      for (const v of param.values) if (!(v >= 0)) invalidValue(names[0]!, `non-negative values (${names[0]} < 0)`, v);
    }
    let shape = sizeShape(o.size as Size) ?? (out ? [...out.shape] : (param?.shape ?? []));
    if (param !== undefined && o.size === undefined) shape = param.shape;
    const x = outArray(shape, dtype, out);
    const a =
      param === undefined
        ? undefined
        : param.values.length === 1
          ? param.values
          : (new NDArray(param.values, 'float64', param.shape).broadcastTo(shape).copy().data as Float64Array);
    if (dtype === 'float32') native.random.fillFloat32(this.bitGenerator.kind, this.bitGenerator.words, dist, body<Float32Array>(x), a);
    else native.random.fill(this.bitGenerator.kind, this.bitGenerator.words, dist, body<Float64Array>(x), a);
    return x;
  }

  /** A continuous distribution (float64 draws) with parameters `names` checked by `cons`. */
  #cont(
    fn: string,
    dist: number,
    args: readonly unknown[],
    names: readonly string[],
    cons: readonly ParamSpec[2][],
    defaults: Options = {},
    extra?: (p: Float64Array[]) => void,
  ): NDArray {
    return this.#draw(cont, fn, dist, args, names, cons, defaults, extra);
  }

  /** A discrete distribution (int64 draws); as {@link Generator.#cont}. */
  #disc(
    fn: string,
    dist: number,
    args: readonly unknown[],
    names: readonly string[],
    cons: readonly ParamSpec[2][],
    defaults: Options = {},
    extra?: (p: Float64Array[]) => void,
  ): NDArray {
    return this.#draw(disc, fn, dist, args, names, cons, defaults, extra);
  }

  #draw(
    kernel: typeof disc,
    fn: string,
    dist: number,
    args: readonly unknown[],
    names: readonly string[],
    cons: readonly ParamSpec[2][],
    defaults: Options,
    extra?: (p: Float64Array[]) => void,
  ): NDArray {
    const o = parse(fn, args, [...names, 'size'], defaults);
    const specs = names.map((n, i) => [n, o[n] as P, cons[i]!] as ParamSpec);
    return kernel(this.bitGenerator, dist, o.size as Size, specs, extra);
  }

  // ---- uniform and integers ----

  /** Floats in [0, 1): `random(size?, {dtype, out})`. Bit for bit NumPy's. */
  random(size?: Size | FloatOptions, options?: FloatOptions): NDArray {
    return this.#float('random', CONT.random, [size, options], ['size']);
  }
  /**
   * Integers in [low, high) (or [low, high] with `endpoint`): `integers(low, high?, size?, {dtype, endpoint})`.
   * Bit for bit NumPy's for every dtype.
   */
  integers(low: unknown, high?: unknown, size?: Size | IntegersOptions, options?: IntegersOptions): NDArray {
    const o = parse('integers', [low, high, size, options], ['low', 'high', 'size'], { high: null }, ['dtype', 'endpoint']);
    return integers(this.bitGenerator, o.low, o.high, { size: o.size as Size, dtype: o.dtype as DType, endpoint: o.endpoint as boolean });
  }
  /** `low + (high - low) * random()`: `uniform(low = 0, high = 1, size?)`. */
  uniform(low?: P | Options, high?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('uniform', CONT.uniform, [low, high, size], ['low', 'high'], ['none', 'none'], { low: 0, high: 1 }, (p) => {
      // NumPy draws with range = high - low, which must be finite.
      const [lo, hi] = p as [Float64Array, Float64Array];
      const n = Math.max(lo.length, hi.length);
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        r[i] = hi[hi.length === 1 ? 0 : i]! - lo[lo.length === 1 ? 0 : i]!;
        if (!Number.isFinite(r[i]!)) invalidValue('high', 'a finite high - low (high - low range exceeds valid bounds)', r[i]);
      }
      p[1] = r;
    });
  }
  /** `length` random bytes (a Uint8Array, NumPy's `bytes`). */
  bytes(length: number): Uint8Array {
    return randomBytes(this.bitGenerator, length);
  }

  // ---- normal family ----

  /** Standard normal draws (NumPy's ziggurat): `standardNormal(size?, {dtype, out})`. */
  standardNormal(size?: Size | FloatOptions, options?: FloatOptions): NDArray {
    return this.#float('standardNormal', CONT.standardNormal, [size, options], ['size']);
  }
  /** `normal(loc = 0, scale = 1, size?)`: loc + scale * standardNormal. */
  normal(loc?: P | Options, scale?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('normal', CONT.normal, [loc, scale, size], ['loc', 'scale'], ['none', 'nonNegative'], { loc: 0, scale: 1 });
  }
  /** `lognormal(mean = 0, sigma = 1, size?)`. */
  lognormal(mean?: P | Options, sigma?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('lognormal', CONT.lognormal, [mean, sigma, size], ['mean', 'sigma'], ['none', 'nonNegative'], { mean: 0, sigma: 1 });
  }
  /** `multivariateNormal(mean, cov, size?, {checkValid, tol, method})`. */
  multivariateNormal(mean: ArrayInput, cov: ArrayInput, size?: Size | MultivariateNormalOptions, options?: MultivariateNormalOptions): NDArray {
    const o = parse('multivariateNormal', [mean, cov, size, options], ['mean', 'cov', 'size'], {}, ['checkValid', 'tol', 'method']);
    return multivariateNormal(this.bitGenerator, o.mean as ArrayInput, o.cov as ArrayInput, o as MultivariateNormalOptions);
  }
  /** `standardCauchy(size?)`: ratio of two standard normals. */
  standardCauchy(size?: Size | SizeOptions): NDArray {
    return this.#cont('standardCauchy', CONT.standardCauchy, [size], [], []);
  }
  /** `standardT(df, size?)`. */
  standardT(df: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('standardT', CONT.standardT, [df, size], ['df'], ['positive']);
  }

  // ---- exponential and gamma families ----

  /** Standard exponential draws: `standardExponential(size?, {dtype, method: 'zig' | 'inv', out})`. */
  standardExponential(size?: Size | ExponentialOptions, options?: ExponentialOptions): NDArray {
    const o = parse('standardExponential', [size, options], ['size'], {}, ['dtype', 'out', 'method']);
    const method = o.method ?? 'zig';
    if (method !== 'zig' && method !== 'inv') invalidValue('options.method', "'zig' or 'inv'", method);
    const { method: _m, ...rest } = o;
    void _m;
    return this.#float('standardExponential', method === 'zig' ? CONT.standardExponential : CONT.standardExponentialInv, [rest], ['size']);
  }
  /** `exponential(scale = 1, size?)`. */
  exponential(scale?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('exponential', CONT.exponential, [scale, size], ['scale'], ['nonNegative'], { scale: 1 });
  }
  /** `standardGamma(shape, size?, {dtype, out})` (Marsaglia and Tsang, NumPy's variant). */
  standardGamma(shape: P, size?: Size | FloatOptions, options?: FloatOptions): NDArray {
    return this.#float('standardGamma', CONT.standardGamma, [shape, size, options], ['shape', 'size']);
  }
  /** `gamma(shape, scale = 1, size?)`. */
  gamma(shape: P, scale?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('gamma', CONT.gamma, [shape, scale, size], ['shape', 'scale'], ['nonNegative', 'nonNegative'], { scale: 1 });
  }
  /** `beta(a, b, size?)`. */
  beta(a: P, b: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('beta', CONT.beta, [a, b, size], ['a', 'b'], ['positive', 'positive']);
  }
  /** `chisquare(df, size?)`. */
  chisquare(df: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('chisquare', CONT.chisquare, [df, size], ['df'], ['positive']);
  }
  /** `noncentralChisquare(df, nonc, size?)`. */
  noncentralChisquare(df: P, nonc: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('noncentralChisquare', CONT.noncentralChisquare, [df, nonc, size], ['df', 'nonc'], ['positive', 'nonNegative']);
  }
  /** `f(dfnum, dfden, size?)`. */
  f(dfnum: P, dfden: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('f', CONT.f, [dfnum, dfden, size], ['dfnum', 'dfden'], ['positive', 'positive']);
  }
  /** `noncentralF(dfnum, dfden, nonc, size?)`. */
  noncentralF(dfnum: P, dfden: P, nonc: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('noncentralF', CONT.noncentralF, [dfnum, dfden, nonc, size], ['dfnum', 'dfden', 'nonc'], ['positive', 'positive', 'nonNegative']);
  }
  /** `dirichlet(alpha, size?)`: shape size + [len(alpha)]. */
  dirichlet(alpha: ArrayInput, size?: Size | SizeOptions): NDArray {
    const o = parse('dirichlet', [alpha, size], ['alpha', 'size']);
    return dirichlet(this.bitGenerator, o.alpha as ArrayInput, o.size as Size);
  }

  // ---- other continuous ----

  /** `pareto(a, size?)` (Lomax, as NumPy). */
  pareto(a: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('pareto', CONT.pareto, [a, size], ['a'], ['positive']);
  }
  /** `weibull(a, size?)`. */
  weibull(a: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('weibull', CONT.weibull, [a, size], ['a'], ['nonNegative']);
  }
  /** `power(a, size?)`. */
  power(a: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('power', CONT.power, [a, size], ['a'], ['positive']);
  }
  /** `laplace(loc = 0, scale = 1, size?)`. */
  laplace(loc?: P | Options, scale?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('laplace', CONT.laplace, [loc, scale, size], ['loc', 'scale'], ['none', 'nonNegative'], { loc: 0, scale: 1 });
  }
  /** `gumbel(loc = 0, scale = 1, size?)`. */
  gumbel(loc?: P | Options, scale?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('gumbel', CONT.gumbel, [loc, scale, size], ['loc', 'scale'], ['none', 'nonNegative'], { loc: 0, scale: 1 });
  }
  /** `logistic(loc = 0, scale = 1, size?)`. */
  logistic(loc?: P | Options, scale?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('logistic', CONT.logistic, [loc, scale, size], ['loc', 'scale'], ['none', 'nonNegative'], { loc: 0, scale: 1 });
  }
  /** `rayleigh(scale = 1, size?)`. */
  rayleigh(scale?: P | Options, size?: Size | Options): NDArray {
    return this.#cont('rayleigh', CONT.rayleigh, [scale, size], ['scale'], ['nonNegative'], { scale: 1 });
  }
  /** `vonmises(mu, kappa, size?)`. */
  vonmises(mu: P, kappa: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('vonmises', CONT.vonmises, [mu, kappa, size], ['mu', 'kappa'], ['none', 'nonNegative']);
  }
  /** `wald(mean, scale, size?)`. */
  wald(mean: P, scale: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('wald', CONT.wald, [mean, scale, size], ['mean', 'scale'], ['positive', 'positive']);
  }
  /** `triangular(left, mode, right, size?)`. */
  triangular(left: P, mode: P, right: P, size?: Size | SizeOptions): NDArray {
    return this.#cont('triangular', CONT.triangular, [left, mode, right, size], ['left', 'mode', 'right'], ['none', 'none', 'none'], {}, (p) => {
      const [l, m, r] = p as [Float64Array, Float64Array, Float64Array];
      const n = Math.max(l.length, m.length, r.length);
      for (let i = 0; i < n; i++) {
        const a = l[l.length === 1 ? 0 : i]!,
          b = m[m.length === 1 ? 0 : i]!,
          c = r[r.length === 1 ? 0 : i]!;
        if (a > b) invalidValue('left', `a value <= mode (left > mode)`, a);
        if (b > c) invalidValue('mode', `a value <= right (mode > right)`, b);
        if (a === c) invalidValue('left', `a value < right (left == right)`, a);
      }
    });
  }

  // ---- discrete ----

  /** `binomial(n, p, size?)`: int64. */
  binomial(n: P, p: P, size?: Size | SizeOptions): NDArray {
    return this.#disc('binomial', DISC.binomial, [n, p, size], ['n', 'p'], ['nonNegative', 'bounded01'], {}, (v) => intCheck(v[0]!, 'n'));
  }
  /** `negativeBinomial(n, p, size?)`: int64. */
  negativeBinomial(n: P, p: P, size?: Size | SizeOptions): NDArray {
    return this.#disc('negativeBinomial', DISC.negativeBinomial, [n, p, size], ['n', 'p'], ['positive', 'boundedGt0_1']);
  }
  /** `poisson(lam = 1, size?)`: int64. */
  poisson(lam?: P | Options, size?: Size | Options): NDArray {
    return this.#disc('poisson', DISC.poisson, [lam, size], ['lam'], ['poisson'], { lam: 1 });
  }
  /** `geometric(p, size?)`: int64, support 1, 2, …. */
  geometric(p: P, size?: Size | SizeOptions): NDArray {
    return this.#disc('geometric', DISC.geometric, [p, size], ['p'], ['boundedGt0_1']);
  }
  /** `zipf(a, size?)`: int64. */
  zipf(a: P, size?: Size | SizeOptions): NDArray {
    return this.#disc('zipf', DISC.zipf, [a, size], ['a'], ['gt1']);
  }
  /** `logseries(p, size?)`: int64. */
  logseries(p: P, size?: Size | SizeOptions): NDArray {
    return this.#disc('logseries', DISC.logseries, [p, size], ['p'], ['boundedLt0_1']);
  }
  /** `hypergeometric(ngood, nbad, nsample, size?)`: int64. */
  hypergeometric(ngood: P, nbad: P, nsample: P, size?: Size | SizeOptions): NDArray {
    return this.#disc(
      'hypergeometric',
      DISC.hypergeometric,
      [ngood, nbad, nsample, size],
      ['ngood', 'nbad', 'nsample'],
      ['nonNegative', 'nonNegative', 'nonNegative'],
      {},
      (v) => {
        const [g, b, s] = v as [Float64Array, Float64Array, Float64Array];
        intCheck(g, 'ngood');
        intCheck(b, 'nbad');
        intCheck(s, 'nsample');
        const n = Math.max(g.length, b.length, s.length);
        for (let i = 0; i < n; i++) {
          const gg = g[g.length === 1 ? 0 : i]!,
            bb = b[b.length === 1 ? 0 : i]!,
            ss = s[s.length === 1 ? 0 : i]!;
          if (gg + bb >= 1e9) invalidValue('ngood', 'ngood + nbad below 10^9 (ngood + nbad >= 1e9)', gg + bb);
          if (gg + bb < ss) invalidValue('nsample', `at most ngood + nbad = ${gg + bb} (ngood + nbad < nsample)`, ss);
        }
      },
    );
  }
  /** `multinomial(n, pvals, size?)`: int64 counts, shape size + [len(pvals)]. */
  multinomial(n: P, pvals: ArrayInput, size?: Size | SizeOptions): NDArray {
    const o = parse('multinomial', [n, pvals, size], ['n', 'pvals', 'size']);
    return multinomial(this.bitGenerator, o.n as P, o.pvals as ArrayInput, o.size as Size);
  }
  /** `multivariateHypergeometric(colors, nsample, size?, {method})`: int64. */
  multivariateHypergeometric(colors: ArrayInput, nsample: number, size?: Size | MvHypergeometricOptions, options?: MvHypergeometricOptions): NDArray {
    const o = parse('multivariateHypergeometric', [colors, nsample, size, options], ['colors', 'nsample', 'size'], {}, ['method']);
    return multivariateHypergeometric(this.bitGenerator, o.colors as ArrayInput, o.nsample as number, o as MvHypergeometricOptions);
  }

  // ---- sampling and permutations ----

  /** `choice(a, size?, {replace, p, axis, shuffle})`: NumPy's algorithms, bit for bit. */
  choice(a: number | bigint | ArrayInput, size?: Size | ChoiceOptions, options?: ChoiceOptions): NDArray {
    const o = parse('choice', [a, size, options], ['a', 'size'], {}, ['replace', 'p', 'axis', 'shuffle']);
    return choice(this.bitGenerator, o.a as ArrayInput, o as ChoiceOptions);
  }
  /** Shuffles `x` in place along `axis` (default 0). */
  shuffle(x: NDArray, options: { axis?: number } = {}): void {
    shuffle(this.bitGenerator, x, checkOptions(options, { fn: 'Generator.shuffle', known: ['axis'] }).axis ?? 0);
  }
  /** A shuffled copy of `x` along `axis`, or a permutation of `arange(x)`. */
  permutation(x: number | bigint | ArrayInput, options: { axis?: number } = {}): NDArray {
    return permutation(this.bitGenerator, x, checkOptions(options, { fn: 'Generator.permutation', known: ['axis'] }).axis ?? 0);
  }
  /** Each 1-d slice along `axis` shuffled independently (`axis` null: the flattened array). */
  permuted(x: ArrayInput, options: PermutedOptions = {}): NDArray {
    return permuted(this.bitGenerator, x, checkOptions(options, { fn: 'Generator.permuted', known: ['axis', 'out'] }));
  }
}

function intCheck(v: Float64Array, name: string): void {
  for (const x of v) if (!Number.isInteger(x)) invalidType(name, 'integers', x);
}

/**
 * A Generator over PCG64 seeded as NumPy's `default_rng(seed)`: same seed, same numbers.
 * `seed`: a non-negative integer (number or bigint), an array of them, a SeedSequence,
 * a BitGenerator or Generator (used as is), or null/undefined for OS entropy.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a float or other non-integer seed.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative seed.
 * @example nd.random.defaultRng(42).integers(0, 10, 5)
 */
export function defaultRng(seed?: Seed | BitGenerator | Generator): Generator {
  if (seed instanceof Generator) return seed;
  if (seed instanceof BitGenerator) return new Generator(seed);
  return new Generator(new PCG64(seed));
}
