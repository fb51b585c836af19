/**
 * NumPy's bit generators: PCG64 (the default), PCG64DXSM, MT19937, Philox
 * (4x64-10) and SFC64, seeded through {@link SeedSequence} exactly as NumPy
 * seeds them, so `new PCG64(42)` holds the state of `np.random.PCG64(42)`.
 *
 * The state lives in a BigUint64Array (layout in native/kernels/random/bitgen.h)
 * that the native kernels advance; seeding, `advance` and `jumped` are
 * one-off 128/256-bit arithmetic done here with BigInt.
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareRangeError, codes, invalidType, invalidValue } from '../errors.js';
import { mt19937Jump } from './mt19937-jump.js';
import { SeedSequence, type Entropy } from './seedsequence.js';

const M128 = (1n << 128n) - 1n;
const M64 = (1n << 64n) - 1n;
const PCG_MULT = 0x2360ed051fc65da44385df649fccf645n;
const PCG_CHEAP = 0xda942042e4dd58b5n;
const PCG_JUMP = 0x9e3779b97f4a7c15f39cc0605cedc835n;

/** A seed for a bit generator: entropy for a SeedSequence, a SeedSequence, or null/undefined for OS entropy. */
export type Seed = Entropy | SeedSequence | null | undefined;

/** The kinds the native side knows (bitgen.h Kind). */
export const KIND = { PCG64: 0, PCG64DXSM: 1, SFC64: 2, Philox: 3, MT19937: 4 } as const;
const WORDS = [6, 6, 6, 13, 313];

function toSeedSequence(seed: Seed): SeedSequence {
  if (seed instanceof SeedSequence) return seed;
  if (seed !== null && seed !== undefined && typeof seed === 'object' && !Array.isArray(seed)) {
    invalidType('seed', 'a non-negative integer, an array of them, a SeedSequence or null', seed);
  }
  return new SeedSequence(seed as Entropy | null | undefined);
}

/** LCG advance by `delta` steps (Brown's method), all mod 2^128. */
function lcgAdvance(state: bigint, delta: bigint, mult: bigint, inc: bigint): bigint {
  let accMult = 1n;
  let accPlus = 0n;
  let curMult = mult;
  let curPlus = inc;
  delta &= M128;
  while (delta > 0n) {
    if (delta & 1n) {
      accMult = (accMult * curMult) & M128;
      accPlus = (accPlus * curMult + curPlus) & M128;
    }
    curPlus = ((curMult + 1n) * curPlus) & M128;
    curMult = (curMult * curMult) & M128;
    delta >>= 1n;
  }
  return (accMult * state + accPlus) & M128;
}

function checkInt(v: unknown, arg: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return invalidType(arg, 'an integer (number or bigint)', v);
}

/** What all bit generators share: the state words, the seed sequence, raw draws and spawning. */
export abstract class BitGenerator {
  /** The native kind (internal). */
  abstract readonly kind: number;
  /** The state words the native kernels advance (internal; see {@link BitGenerator.state} for NumPy's form). */
  readonly words: BigUint64Array;
  /** The SeedSequence this generator was seeded from (NumPy's `seed_seq`). */
  readonly seedSeq: SeedSequence;

  protected constructor(kind: number, seed: Seed) {
    this.words = new BigUint64Array(WORDS[kind]!);
    this.seedSeq = toSeedSequence(seed);
  }

  /** A new generator of the same type seeded from a copy of this one's state (used by jumped). */
  protected abstract clone(): BitGenerator;

  /** NumPy's `state` dictionary. */
  abstract get state(): Record<string, unknown>;

  /**
   * The generator's raw 64-bit outputs, as NumPy's `random_raw(size)`.
   * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative or non-integer size.
   * @example new nd.random.PCG64(1).randomRaw(3)
   */
  randomRaw(size?: number): BigUint64Array | bigint {
    const n = size ?? 1;
    if (!Number.isSafeInteger(n) || n < 0) invalidValue('size', 'a non-negative integer', size);
    const out = new BigUint64Array(n);
    native.random.raw(this.kind, this.words, out);
    return size === undefined ? out[0]! : out;
  }

  /**
   * `n` new bit generators of the same type from `seedSeq.spawn(n)`, as NumPy's `spawn`.
   * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a bad count.
   */
  spawn(n: number): BitGenerator[] {
    const ctor = this.constructor as new (seed: Seed) => BitGenerator;
    return this.seedSeq.spawn(n).map((s) => new ctor(s));
  }

