/**
 * `nd.random`: NumPy's Generator API and bit generators, plus ndshare's
 * original module-level draws.
 *
 * - `defaultRng(seed)` / `new Generator(new PCG64(seed))`: NumPy's streams.
 * - `SeedSequence`, `PCG64`, `PCG64DXSM`, `MT19937`, `Philox`, `SFC64`.
 * - Module-level functions named as the Generator methods (`nd.random.beta(2, 3, 10)`, …)
 *   draw from one process-wide Generator seeded from OS entropy (as NumPy's
 *   module-level `np.random.*` use a global state); reseed it with
 *   `nd.random.seedGlobal(seed)`.
 * - `uniform`, `normal` and `integers` keep ndshare's earlier signature
 *   `(shape, {low, high, loc, scale, seed, dtype})` and stream (xoshiro128**,
 *   not NumPy's: see docs/random.md); use `defaultRng(seed).uniform(...)` for NumPy's numbers.
 * - `chunkRng(seed, chunkStart)`: the generator for one chunk of a parallel job (docs/random.md).
 *
 * @module
 */
import { Generator, defaultRng } from './generator.js';
import { PCG64 } from './bitgen.js';
import type { SeedSequence, Entropy } from './seedsequence.js';

export { Generator, defaultRng, type SizeOptions, type FloatOptions, type ExponentialOptions } from './generator.js';
export { BitGenerator, PCG64, PCG64DXSM, MT19937, Philox, SFC64, type Seed } from './bitgen.js';
export { SeedSequence, type Entropy, type SeedSequenceOptions } from './seedsequence.js';
export type { Size, Param } from './args.js';
export type { IntegersOptions } from './integers.js';
export type { ChoiceOptions, PermutedOptions } from './sampling.js';
export type { MultivariateNormalOptions, MvHypergeometricOptions } from './multivariate.js';
export { uniform, normal, integers, type RandomOptions } from '../ndarray/random.js';
export { chunkRng, type ChunkRange } from './chunk.js';

let global: Generator | undefined;

/** The process-wide Generator behind the module-level functions (created from OS entropy on first use). */
export function globalRng(): Generator {
  return (global ??= new Generator(new PCG64()));
}

/**
 * Reseeds the process-wide Generator: afterwards `nd.random.random(3)` equals `defaultRng(seed).random(3)`.
 * @throws as {@link defaultRng}.
 * @example nd.random.seedGlobal(42)
 */
export function seedGlobal(seed?: Entropy | SeedSequence | null): void {
  global = defaultRng(seed);
}

// Module-level forms of the Generator methods (NumPy's np.random.* over a global state).
export const beta: Generator['beta'] = (...a: Parameters<Generator['beta']>) => (globalRng().beta as (...x: unknown[]) => ReturnType<Generator['beta']>)(...a);
export const binomial: Generator['binomial'] = (...a: Parameters<Generator['binomial']>) =>
  (globalRng().binomial as (...x: unknown[]) => ReturnType<Generator['binomial']>)(...a);
export const bytes: Generator['bytes'] = (...a: Parameters<Generator['bytes']>) =>
  (globalRng().bytes as (...x: unknown[]) => ReturnType<Generator['bytes']>)(...a);
export const chisquare: Generator['chisquare'] = (...a: Parameters<Generator['chisquare']>) =>
  (globalRng().chisquare as (...x: unknown[]) => ReturnType<Generator['chisquare']>)(...a);
export const choice: Generator['choice'] = (...a: Parameters<Generator['choice']>) =>
  (globalRng().choice as (...x: unknown[]) => ReturnType<Generator['choice']>)(...a);
export const dirichlet: Generator['dirichlet'] = (...a: Parameters<Generator['dirichlet']>) =>
  (globalRng().dirichlet as (...x: unknown[]) => ReturnType<Generator['dirichlet']>)(...a);
export const exponential: Generator['exponential'] = (...a: Parameters<Generator['exponential']>) =>
  (globalRng().exponential as (...x: unknown[]) => ReturnType<Generator['exponential']>)(...a);
export const f: Generator['f'] = (...a: Parameters<Generator['f']>) => (globalRng().f as (...x: unknown[]) => ReturnType<Generator['f']>)(...a);
export const gamma: Generator['gamma'] = (...a: Parameters<Generator['gamma']>) =>
  (globalRng().gamma as (...x: unknown[]) => ReturnType<Generator['gamma']>)(...a);
export const geometric: Generator['geometric'] = (...a: Parameters<Generator['geometric']>) =>
  (globalRng().geometric as (...x: unknown[]) => ReturnType<Generator['geometric']>)(...a);
export const gumbel: Generator['gumbel'] = (...a: Parameters<Generator['gumbel']>) =>
  (globalRng().gumbel as (...x: unknown[]) => ReturnType<Generator['gumbel']>)(...a);
export const hypergeometric: Generator['hypergeometric'] = (...a: Parameters<Generator['hypergeometric']>) =>
  (globalRng().hypergeometric as (...x: unknown[]) => ReturnType<Generator['hypergeometric']>)(...a);
export const laplace: Generator['laplace'] = (...a: Parameters<Generator['laplace']>) =>
  (globalRng().laplace as (...x: unknown[]) => ReturnType<Generator['laplace']>)(...a);
export const logistic: Generator['logistic'] = (...a: Parameters<Generator['logistic']>) =>
  (globalRng().logistic as (...x: unknown[]) => ReturnType<Generator['logistic']>)(...a);
