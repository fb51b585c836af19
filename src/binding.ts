/**
 * The native addon: the only module that loads it.
 *
 * `npm install` builds `build/Release/ndshare.node` (node-gyp); this module
 * loads it once per thread (each worker thread gets its own instance: the
 * addon is context-aware), hands it ndshare's error classes so C++ throws the
 * same coded errors as TS, and exports it typed. Everything else imports
 * {@link native} from here.
 *
 * The path is relative to this file, and `src/` and `dist/` both sit at the
 * package top level, so the same `../build/Release/ndshare.node` works from
 * the sources (tsx) and from the compiled `dist/binding.js`.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NdshareError, NdshareRangeError, NdshareTypeError, codes } from './errors.js';
import type { DType, NativeReduceOp, TypedArray } from './types.js';
import type { NativeHandoff, NativeStore } from './binding-store.js';

export type { NativeHandoff, NativeHandoffServer, NativeStore } from './binding-store.js';

/**
 * Contiguous conversion kernels between the 16-bit floats and float32/float64
 * (native/kernels/cast.cc). Each takes a whole source and destination array of
 * the same length, which must not overlap in memory.
 *
 * All paths give the same bits: float -> float16 is IEEE round to nearest
 * even, bit for bit NumPy's `astype(np.float16)` (float64 rounds once,
 * directly); float -> bfloat16 is RNE on the float32 bits (float64 goes
 * through float32 first); widening is exact. A NaN stays a NaN with its sign;
 * see native/kernels/cast/cast.h for the payload rules.
 *
 * Wrong typed-array types throw an `NdshareTypeError` (`ERR_NDSHARE_INVALID_ARG_TYPE`),
 * different lengths or overlapping arrays an `NdshareRangeError` (`ERR_NDSHARE_INVALID_ARG_VALUE`).
 */
export interface NativeCast {
  halfToFloat32(src: Uint16Array, dst: Float32Array): void;
  float32ToHalf(src: Float32Array, dst: Uint16Array): void;
  halfToFloat64(src: Uint16Array, dst: Float64Array): void;
  float64ToHalf(src: Float64Array, dst: Uint16Array): void;
  bfloat16ToFloat32(src: Uint16Array, dst: Float32Array): void;
  float32ToBfloat16(src: Float32Array, dst: Uint16Array): void;
  bfloat16ToFloat64(src: Uint16Array, dst: Float64Array): void;
  float64ToBfloat16(src: Float64Array, dst: Uint16Array): void;
  /** float64 -> float32, round to nearest even (as `Math.fround`). */
  float64ToFloat32(src: Float64Array, dst: Float32Array): void;
  /** float32 -> float64 (exact). */
  float32ToFloat64(src: Float32Array, dst: Float64Array): void;
}

/**
 * The ISA dispatch of every kernel family (native/kernels/dispatch.h): cast,
 * elementwise, reduce, matmul and any family added later.
 */
export interface NativeKernels {
  /** The best instruction set of this CPU: `'avx512' | 'avx2' | 'baseline'`. */
  readonly isa: string;
  /** The instruction sets this CPU runs, `'baseline'` first, {@link NativeKernels.isa} last. */
  readonly isas: readonly string[];
  /** The instruction set every kernel uses now (process-wide). */
  getIsa(): string;
  /**
   * Lowers the instruction set of every kernel family, process-wide (`'auto'`
   * restores the best): for tests and benchmarks; results are the same on every ISA
   * up to the documented float tolerances.
   * @throws {NdshareTypeError} if `name` is not a string.
   * @throws {NdshareRangeError} `ERR_NDSHARE_UNSUPPORTED` if the CPU lacks that ISA.
   */
  setIsa(name: string): void;
}

/** Counters of the page cache behind {@link NativeMemory} (cumulative since load, process-wide). */
export interface NativeMemoryStats {
  /** Bytes cached now, and in how many pieces. */
  cachedBytes: number;
  pieces: number;
  /** Buffers cut from one cached piece (no system call). */
  hits: number;
  /** Buffers assembled by moving several cached pieces (and fresh pages for the rest). */
  gathers: number;
  /** Buffers made of fresh pages only. */
  fresh: number;
  reusedBytes: number;
  freshBytes: number;
  /** Bytes unmapped to stay within the limits, and after idleMs unused. */
  evictedBytes: number;
  idleBytes: number;
  limit: number;
  idleMs: number;
}

