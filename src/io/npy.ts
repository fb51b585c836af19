/**
 * NumPy's `.npy` format: read and write one array per file.
 *
 * Format (numpy/lib/format.py): the magic `\x93NUMPY`, a major and a minor
 * version byte, the header length (uint16 LE in 1.0; uint32 LE in 2.0 and
 * 3.0), the header — a Python dict literal such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }` padded with
 * spaces and a final `\n` (latin1 in 1.0/2.0, utf8 in 3.0) — then the raw
 * elements in C or Fortran order.
 *
 * Reading:
 * - The header is parsed by a small recursive-descent parser of the Python
 *   literal subset NumPy writes (dicts, tuples, lists, strings, ints, True,
 *   False, None); nothing is evaluated.
 * - The array is a view over the bytes (no copy) when the data starts at a
 *   multiple of the item size within the buffer, which holds for every file
 *   NumPy writes (data at a multiple of 64 in current NumPy, of 16 in old ones), and the
 *   byte order is the machine's. Otherwise the elements are copied into
 *   aligned storage; big-endian data is byte-swapped (in place when the bytes
 *   belong to {@link load}, into a copy for {@link parseNpy}, which never
 *   modifies its input).
 * - Bytes after the data are ignored, as `np.load` does (streams of several
 *   `np.save` calls into one file are valid input).
 * - `bool` bytes other than 0/1 are read as true (normalized to 1).
 * - Errors: {@link codes.CORRUPT_FILE} for anything NumPy itself would refuse
 *   (bad magic, unknown version, truncated header or data, unparsable or
 *   incomplete dict, unknown descr, bad shape); {@link codes.DTYPE} for valid
 *   files of a dtype ndshare lacks (complex, strings, structured, object,
 *   datetime, longdouble).
 *
 * Writing: the header is byte-for-byte what NumPy 2 writes for the same
 * array (same key order, spare space for growth, padding to 64 bytes),
 * version 1.0 unless the header needs more than 65535 bytes (then 2.0).
 * C-contiguous arrays are written as `fortran_order: False`, F-contiguous
 * ones as `True`, anything else as a C-order copy.
 *
 * @module
 */
import { Buffer, constants as bufferConstants } from 'node:buffer';
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { codes, invalidType, NdshareError, NdshareRangeError } from '../errors.js';
import type { DType, TypedArray } from '../ndarray/dtypes.js';
import { allocUninit, dtypeInfo, viewOf } from '../ndarray/dtypes.js';
import { contiguousStrides } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { checkPath, writeFileAtomically } from './files.js';
import { ARRAY_ALIGN, corrupt, GROWTH_AXIS_MAX_DIGITS, MAGIC, MAGIC_LEN, NATIVE_ORDER, pyShape, readHeader, type Source } from './npy-header.js';

// ---- reading -----------------------------------------------------------------

