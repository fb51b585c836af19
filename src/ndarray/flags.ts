/**
 * NumPy's array flags for an NDArray, and the set of owners frozen read-only
 * (sealed store objects).
 *
 * @module
 */

/** NumPy's array flags, as a frozen object. */
export interface Flags {
  /** Elements are in row-major order with no gaps. */
  readonly cContiguous: boolean;
  /** Elements are in column-major order with no gaps. */
  readonly fContiguous: boolean;
  /** Writes through ndshare (`set`, `fill`, `assign`, `out=`) are allowed. */
  readonly writeable: boolean;
  /** This array owns its memory (it is nobody's view). */
  readonly ownData: boolean;
}

/** Owners whose memory became read-only after creation (sealed store objects). */
const frozenRoots = new WeakSet<object>();

/**
 * Makes `x`, its owner and every view of it read-only from now on (the store
 * calls this when it seals an object). Not part of the public API.
 */
export function freezeArray(x: { base: object | null }): void {
  frozenRoots.add(x.base ?? x);
}

/** NumPy's flags; `writeable` turns false for good once the owner is frozen. */
export class ArrayFlags implements Flags {
  readonly #root: object;
  readonly #writeable: boolean;
  constructor(
    root: object,
    readonly cContiguous: boolean,
    readonly fContiguous: boolean,
    writeable: boolean,
    readonly ownData: boolean,
  ) {
    this.#root = root;
    this.#writeable = writeable;
    Object.freeze(this);
  }
  get writeable(): boolean {
    return this.#writeable && !frozenRoots.has(this.#root);
  }
  toJSON(): Flags {
    return { cContiguous: this.cContiguous, fContiguous: this.fContiguous, writeable: this.writeable, ownData: this.ownData };
  }
}
