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

/**
 * Contiguous conversion kernels between the 16-bit floats and float32/float64
 * (native/kernels/cast.cc). Each takes a whole source and destination array of
 * the same length, which must not overlap in memory.
 *
 * All paths give the same bits: float -> float16 is IEEE round to nearest
 * even, bit for bit NumPy's `astype(np.float16)` (float64 rounds once,
 * directly); float -> bfloat16 is RNE on the float32 bits (float64 goes
 * through float32 first); widening is exact. A NaN stays a NaN with its sign;
 * see native/kernels/cast.h for the payload rules.
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
  /** The code paths this CPU can run, best first: `'avx2-f16c'` (x86-64), `'scalar'` (always). */
  readonly paths: readonly string[];
  /** The path this thread uses (the best one unless {@link NativeCast.setPath} changed it). */
  getPath(): string;
  /**
   * Selects this thread's path: `'auto'` or one of {@link NativeCast.paths}.
   * For tests and benchmarks; results are identical on every path.
   * @throws {NdshareRangeError} `ERR_NDSHARE_UNSUPPORTED` if the CPU lacks that path.
   */
  setPath(name: string): void;
}

/** Large private buffers (native/memory/buffers.cc). */
export interface NativeMemory {
  /**
   * A zero-filled ArrayBuffer of `bytes` over memory mapped by the addon:
   * 2 MiB aligned and huge-page advised (Linux), freed when collected.
   * @throws {NdshareRangeError} for a byte count outside [1, 2^46].
   * @throws {NdshareError} `ERR_NDSHARE_NATIVE` (with `errno`, `syscall`) when mmap fails.
   */
  allocate(bytes: number): ArrayBuffer;
  /** The OS page size. */
  readonly pageSize: number;
  /** Alignment of every buffer from {@link NativeMemory.allocate}. */
  readonly alignment: number;
}

/** What the addon provides. */
export interface NativeAddon {
  /** Version of the JS <-> native interface compiled into the addon. */
  readonly version: string;
  /** float16/bfloat16 conversion kernels. */
  readonly cast: NativeCast;
  /** Large private buffers. */
  readonly memory: NativeMemory;
}

/** The error classes C++ instantiates (see native/util/errors.h). */
interface ErrorClasses {
  NdshareError: typeof NdshareError;
  NdshareTypeError: typeof NdshareTypeError;
  NdshareRangeError: typeof NdshareRangeError;
}

/** The raw module, before it is handed its error classes. */
interface RawAddon extends NativeAddon {
  setErrorClasses(classes: ErrorClasses): void;
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
      codes.NATIVE,
      `Cannot load ndshare's native addon (${fileURLToPath(new URL(ADDON_PATH, import.meta.url))}): ${reason}. ` +
        'It is built when the package is installed: run `npm install` (or `npm run build:native` ' +
        'in a checkout; it needs python3, make and a C++ compiler).',
      { cause },
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
