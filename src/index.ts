/**
 * ndshare: NumPy-style arrays for Node.js that live in shared memory, so that
 * worker processes compute on the same bytes with no copy.
 *
 * This is the only public entry point: `import * as nd from 'ndshare'`.
 *
 * @module
 */

// Errors
export { NdshareError, NdshareTypeError, NdshareRangeError, codes, isNdshareError, type ErrorCode, type CodedError } from './errors.js';

// Arrays
export {
  ALL_DTYPES,
  COMPLEX_DTYPES,
  DTYPES,
  isDType,
  iinfo,
  finfo,
  type Complex,
  type ComplexDType,
  type DType,
  type DTypeInfo,
  type TypedArray,
  type IInfo,
  type FInfo,
} from './ndarray/dtypes.js';
export { complex } from './ndarray/complex.js';
export { real, imag, angle, iscomplex, isreal, iscomplexobj, isrealobj, realIfClose } from './math/complex-parts.js';
export { NDArray, type Flags, type Index, type NestedArray, type AstypeOptions, type ElementOf, type ElementTypes } from './ndarray/ndarray.js';
export type { Scalar } from './ndarray/cast.js';
export type { Order } from './ndarray/layout.js';
export { broadcastShapes } from './ndarray/layout.js';
export {
  array,
  asarray,
  empty,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  arange,
  linspace,
  eye,
  type ArrayInput,
  type NestedInput,
  type ArrayOptions,
  type DTypeOptions,
  type LinspaceOptions,
  type EyeOptions,
} from './ndarray/creation.js';
export {
  emptyLike,
  fullLike,
  copy,
  asanyarray,
  ascontiguousarray,
  asfortranarray,
  asarrayChkfinite,
  require,
  logspace,
  geomspace,
  meshgrid,
  indices,
  fromfunction,
  fromiter,
  frombuffer,
  diag,
  diagflat,
  identity,
  vander,
  type LikeOptions,
  type LogspaceOptions,
} from './creation/more.js';
export * as random from './random/index.js';

// Math (elementwise, NumPy names and semantics)
export {
  add,
  subtract,
  multiply,
  divide,
  floorDivide,
  mod,
  power,
  maximum,
  minimum,
  arctan2,
  equal,
  notEqual,
  less,
  lessEqual,
  greater,
  greaterEqual,
  logicalAnd,
  logicalOr,
  logicalXor,
  negative,
  abs,
  sign,
  sqrt,
  square,
  exp,
  expm1,
  log,
  log1p,
  log2,
  log10,
  sin,
  cos,
  tan,
  arcsin,
  arccos,
  arctan,
  sinh,
  cosh,
  tanh,
  floor,
  ceil,
  trunc,
  rint,
  logicalNot,
  isnan,
  isinf,
  isfinite,
} from './math/elementwise.js';
export {
  fabs,
  cbrt,
  exp2,
  deg2rad,
  rad2deg,
  radians,
  degrees,
  hypot,
  copysign,
  logaddexp,
  logaddexp2,
  acos,
  asin,
  atan,
  atan2,
  pow,
} from './math/elementwise-float.js';
export {
  bitwiseAnd,
  bitwiseOr,
  bitwiseXor,
  invert,
  leftShift,
  rightShift,
  gcd,
  lcm,
  bitwiseNot,
  bitwiseInvert,
  bitwiseLeftShift,
  bitwiseRightShift,
} from './math/elementwise-bits.js';
export {
  fmod,
  fmax,
  fmin,
  heaviside,
  nextafter,
  spacing,
  arcsinh,
  arccosh,
  arctanh,
  positive,
  conjugate,
  reciprocal,
  signbit,
  floatPower,
  divmod,
  modf,
  remainder,
  trueDivide,
  absolute,
  conj,
  asinh,
  acosh,
  atanh,
} from './math/elementwise-more.js';
export { where, clip, round, type WhereOptions, type ClipOptions, type RoundOptions } from './math/selection.js';
export type { Operand, UfuncOptions, UnaryUfunc, BinaryUfunc, UfuncMethods, UfuncReduceOptions, UfuncAccumulateOptions } from './math/ufunc.js';
// Side effects: ufunc methods on every binary ufunc, function-twin methods on NDArray.
import './math/ufunc-methods.js';
import './math/array-methods.js';
export { promoteTypes, resultType } from './math/promote.js';

