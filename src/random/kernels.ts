/**
 * The distribution codes of native/kernels/random/random.cc and the two
 * drivers every broadcasting distribution goes through.
 *
 * @module
 */
import { native } from '../binding.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { BitGenerator } from './bitgen.js';
import { checkParam, expand, floatParam, outShape, outArray, body, type Constraint, type Param, type Size } from './args.js';

/** Continuous distributions (enum Cont). */
export const CONT = {
  random: 0,
  standardNormal: 1,
  normal: 2,
  standardExponential: 3,
  standardExponentialInv: 4,
  exponential: 5,
  uniform: 6,
  standardGamma: 7,
  gamma: 8,
  beta: 9,
  chisquare: 10,
  f: 11,
  noncentralChisquare: 12,
  noncentralF: 13,
  standardCauchy: 14,
  standardT: 15,
  vonmises: 16,
  pareto: 17,
  weibull: 18,
  power: 19,
  laplace: 20,
  gumbel: 21,
  logistic: 22,
  lognormal: 23,
  rayleigh: 24,
  wald: 25,
  triangular: 26,
} as const;

/** Discrete distributions (enum Disc). */
export const DISC = {
  binomial: 0,
  negativeBinomial: 1,
  poisson: 2,
  geometric: 3,
  zipf: 4,
  logseries: 5,
  hypergeometric: 6,
} as const;

/** A parameter with its name, value and NumPy constraint. */
export type ParamSpec = [name: string, value: Param, constraint: Constraint];

/** Parameters after checks, with an optional cross-parameter check. */
function prepare(size: Size, specs: readonly ParamSpec[], extra?: (p: Float64Array[]) => void) {
  const ps = specs.map(([name, v, c]) => {
    const p = floatParam(v, name);
    checkParam(p, c);
    return p;
  });
  const { shape, scalar } = outShape(size, ps);
  const vals = ps.map((p) => expand(p, shape));
  extra?.(vals);
  return { shape, scalar, vals };
}

/** A float64 distribution: broadcast, check, fill natively. */
export function cont(bg: BitGenerator, dist: number, size: Size, specs: readonly ParamSpec[], extra?: (p: Float64Array[]) => void, out?: NDArray): NDArray {
  const { shape, vals } = prepare(size, specs, extra);
  const o = outArray(shape, 'float64', out);
  native.random.fill(bg.kind, bg.words, dist, body<Float64Array>(o), vals[0], vals[1], vals[2]);
  return o;
}

/** An int64 distribution: broadcast, check, fill natively. */
export function disc(bg: BitGenerator, dist: number, size: Size, specs: readonly ParamSpec[], extra?: (p: Float64Array[]) => void): NDArray {
  const { shape, vals } = prepare(size, specs, extra);
  const o = outArray(shape, 'int64', undefined);
  native.random.fillInt(bg.kind, bg.words, dist, body<BigInt64Array>(o), vals[0], vals[1], vals[2]);
  return o;
}
