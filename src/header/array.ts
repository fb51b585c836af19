/**
 * The bridge between NDArrays and array headers: describe an array's bytes,
 * and build a view from a (validated) header in O(ndim) without touching data.
 *
 * @module
 */
import { codes, invalidType, NdshareError } from '../errors.js';
import { dtypeInfo, viewOf } from '../ndarray/dtypes.js';
import { extent } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { ArrayHeader } from './codec.js';
import { checkOptions } from '../validate.js';

/**
 * The header that describes `x`'s bytes inside `x.data.buffer`: byte strides,
 * the byte position of element 0, and the smallest extent holding every element.
 * @example const h = headerOf(x, { name: 'weights' }); h.byteStrides // byte strides
 */
export function headerOf(x: NDArray, options: { name?: string; metadata?: Record<string, string> } = {}): ArrayHeader {
  checkOptions(options, { fn: 'nd.headerOf', known: ['name', 'metadata'] });
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  const size = dtypeInfo(x.dtype).itemsize;
  const base = x.data.byteOffset;
  const ext = extent(x.shape, x.strides, x.offset);
  const header: ArrayHeader = {
    dtype: x.dtype,
    shape: [...x.shape],
    byteStrides: x.strides.map((s) => s * size),
    byteOffset: base + x.offset * size,
    dataStart: base + (ext ? ext.lo : x.offset) * size,
    byteLength: ext ? (ext.hi - ext.lo + 1) * size : 0,
    order: x.flags.cContiguous ? 'C' : x.flags.fContiguous ? 'F' : 'A',
  };
  if (options.name !== undefined) header.name = options.name;
  if (options.metadata !== undefined) header.metadata = options.metadata;
  return header;
}

/**
 * A view described by `header` over `buffer` (no copy), read-only unless
 * `writeable: true` (the memory is borrowed). The header should come from
 * `readHeader`, which validated it against this buffer; the NDArray
 * constructor checks the view against its storage once more.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_HEADER when the header does not fit the buffer.
 */
export function fromHeader(header: ArrayHeader, buffer: ArrayBufferLike, options: { writeable?: boolean } = {}): NDArray {
  checkOptions(options, { fn: 'nd.fromHeader', known: ['writeable'] });
  const size = dtypeInfo(header.dtype).itemsize;
  const { dataStart, byteLength, byteOffset } = header;
  if (
    dataStart % size !== 0 ||
    byteLength % size !== 0 ||
    dataStart + byteLength > buffer.byteLength ||
    (byteLength > 0 && (byteOffset < dataStart || byteOffset >= dataStart + byteLength))
  ) {
    throw new NdshareError(
      `Header extent [${dataStart}, ${dataStart + byteLength}) with element 0 at ${byteOffset} does not fit a buffer of ${buffer.byteLength} bytes`,
      { code: codes.CORRUPT_HEADER },
    );
  }
  const data = viewOf(header.dtype, buffer, dataStart, byteLength / size);
  const offset = byteLength > 0 ? (byteOffset - dataStart) / size : 0;
  try {
    return new NDArray(
      data,
      header.dtype,
      header.shape,
      header.byteStrides.map((s) => s / size),
      offset,
      {
        writeable: options.writeable ?? false,
        ownData: false,
      },
    );
  } catch (e) {
    // A header that did not come from readHeader may still lie (fractional strides, a view past its extent).
    throw new NdshareError(`Header does not describe a valid view: ${(e as Error).message}`, { code: codes.CORRUPT_HEADER });
  }
}