/** Large private buffers (native/memory/buffers.cc, native/memory/page_cache.h). */
export interface NativeMemory {
  /**
   * A zero-filled ArrayBuffer of `bytes` over memory mapped by the addon:
   * 2 MiB aligned and huge-page advised (Linux), its pages given back to the
   * page cache when collected. Cached pages it reuses are cleared; fresh ones are zero.
   * @throws {NdshareRangeError} for a byte count outside [1, 2^46].
   * @throws {NdshareError} `ERR_NDSHARE_NATIVE` (with `errno`, `syscall`) when mmap fails.
   */
  allocate(bytes: number): ArrayBuffer;
  /**
   * Like {@link NativeMemory.allocate} but with unspecified contents: made of
   * the pages of collected buffers, whatever their sizes (they are already
   * faulted in), and fresh pages only for what the cache lacks. For outputs
   * that are fully overwritten.
   */
  allocateUninit(bytes: number): ArrayBuffer;
  /**
   * The whole file at `path` as an ArrayBuffer over a private mapping
   * (mmap MAP_PRIVATE, PROT_READ|PROT_WRITE): pages come from the page cache
   * and are shared by every process mapping the file; a write touches only a
   * private copy of its page, never the file. Unmapped when collected. An
   * empty file gives a zero-length ArrayBuffer.
   * @throws {NdshareError} `ERR_NDSHARE_NATIVE` (with `errno`, `syscall`: open, fstat, mmap).
   * @throws {NdshareRangeError} `ERR_NDSHARE_UNSUPPORTED` for a file larger than 2^46 bytes.
   */
  mapFile(path: string): ArrayBuffer;
  /** Unmaps the cached pages of collected buffers; returns the bytes released. */
  trim(): number;
  /** The page cache's counters and settings (native/memory/page_cache.h). */
  stats(): NativeMemoryStats;
  /**
   * Sets the page cache's byte limit (rounded down to 2 MiB; 0 caches nothing)
   * and idle time in ms (0: pieces stay until the limit pushes them out), trimming at once.
   * @throws {NdshareTypeError} for non-numbers. @throws {NdshareRangeError} outside [0, 2^46] / [0, 1e9].
   */
  configure(limit: number, idleMs: number): void;
  /** The OS page size. */
  readonly pageSize: number;
  /** Alignment of every buffer from {@link NativeMemory.allocate}. */
  readonly alignment: number;
}

/**
 * Shared-memory segments (native/shm/segment.cc): anonymous shared files
 * (Linux memfd) mapped read-write and shared, seen as SharedArrayBuffers.
 *
 * Lifetime: the SharedArrayBuffer owns the mapping and V8 unmaps it when the
 * last SharedArrayBuffer over it (in any thread) is collected; nothing unmaps
 * it earlier. {@link NativeShm.close} closes the fd only. The file itself
 * lives while any fd or mapping refers to it, in any process, and has no name
 * that could outlive them (nothing in /dev/shm).
 *
 * Offsets and lengths are checked again in C++: a bad value throws an
 * `NdshareTypeError` (`ERR_NDSHARE_INVALID_ARG_TYPE`) or `NdshareRangeError`
 * (`ERR_NDSHARE_INVALID_ARG_VALUE`); a failed system call an `NdshareError`
 * `ERR_NDSHARE_NATIVE` with `errno` and `syscall`; elsewhere than Linux the
 * calls throw `ERR_NDSHARE_UNSUPPORTED`.
 */