  /** A copy advanced as if by `jumps` × 2^127-ish draws (NumPy's `jumped`), where the type has one. */
  jumped(jumps: number | bigint = 1): BitGenerator {
    const j = checkInt(jumps, 'jumps');
    if (j < 0n) invalidValue('jumps', 'a non-negative integer', jumps);
    const c = this.clone();
    c.jumpInPlace(j);
    return c;
  }

  protected jumpInPlace(_jumps: bigint): void {
    throw new NdshareRangeError(`${this.constructor.name} has no jumped() in NumPy`, { code: codes.UNSUPPORTED });
  }
}

/** PCG64 and PCG64DXSM: 128-bit LCG state, 128-bit increment. */
abstract class PcgBase extends BitGenerator {
  protected abstract readonly mult: bigint;

  protected seedFrom(ss: SeedSequence): void {
    const v = ss.generateState64(4);
    const initState = (v[0]! << 64n) | v[1]!;
    const initSeq = (v[2]! << 64n) | v[3]!;
    // NumPy seeds both variants with the standard 128-bit multiplier (pcg_setseq_128_srandom_r).
    const inc = ((initSeq << 1n) | 1n) & M128;
    let s = (0n * PCG_MULT + inc) & M128;
    s = (s + initState) & M128;
    s = (s * PCG_MULT + inc) & M128;
    this.setWords(s, inc, 0, 0);
  }

  protected setWords(s: bigint, inc: bigint, has32: number, u32: number): void {
    const w = this.words;
    w[0] = s >> 64n;
    w[1] = s & M64;
    w[2] = inc >> 64n;
    w[3] = inc & M64;
    w[4] = BigInt(has32);
    w[5] = BigInt(u32);
  }

  get state(): Record<string, unknown> {
    const w = this.words;
    return {
      bit_generator: this.constructor.name,
      state: { state: (w[0]! << 64n) | w[1]!, inc: (w[2]! << 64n) | w[3]! },
      has_uint32: Number(w[4]),
      uinteger: Number(w[5]),
    };
  }

  set state(v: Record<string, unknown>) {
    const st = (v.state ?? {}) as { state?: unknown; inc?: unknown };
    if (v.bit_generator !== this.constructor.name) invalidValue('state.bit_generator', `'${this.constructor.name}'`, v.bit_generator);
    this.setWords(
      checkInt(st.state, 'state.state.state') & M128,
      checkInt(st.inc, 'state.state.inc') & M128,
      Number(v.has_uint32 ?? 0),
      Number(v.uinteger ?? 0),
    );
  }

  /**
   * Advances the state as if `delta` draws had been made (mod 2^128), as NumPy's `advance`; resets the 32-bit buffer.
   * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a non-integer delta.
   * @example new nd.random.PCG64(1).advance(1000n)
   */
  advance(delta: number | bigint): this {
    const d = checkInt(delta, 'delta');
    const w = this.words;
    const s = (w[0]! << 64n) | w[1]!;
    const inc = (w[2]! << 64n) | w[3]!;
    this.setWords(lcgAdvance(s, d & M128, this.mult, inc), inc, 0, 0);
    return this;
  }

  protected override jumpInPlace(jumps: bigint): void {
    this.advance((PCG_JUMP * jumps) & M128);
  }
}

/**
 * PCG64 (XSL-RR 128/64), NumPy's default bit generator.
 * @example new nd.random.Generator(new nd.random.PCG64(42)).random()
 */
export class PCG64 extends PcgBase {
  readonly kind: number = KIND.PCG64;
  protected readonly mult = PCG_MULT;
  constructor(seed?: Seed) {
    super(KIND.PCG64, seed);
    this.seedFrom(this.seedSeq);
  }
  protected clone(): PCG64 {
    const c = new PCG64(this.seedSeq);
    c.words.set(this.words);
    return c;
  }
}

/**
 * PCG64DXSM: PCG64's state with the "cheap multiplier" step and the DXSM output.
 * @example new nd.random.Generator(new nd.random.PCG64DXSM(42)).random()
 */
export class PCG64DXSM extends PcgBase {
  readonly kind: number = KIND.PCG64DXSM;
  protected readonly mult = PCG_CHEAP;
  constructor(seed?: Seed) {
    super(KIND.PCG64DXSM, seed);
    this.seedFrom(this.seedSeq);
  }
  protected clone(): PCG64DXSM {
    const c = new PCG64DXSM(this.seedSeq);
    c.words.set(this.words);
    return c;
  }
}

