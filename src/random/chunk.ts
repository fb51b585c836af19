/**
 * Reproducible random streams in parallel jobs: the pool's only random hook.
 *
 * A `mapChunks` kernel receives `range = {start, stop, rng}`; `range.rng(seed)`
 * is {@link chunkRng}`(seed, start)`: a PCG64 Generator seeded from
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

/** The chunk range handed to a mapChunks kernel: `{start, stop}` and `rng(seed)` for that chunk. */
export interface ChunkRange {
  start: number;
  stop: number;
  /** {@link chunkRng}`(seed, start)`. */
  rng(seed: Entropy): Generator;
}

/** Builds the range object of one chunk (called by the pool worker). */
export function chunkRange(start: number, stop: number): ChunkRange {
  return { start, stop, rng: (seed: Entropy) => chunkRng(seed, start) };
}