export interface NativeShm {
  /**
   * memfd_create(name, MFD_CLOEXEC) + ftruncate(capacity) (sparse) + mmap(MAP_SHARED).
   * The file is sealed against shrinking (F_SEAL_SHRINK), so no process can
   * truncate it under another one's mapping.
   * @param name 1 to 249 UTF-8 bytes, for /proc/<pid>/fd and /proc/<pid>/maps only.
   * @param capacity bytes, an integer in [1, 2^46].
   */
  create(name: string, capacity: number): { fd: number; buffer: SharedArrayBuffer };
  /**
   * open(path, O_RDWR|O_CLOEXEC) (e.g. `/proc/<pid>/fd/<n>`), fstat for the
   * size, mmap MAP_SHARED the whole size. The returned fd is ours to close.
   * @throws {NdshareError} `ERR_NDSHARE_NATIVE` with `errno`/`syscall` (ENOENT, EACCES…).
   * @throws {NdshareRangeError} for an empty file.
   */
  open(path: string): { fd: number; buffer: SharedArrayBuffer };
  /**
   * mmap an fd we already hold (e.g. inherited at spawn); the size comes from
   * fstat. The fd stays the caller's: it is not closed on failure.
   */
  map(fd: number): { fd: number; buffer: SharedArrayBuffer };
  /**
   * fcntl(fd, F_DUPFD_CLOEXEC, 3): a new fd of the same file that the caller
   * owns (closes, punches) while `fd` stays whoever's it was.
   * @throws {NdshareError} `ERR_NDSHARE_NATIVE` (EBADF for a closed fd).
   */
  duplicate(fd: number): number;
  /**
   * napi_adjust_external_memory: this thread's JS objects keep `change` more (or
   * fewer) bytes alive outside the V8 heap, so its GC weighs them. Returns the new total.
   */
  adjustExternalMemory(change: number): number;
  /**
   * close(fd). The mapping, and so the segment, stays alive. EBADF (already
   * closed) throws `ERR_NDSHARE_NATIVE`; fds 0-2 are refused with a RangeError.
   */
  close(fd: number): void;
  /**
   * Gives the memory of [offset, offset+length) back to the OS
   * (fallocate PUNCH_HOLE|KEEP_SIZE), both ends rounded INWARD to pages; a
   * no-op if no whole page remains. The range reads as zeros afterwards, in
   * every process. Bounds-checked against the file size.
   */
  punchHole(fd: number, offset: number, length: number): void;
  /** Bytes of the segment actually backed by memory (fstat st_blocks*512). */
  residentBytes(fd: number): number;
  /** The OS page size. */
  readonly pageSize: number;
}

/** One of the ways a futex wait ends: woken (maybe spuriously: re-check), the word differed, or time ran out. */
export type FutexWaitResult = 'ok' | 'not-equal' | 'timed-out';

/**
 * Cross-process synchronization inside SharedArrayBuffers (native/sync/*).
 *
 * Every function takes a SharedArrayBuffer (normally one from
 * {@link NativeShm}, so other processes map the same memory) and a byte
 * offset, checked in C++: integer, aligned, and the whole object inside the
 * buffer. Timeouts are milliseconds; `Infinity` or `-1` mean none.
 */
export interface NativeSync {
  /** sizeof(pthread_mutex_t) rounded up to 8 (40 on glibc x86-64). */
  readonly mutexSize: number;
  /**
   * pthread_mutex_init with PTHREAD_PROCESS_SHARED + PTHREAD_MUTEX_ROBUST
   * (+ PTHREAD_MUTEX_ERRORCHECK) at sab[byteOffset] (8-aligned, inside sab).
   * Once, by whoever creates the segment, before anyone uses it.
   */
  mutexInit(sab: SharedArrayBuffer, byteOffset: number): void;
  /**
   * Locks, blocking this thread up to `timeoutMs` (Infinity/-1: no limit).
   * 0 = locked; 1 = locked but the previous owner died (EOWNERDEAD: repair
   * the state it guards, then call {@link NativeSync.mutexConsistent}, then
   * unlock); 2 = timed out.
   * @throws {NdshareError} `ERR_NDSHARE_NATIVE`: ENOTRECOVERABLE (an owner
   * died and the next unlocked without mutexConsistent), EDEADLK (this thread
   * already holds it).
   */
  mutexLock(sab: SharedArrayBuffer, byteOffset: number, timeoutMs: number): 0 | 1 | 2;
  /** 0 = locked, 1 = locked, previous owner died, 3 = busy (also when this thread holds it). */
  mutexTryLock(sab: SharedArrayBuffer, byteOffset: number): 0 | 1 | 3;
  /** Marks a mutex locked with result 1 as repaired. Throws unless it is in that state and held by this thread. */
  mutexConsistent(sab: SharedArrayBuffer, byteOffset: number): void;
  /** Unlocks. Throws `ERR_NDSHARE_NATIVE` (EPERM) unless this thread holds it. */
  mutexUnlock(sab: SharedArrayBuffer, byteOffset: number): void;
  /**
   * Segments whose unmapping waits because a live thread of this process holds a
   * robust mutex inside them (native/platform/robust_mutex.h); sweeps first, so
   * what no live thread holds any more is unmapped now.
   */
  deferredUnmaps(): number;
  /**
   * FUTEX_WAIT (shared, not PRIVATE) on the int32 at sab[byteOffset]
   * (4-aligned) while it equals `expected` (an int32 or uint32 value), up to
   * `timeoutMs`. Blocks the calling thread; retries after signals with the
   * time left.
   */
  futexWait(sab: SharedArrayBuffer, byteOffset: number, expected: number, timeoutMs: number): FutexWaitResult;
  /**
   * {@link NativeSync.futexWait} without blocking: the word is compared now
   * ('not-equal' and a zero timeout resolve at once), then a native waiter
   * thread sleeps on it and the Promise resolves on this thread. The buffer's
   * memory stays mapped while the wait is pending. A pending wait keeps the
   * event loop alive, like a timer (with `Infinity`, until it is woken).
   */
  futexWaitAsync(sab: SharedArrayBuffer, byteOffset: number, expected: number, timeoutMs: number): Promise<FutexWaitResult>;
  /** FUTEX_WAKE up to `count` waiters in any process (Infinity = all). Returns the number woken. */
  futexWake(sab: SharedArrayBuffer, byteOffset: number, count: number): number;
}

