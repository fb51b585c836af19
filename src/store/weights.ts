/**
 * Weights into the store: `store.loadSafetensors` reads safetensors files
 * (one, several, or a sharded checkpoint's `model.safetensors.index.json`)
 * straight into store objects with pread: one copy from the page cache, and no
 * mapping of any file is left once it returns.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { codes, invalidType, NdshareError } from '../errors.js';
import { checkPath } from '../io/files.js';
import { readFully, readSafetensorsLayout } from '../io/safetensors.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { DType } from '../ndarray/dtypes.js';
import type { LoadSafetensorsOptions, ObjectId, StoreStats } from './types.js';

/** What loading needs of a Store (its public methods; structural, so this module does not import store.ts). */
export interface WeightsTarget {
  empty(shape: readonly number[], options: { dtype: DType; name: string; evictable: boolean }): NDArray;
  idOf(x: NDArray): ObjectId | undefined;
  seal(x: NDArray): ObjectId;
  release(x: NDArray): void;
  delete(id: ObjectId): void;
  has(id: ObjectId): boolean;
  stats(): StoreStats;
}

/** Paths of the safetensors files to read, and which tensor the index says lives in which file. */
interface Plan {
  files: string[];
  expected: Map<string, string>;
}

function corrupt(path: string, what: string): never {
  throw new NdshareError(`Corrupt file '${path}': ${what}`, { code: codes.CORRUPT_FILE, path });
}

/** A failed file system call as a coded error (errno, syscall and path kept). */
function fsError(e: unknown, path: string): never {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && typeof err.syscall === 'string') {
    throw new NdshareError(`Cannot read '${path}': ${err.message}`, { code: codes.NATIVE, errno: err.errno, syscall: err.syscall, path, cause: e });
  }
  throw e;
}

/** Opens a regular file for reading (a FIFO, a device or /dev/zero is refused: they never end). */
function openRegular(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    fsError(e, path);
  }
  try {
    if (!fstatSync(fd).isFile()) corrupt(path, 'not a regular file');
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/** A sharded checkpoint's index: `{"metadata": {…}, "weight_map": {tensor: "model-0000k-of-0000n.safetensors"}}`. */
function readIndex(path: string, plan: Plan): void {
  const fd = openRegular(path);
  let text: string;
  try {
    if (fstatSync(fd).size > 100_000_000) corrupt(path, 'the index is larger than 100 MB');
    text = readFileSync(fd, 'utf8');
  } catch (e) {
    fsError(e, path);
  } finally {
    closeSync(fd);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    corrupt(path, `not valid JSON (${(e as Error).message})`);
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) corrupt(path, "expected an object with a 'weight_map' object");
  const dir = dirname(path);
  for (const [tensor, file] of Object.entries(map)) {
    if (typeof file !== 'string' || file === '' || file.includes('\0')) {
      corrupt(path, `weight_map[${JSON.stringify(tensor)}] must be a file name, got ${JSON.stringify(file)}`);
    }
    const shard = resolve(dir, file);
    plan.expected.set(tensor, shard);
    if (!plan.files.includes(shard)) plan.files.push(shard);
  }
}

/**
 * What `store.loadSafetensors(paths, options)` does (see there). All or
 * nothing: on any error the objects it created are deleted before it throws.
 */
export function loadWeights(store: WeightsTarget, paths: unknown, options: LoadSafetensorsOptions): Record<string, ObjectId> {
  if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') invalidType('options.prefix', 'a string', prefix);
  const evictable = options.evictable ?? true;
  if (typeof evictable !== 'boolean') invalidType('options.evictable', 'a boolean', evictable);
  const list = Array.isArray(paths) ? paths : [paths];
  if (list.length === 0) invalidType('path', 'a path, a file: URL, or a non-empty array of them', paths);
  const plan: Plan = { files: [], expected: new Map() };
  for (const p of list) {
    const path = resolve(checkPath(p));
    if (path.endsWith('.json')) readIndex(path, plan);
    else if (!plan.files.includes(path)) plan.files.push(path);
  }

  const ids: Record<string, ObjectId> = {};
  const created: ObjectId[] = [];
  const from = new Map<string, string>();
  try {
    for (const file of plan.files) {
      const fd = openRegular(file);
      try {
        const layout = readSafetensorsLayout(fd, file);
        for (const t of layout.tensors) {
          if (from.has(t.name)) corrupt(file, `tensor ${JSON.stringify(t.name)} is also in '${from.get(t.name)}'`);
          const want = plan.expected.get(t.name);
          if (want !== undefined && want !== file) corrupt(file, `tensor ${JSON.stringify(t.name)}: the index puts it in '${want}'`);
          from.set(t.name, file);
          const x = store.empty(t.shape, { dtype: t.dtype, name: prefix + t.name, evictable });
          created.push(store.idOf(x)!);
          try {
            const bytes = new Uint8Array(x.data.buffer, x.data.byteOffset, t.nbytes);
            if (readFully(fd, bytes, t.offset) !== t.nbytes) corrupt(file, `tensor ${JSON.stringify(t.name)}: the file ended early (changed while read?)`);
            // safetensors bools are bytes 0/1; anything else reads as true.
            if (t.dtype === 'bool') for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 1) bytes[i] = 1;
            store.seal(x);
          } finally {
            store.release(x);
          }
          Object.defineProperty(ids, t.name, { value: created[created.length - 1], enumerable: true, writable: true, configurable: true });
        }
      } finally {
        closeSync(fd);
      }
    }
    for (const [tensor, file] of plan.expected) {
      if (!from.has(tensor)) corrupt(file, `tensor ${JSON.stringify(tensor)} is in the index but not in the file`);
    }
    // A later tensor may have evicted an earlier one (LRU): then the files do not fit together.
    const lost = created.find((id) => !store.has(id));
    if (lost !== undefined) {
      const stats = store.stats();
      throw new NdshareError(
        `Store full (bytes): the tensors of ${plan.files.map((f) => `'${f}'`).join(', ')} do not fit together ` +
          `(capacity ${stats.capacity}, used ${stats.used})`,
        { code: codes.STORE_FULL, stats, limit: 'bytes' },
      );
    }
  } catch (e) {
    for (const id of created) {
      try {
        store.delete(id);
      } catch {
        // already gone (evicted, or deleted by someone else)
      }
    }
    throw e;
  }
  return ids;
}
