/**
 * `nd.load`: a `.npy` file gives its array, a `.npz` archive (a zip file, by
 * its first bytes, as NumPy decides) an {@link NpzFile}.
 *
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { NDArray } from '../ndarray/ndarray.js';
import { checkOptions } from '../validate.js';
import { checkPath } from './files.js';
import { load as loadNpy } from './npy.js';
import { NpzFile } from './npz.js';

/** The options of NumPy's `np.load`; ndshare refuses each (ERR_NDSHARE_UNSUPPORTED). */
export interface LoadOptions {
  mmapMode?: never;
  allowPickle?: never;
  fixImports?: never;
  encoding?: never;
  maxHeaderSize?: never;
}

/** True when the file starts as a zip archive does (a local header, or the end record of an empty archive). */
function isZip(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false; // the .npy reader reports the file-system error
  }
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    return n === 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads a `.npy` file (an NDArray, see `parseNpy`) or a `.npz` archive (an
 * {@link NpzFile} whose arrays are read on demand), told apart by the file's
 * first bytes as `np.load` does. TypeScript: a path ending in `.npz` is typed
 * as an NpzFile, any other as an NDArray; for an archive under another name
 * use {@link loadNpz} or check `instanceof nd.NpzFile`.
 *
 * @param path a file path or a `file:` URL.
 * @param options NumPy's options (`mmapMode`, `allowPickle`, …) are refused with ERR_NDSHARE_UNSUPPORTED.
 * @throws as `nd.parseNpy` for `.npy` files and `nd.loadNpz` for archives.
 * @example
 * const w = nd.load('w.npy');        // NDArray
 * using f = nd.load('data.npz');      // NpzFile
 * f.get('arr_0');
 */
export function load(path: `${string}.npz`, options?: LoadOptions): NpzFile;
export function load(path: string | URL, options?: LoadOptions): NDArray;
export function load(path: string | URL, options?: LoadOptions): NDArray | NpzFile {
  checkOptions(options, { fn: 'nd.load', known: [], numpyOnly: ['mmapMode', 'allowPickle', 'fixImports', 'encoding', 'maxHeaderSize'] });
  const p = checkPath(path);
  return isZip(p) ? new NpzFile(p) : loadNpy(p);
}