// Reductions
export {
  sum,
  prod,
  min,
  max,
  any,
  all,
  mean,
  variance as var,
  std,
  argmin,
  argmax,
  cumsum,
  cumprod,
  type ReductionOptions,
  type MomentOptions,
  type ArgOptions,
  type ScanOptions,
} from './math/reduce.js';

export {
  quantile,
  percentile,
  nanquantile,
  nanpercentile,
  median,
  nanmedian,
  type QuantileOptions,
  type QuantileMethod,
  type MedianOptions,
} from './math/quantile.js';
export {
  nansum,
  nanprod,
  nancumsum,
  nancumprod,
  nanmean,
  nanvar,
  nanstd,
  nanmin,
  nanmax,
  amax,
  amin,
  ptp,
  average,
  type AverageOptions,
} from './math/nanfunctions.js';

export {
  isneginf,
  isposinf,
  isfortran,
  isscalar,
  ndim,
  shape,
  size,
  fix,
  around,
  nanToNum,
  sinc,
  i0,
  bartlett,
  blackman,
  hamming,
  hanning,
  kaiser,
  type NanToNumOptions,
} from './math/misc.js';
// Sorting, searching and sets
export { sort, argsort, partition, argpartition, lexsort, sortComplex, type SortOptions, type PartitionOptions, type LexsortOptions } from './sorting/sort.js';
export { searchsorted, countNonzero, nanargmax, nanargmin, type SearchsortedOptions, type CountNonzeroOptions, type NanArgOptions } from './sorting/search.js';
export {
  unique,
  uniqueAll,
  uniqueCounts,
  uniqueInverse,
  uniqueValues,
  intersect1d,
  isin,
  setdiff1d,
  setxor1d,
  union1d,
  type UniqueOptions,
  type Intersect1dOptions,
  type IsinOptions,
  type SetOptions,
} from './sorting/sets.js';

// Statistics: counting and histograms
export { bincount, digitize, type BincountOptions, type DigitizeOptions } from './stats/counting.js';
export {
  histogram,
  histogramBinEdges,
  histogram2d,
  histogramdd,
  type Bins,
  type HistogramOptions,
  type HistogramddOptions,
  type Histogram2dOptions,
} from './stats/histogram.js';

// Differences, cumulative sums, closeness
export { diff, ediff1d, cumulativeSum, cumulativeProd, type DiffOptions, type Ediff1dOptions, type CumulativeOptions } from './math/differences.js';
export { isclose, allclose, arrayEqual, arrayEquiv, type IscloseOptions, type ArrayEqualOptions } from './math/close.js';

// Linear algebra and shaping
export { matmul, dot, setThreads, getThreads, kernelInfo, type MatmulOptions, type KernelInfo } from './math/linalg.js';
export * as linalg from './linalg/index.js';
export * as fft from './fft/index.js';
export { einsum, einsumPath, type EinsumOptions } from './linalg/einsum.js';
export type { EinsumOptimize } from './linalg/einsum-path.js';
export { tensordot, inner, outer, kron, vdot, trace, type TensordotAxes, type TraceOptions } from './linalg/products.js';
export { polyadd, polysub, polymul, polydiv, polyder, polyint, polyval, polyfit, poly, roots, type PolyfitOptions } from './linalg/poly.js';
export { concatenate, stack, type ConcatenateOptions, type StackOptions } from './math/shaping.js';

// Indexing
export { type AdvancedIndex } from './indexing/advanced.js';
export {
  take,
  put,
  takeAlongAxis,
  putAlongAxis,
  compress,
  extract,
  place,
  putmask,
  choose,
  select,
  nonzero,
  flatnonzero,
  argwhere,
  diagonal,
  diagIndices,
  diagIndicesFrom,
  fillDiagonal,
  tri,
  tril,
  triu,
  trilIndices,
  triuIndices,
  trilIndicesFrom,
  triuIndicesFrom,
  maskIndices,
  type IndexMode,
  type TakeOptions,
  type DiagonalOptions,
  type TriOptions,
} from './indexing/functions.js';
export { ix, ravelMultiIndex, unravelIndex } from './indexing/multi-index.js';

