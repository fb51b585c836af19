/**
 * Seeded random arrays: `nd.random.uniform`, `normal`, `integers`.
 *
 * The generator is xoshiro128** (32-bit words, fast in JS). Its 128-bit state
 * comes from the whole seed through SplitMix64 (a bijective 64-bit mixer), so
 * every seed below 2^63 in magnitude gives its own stream, and a given seed
 * gives the same array on every machine. Doubles take 53 random bits;
 * integers are drawn without modulo bias (rejection sampling); normals use
 * Marsaglia's polar method.
 * Streams are not NumPy's (NumPy's PCG64 needs 128-bit arithmetic).
 *
 * @module
 */
import { invalidType, invalidValue } from '../errors.js';
import type { DType } from './dtypes.js';
import { checkDType, dtypeInfo } from './dtypes.js';
import { checkShape, sizeOf } from './layout.js';
import type { NDArray } from './ndarray.js';
import { empty } from './creation.js';
import { checkOptions } from '../validate.js';
import { loaderOf, storerOf } from './cast.js';
import { randomBytes } from 'node:crypto';

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** SplitMix64's output function: a bijection of 64-bit words. */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/**
 * The four state words for a seed. The seed is zigzag-encoded (0, -1, 1, -2,
 * … -> 0, 1, 2, 3, …, so negative seeds are their own), absorbed 64 bits at a
 * time through SplitMix64, and expanded into two SplitMix64 outputs. For
 * seeds in [-2^63, 2^63) every step is a bijection, so distinct seeds give
 * distinct states; the two outputs can't both be zero.
 */
function seedState(seed: bigint): number[] {
  let z = seed >= 0n ? seed << 1n : (-seed << 1n) - 1n;
  let x = 0n;
  do {
    x = mix64(((x ^ (z & MASK64)) + GOLDEN_GAMMA) & MASK64);
    z >>= 64n;
  } while (z > 0n);
  const a = mix64((x + GOLDEN_GAMMA) & MASK64);
  const b = mix64((x + 2n * GOLDEN_GAMMA) & MASK64);
  return [a & 0xffffffffn, a >> 32n, b & 0xffffffffn, b >> 32n].map(Number);
}

/** xoshiro128** state and draws. */
class Xoshiro128 {
  #s = new Uint32Array(4);
  #spare: number | undefined;

  constructor(seed: bigint | undefined) {
    if (seed !== undefined) this.#s.set(seedState(seed));
    else {
      const b = randomBytes(16);
      for (let i = 0; i < 4; i++) this.#s[i] = b.readUInt32LE(4 * i);
      if (this.#s.every((w) => w === 0)) this.#s[0] = 1; // the all-zero state is a fixed point
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
  /**
   * Seed: a safe integer or a bigint of any size, negative allowed (`5` and
   * `5n` are the same seed). Same seed, same array. Default: fresh entropy.
   */
  seed?: number | bigint;
  /** Element type of the result. */
  dtype?: DType;
}

function checkSeed(seed: unknown): bigint | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed === 'bigint') return seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) invalidType('options.seed', 'a safe integer or bigint', seed);
  return BigInt(seed);
}

function floatDType(dtype: unknown): DType {
  const d = checkDType(dtype ?? 'float64', 'options.dtype');
  if (dtypeInfo(d).kind !== 'f') invalidValue('options.dtype', 'a floating dtype', d);
  return d;
}

function fillFloat(shape: readonly number[], dtype: DType, draw: () => number): NDArray {
  const x = empty(shape, { dtype });
  const n = sizeOf(shape);
  const store = storerOf(dtype);
  const d = x.data as unknown as { [i: number]: number };
  if (dtype === 'float64' || dtype === 'float32') for (let i = 0; i < n; i++) d[i] = draw();
  else for (let i = 0; i < n; i++) d[i] = store(draw()) as number;
  return x;
}

const TWO53 = 9007199254740992;

/**
 * Uniform samples in [low, high): never `high`, even after rounding to the
 * dtype. A draw is `low + (high - low) * k / 2^53` for a uniform 53-bit `k`;
 * the `k` whose value would round up to `high` (the top ones for float16,
 * bfloat16 and float32, and for float64 when `low + (high - low) * u` rounds
 * up, as 1 + (1 - 2^-53) does) are excluded exactly: `k` is drawn below the
 * first such one (found by bisection, since rounding is monotonic), so the
 * others keep equal probabilities.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for non-finite bounds, a bad seed or options
 *   that are not an object.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when `high <= low`, `high - low` overflows,
 *   `low` itself rounds to `high` or above in the dtype, or the dtype is not a float.
 * @example nd.random.uniform([2, 3], { seed: 42 })
 * @example nd.random.uniform([4], { low: -1, high: 1, dtype: 'float16', seed: 1n })
 */
