/**
 * Small arrays carried in the control message itself: a map's (or
 * mapChunks') inputs, args arrays and output of at most {@link INLINE_BYTES}
 * bytes travel as their bytes (base64, so the message stays JSON) instead of
 * as store objects. A store object costs the owner an allocation and the
 * worker a view opened and released, each under the store lock: for a few
 * elements that is most of a job's cost (docs/pool.md, "Where a dispatch's
 * time goes"). Larger arrays keep the zero-copy store path.
 *
 * Used on both sides (owner and worker).
 *
 * @module
 */
import { checkDType, dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { contiguousStrides, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';

/**
 * What an element loop reads and writes: an NDArray, or (a map's small inputs
 * and output that came in the message) just its elements and layout, with no
 * NDArray made for them.
 */
export type Strided = Pick<NDArray, 'dtype' | 'data' | 'shape' | 'strides' | 'offset'>;

/** Arrays of at most this many bytes travel in the message. */
export const INLINE_BYTES = 4096;

/** An array carried in a message: its elements in C order, as base64 of their bytes. */
export interface InlineArray {
  inline: string;
  dtype: string;
  shape: number[];
}

/** An output the worker allocates itself and sends back in its result (no store object). */
export interface InlineOut {
  dtype: string;
  shape: number[];
}

export function isInline(v: unknown): v is InlineArray {
  return typeof (v as InlineArray | null)?.inline === 'string';
}

/** Bytes of `size` elements of `dtype` if it may travel inline (one typed-array element per array element), else undefined. */
export function inlineBytes(dtype: DType, size: number): number | undefined {
  const info = dtypeInfo(dtype);
  if (info.ctor.BYTES_PER_ELEMENT !== info.itemsize) return undefined;
  const n = size * info.itemsize;
  return n <= INLINE_BYTES ? n : undefined;
}

/** `x`'s elements in C order as base64 (for the message; copied first if it is not contiguous). */
export function encodeBytes(x: NDArray): string {
  const c = x.flags.cContiguous ? x : x.copy();
  const d = c.data;
  const bpe = d.BYTES_PER_ELEMENT;
  return Buffer.from(d.buffer, d.byteOffset + c.offset * bpe, c.size * bpe).toString('base64');
}

/** The bytes of a typed array as base64. */
export function encodeData(d: ArrayBufferView): string {
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64');
}

/** Writes base64 `s` (from {@link encodeBytes}) into the contiguous, freshly made `x`. */
export function decodeInto(x: NDArray, s: string): NDArray {
  const d = x.data;
  Buffer.from(d.buffer, d.byteOffset, d.byteLength).write(s, 'base64');
  return x;
}

/** `x` as a message value. */
export function toInline(x: NDArray): InlineArray {
  return { inline: encodeBytes(x), dtype: x.dtype, shape: [...x.shape] };
}

/**
 * A new local array for a message's small array or output (`shape` and
 * `dtype` as the other side checked them; at most INLINE_BYTES, so no
 * validation or large-allocation path is needed).
 */
export function localArray(dtype: string, shape: readonly number[], writable: boolean): NDArray {
  const d = checkDType(dtype);
  let n = 1;
  for (const s of shape) n *= s;
  return new NDArray(new (dtypeInfo(d).ctor)(n), d, shape, undefined, 0, { writeable: writable });
}

/**
 * A message's inline array (decoded), or a fresh output for an inline one, as
 * the element loop reads and writes it: its elements and C-order layout, no
 * NDArray (a map's inputs and output never reach user code as arrays).
 */
export function inlineStrided(a: InlineArray | InlineOut): Strided {
  const dtype = checkDType(a.dtype);
  const data = new (dtypeInfo(dtype).ctor)(sizeOf(a.shape));
  if ('inline' in a) Buffer.from(data.buffer, data.byteOffset, data.byteLength).write(a.inline, 'base64');
  return { dtype, data, shape: a.shape, strides: contiguousStrides(a.shape), offset: 0 };
}

/** A message's inline array as a local array (read-only unless `writable`). */
export function fromInline(a: InlineArray, writable = false): NDArray {
  return decodeInto(localArray(a.dtype, a.shape, writable), a.inline);
}