/** Worker-process lifetime (native/proc/lifetime.cc). */
export interface NativeProc {
  /**
   * Has the kernel send `signal` to this process when its parent dies (Linux
   * PR_SET_PDEATHSIG), after checking the parent is still `parentPid`.
   * @throws {NdshareError} ERR_NDSHARE_NATIVE (errno ESRCH) if the parent is already gone;
   *   ERR_NDSHARE_UNSUPPORTED off Linux.
   */
  dieWithParent(signal: number, parentPid: number): void;
}

/**
 * Compute kernels (native/kernels/). Every loop is described by `operands`
 * (the whole `data` typed array of each NDArray, inputs first, output last)
 * and `desc`, a Float64Array in elements:
 *
 *     [ndim, shape[0..ndim), then per operand: offset, strides[0..ndim)]
 *
 * Broadcast operands carry stride 0. The addon checks that every addressed
 * element lies inside its typed array and that each typed array is the
 * storage type of the dtype code given (float16/bfloat16: Uint16Array,
 * bool: Uint8Array, int64/uint64: BigInt64Array/BigUint64Array).
 * dtype codes are `dtypes[name]` (those of schema/ndarray.fbs).
 */
export interface NativeMath {
  /** dtype name -> code. */
  readonly dtypes: Readonly<Record<DType, number>>;
  /** Elementwise op name -> code. */
  readonly ops: Readonly<Record<string, number>>;
  /** Per op: arity, whether the result is bool, and the input dtype codes the addon runs. */
  readonly opInfo: Readonly<Record<string, { arity: number; bool: boolean; dtypes: readonly number[]; complex?: 'complex' | 'real' | 'bool' }>>;
  /**
   * Runs elementwise op `op` with every input of dtype `dtype`; the output is
   * `dtype` too, or bool for comparisons, logical ops and isnan/isinf/isfinite.
   * The output may be exactly an input (same offset and strides). Returns flags:
   * bit 0 set if an integer `power` met a negative exponent.
   */
  elementwise(op: number, dtype: number, operands: readonly TypedArray[], desc: Float64Array): number;
  /** out = cond ? x : y; operands [cond (bool), x, y, out], x/y/out of `dtype`. */
  where(dtype: number, operands: readonly TypedArray[], desc: Float64Array): void;
  /**
   * NumPy's correlate core (native/kernels/correlate): out[k] = sum_j a[lagStart + k + j] * v[j]
   * over the j where a is defined; a, v, out contiguous of dtype float32, float64 or int64 (wrapping).
   */
  correlate(dtype: number, a: TypedArray, v: TypedArray, out: TypedArray, lagStart: number): void;
  /**
   * NumPy's packbits along `axis` of x (any view; desc as `elementwise`, one operand) into the C-contiguous
   * `out` whose axis has ceil(n / 8) elements (native/kernels/bits); dtype bool or an integer.
   */
  packbits(dtype: number, operands: readonly TypedArray[], desc: Float64Array, axis: number, little: boolean, out: Uint8Array): void;
  /** NumPy's unpackbits of the uint8 x along `axis` into the C-contiguous `out` whose axis has `count` elements. */
  unpackbits(operands: readonly TypedArray[], desc: Float64Array, axis: number, count: number, little: boolean, out: Uint8Array): void;
  /** NumPy's interp core (native/kernels/interp): out[i] from x[i] and the samples (xp increasing, >= 2 points); all float64. */
  interp(x: Float64Array, xp: Float64Array, fp: Float64Array, out: Float64Array, left: number, right: number): void;