// Manipulation
export {
  reshape,
  transpose,
  permuteDims,
  matrixTranspose,
  swapaxes,
  moveaxis,
  rollaxis,
  squeeze,
  expandDims,
  broadcastTo,
  broadcastArrays,
  ravel,
  astype,
  atleast1d,
  atleast2d,
  atleast3d,
  flip,
  fliplr,
  flipud,
  rot90,
} from './manipulation/views.js';
export {
  concat,
  hstack,
  vstack,
  dstack,
  columnStack,
  unstack,
  block,
  split,
  arraySplit,
  hsplit,
  vsplit,
  dsplit,
  append,
  insert,
  delete_ as delete,
  type SplitOptions,
} from './manipulation/joining.js';
export { roll, tile, repeat, resize, trimZeros, copyto, pad, type PadOptions, type PadMode } from './manipulation/rearrange.js';

// The array header (FlatBuffers)
export { encodeHeader, readHeader, writeHeader, type ArrayHeader } from './header/codec.js';
export { headerOf, fromHeader } from './header/array.js';

// I/O
export { save, parseNpy, encodeNpy } from './io/npy.js';
export { loadSafetensors, saveSafetensors, parseSafetensors } from './io/safetensors.js';

// Interop
export { fromScijs, toScijs, fromNdarray, isScijsNdarray, type ScijsNdarray } from './interop/scijs.js';
export { fromStdlib, toStdlib, isStdlibNdarray, type StdlibNdarray } from './interop/stdlib.js';

// Shared memory
export {
  Store,
  type ObjectId,
  type StoreHandle,
  type StoreCreateOptions,
  type StoreAttachOptions,
  type StoreOpenOptions,
  type StoreStats,
  type ObjectInfo,
  type GetOptions,
  type PutOptions,
  type AllocOptions,
  type LoadSafetensorsOptions,
} from './store/store.js';

// Parallel compute
export {
  Pool,
  type PoolOptions,
  type PoolStats,
  type MapOptions,
  type ReduceOptions,
  type JobOptions,
  type CustomReduce,
  type Progress,
  type MapChunksOptions,
  type CancelOptions,
  type CloseOptions,
  type RunModuleTask,
  type RunFunctionTask,
  type TaskContext,
} from './pool/pool.js';
export type { Backend } from './pool/runtime/index.js';
export type { ReduceOp } from './pool/messages.js';
export { AbortError } from './pool/errors.js';
export { parallelMap, parallelReduce, defaultPool } from './pool/default.js';
export { workerContext, type WorkerContext } from './pool/context.js';

// Bits, dtype queries, memory overlap, functional helpers, .npz and text I/O (issue 16)
export { packbits, unpackbits, type PackbitsOptions, type UnpackbitsOptions, type BitOrder } from './bits/packing.js';
export {
  canCast,
  minScalarType,
  isdtype,
  issubdtype,
  generic,
  number,
  integer,
  signedinteger,
  unsignedinteger,
  inexact,
  floating,
  complexfloating,
  ABSTRACT_TYPES,
  DTYPE_KINDS,
  type AbstractType,
  type Casting,
  type CanCastOptions,
  type DTypeKindName,
} from './ndarray/dtype-queries.js';
export { sharesMemory, mayShareMemory, type ShareMemoryOptions } from './ndarray/overlap.js';
export { applyAlongAxis, applyOverAxes, piecewise, type CallbackResult, type PiecewiseFunction } from './functional/apply.js';
export { load, type LoadOptions } from './io/load.js';
export { savez, savezCompressed, loadNpz, NpzFile, type SavezArgument } from './io/npz.js';
export { loadtxt, genfromtxt, type LoadtxtOptions, type GenfromtxtOptions, type TextSource, type Converters, type ConvertedValue } from './io/text-read.js';
export { savetxt, formatTxt, type SavetxtOptions } from './io/text-write.js';
export { fromfile, type FromfileOptions } from './io/fromfile.js';

// Issue 16 (surf-a): vector products, numeric calculus, interpolation, convolution, covariance, mixed-dtype ufuncs.
export { bitwiseCount, ldexp, frexp, type FpUfuncOptions, type FrexpOptions } from './math/elementwise-fp.js';
export { cross, vecdot, matvec, vecmat, type CrossOptions, type GufuncOptions, type VecdotOptions } from './math/vector-products.js';
export { gradient, trapezoid, type GradientOptions, type TrapezoidOptions } from './math/calculus.js';
export { interp, unwrap, type InterpOptions, type UnwrapOptions } from './math/interp.js';
export { convolve, correlate, type ConvolveOptions, type ConvolveMode } from './math/convolve.js';
export { cov, corrcoef, type CovOptions, type CorrcoefOptions } from './stats/covariance.js';