export const lognormal: Generator['lognormal'] = (...a: Parameters<Generator['lognormal']>) =>
  (globalRng().lognormal as (...x: unknown[]) => ReturnType<Generator['lognormal']>)(...a);
export const logseries: Generator['logseries'] = (...a: Parameters<Generator['logseries']>) =>
  (globalRng().logseries as (...x: unknown[]) => ReturnType<Generator['logseries']>)(...a);
export const multinomial: Generator['multinomial'] = (...a: Parameters<Generator['multinomial']>) =>
  (globalRng().multinomial as (...x: unknown[]) => ReturnType<Generator['multinomial']>)(...a);
export const multivariateHypergeometric: Generator['multivariateHypergeometric'] = (...a: Parameters<Generator['multivariateHypergeometric']>) =>
  (globalRng().multivariateHypergeometric as (...x: unknown[]) => ReturnType<Generator['multivariateHypergeometric']>)(...a);
export const multivariateNormal: Generator['multivariateNormal'] = (...a: Parameters<Generator['multivariateNormal']>) =>
  (globalRng().multivariateNormal as (...x: unknown[]) => ReturnType<Generator['multivariateNormal']>)(...a);
export const negativeBinomial: Generator['negativeBinomial'] = (...a: Parameters<Generator['negativeBinomial']>) =>
  (globalRng().negativeBinomial as (...x: unknown[]) => ReturnType<Generator['negativeBinomial']>)(...a);
export const noncentralChisquare: Generator['noncentralChisquare'] = (...a: Parameters<Generator['noncentralChisquare']>) =>
  (globalRng().noncentralChisquare as (...x: unknown[]) => ReturnType<Generator['noncentralChisquare']>)(...a);
export const noncentralF: Generator['noncentralF'] = (...a: Parameters<Generator['noncentralF']>) =>
  (globalRng().noncentralF as (...x: unknown[]) => ReturnType<Generator['noncentralF']>)(...a);
export const pareto: Generator['pareto'] = (...a: Parameters<Generator['pareto']>) =>
  (globalRng().pareto as (...x: unknown[]) => ReturnType<Generator['pareto']>)(...a);
export const permutation: Generator['permutation'] = (...a: Parameters<Generator['permutation']>) =>
  (globalRng().permutation as (...x: unknown[]) => ReturnType<Generator['permutation']>)(...a);
export const permuted: Generator['permuted'] = (...a: Parameters<Generator['permuted']>) =>
  (globalRng().permuted as (...x: unknown[]) => ReturnType<Generator['permuted']>)(...a);
export const poisson: Generator['poisson'] = (...a: Parameters<Generator['poisson']>) =>
  (globalRng().poisson as (...x: unknown[]) => ReturnType<Generator['poisson']>)(...a);
export const power: Generator['power'] = (...a: Parameters<Generator['power']>) =>
  (globalRng().power as (...x: unknown[]) => ReturnType<Generator['power']>)(...a);
export const random: Generator['random'] = (...a: Parameters<Generator['random']>) =>
  (globalRng().random as (...x: unknown[]) => ReturnType<Generator['random']>)(...a);
export const rayleigh: Generator['rayleigh'] = (...a: Parameters<Generator['rayleigh']>) =>
  (globalRng().rayleigh as (...x: unknown[]) => ReturnType<Generator['rayleigh']>)(...a);
export const shuffle: Generator['shuffle'] = (...a: Parameters<Generator['shuffle']>) =>
  (globalRng().shuffle as (...x: unknown[]) => ReturnType<Generator['shuffle']>)(...a);
export const standardCauchy: Generator['standardCauchy'] = (...a: Parameters<Generator['standardCauchy']>) =>
  (globalRng().standardCauchy as (...x: unknown[]) => ReturnType<Generator['standardCauchy']>)(...a);
export const standardExponential: Generator['standardExponential'] = (...a: Parameters<Generator['standardExponential']>) =>
  (globalRng().standardExponential as (...x: unknown[]) => ReturnType<Generator['standardExponential']>)(...a);
export const standardGamma: Generator['standardGamma'] = (...a: Parameters<Generator['standardGamma']>) =>
  (globalRng().standardGamma as (...x: unknown[]) => ReturnType<Generator['standardGamma']>)(...a);
export const standardNormal: Generator['standardNormal'] = (...a: Parameters<Generator['standardNormal']>) =>
  (globalRng().standardNormal as (...x: unknown[]) => ReturnType<Generator['standardNormal']>)(...a);
export const standardT: Generator['standardT'] = (...a: Parameters<Generator['standardT']>) =>
  (globalRng().standardT as (...x: unknown[]) => ReturnType<Generator['standardT']>)(...a);
export const triangular: Generator['triangular'] = (...a: Parameters<Generator['triangular']>) =>
  (globalRng().triangular as (...x: unknown[]) => ReturnType<Generator['triangular']>)(...a);
export const vonmises: Generator['vonmises'] = (...a: Parameters<Generator['vonmises']>) =>
  (globalRng().vonmises as (...x: unknown[]) => ReturnType<Generator['vonmises']>)(...a);
export const wald: Generator['wald'] = (...a: Parameters<Generator['wald']>) => (globalRng().wald as (...x: unknown[]) => ReturnType<Generator['wald']>)(...a);
export const weibull: Generator['weibull'] = (...a: Parameters<Generator['weibull']>) =>
  (globalRng().weibull as (...x: unknown[]) => ReturnType<Generator['weibull']>)(...a);
export const zipf: Generator['zipf'] = (...a: Parameters<Generator['zipf']>) => (globalRng().zipf as (...x: unknown[]) => ReturnType<Generator['zipf']>)(...a);