export function uniform(shape: readonly number[] | number, options?: RandomOptions & { low?: number; high?: number }): NDArray {
  const o = checkOptions(options, { fn: 'nd.random.uniform', known: ['seed', 'dtype', 'low', 'high'] });
  const low = o.low ?? 0;
  const high = o.high ?? 1;
  if (typeof low !== 'number' || !Number.isFinite(low)) invalidType('options.low', 'a finite number', low);
  if (typeof high !== 'number' || !Number.isFinite(high)) invalidType('options.high', 'a finite number', high);
  if (!(high > low)) invalidValue('options.high', `a number greater than low (${low})`, high);
  const span = high - low;
  if (!Number.isFinite(span)) invalidValue('options.high', `a number whose distance to low (${low}) is finite`, high);
  const dtype = floatDType(o.dtype);
  const s = checkShape(shape);
  const g = new Xoshiro128(checkSeed(o.seed));
  const store = storerOf(dtype);
  const load = loaderOf(dtype);
  // The value a draw becomes once stored (float32 rounds in the Float32Array store).
  const stored = dtype === 'float32' ? Math.fround : dtype === 'float64' ? (v: number) => v : (v: number) => load(store(v)) as number;
  const below = (k: number): boolean => stored(low + span * (k / TWO53)) < high;
  if (!below(0)) invalidValue('options.high', `a bound with a ${dtype} value in [low, high) (low is ${low})`, high);
  // count: how many 53-bit k give a value below high (all but the top ones).
  let count = TWO53;
  if (!below(TWO53 - 1)) {
    let ok = 0;
    let bad = TWO53 - 1;
    while (bad - ok > 1) {
      const mid = Math.floor((ok + bad) / 2);
      if (below(mid)) ok = mid;
      else bad = mid;
    }
    count = bad;
  }
  let draw: () => number;
  if (count === TWO53) draw = () => low + span * g.nextDouble();
  else if (count > TWO53 / 2) {
    // Most draws are kept (all but 2^-12 of them for float16 in [0, 1)): redraw the others.
    const limit = count / TWO53;
    draw = () => {
      for (;;) {
        const u = g.nextDouble();
        if (u < limit) return low + span * u;
      }
    };
  } else draw = () => low + span * (g.nextBelow(count) / TWO53);
  return fillFloat(s, dtype, draw);
}

/**
 * Normal (Gaussian) samples with mean `loc` and standard deviation `scale`.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a non-finite `loc`, a bad seed or options
 *   that are not an object.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative `scale` or a non-float dtype.
 * @example nd.random.normal([1000], { loc: 0, scale: 1, seed: 1 })
 */
export function normal(shape: readonly number[] | number, options?: RandomOptions & { loc?: number; scale?: number }): NDArray {
  const o = checkOptions(options, { fn: 'nd.random.normal', known: ['seed', 'dtype', 'loc', 'scale'] });
  const loc = o.loc ?? 0;
  const scale = o.scale ?? 1;
  if (typeof loc !== 'number' || !Number.isFinite(loc)) invalidType('options.loc', 'a finite number', loc);
  if (typeof scale !== 'number' || !(scale >= 0)) invalidValue('options.scale', 'a non-negative number', scale);
  const dtype = floatDType(o.dtype);
  const s = checkShape(shape);
  const g = new Xoshiro128(checkSeed(o.seed));
  return fillFloat(s, dtype, () => loc + scale * g.nextNormal());
}

/**
 * Integers drawn uniformly from [low, high) (`high` is required), default dtype int64.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for non-integer bounds, a bad seed or options
 *   that are not an object.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when `high <= low`, `high - low` is above
 *   2^53, `low` is below the dtype's minimum or `high - 1` above its maximum (NumPy: "high is out of
 *   bounds for uint8"), or the dtype is not an integer one.
 * @example nd.random.integers([5], { low: 0, high: 10, seed: 7, dtype: 'int32' })
 */
export function integers(shape: readonly number[] | number, options: RandomOptions & { low?: number; high: number }): NDArray {
  const o = checkOptions(options, { fn: 'nd.random.integers', known: ['seed', 'dtype', 'low', 'high'] });
  const low = o.low ?? 0;
  const high = o.high as number; // checked on the next lines
  if (!Number.isSafeInteger(low)) invalidType('options.low', 'a safe integer', low);
  if (!Number.isSafeInteger(high)) invalidType('options.high', 'a safe integer', high);
  const dtype = checkDType(o.dtype ?? 'int64', 'options.dtype');
  const info = dtypeInfo(dtype);
  if (info.kind !== 'i' && info.kind !== 'u') invalidValue('options.dtype', 'an integer dtype', dtype);
  const bits = 8 * info.itemsize;
  const min = info.kind === 'u' ? 0 : -(2 ** (bits - 1));
  const max = info.kind === 'u' ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
  // Safe integers are exact in doubles, and so are these bounds (64-bit ones never bind above).
  if (low < min) invalidValue('options.low', `an integer of at least ${min} (the minimum of ${dtype})`, low);
  if (high - 1 > max) invalidValue('options.high', `an integer of at most ${max + 1} (the maximum of ${dtype}, plus 1)`, high);
  if (high <= low) invalidValue('options.high', `an integer greater than low (${low})`, high);
  const range = high - low;
  if (!Number.isSafeInteger(range)) invalidValue('options.high', 'high - low at most 2^53', high);
  const s = checkShape(shape);
  const g = new Xoshiro128(checkSeed(o.seed));
  const x = empty(s, { dtype });
  const n = sizeOf(s);
  const store = storerOf(dtype);
  const d = x.data as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < n; i++) d[i] = store(low + g.nextBelow(range));
  return x;
}
