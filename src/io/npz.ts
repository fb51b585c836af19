/**
 * NumPy's `.npz` archives: `savez`, `savezCompressed`, and `load` of an
 * archive as an {@link NpzFile} whose arrays are read when asked for.
 *
 * An `.npz` file is a zip archive of `.npy` files, one per array, named
 * `arr_0.npy`, `arr_1.npy`, … for positional arrays and `<key>.npy` for
 * named ones (numpy/lib/_npyio_impl.py). Members are stored (`savez`) or
 * deflated (`savezCompressed`); the `.npy` bytes are those of `nd.save`.
 *
 * Departures from NumPy: no `.npz` suffix is added to the path (as
 * `nd.save` adds no `.npy`); a member that is not a `.npy` file is read with
 * `getBytes`, not `get`.
 *
 * @module
 */
import { codes, invalidType, NdshareError, NdshareRangeError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { encodeNpy, parseNpy } from './npy.js';
import { checkPath, writeFileAtomically } from './files.js';
import { zipChunks, ZipReader, type ZipEntry } from './zip.js';
import { arrayOf } from '../manipulation/views.js';

/** What `savez` accepts after the path: arrays (named arr_0, arr_1, …) and at most one object of named arrays. */
export type SavezArgument = NDArray | Record<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof NDArray);
}

function members(args: readonly SavezArgument[]): { name: string; chunks: Uint8Array[] }[] {
  // NumPy's order: the named arrays first, then arr_0, arr_1, … (its namedict gets the positional ones last).
  const named = new Map<string, NDArray>();
  args.forEach((a, i) => {
    if (isPlainObject(a)) for (const [k, v] of Object.entries(a)) named.set(k, v instanceof NDArray ? v : arrayOf(v, `arrays[${i}].${k}`));
  });
  let positional = 0;
  args.forEach((a, i) => {
    if (isPlainObject(a)) return;
    const name = `arr_${positional++}`;
    if (named.has(name)) {
      throw new NdshareRangeError(`Cannot use un-named arrays and the key '${name}' together: positional arrays are named arr_0, arr_1, …`, {
        code: codes.INVALID_ARG_VALUE,
      });
    }
    named.set(name, a instanceof NDArray ? a : arrayOf(a, `arrays[${i}]`));
  });
  return [...named].map(([k, x]) => ({ name: `${k}.npy`, chunks: [encodeNpy(x)] }));
}

/**
 * Saves several arrays into one uncompressed `.npz` file (NumPy's
 * `np.savez`): NumPy's `np.load` reads it, with the same keys.
 *
 * @param path a file path or `file:` URL (no `.npz` suffix is added).
 * @param arrays NDArrays (saved as `arr_0`, `arr_1`, …) and/or objects of
 *   named arrays (`{ x, y }`), in any mix; array-likes as `nd.asarray`. As in
 *   NumPy, the named arrays come first in the archive, then `arr_0`, ….
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a bad path or array.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when a key collides with a positional name (NumPy's ValueError).
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for bfloat16 (NumPy has none).
 * @example
 * nd.savez('data.npz', nd.arange(3), { weights: nd.ones([2, 2]) });
 * // python: np.load('data.npz').files -> ['weights', 'arr_0']
 */
export function savez(path: string | URL, ...arrays: SavezArgument[]): void {
  const p = checkPath(path);
  writeFileAtomically(p, zipChunks(members(arrays), false));
}

/**
 * As {@link savez}, with every member deflated (NumPy's `np.savez_compressed`).
 * @throws as {@link savez}.
 * @example nd.savezCompressed('data.npz', { x: nd.zeros([1000]) });
 */
export function savezCompressed(path: string | URL, ...arrays: SavezArgument[]): void {
  const p = checkPath(path);
  writeFileAtomically(p, zipChunks(members(arrays), true));
}

/**
 * An open `.npz` archive (NumPy's `NpzFile`): the keys are known at open,
 * each array is read and decoded when `get` asks for it (a fresh array every
 * time, as NumPy's `npz[key]`). Close it when done (`close()` or a `using`
 * declaration); reads after `close` throw ERR_NDSHARE_CLOSED.
 */
export class NpzFile implements Iterable<string> {
  /** The keys: member names without their `.npy` suffix, in archive order. */
  readonly files: readonly string[];
  readonly #zip: ZipReader;
  readonly #byKey: Map<string, ZipEntry>;

  /** @internal use `nd.load(path)` or `nd.loadNpz(path)`. */
  constructor(path: string) {
    this.#zip = new ZipReader(path);
    this.#byKey = new Map();
    const files: string[] = [];
    for (const [name, e] of this.#zip.entries) {
      const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
      files.push(key);
      this.#byKey.set(key, e);
    }
    this.files = Object.freeze(files);
  }

  /** The keys, as NumPy's `npz.keys()`. */
  keys(): string[] {
    return [...this.files];
  }

  [Symbol.iterator](): Iterator<string> {
    return this.files[Symbol.iterator]();
  }

  /** True if the archive has the key (with or without `.npy`). */
  has(key: string): boolean {
    return this.#entry(key) !== undefined;
  }

  #entry(key: unknown): ZipEntry | undefined {
    if (typeof key !== 'string') invalidType('key', 'a string', key);
    return this.#byKey.get(key) ?? (key.endsWith('.npy') ? this.#byKey.get(key.slice(0, -4)) : undefined);
  }

  #find(key: string): ZipEntry {
    const e = this.#entry(key);
    if (e === undefined) {
      throw new NdshareError(`${JSON.stringify(key)} is not a key of '${this.#zip.path}' (keys: ${this.files.join(', ')})`, { code: codes.NOT_FOUND, key });
    }
    return e;
  }

  /**
   * The array stored under `key` (`'x'` or `'x.npy'`), read and decoded now.
   * @throws {NdshareError} ERR_NDSHARE_NOT_FOUND for an unknown key, ERR_NDSHARE_CLOSED after close,
   *   ERR_NDSHARE_CORRUPT_FILE for a bad member, ERR_NDSHARE_DTYPE as `nd.parseNpy`.
   */
  get(key: string): NDArray {
    const e = this.#find(key);
    if (!e.name.endsWith('.npy')) {
      throw new NdshareError(`Member '${e.name}' of '${this.#zip.path}' is not a .npy file: read it with getBytes`, { code: codes.UNSUPPORTED });
    }
    try {
      return parseNpy(this.#zip.read(e));
    } catch (err) {
      if ((err as { code?: string }).code === codes.CORRUPT_FILE) {
        throw new NdshareError(`Member '${e.name}' of '${this.#zip.path}': ${(err as Error).message}`, { code: codes.CORRUPT_FILE, cause: err });
      }
      throw err;
    }
  }

  /** The raw bytes of a member (any member, `.npy` or not). */
  getBytes(key: string): Uint8Array {
    return this.#zip.read(this.#find(key));
  }

  /** Every array, read now, as `[key, array]` pairs. */
  entries(): [string, NDArray][] {
    return this.files.map((k) => [k, this.get(k)]);
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#zip.closed;
  }

  /** Closes the file (idempotent). Arrays already read stay valid. */
  close(): void {
    this.#zip.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Opens a `.npz` archive (NumPy's `np.load` of an `.npz` file).
 * @param path a file path or `file:` URL.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE when the file is not a readable zip archive; Node's errors for the file system.
 * @example
 * using f = nd.loadNpz('data.npz');
 * f.files;          // ['weights', 'arr_0']
 * f.get('weights'); // an NDArray
 */
export function loadNpz(path: string | URL): NpzFile {
  return new NpzFile(checkPath(path));
}
