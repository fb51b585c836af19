/**
 * MT19937's jump ahead by 2^128 outputs, as NumPy's `MT19937.jumped`: the jump
 * polynomial (src/random/mt19937-poly.ts, computed by scripts/gen-mt19937-jump.py)
 * evaluated at the one-word state step by Horner's rule (Haramoto et al. 2008).
 * The state is NumPy's: 624 key words, used as a ring from `pos`.
 *
 * @module
 */
import { MT19937_JUMP_POLY } from './mt19937-poly.js';

const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

/** The jump polynomial's coefficients, highest degree first (parsed once). */
let coefficients: Uint8Array | undefined;

function poly(): Uint8Array {
  if (coefficients) return coefficients;
  const hex = MT19937_JUMP_POLY;
  const out = new Uint8Array(hex.length * 4);
  for (let k = 0; k < hex.length; k++) {
    const nibble = parseInt(hex[k]!, 16);
    for (let b = 0; b < 4; b++) out[k * 4 + b] = (nibble >> (3 - b)) & 1;
  }
  coefficients = out.subarray(out.indexOf(1));
  return coefficients;
}

/** Regenerates the word at `pos` (one output's worth of state step); returns the next pos. */
function step(key: Uint32Array, pos: number): number {
  const next = pos === N - 1 ? 0 : pos + 1;
  const y = (key[pos]! & UPPER) | (key[next]! & LOWER);
  key[pos] = key[(pos + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
  return next;
}

/** acc ^= state, both read as rings from their own positions. */
function addState(acc: Uint32Array, accPos: number, state: Uint32Array, statePos: number): void {
  // Runs of i where neither index wraps, so the loop body has no modulo.
  let i = 0;
  while (i < N) {
    const a = (accPos + i) % N;
    const s = (statePos + i) % N;
    const run = Math.min(N - a, N - s, N - i);
    for (let k = 0; k < run; k++) acc[a + k]! ^= state[s + k]!;
    i += run;
  }
}

/** Jumps `key`/`pos` ahead by 2^128 outputs in place; returns the new pos. */
export function mt19937Jump(key: Uint32Array, pos: number): number {
  const c = poly();
  const start = pos >= N ? 0 : pos;
  const state = key.slice();
  const acc = key.slice();
  let at = step(acc, start);
  for (let i = 1; i < c.length - 1; i++) {
    if (c[i]) addState(acc, at, state, start);
    at = step(acc, at);
  }
  if (c[c.length - 1]) addState(acc, at, state, start);
  key.set(acc);
  return at;
}
