/**
 * Shared-memory segments: one anonymous shared file (a Linux memfd), mapped
 * into each process that uses it and seen there as a SharedArrayBuffer.
 *
 * - {@link Segment.create} makes a new segment of a fixed capacity (sparse:
 *   memory is used only where it is touched).
 * - A child spawned with the fd in its `stdio` gets it as fd 3, 4, … and maps
 *   it with {@link Segment.fromFd}.
 * - Any other process of the same user attaches through the owner's
 *   `/proc/<pid>/fd/<fd>` ({@link Segment.attach} with {@link Segment.handle}).
 *
 * Lifetime: {@link Segment.close} closes the fd, nothing else. The mapping
 * belongs to the SharedArrayBuffer and is released when the last
 * SharedArrayBuffer over it (in any thread) is garbage-collected; the file
 * lives while any process holds an fd or a mapping of it, and nothing of it
 * can be left behind (no /dev/shm entry, whatever kills the process). See
 * docs/shm.md.
 *
 * @module
 */
import { readlinkSync } from 'node:fs';
import { native } from '../binding.js';
import { NdshareError, codes, invalidType, invalidValue } from '../errors.js';

/** The largest segment: 2^46 bytes (64 TiB). */
export const MAX_SEGMENT_BYTES = 2 ** 46;

/** memfd names are at most 249 UTF-8 bytes. */
const MAX_NAME_BYTES = 249;

/**
 * How another process finds a segment: through `/proc/<pid>/fd/<fd>` of a
 * process that holds it open. Plain data: it travels in argv, env or a message.
 */
export interface SegmentHandle {
  /** A process that holds the segment's fd (normally its creator). */
  readonly pid: number;
  /** The fd number in that process. */
  readonly fd: number;
  /** The segment's size, checked on attach (fd numbers are reused once closed). */
  readonly byteLength: number;
  /** The memfd name, checked on attach. */
  readonly name: string;
}

/** Options of {@link Segment.create}. */
export interface SegmentOptions {
  /** Shown in `/proc/<pid>/fd` and `/proc/<pid>/maps` as `/memfd:<name>`. Default `'ndshare'`. */
  name?: string;
}

// Closes the fd of a Segment that was dropped without close(): a backstop,
// never the main path.
const unclosed = new FinalizationRegistry<number>((fd) => {
  try {
    native.shm.close(fd);
  } catch {
    // Already closed behind our back: nothing left to release.
  }
});