function swapInPlace(data: TypedArray, itemsize: number): void {
  const b = Buffer.from(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  if (itemsize === 2) b.swap16();
  else if (itemsize === 4) b.swap32();
  else if (itemsize === 8) b.swap64();
}

/** Index of the first byte > 1, or -1. */
function firstNonBinary(u8: Uint8Array): number {
  for (let i = 0; i < u8.length; i++) if (u8[i]! > 1) return i;
  return -1;
}

/**
 * Builds the array. `owned`: the bytes belong to us (a fresh file buffer), so
 * they may be byte-swapped or normalized in place.
 */
function decode(bytes: Uint8Array, src: Source, owned: boolean): NDArray {
  const h = readHeader(bytes, src);
  const { itemsize } = dtypeInfo(h.dtype);
  let size = 1;
  for (const d of h.shape) size *= d;
  const nbytes = size * itemsize;
  const available = bytes.length - h.dataStart;
  if (available < nbytes) {
    corrupt(src, `data truncated: shape ${pyShape(h.shape)} of ${h.dtype} needs ${nbytes} bytes, found ${available}`);
  }
  const region = bytes.subarray(h.dataStart, h.dataStart + nbytes);
  const badBool = h.dtype === 'bool' ? firstNonBinary(region) >= 0 : false;
  const mustModify = h.swap || badBool;
  const aligned = (bytes.byteOffset + h.dataStart) % itemsize === 0;
  let data: TypedArray;
  if (size > 0 && aligned && (owned || !mustModify)) {
    data = viewOf(h.dtype, bytes.buffer, bytes.byteOffset + h.dataStart, size);
  } else {
    data = allocUninit(h.dtype, size);
    new Uint8Array(data.buffer, data.byteOffset, nbytes).set(region);
  }
  if (h.swap) swapInPlace(data, itemsize / dtypeInfo(h.dtype).lanes); // complex: each part
  if (badBool) {
    const u8 = data as Uint8Array;
    for (let i = 0; i < u8.length; i++) if (u8[i]! > 1) u8[i] = 1;
  }
  const strides = contiguousStrides(h.shape, h.fortranOrder ? 'F' : 'C');
  return new NDArray(data, h.dtype, h.shape, strides, 0);
}

/**
 * Parses the bytes of a `.npy` file (format 1.0, 2.0 or 3.0).
 *
 * The result is a view over `bytes` (no copy; writes through either show in
 * the other) when the data is in the machine's byte order and starts at a
 * multiple of the item size within `bytes.buffer` — true of every file NumPy
 * writes if `bytes` starts at an aligned offset. Otherwise the elements are
 * copied; `bytes` itself is never modified. A Fortran-order file gives an
 * F-contiguous array. Bytes after the data are ignored (as `np.load` does).
 *
 * @param bytes the whole file, or at least its header and data.
 * @returns an NDArray (writeable) of the file's dtype and shape.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `bytes` is not a Uint8Array.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE for malformed bytes: bad magic, unknown version,
 *   truncated header or data, a header that is not the dict NumPy writes, an unknown descr, a bad shape.
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for a valid file of a dtype ndshare does not have
 *   (complex, strings, structured, object, datetime, longdouble).
 * @example
 * const x = nd.parseNpy(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 * x.dtype; // 'float64'
 */
export function parseNpy(bytes: Uint8Array): NDArray {
  if (!(bytes instanceof Uint8Array)) invalidType('bytes', 'a Uint8Array', bytes);
  return decode(bytes, {}, false);
}

/** Reads a whole file into a fresh, unshared buffer (never Node's pooled one), so views over it may be kept and edited. */
function readWhole(path: string): Uint8Array {
  // O_NONBLOCK: opening a FIFO without a writer must not block (regular files ignore the flag).
  const fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) readSync(fd, new Uint8Array(1)); // throws Node's own EISDIR, as a plain read would
    if (!st.isFile()) {
      // A device (/dev/zero), FIFO or socket has no size and may never end: refuse it.
      const kind = st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : st.isFIFO()
            ? 'a FIFO'
            : st.isSocket()
              ? 'a socket'
              : 'not a regular file';
      throw new NdshareRangeError(`Expected a regular file for path but received '${path}' (${kind})`, { code: codes.INVALID_ARG_VALUE });
    }
    if (st.size > bufferConstants.MAX_LENGTH) {
      throw new NdshareError(`'${path}' has ${st.size} bytes, more than the ${bufferConstants.MAX_LENGTH} one buffer can hold in this Node version`, {
        code: codes.UNSUPPORTED,
        path,
      });
    }
    const buf = new Uint8Array(Buffer.allocUnsafeSlow(st.size).buffer, 0, st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, Math.min(st.size - off, 1 << 30), off);
      if (n === 0) break; // the file shrank while we read it; the parser reports the truncation
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads an array from a `.npy` file (format 1.0, 2.0 or 3.0; any byte order;
 * C or Fortran order).
 *
 * The file is read once into a fresh buffer and the array is a view over it
 * (no second copy) whenever the data starts at a multiple of the item size,
 * which holds for every file NumPy writes; big-endian data is byte-swapped in
 * place. Fortran-order files load as F-contiguous arrays. Bytes after the
 * data are ignored (as `np.load` does).
 *
 * A path that is not a regular file (a device such as `/dev/zero`, a FIFO,
 * a socket) is refused: such a file has no size and may never end.
 *
 * File-system errors (ENOENT, EACCES, EISDIR, …) are Node's own errors,
 * passed through unchanged (`err.code === 'ENOENT'`). Unlike `np.load`, no
 * `.npy` suffix is added to the path.
 *
 * @param path a file path or a `file:` URL.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `path` is not a string or URL.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE if `path` is not a regular file.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE for a malformed file (the message names the file and the problem).
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for a valid file of a dtype ndshare does not have.
 * @example
 * // python: np.save('w.npy', np.arange(6.0).reshape(2, 3))
 * const w = nd.load('w.npy');
 * w.shape; // [2, 3]
 */
export function load(path: string | URL): NDArray {
  const p = checkPath(path);
  return decode(readWhole(p), { path: p }, true);
}

// ---- writing -----------------------------------------------------------------

function checkArray(x: unknown): NDArray {
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  return x;
}

/** The header (magic to '\n') and the bytes of the elements, without copying them when the array is contiguous. */
function prepare(x: NDArray): { header: Uint8Array; body: Uint8Array } {
  const info = dtypeInfo(x.dtype);
  if (info.typestr === undefined) {
    throw new NdshareError(`Cannot save dtype ${x.dtype} to .npy: NumPy has no ${x.dtype} dtype. Save x.astype('float32') instead (exact for ${x.dtype})`, {
      code: codes.DTYPE,
    });
  }
  let src = x;
  let fortran = false;
  if (!x.flags.cContiguous) {
    if (x.flags.fContiguous) fortran = true;
    else src = x.copy('C');
  }
  const { itemsize } = info;
  const body = src.size === 0 ? new Uint8Array(0) : new Uint8Array(src.data.buffer, src.data.byteOffset + src.offset * itemsize, src.size * itemsize);

  const descr = itemsize === 1 ? `|${info.typestr.slice(1)}` : `${NATIVE_ORDER}${info.typestr.slice(1)}`;
  const shape = x.shape;
  const shapeRepr = pyShape(shape);
  // NumPy's _write_array_header: sorted keys, "'key': repr(value), " each, spare room for the growing axis.
  let dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeRepr}, }`;
  if (shape.length > 0) {
    dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[fortran ? shape.length - 1 : 0]).length));
  }
  return { header: wrapHeader(dict), body };
}

/**
 * NumPy's _wrap_header_guess_version: pads the dict with spaces and a final
 * '\n' so the data starts at a multiple of 64; version 1.0 when the length
 * fits in 16 bits, else 2.0 (our dict is ASCII, so never 3.0).
 */
function wrapHeader(dict: string): Uint8Array {
  const hlen = dict.length + 1;
  const padded = (lenSize: number) => hlen + ARRAY_ALIGN - ((MAGIC_LEN + lenSize + hlen) % ARRAY_ALIGN);
  const version = padded(2) <= 0xffff ? 1 : 2;
  const lenSize = version === 1 ? 2 : 4;
  const total = padded(lenSize);
  const out = new Uint8Array(MAGIC_LEN + lenSize + total);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(MAGIC_LEN, total, true);
  else dv.setUint32(MAGIC_LEN, total, true);
  const start = MAGIC_LEN + lenSize;
  for (let i = 0; i < dict.length; i++) out[start + i] = dict.charCodeAt(i);
  out.fill(0x20, start + dict.length, out.length - 1);
  out[out.length - 1] = 0x0a;
  return out;
}

/**
 * The bytes of a `.npy` file (format 1.0; 2.0 if the header needs it) holding `x`.
 * Identical to what NumPy 2's `np.save` writes for the same array.
 *
 * @param x the array; C-contiguous arrays are written in C order, F-contiguous
 *   ones with `fortran_order: True`, other views as a C-order copy.
 * @returns a new Uint8Array (header and data).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `x` is not an NDArray.
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for bfloat16 (NumPy has no bfloat16; use `x.astype('float32')`).
 * @example
 * const bytes = nd.encodeNpy(nd.arange(3));
 * nd.parseNpy(bytes).toArray(); // [0, 1, 2]
 */
export function encodeNpy(x: NDArray): Uint8Array {
  const { header, body } = prepare(checkArray(x));
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/**
 * Saves `x` to a `.npy` file that NumPy reads (`np.load`), byte-for-byte what
 * `np.save` writes for the same array.
 *
 * The file is written under a temporary name in the same directory, flushed
 * to disk, then renamed over `path`, so a crash never leaves a partial file
 * under `path` (an existing file is replaced whole or not at all). Unlike
 * `np.save`, no `.npy` suffix is added. File-system errors are Node's own.
 *
 * @param path a file path or a `file:` URL.
 * @param x the array (any layout; see {@link encodeNpy}).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `path` is not a string or URL, or `x` is not an NDArray.
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for bfloat16 (use `x.astype('float32')`).
 * @example
 * nd.save('out.npy', nd.arange(6).reshape([2, 3]));
 * // python: np.load('out.npy') -> array([[0., 1., 2.], [3., 4., 5.]])
 */
export function save(path: string | URL, x: NDArray): void {
  const p = checkPath(path);
  const { header, body } = prepare(checkArray(x));
  writeFileAtomically(p, [header, body]);
}

/**
 * The header fields of `.npy` bytes, without reading the data (for tools and
 * tests; not part of the public barrel).
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE / ERR_NDSHARE_DTYPE as {@link parseNpy}.
 * @example readNpyHeader(bytes).dataOffset // 128
 */
export function readNpyHeader(bytes: Uint8Array): {
  dtype: DType;
  shape: number[];
  fortranOrder: boolean;
  dataOffset: number;
  version: 1 | 2 | 3;
} {
  if (!(bytes instanceof Uint8Array)) invalidType('bytes', 'a Uint8Array', bytes);
  const h = readHeader(bytes, {});
  return { dtype: h.dtype, shape: h.shape, fortranOrder: h.fortranOrder, dataOffset: h.dataStart, version: h.version };
}
