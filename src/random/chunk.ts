/**
 * Reproducible random streams in parallel jobs: the pool's only random hook.
 *
 * A `mapChunks` kernel receives `range = {start, stop, rng}`, and a `map`
 * element function the same object of its chunk as its last parameter;
 * `range.rng(seed)` is {@link chunkRng}`(seed, start)`: a PCG64 Generator seeded from
 * `SeedSequence(seed, {spawnKey: [start]})`. It depends on the user's seed
 * and the index of the chunk's first row only, never on the worker that runs
 * the chunk, so a job gives the same numbers with 1, 2 or 8 workers, and with
 * any chunk size that keeps the same chunk boundaries (docs/random.md).
 *
 * @module
 */
import { PCG64 } from './bitgen.js';
import { Generator } from './generator.js';
import { SeedSequence, type Entropy } from './seedsequence.js';

/**
 * The Generator of the chunk whose first element (row) is `chunkStart`, for the user's `seed`.
 * @throws as {@link SeedSequence} for a bad seed or a negative chunkStart.
 * @example nd.random.chunkRng(42, 1000).random(4)
 */
export function chunkRng(seed: Entropy, chunkStart: number | bigint): Generator {
  return new Generator(new PCG64(new SeedSequence(seed, { spawnKey: [chunkStart] })));
}

/**
 * The chunk handed to a mapChunks kernel, and to a map element function as
 * its last parameter: `{start, stop}` (rows for mapChunks, flat C-order
 * elements for map) and `rng(seed)` for that chunk.
 */
export interface ChunkRange {
  start: number;
  stop: number;
  /**
   * {@link chunkRng}`(seed, start)`, made at the first call: later calls with
   * the same seed in the same chunk return the same Generator, so the
   * elements of a map chunk draw one stream, in C order.
   */
  rng(seed: Entropy): Generator;
}

/** Builds the range object of one chunk (called by the pool worker). */
export function chunkRange(start: number, stop: number): ChunkRange {
  return { start, stop, rng: rngOf(start) };
}

/** A chunk's `rng`: its Generator, made at the first call (a helper, so the pool's per-chunk object stays a plain literal). */
function rngOf(start: number): (seed: Entropy) => Generator {
  let seen: Entropy | undefined;
  let g: Generator | undefined;
  return (seed) => {
    if (g === undefined || !sameSeed(seen!, seed)) {
      g = chunkRng(seed, start);
      seen = Array.isArray(seed) ? ([...(seed as unknown[])] as Entropy) : seed;
    }
    return g;
  };
}

function sameSeed(a: Entropy, b: Entropy): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return (a as unknown[]).every((v, i) => Object.is(v, (b as unknown[])[i]));
}