function checkInteger(arg: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') invalidType(arg, 'an integer', value);
  if (!Number.isInteger(value) || value < min || value > max) {
    invalidValue(arg, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/**
 * A mapped shared-memory segment.
 *
 * @example
 * using seg = Segment.create(1 << 20);
 * new Int32Array(seg.buffer)[0] = 42;
 * spawn(process.execPath, ['child.js', JSON.stringify(seg.handle)]);
 * // child: const seg = Segment.attach(JSON.parse(process.argv[2]));
 */
export class Segment implements Disposable {
  /** The whole segment. Valid as long as it is referenced, even after {@link Segment.close}. */
  readonly buffer: SharedArrayBuffer;
  /** Size in bytes. */
  readonly byteLength: number;
  /** The memfd name ('' if unknown, e.g. a segment mapped from an inherited fd). */
  readonly name: string;
  #fd: number;

  private constructor(fd: number, buffer: SharedArrayBuffer, name: string) {
    this.#fd = fd;
    this.buffer = buffer;
    this.byteLength = buffer.byteLength;
    this.name = name;
    unclosed.register(this, fd, this);
  }

  /**
   * Creates a segment of `capacity` bytes, zero-filled and sparse.
   *
   * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` for a non-number capacity or non-string name.
   * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` for a capacity outside [1, 2^46] or a bad name.
   * @throws {NdshareError} `ERR_NDSHARE_NATIVE` (with `errno`, `syscall`) when the system refuses.
   * @example
   * const seg = Segment.create(64 * 1024 * 1024, { name: 'weights' });
   */
  static create(capacity: number, options: SegmentOptions = {}): Segment {
    checkInteger('capacity', capacity, 1, MAX_SEGMENT_BYTES);
    const name = options.name ?? 'ndshare';
    if (typeof name !== 'string') invalidType('options.name', 'a string', name);
    if (name.length === 0 || Buffer.byteLength(name) > MAX_NAME_BYTES || name.includes('\0')) {
      invalidValue('options.name', `a string of 1 to ${MAX_NAME_BYTES} UTF-8 bytes without NUL`, name);
    }
    const { fd, buffer } = native.shm.create(name, capacity);
    return new Segment(fd, buffer, name);
  }

  /**
   * Opens and maps the shared file at `path` (e.g. `/proc/<pid>/fd/<n>`), whole.
   *
   * @throws {NdshareError} `ERR_NDSHARE_NATIVE` with `errno` (`ENOENT`, `EACCES`, …) and `syscall`.
   * @throws {NdshareRangeError} for an empty file.
   */
  static open(path: string): Segment {
    if (typeof path !== 'string') invalidType('path', 'a string', path);
    const { fd, buffer } = native.shm.open(path);
    return new Segment(fd, buffer, '');
  }

  /**
   * Attaches to a segment held by another process, from its {@link Segment.handle}.
   *
   * @throws {NdshareError} `ERR_NDSHARE_NOT_FOUND` if that process no longer
   * holds the segment under that fd, `ERR_NDSHARE_NATIVE` if it cannot be opened.
   * @example
   * const seg = Segment.attach(JSON.parse(process.env.NDSHARE_SEGMENT!));
   */
  static attach(handle: SegmentHandle): Segment {
    if (typeof handle !== 'object' || handle === null) invalidType('handle', 'a SegmentHandle object', handle);
    const pid = checkInteger('handle.pid', handle.pid, 1, 2 ** 31 - 1);
    const fd = checkInteger('handle.fd', handle.fd, 0, 2 ** 31 - 1);
    const byteLength = checkInteger('handle.byteLength', handle.byteLength, 1, MAX_SEGMENT_BYTES);
    if (typeof handle.name !== 'string') invalidType('handle.name', 'a string', handle.name);
    const path = `/proc/${pid}/fd/${fd}`;
    // An fd number is reused once closed: make sure it is still this segment.
    let target: string;
    try {
      target = readlinkSync(path);
    } catch (cause) {
      throw new NdshareError(`Segment.attach: process ${pid} has no fd ${fd} (${(cause as Error).message})`, { code: codes.NOT_FOUND, cause });
    }
    if (handle.name !== '' && !target.startsWith(`/memfd:${handle.name} `) && target !== `/memfd:${handle.name}`) {
      throw new NdshareError(`Segment.attach: fd ${fd} of process ${pid} is ${target}, not the segment '${handle.name}'`, { code: codes.NOT_FOUND });
    }
    const segment = Segment.open(path);
    if (segment.byteLength !== byteLength) {
      segment.close();
      throw new NdshareError(`Segment.attach: fd ${fd} of process ${pid} has ${segment.byteLength} bytes, not the ${byteLength} of the segment`, {
        code: codes.NOT_FOUND,
      });
    }
    return new Segment(segment.#release(), segment.buffer, handle.name);
  }

  /**
   * Maps an fd this process already holds, e.g. one inherited at spawn
   * (`stdio: [..., seg.fd]` in the parent gives fd 3 in the child). The
   * Segment takes the fd over: {@link Segment.close} closes it.
   */
  static fromFd(fd: number): Segment {
    checkInteger('fd', fd, 0, 2 ** 31 - 1);
    const { buffer } = native.shm.map(fd);
    return new Segment(fd, buffer, '');
  }

  /** The fd (for `stdio` at spawn). @throws {NdshareError} `ERR_NDSHARE_CLOSED` after close. */
  get fd(): number {
    if (this.#fd < 0) throw new NdshareError('Segment: the fd is closed', { code: codes.CLOSED });
    return this.#fd;
  }

  /** True once {@link Segment.close} ran. The buffer stays usable. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /** How another process attaches (see {@link Segment.attach}). Valid while this process keeps the fd open. */
  get handle(): SegmentHandle {
    return { pid: process.pid, fd: this.fd, byteLength: this.byteLength, name: this.name };
  }

  /**
   * Returns the memory of the whole pages inside [offset, offset+length) to
   * the OS; they read as zeros afterwards, in every process.
   * @throws {NdshareRangeError} if the range is not inside the segment.
   */
  punchHole(offset: number, length: number): void {
    checkInteger('offset', offset, 0, this.byteLength);
    checkInteger('length', length, 0, this.byteLength - offset);
    native.shm.punchHole(this.fd, offset, length);
  }

  /** Bytes of the segment backed by memory now (all processes together). */
  residentBytes(): number {
    return native.shm.residentBytes(this.fd);
  }

  /** Closes the fd; idempotent. The mapping lives on while {@link Segment.buffer} is referenced. */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#release();
    native.shm.close(fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Gives up the fd without closing it. */
  #release(): number {
    const fd = this.#fd;
    this.#fd = -1;
    unclosed.unregister(this);
    return fd;
  }
}