  /** Reduction name -> code: sum, prod, min, max, any, all. */
  readonly reduceOps: Readonly<Record<NativeReduceOp, number>>;
  /**
   * out = op over the axes where out's stride is 0; operands [x, out]. The
   * addon first sets out to the op's identity (min/max: +/-Inf or the integer
   * extreme; callers refuse empty min/max), then accumulates in `outDtype`.
   */
  /** Reduction name -> the [inDtype, outDtype] code pairs `reduce` (and `accumulate`) take directly. */
  readonly reducePairs: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  /** Scan name -> the [inDtype, outDtype] code pairs `accumulate` takes. */
  readonly scanPairs: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  /** The [inDtype, outDtype] code pairs `sumSquaredDeviations` takes. */
  readonly sumSquaredDeviationsPairs: readonly (readonly [number, number])[];
  reduce(op: number, inDtype: number, outDtype: number, operands: readonly TypedArray[], desc: Float64Array): void;
  /** out = sum((x - mean)^2) over the axes where out's stride is 0; operands [x, mean, out]; mean and out of `outDtype`. */
  sumSquaredDeviations(inDtype: number, outDtype: number, operands: readonly TypedArray[], desc: Float64Array): void;
  /** Arg-reduction name -> code: argmin, argmax. */
  readonly argOps: Readonly<Record<'argmin' | 'argmax', number>>;
  /** Index (int64) of the first min/max along the LAST axis (a NaN wins at its first occurrence); operands [x, out], out's last stride 0. */
  argReduce(op: number, dtype: number, operands: readonly TypedArray[], desc: Float64Array): void;
  /** Scan name -> code: cumsum, cumprod. */
  readonly scanOps: Readonly<Record<'cumsum' | 'cumprod', number>>;
  /** Inclusive scan along the LAST axis; operands [x, out]. */
  accumulate(op: number, inDtype: number, outDtype: number, operands: readonly TypedArray[], desc: Float64Array): void;

  /**
   * out = a @ b for every batch index. desc (elements) =
   * [nbatch, batchShape..., M, N, K, then for a, b, out: offset, batchStrides..., rowStride, colStride].
   * out must not overlap a or b.
   */
  matmul(dtype: number, operands: readonly TypedArray[], desc: Float64Array): void;
  /** Threads matmul may use (1 turns threading off). */
  getThreads(): number;
  setThreads(n: number): void;
}

/** Sorting, selection, searching and counting kernels over contiguous rows (native/kernels/sort). */
export interface NativeSort {
  /** Sorts each of `rows` rows of `rowLen` elements of `buf` in place (NaN last). */
  sort(dtype: number, buf: TypedArray, rows: number, rowLen: number): void;
  /** Stable argsort of each row into `out` (row-local indices). */
  argsort(dtype: number, buf: TypedArray, rows: number, rowLen: number, out: BigInt64Array): void;
  /** Partitions each row in place around every index of `kth`. */
  partition(dtype: number, buf: TypedArray, rows: number, rowLen: number, kth: Float64Array): void;
  /** Indices that partition each row around every index of `kth`. */
  argpartition(dtype: number, buf: TypedArray, rows: number, rowLen: number, kth: Float64Array, out: BigInt64Array): void;
  /** Insertion points of v[0..m) in the sorted a[0..n) (same dtype). */
  searchsorted(dtype: number, a: TypedArray, n: number, v: TypedArray, m: number, right: boolean, out: BigInt64Array): void;
  /**
   * Starts (and lengths) of the runs of equal values of a sorted array, by value
   * (-0 == +0, NaN equals nothing; equalNan: the NaNs at the end form one run). Returns the run count.
   */
  runs(dtype: number, buf: TypedArray, n: number, equalNan: boolean, starts: BigInt64Array, counts: BigInt64Array | null): number;
  /** [min, max] of a non-empty integer array, as numbers. */
  intRange(dtype: number, x: TypedArray, n: number): [number, number];
  /** Adds 1 (or weights[i]) to out[x[i]]; every x must be in [0, nbins). */
  bincount(dtype: number, x: TypedArray, n: number, weights: Float64Array | null, out: BigInt64Array | Float64Array, nbins: number): void;
  /** Histogram of x over `edges` (uniform: NumPy's direct bin computation); counts or weight sums into out. */
  histogram(
    dtype: number,
    x: TypedArray,
    n: number,
    edges: Float64Array,
    uniform: boolean,
    weights: Float64Array | null,
    out: BigInt64Array | Float64Array,
  ): void;
}