/**
 * SFC64 (Chris Doty-Humphrey's small fast chaotic generator); no jumps, as in NumPy.
 * @example new nd.random.Generator(new nd.random.SFC64(42)).random()
 */
export class SFC64 extends BitGenerator {
  readonly kind: number = KIND.SFC64;
  constructor(seed?: Seed) {
    super(KIND.SFC64, seed);
    const v = this.seedSeq.generateState64(3);
    this.words.set([v[0]!, v[1]!, v[2]!, 1n, 0n, 0n]);
    native.random.raw(this.kind, this.words, new BigUint64Array(12)); // 12 warm-up rounds
    this.words[4] = 0n;
    this.words[5] = 0n;
  }
  protected clone(): SFC64 {
    const c = new SFC64(this.seedSeq);
    c.words.set(this.words);
    return c;
  }
  get state(): Record<string, unknown> {
    const w = this.words;
    return { bit_generator: 'SFC64', state: { state: [w[0], w[1], w[2], w[3]] }, has_uint32: Number(w[4]), uinteger: Number(w[5]) };
  }
}

/**
 * Philox4x64-10 (counter-based): 256-bit counter, 128-bit key.
 * @example new nd.random.Generator(new nd.random.Philox(42)).random()
 */
export class Philox extends BitGenerator {
  readonly kind: number = KIND.Philox;
  constructor(seed?: Seed) {
    super(KIND.Philox, seed);
    const k = this.seedSeq.generateState64(2);
    this.words.set([0n, 0n, 0n, 0n, k[0]!, k[1]!, 0n, 0n, 0n, 0n, 4n, 0n, 0n]);
  }
  protected clone(): Philox {
    const c = new Philox(this.seedSeq);
    c.words.set(this.words);
    return c;
  }
  get state(): Record<string, unknown> {
    const w = this.words;
    return {
      bit_generator: 'Philox',
      state: { counter: [w[0], w[1], w[2], w[3]], key: [w[4], w[5]] },
      buffer: [w[6], w[7], w[8], w[9]],
      buffer_pos: Number(w[10]),
      has_uint32: Number(w[11]),
      uinteger: Number(w[12]),
    };
  }
  /**
   * Adds `delta` to the 256-bit counter (each counter value gives 4 draws), as NumPy's `advance`; resets the buffers.
   * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a non-integer delta.
   */
  advance(delta: number | bigint): this {
    const d = checkInt(delta, 'delta') & ((1n << 256n) - 1n);
    const w = this.words;
    let ctr = w[0]! | (w[1]! << 64n) | (w[2]! << 128n) | (w[3]! << 192n);
    ctr = (ctr + d) & ((1n << 256n) - 1n);
    for (let i = 0; i < 4; i++) w[i] = (ctr >> BigInt(64 * i)) & M64;
    w[10] = 4n;
    w[11] = 0n;
    w[12] = 0n;
    return this;
  }
  protected override jumpInPlace(jumps: bigint): void {
    this.advance(jumps << 128n);
  }
}

/**
 * MT19937 (the Mersenne Twister), seeded from a SeedSequence as NumPy's `MT19937(seed)`.
 * `jumped(n)` moves 2^128 × n outputs ahead, with NumPy's result (src/random/mt19937-jump.ts).
 * @example new nd.random.Generator(new nd.random.MT19937(42)).random()
 */
export class MT19937 extends BitGenerator {
  readonly kind: number = KIND.MT19937;
  constructor(seed?: Seed) {
    super(KIND.MT19937, seed);
    const v = this.seedSeq.generateState(624) as Uint32Array;
    const key = new Uint32Array(this.words.buffer, 0, 624);
    key.set(v);
    key[0] = 0x80000000;
    this.words[312] = 623n;
  }
  protected clone(): MT19937 {
    const c = new MT19937(this.seedSeq);
    c.words.set(this.words);
    return c;
  }
  protected override jumpInPlace(jumps: bigint): void {
    const key = new Uint32Array(this.words.buffer, 0, 624);
    let pos = Number(this.words[312]);
    for (let j = 0n; j < jumps; j++) pos = mt19937Jump(key, pos);
    this.words[312] = BigInt(pos);
  }
  get state(): Record<string, unknown> {
    return { bit_generator: 'MT19937', state: { key: new Uint32Array(this.words.buffer.slice(0, 2496)), pos: Number(this.words[312]) } };
  }
}
