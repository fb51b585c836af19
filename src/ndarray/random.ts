/**
 * Seeded random arrays: `nd.random.uniform`, `normal`, `integers`.
 *
 * The generator is xoshiro128** (32-bit words, fast in JS) seeded through
 * SplitMix32, so a given seed gives the same array on every machine. Doubles
 * take 53 random bits; integers are drawn without modulo bias (rejection
 * sampling); normals use Marsaglia's polar method.
 * Streams are not NumPy's (NumPy's PCG64 needs 128-bit arithmetic).
 *
 * @module
 */
import { invalidType, invalidValue } from '../errors.js';
import type { DType } from './dtypes.js';
import { checkDType, dtypeInfo } from './dtypes.js';
import { checkShape, sizeOf } from './layout.js';
import { NDArray } from './ndarray.js';
import { empty } from './creation.js';
import { storerOf } from './cast.js';
import { randomBytes } from 'node:crypto';

/** xoshiro128** state and draws. */
class Xoshiro128 {
  #s = new Uint32Array(4);
  #spare: number | undefined;

  constructor(seed: number | bigint | undefined) {
    let x: number;
    if (seed === undefined) x = randomBytes(4).readUInt32LE(0);
    else if (typeof seed === 'bigint') x = Number(BigInt.asUintN(32, seed ^ (seed >> 32n)));
    else x = seed >>> 0 ^ Math.floor(seed / 4294967296) >>> 0;
    // SplitMix32 spreads one 32-bit seed over the 128-bit state (never all zero).
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.#s[i] = z ^ (z >>> 16);
    }
  }

  nextUint32(): number {
    const s = this.#s;
    const r = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return r;
  }

  /** A double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** An integer in [0, range) for range <= 2^53, without modulo bias (rejection). */
  nextBelow(range: number): number {
    if (range <= 4294967296) {
      const limit = 4294967296 - (4294967296 % range);
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % range;
      }
    }
    const limit = 9007199254740992 - (9007199254740992 % range);
    for (;;) {
      const x = this.nextDouble() * 9007199254740992;
      if (x < limit) return x % range;
    }
  }

  nextNormal(): number {
    if (this.#spare !== undefined) {
      const v = this.#spare;
      this.#spare = undefined;
      return v;
    }
    for (;;) {
      const u = 2 * this.nextDouble() - 1;
      const v = 2 * this.nextDouble() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.#spare = v * f;
        return u * f;
      }
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Options shared by the random functions. */
export interface RandomOptions {
  /** Seed (a number or bigint). Same seed, same array. Default: fresh entropy. */
  seed?: number | bigint;
  /** Element type of the result. */
  dtype?: DType;
}

function checkSeed(seed: unknown): number | bigint | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed === 'bigint') return seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) invalidType('options.seed', 'a safe integer or bigint', seed);
  return seed;
}

function fillFloat(shape: unknown, dtype: DType, draw: () => number): NDArray {
  const s = checkShape(shape);
  if (dtypeInfo(dtype).kind !== 'f') invalidValue('options.dtype', 'a floating dtype', dtype);
  const x = empty(s, { dtype });
  const n = sizeOf(s);
  const store = storerOf(dtype);
  const d = x.data as unknown as { [i: number]: number };
  if (dtype === 'float64' || dtype === 'float32') for (let i = 0; i < n; i++) d[i] = draw();
  else for (let i = 0; i < n; i++) d[i] = store(draw()) as number;
  return x;
}

/**
 * Uniform samples in [low, high).
 * @example nd.random.uniform([2, 3], { seed: 42 })
 */
export function uniform(
  shape: readonly number[] | number,
  options: RandomOptions & { low?: number; high?: number } = {},
): NDArray {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (typeof low !== 'number' || !Number.isFinite(low)) invalidType('options.low', 'a finite number', low);
  if (typeof high !== 'number' || !Number.isFinite(high)) invalidType('options.high', 'a finite number', high);
  const g = new Xoshiro128(checkSeed(options.seed));
  const span = high - low;
  return fillFloat(shape, checkDType(options.dtype ?? 'float64', 'options.dtype'), () => low + span * g.nextDouble());
}

/**
 * Normal (Gaussian) samples with mean `loc` and standard deviation `scale`.
 * @example nd.random.normal([1000], { loc: 0, scale: 1, seed: 1 })
 */
export function normal(
  shape: readonly number[] | number,
  options: RandomOptions & { loc?: number; scale?: number } = {},
): NDArray {
  const loc = options.loc ?? 0;
  const scale = options.scale ?? 1;
  if (typeof loc !== 'number' || !Number.isFinite(loc)) invalidType('options.loc', 'a finite number', loc);
  if (typeof scale !== 'number' || !(scale >= 0)) invalidValue('options.scale', 'a non-negative number', scale);
  const g = new Xoshiro128(checkSeed(options.seed));
  return fillFloat(shape, checkDType(options.dtype ?? 'float64', 'options.dtype'), () => loc + scale * g.nextNormal());
}

/**
 * Integers drawn uniformly from [low, high) (`high` is required), default dtype int64.
 * @example nd.random.integers([5], { low: 0, high: 10, seed: 7, dtype: 'int32' })
 */
export function integers(
  shape: readonly number[] | number,
  options: RandomOptions & { low?: number; high: number },
): NDArray {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object with high', options);
  const low = options.low ?? 0;
  const high = options.high;
  if (!Number.isSafeInteger(low)) invalidType('options.low', 'a safe integer', low);
  if (!Number.isSafeInteger(high)) invalidType('options.high', 'a safe integer', high);
  if (high <= low) invalidValue('options.high', `an integer greater than low (${low})`, high);
  const range = high - low;
  if (!Number.isSafeInteger(range)) invalidValue('options.high', 'high - low at most 2^53', high);
  const dtype = checkDType(options.dtype ?? 'int64', 'options.dtype');
  const info = dtypeInfo(dtype);
  if (info.kind !== 'i' && info.kind !== 'u') invalidValue('options.dtype', 'an integer dtype', dtype);
  const s = checkShape(shape);
  const g = new Xoshiro128(checkSeed(options.seed));
  const x = empty(s, { dtype });
  const n = sizeOf(s);
  const store = storerOf(dtype);
  const d = x.data as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < n; i++) d[i] = store(low + g.nextBelow(range));
  return x;
}