/**
 * Advanced-indexing loops (native/kernels/index): items moved as bytes by
 * itemsize (1, 2, 4, 8, 16). Descriptors are built by src/indexing/native.ts;
 * every extent is checked natively, and an index outside its axis throws
 * `ERR_NDSHARE_OUT_OF_BOUNDS` naming the index, the axis and its size.
 */
export interface NativeIndex {
  /**
   * Gather (dir 0: data -> vals) or scatter (dir 1: vals -> data, every index checked before the first write)
   * through integer index arrays (dir 2: the positions of the selected elements, in items, into a Float64Array). desc = [itemsize, base, valsOffset, valsStride, nb, (shape, stride)*nb,
   * na, (shape, stride)*na, K, bnd, bshape*bnd, K x (dtype, len, axisStride, axis, mode, idxOffset, idxStrides*bnd)]
   * (data in bytes, index arrays in their elements; mode 0 raise, 1 wrap, 2 clip).
   */
  take(dir: 0 | 1 | 2, data: TypedArray, vals: TypedArray, desc: Float64Array, idx: TypedArray[]): void;
  /**
   * Boolean-mask gather/scatter: returns the number of true mask elements. desc = [itemsize, base, valsOffset,
   * valsStride, cap, nm, (shape, dataStride, maskStride)*nm, maskOffset, na, (shape, stride)*na] (bytes).
   */
  compress(dir: 0 | 1, data: TypedArray, vals: TypedArray, desc: Float64Array, mask: Uint8Array): number;
  /** The number of nonzero items; desc = [itemsize, base, n, (shape, stride)*n] (bytes). */
  count(x: TypedArray, desc: Float64Array, isFloat: boolean): number;
  /** Coordinates of the nonzero items (C order), one array per axis or interleaved (argwhere); returns the count. */
  nonzero(x: TypedArray, desc: Float64Array, isFloat: boolean, outs: BigInt64Array[], interleaved: boolean): number;
}

/**
 * NumPy's bit generators and Generator algorithms (native/kernels/random/).
 * `kind` is a bit generator kind (src/random/bitgen.ts KIND) and `state` its
 * BigUint64Array of exactly the kind's word count; every call advances it.
 * Parameter arrays have 1 element (broadcast) or one per output element.
 * Bad types throw `NdshareTypeError`, bad lengths `NdshareRangeError`.
 */
export interface NativeRandom {
  /** Continuous distribution `dist` (src/random/kernels.ts CONT) into a float64 array. */
  fill(kind: number, state: BigUint64Array, dist: number, out: Float64Array, a?: Float64Array, b?: Float64Array, c?: Float64Array): void;
  /** random, standard normal, standard exponential (zig / inv) and standard gamma in float32. */
  fillFloat32(kind: number, state: BigUint64Array, dist: number, out: Float32Array, a?: Float64Array): void;
  /** Discrete distribution `dist` (src/random/kernels.ts DISC) into an int64 array. */
  fillInt(kind: number, state: BigUint64Array, dist: number, out: BigInt64Array, a?: Float64Array, b?: Float64Array, c?: Float64Array): void;
  /** out[i] = off + U[0, rng] wrapped to `bits` (1 = bool, 8, 16, 32, 64), NumPy's Lemire method and buffering. */
  integers(kind: number, state: BigUint64Array, bits: number, out: TypedArray, off: BigUint64Array, rng: BigUint64Array): void;
  /** out[i] = i. */
  iota(out: BigInt64Array): void;
  /** Raw 64-bit outputs. */
  raw(kind: number, state: BigUint64Array, out: BigUint64Array): void;
  /** Fisher-Yates over `n` contiguous rows of `rowBytes` bytes, i from n-1 down to `first`; j by masked rejection, or Lemire's bounded draw when `lemire`. */
  shuffle(kind: number, state: BigUint64Array, data: Uint8Array, n: number, rowBytes: number, first: number, lemire?: boolean): void;
  /** The swap partners j of the same Fisher-Yates steps, for strided data. */
  intervals(kind: number, state: BigUint64Array, out: Float64Array, n: number, first: number, lemire?: boolean): void;
  /** out.length distinct indices from [0, popSize) by Floyd's algorithm. */
  floyd(kind: number, state: BigUint64Array, popSize: number, out: BigInt64Array): void;
  multinomial(kind: number, state: BigUint64Array, n: Float64Array, pvals: Float64Array, out: BigInt64Array): void;
  mvhypergeometric(kind: number, state: BigUint64Array, count: boolean, colors: BigInt64Array, nsample: number, out: BigInt64Array): void;
  dirichlet(kind: number, state: BigUint64Array, alpha: Float64Array, out: Float64Array): void;
}

