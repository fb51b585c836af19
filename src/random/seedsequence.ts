/**
 * NumPy's `SeedSequence`: turns user entropy (numbers, bigints, arrays of
 * them, or fresh OS entropy) into well-mixed 32-bit words for seeding bit
 * generators, and spawns independent children keyed by their position.
 *
 * Reimplemented from NumPy's published algorithm (bit_generator.pyx, after
 * Melissa O'Neill's seed_seq design): entropy is coerced to little-endian
 * 32-bit words, mixed into a pool of 4 words with two multiplicative hashes,
 * and expanded on demand by a third; children append their index to the spawn
 * key. The same entropy gives the same words as NumPy, so
 * `new SeedSequence(42).generateState(4)` equals
 * `np.random.SeedSequence(42).generate_state(4)`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { invalidType, invalidValue } from '../errors.js';

const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;
const POOL_SIZE = 4;

/** Entropy NumPy accepts: a non-negative integer (number or bigint) or an array of them. */
export type Entropy = number | bigint | readonly (number | bigint)[];

/** Little-endian 32-bit words of a non-negative integer (0 gives one zero word). */
function intWords(v: number | bigint, arg: string): number[] {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else return invalidType(arg, 'a non-negative integer (number or bigint)', v);
  if (n < 0n) invalidValue(arg, 'a non-negative integer', v);
  if (n === 0n) return [0];
  const out: number[] = [];
  while (n > 0n) {
    out.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
  return out;
}

/** NumPy's `_coerce_to_uint32_array`: an integer, or the concatenation of each element's words. */
export function entropyWords(x: Entropy, arg = 'seed'): number[] {
  if (typeof x === 'number' || typeof x === 'bigint') return intWords(x, arg);
  if (!Array.isArray(x)) return invalidType(arg, 'a non-negative integer or an array of them', x);
  const out: number[] = [];
  (x as readonly (number | bigint)[]).forEach((v, i) => out.push(...intWords(v, `${arg}[${i}]`)));
  return out;
}

function hashmix(value: number, hc: { v: number }): number {
  value = (value ^ hc.v) >>> 0;
  hc.v = Math.imul(hc.v, MULT_A) >>> 0;
  value = Math.imul(value, hc.v) >>> 0;
  return (value ^ (value >>> XSHIFT)) >>> 0;
}

function mix(x: number, y: number): number {
  const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
  return (r ^ (r >>> XSHIFT)) >>> 0;
}

/** Options of {@link SeedSequence}. */
export interface SeedSequenceOptions {
  /** The child's path from its root: one index per generation (NumPy's `spawn_key`). */
  spawnKey?: readonly (number | bigint)[];
  /** Pool size in 32-bit words (NumPy's `pool_size`, default 4). */
  poolSize?: number;
  /** How many children were already spawned (NumPy's `n_children_spawned`). */
  nChildrenSpawned?: number;
}

/**
 * A seed sequence: `new SeedSequence(entropy?, {spawnKey?})`.
 * `entropy` undefined or null draws 128 bits of OS entropy, kept in
 * `.entropy` so the sequence can be recreated.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for entropy that is not a non-negative integer
 *   or an array of them (floats included, as NumPy).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative integer.
 * @example new nd.random.SeedSequence(42).generateState(4) // Uint32Array [..] as NumPy
 */
export class SeedSequence {
  /** The entropy given (or drawn from the OS), as NumPy's `entropy`. */
  readonly entropy: bigint | readonly (number | bigint)[];
  /** NumPy's `spawn_key`. */
  readonly spawnKey: readonly (number | bigint)[];
  readonly poolSize: number;
  /** How many children {@link SeedSequence.spawn} has made. */
  nChildrenSpawned: number;
  /** The mixed entropy pool (`pool` in NumPy). */
  readonly pool: Uint32Array;

  constructor(entropy?: Entropy | null, options: SeedSequenceOptions = {}) {
    if (entropy === undefined || entropy === null) {
      const b = randomBytes(16);
      entropy = BigInt(`0x${b.toString('hex')}`);
    }
    const words = entropyWords(entropy, 'entropy');
    this.entropy = typeof entropy === 'number' ? BigInt(entropy) : (entropy as bigint | readonly (number | bigint)[]);
    const spawnKey = options.spawnKey ?? [];
    const keyWords = entropyWords(spawnKey as readonly (number | bigint)[], 'options.spawnKey');
    this.spawnKey = [...spawnKey];
    const poolSize = options.poolSize ?? POOL_SIZE;
    if (!Number.isSafeInteger(poolSize) || poolSize < POOL_SIZE) invalidValue('options.poolSize', 'an integer >= 4', poolSize);
    this.poolSize = poolSize;
    this.nChildrenSpawned = options.nChildrenSpawned ?? 0;
    // Assembled entropy: the run entropy (padded to the pool size when a spawn key follows), then the key.
    const run = [...words];
    if (keyWords.length > 0 && run.length < poolSize) while (run.length < poolSize) run.push(0);
    const all = [...run, ...keyWords];
    this.pool = new Uint32Array(poolSize);
    const hc = { v: INIT_A };
    const pool = this.pool;
    for (let i = 0; i < poolSize; i++) pool[i] = hashmix(i < all.length ? all[i]! : 0, hc);
    for (let s = 0; s < poolSize; s++) {
      for (let d = 0; d < poolSize; d++) if (s !== d) pool[d] = mix(pool[d]!, hashmix(pool[s]!, hc));
    }
    for (let s = poolSize; s < all.length; s++) {
      for (let d = 0; d < poolSize; d++) pool[d] = mix(pool[d]!, hashmix(all[s]!, hc));
    }
  }

  /**
   * `nWords` words of state: uint32 (default) or uint64 (pairs of uint32, low first), as NumPy's `generate_state`.
   * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative or non-integer count or another dtype.
   */
  generateState(nWords: number, dtype: 'uint32' | 'uint64' = 'uint32'): Uint32Array | BigUint64Array {
    if (!Number.isSafeInteger(nWords) || nWords < 0) invalidValue('nWords', 'a non-negative integer', nWords);
    if (dtype !== 'uint32' && dtype !== 'uint64') invalidValue('dtype', "'uint32' or 'uint64'", dtype);
    const n32 = dtype === 'uint64' ? 2 * nWords : nWords;
    const out = new Uint32Array(n32);
    let hc = INIT_B;
    for (let i = 0; i < n32; i++) {
      let v = this.pool[i % this.poolSize]!;
      v = (v ^ hc) >>> 0;
      hc = Math.imul(hc, MULT_B) >>> 0;
      v = Math.imul(v, hc) >>> 0;
      out[i] = (v ^ (v >>> XSHIFT)) >>> 0;
    }
    return dtype === 'uint64' ? new BigUint64Array(out.buffer) : out;
  }

  /** `generateState(n, 'uint64')` typed as such. */
  generateState64(nWords: number): BigUint64Array {
    return this.generateState(nWords, 'uint64') as BigUint64Array;
  }

  /**
   * `n` children with spawn keys `[...spawnKey, k]` for the next `n` values of k.
   * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative or non-integer count.
   * @example new nd.random.SeedSequence(1).spawn(2)
   */
  spawn(n: number): SeedSequence[] {
    if (!Number.isSafeInteger(n) || n < 0) invalidValue('n', 'a non-negative integer', n);
    const out: SeedSequence[] = [];
    for (let i = 0; i < n; i++) {
      out.push(new SeedSequence(this.entropy, { spawnKey: [...this.spawnKey, this.nChildrenSpawned + i], poolSize: this.poolSize }));
    }
    this.nChildrenSpawned += n;
    return out;
  }
}
