/** Shared test utilities: coded-error assertions and a seeded PRNG. */
import type test from 'tape';
import { isNdshareError } from '../../src/errors.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Asserts that `fn` throws an ndshare error of class `cls` with `code`, and
 * (optionally) a message matching `message`.
 */
export function throwsCoded(t: test.Test, label: string, fn: () => unknown, cls: ErrorClass, code: string, message?: RegExp): void {
  try {
    fn();
    t.fail(`${label}: did not throw`);
  } catch (e) {
    const err = e as Error & { code?: string };
    t.ok(err instanceof cls && err.code === code && isNdshareError(err), `${label}: ${err.name} ${err.code}: ${err.message}`);
    if (message) t.match(err.message, message, `${label}: message`);
  }
}

/** Deterministic 32-bit generator (mulberry32), so a failure can be replayed. Returns uint32s. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return (x ^ (x >>> 14)) >>> 0;
  };
}
