/**
 * Where objects go: the store's geometry from its create options, and the
 * placement of a new object (all checks first, then slot, block, header,
 * name and pin under the lock).
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import { encodeHeader, writeHeader, type ArrayHeader } from '../header/codec.js';
import { dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { contiguousStrides, sizeOf } from '../ndarray/layout.js';
import type { Arena } from './arena.js';
import { parseBytes } from './bytes.js';
import { align } from './ids.js';
import { nameHash, type Geometry } from './layout.js';
import type { StoreCreateOptions } from './types.js';

/** Header metadata key of an object's allocation time (`ObjectInfo.createdAt`). */
export const CREATED_KEY = 'ndshare.created';
/** The geometry of a new store. @throws {NdshareTypeError|NdshareRangeError} naming the bad option. */
export function geometryOf(options: StoreCreateOptions): Geometry {
  const capacity = align(parseBytes(options.capacity, 'options.capacity'), native.shm.pageSize);
  const intOpt = (name: keyof StoreCreateOptions, dflt: number, min: number, max: number): number => {
    const v = options[name] ?? dflt;
    if (typeof v !== 'number' || !Number.isInteger(v)) invalidType(`options.${name}`, 'an integer', v);
    if (v < min || v > max) invalidValue(`options.${name}`, `an integer in [${min}, ${max}]`, v);
    return v;
  };
  const maxObjects = intOpt('maxObjects', Math.min(65536, Math.max(256, Math.floor(capacity / 65536))), 1, 1 << 22);
  const retainBudget =
    options.retainFreed === undefined
      ? Math.min(capacity / 2, 512 * 2 ** 20)
      : options.retainFreed === 0
        ? 0
        : parseBytes(options.retainFreed, 'options.retainFreed');
  const geometry: Geometry = {
    retainBudget,
    maxClients: intOpt('maxClients', 64, 1, 4096),
    maxObjects,
    pinsPerClient: intOpt('pinsPerClient', 4096, 1, 1 << 20),
    indexSize: 2 ** Math.ceil(Math.log2(2 * maxObjects)),
    capacity,
    pageSize: native.shm.pageSize,
  };
  return geometry;
}

function locked<T>(a: Arena, client: number, fn: () => T): T {
  a.lock(client);
  try {
    return fn();
  } finally {
    a.unlock();
  }
}

/**
 * Creates a C-order object of `dtype` and `shape` in the store, pinned by
 * `client`. Every check runs before anything is created or evicted, so a
 * failure leaves no trace. @throws {NdshareError} ERR_NDSHARE_EXISTS, ERR_NDSHARE_STORE_FULL.
 */
export function placeObject(
  a: Arena,
  client: number,
  dtype: DType,
  shape: number[],
  name: string | undefined,
  nameBytes: Uint8Array | undefined,
  flags: number,
): { slot: number; dataOffset: number; generation: number; size: number; nbytes: number } {
  const { itemsize } = dtypeInfo(dtype);
  const size = sizeOf(shape);
  const nbytes = size * itemsize;
  const strides = contiguousStrides(shape).map((s) => s * itemsize);
  const created = String(Date.now());
  const header = (offset: number): ArrayHeader => ({
    dtype,
    shape,
    byteStrides: strides,
    byteOffset: offset,
    dataStart: offset,
    byteLength: nbytes,
    order: 'C',
    ...(name !== undefined ? { name } : {}),
    metadata: { [CREATED_KEY]: created },
  });
  // Offsets are never 0 in the segment, so a placeholder gives the final size.
  const headerBytes = encodeHeader(header(a.regions.dataStart)).length;
  const dataSkip = align(headerBytes);
  const blockBytes = dataSkip + align(Math.max(nbytes, 1));
  const hash = nameBytes ? nameHash(nameBytes) : 0;
  const placed = locked(a, client, () => {
    // Every check before anything is created or evicted: a failed allocation leaves no trace.
    if (nameBytes !== undefined && a.indexLookup(nameBytes) >= 0) {
      throw new NdshareError(`An object named '${name}' already exists in the store`, { code: codes.EXISTS });
    }
    a.checkPinRoom(client);
    const { slot, offset } = a.reserve(client, blockBytes);
    const dataOffset = offset + dataSkip;
    const written = writeHeader(header(dataOffset), a.bytes, offset, dataSkip);
    a.createObject(slot, client, { offset, bytes: blockBytes }, written, dataOffset, nbytes, hash, flags);
    if (name !== undefined) a.indexInsert(slot, hash);
    a.pin(client, slot);
    return { slot, dataOffset, generation: a.generation(slot) };
  });
  return { ...placed, size, nbytes };
}

/** Zeroes a fresh allocation: large ones by dropping their pages (the OS hands back zeros). */
export function zeroFill(a: Arena, offset: number, nbytes: number): void {
  const page = native.shm.pageSize;
  if (nbytes < 4 * page) {
    new Uint8Array(a.sab, offset, nbytes).fill(0);
    return;
  }
  native.shm.punchHole(a.fd, offset, nbytes);
  const headEnd = Math.ceil(offset / page) * page;
  const tailStart = Math.floor((offset + nbytes) / page) * page;
  new Uint8Array(a.sab, offset, headEnd - offset).fill(0);
  new Uint8Array(a.sab, tailStart, offset + nbytes - tailStart).fill(0);
}