/** What the addon provides. */
export interface NativeAddon {
  /** Version of the JS <-> native interface compiled into the addon. */
  readonly version: string;
  /** float16/bfloat16 conversion kernels. */
  readonly cast: NativeCast;
  /** ISA dispatch: the one test control for the instruction set. */
  readonly kernels: NativeKernels;
  /** Large private buffers. */
  readonly memory: NativeMemory;
  /** Shared-memory segments. */
  readonly shm: NativeShm;
  /** Cross-process mutexes and futexes. */
  readonly sync: NativeSync;
  /** Worker-process lifetime. */
  readonly proc: NativeProc;
  /** Compute kernels. */
  readonly math: NativeMath;
  /** Sorting and counting kernels. */
  readonly sort: NativeSort;
  /** Advanced-indexing loops (gather, scatter, compress, nonzero). */
  readonly index: NativeIndex;
  /** Named stores: fd handoff over Unix sockets, lock files. */
  readonly handoff: NativeHandoff;
  /** Random number generation. */
  readonly random: NativeRandom;
  /** The store's rules (shared with the Python client's libndshare_store.so). */
  readonly store: NativeStore;
}

/**
 * The error classes C++ instantiates (see native/util/errors.h), in their
 * public form: `new Class(message, {code, ...details})`.
 */
interface ErrorClasses {
  NdshareError: typeof NdshareError;
  NdshareTypeError: typeof NdshareTypeError;
  NdshareRangeError: typeof NdshareRangeError;
}

/** The raw module, before it is handed its error classes. */
interface RawAddon extends NativeAddon {
  setErrorClasses(classes: ErrorClasses): void;
  /** The V8 version the addon was compiled against (it uses V8's API, which is not ABI-stable). */
  readonly v8Version: string;
}

const ADDON_PATH = '../build/Release/ndshare.node';

function load(): NativeAddon {
  const require = createRequire(import.meta.url);
  let addon: RawAddon;
  try {
    addon = require(ADDON_PATH) as RawAddon;
  } catch (cause) {
    // First line only: the loader appends a multi-line require stack.
    const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
    throw new NdshareError(
      `Cannot load ndshare's native addon (${fileURLToPath(new URL(ADDON_PATH, import.meta.url))}): ${reason}. ` +
        'It is built when the package is installed: run `npm install` (or `npm run build:native` ' +
        'in a checkout; it needs python3, make and a C++ compiler).',
      { code: codes.NATIVE, cause },
    );
  }
  // Node-API alone would be ABI-stable, but the addon also uses the V8 API
  // (SharedArrayBuffers over shared memory), which is not: refuse a stale build
  // with a clear message instead of failing in a V8 call.
  if (addon.v8Version !== process.versions.v8) {
    throw new NdshareError(
      `ndshare's native addon was built against V8 ${addon.v8Version}, but this is Node ${process.version} ` +
        `(V8 ${process.versions.v8}): run \`npm rebuild ndshare\` (or \`npm run build:native\` in a checkout).`,
      { code: codes.NATIVE },
    );
  }
  addon.setErrorClasses({ NdshareError, NdshareTypeError, NdshareRangeError });
  return addon;
}

/**
 * The loaded addon.
 *
 * @throws {NdshareError} `ERR_NDSHARE_NATIVE` at import time if the addon is
 * missing or fails to load (the `cause` holds the loader's error).
 */
export const native: NativeAddon = load();
