/**
 * The complex matrix product on the real GEMM (native/kernels/matmul).
 *
 * A complex M x K matrix stored interleaved is, read as reals, an M x 2K
 * matrix [ar0 ai0 ar1 ai1 ...]. With B expanded to the real 2K x 2N matrix
 *
 *     E[2k, 2j] = br   E[2k, 2j+1] = bi
 *     E[2k+1, 2j] = -bi   E[2k+1, 2j+1] = br
 *
 * the real product (M x 2K)(2K x 2N) is C read as reals: C[i, 2j] = Σ ar·br − ai·bi,
 * C[i, 2j+1] = Σ ar·bi + ai·br. Every output element is the same set of real
 * products a conventional complex dot (zgemm's micro-kernel) sums, so the error
 * bound is the conventional one, |ΔC| ≤ γ₂ₖ |A||B| per part, unlike the 3M
 * method, whose imaginary part can lose accuracy to cancellation. The work is
 * 4MNK real multiply-adds, as zgemm's; it runs on the packed SIMD GEMM with its
 * threads and batching; A and C are read and written in place (no copy when A's
 * rows are contiguous), only B is expanded (O(KN), 4x its size).
 *
 * @module
 */
import { native } from '../binding.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { broadcastStrides } from '../ndarray/layout.js';
import { dtypeCode } from './ufunc.js';

/** Elements of a contiguous copy of `x`'s batch (all but the last 2 axes) count. */
function batchCount(shape: readonly number[]): number {
  let c = 1;
  for (let i = 0; i < shape.length - 2; i++) c *= shape[i]!;
  return c;
}

/**
 * The real 2K x 2N expansion of every K x N matrix of the complex stack `b` (contiguous, shape [...batch, 2K, 2N]),
 * of conj(b) when `conj`.
 */
export function expandB(b: NDArray, conj = false): Float64Array | Float32Array {
  const bc = b.flags.cContiguous ? b : b.copy();
  const K = bc.shape[bc.ndim - 2]!;
  const N = bc.shape[bc.ndim - 1]!;
  const count = batchCount(bc.shape);
  const src = bc.data as Float64Array | Float32Array;
  const E = new (src.constructor as new (n: number) => Float64Array | Float32Array)(count * 4 * K * N);
  const s = conj ? -1 : 1;
  const w = 2 * N;
  for (let q = 0; q < count; q++) {
    let p = 2 * (bc.offset + q * K * N);
    const base = q * 4 * K * N;
    for (let k = 0; k < K; k++) {
      const r0 = base + 2 * k * w;
      const r1 = r0 + w;
      for (let j = 0; j < N; j++, p += 2) {
        const br = src[p]!;
        const bi = s * src[p + 1]!;
        E[r0 + 2 * j] = br;
        E[r0 + 2 * j + 1] = bi;
        E[r1 + 2 * j] = -bi;
        E[r1 + 2 * j + 1] = br;
      }
    }
  }
  return E;
}

/** One operand of {@link gemmDesc}: offset, batch shape, batch strides, row stride, column stride (elements). */
export type GemmOperand = readonly [number, readonly number[], readonly number[], number, number];

/** The `desc` of native math.matmul (native/kernels/matmul/matmul.cc) for operands [a, b, out] over `batch`. */
export function gemmDesc(batch: readonly number[], M: number, N: number, K: number, ops: readonly GemmOperand[]): Float64Array {
  const nb = batch.length;
  const desc = new Float64Array(1 + nb + 3 + 3 * (1 + nb + 2));
  let p = 0;
  desc[p++] = nb;
  for (const d of batch) desc[p++] = d;
  desc[p++] = M;
  desc[p++] = N;
  desc[p++] = K;
  for (const [off, xb, xs, rs, cs] of ops) {
    desc[p++] = off;
    for (const s of broadcastStrides(xb, xs, batch)) desc[p++] = s;
    desc[p++] = rs;
    desc[p++] = cs;
  }
  return desc;
}

/** Doubles (or floats) of B's expansion per chunk of columns: bounds the extra memory of a large product. */
const EXPANSION_BUDGET = 1 << 22;

/**
 * r[..., M, N] = a[..., M, K] @ b[..., K, N] for complex a, b, r of the same complex dtype (r C-contiguous,
 * batch shape `batch`; a and b's batch shapes broadcast to it). B is expanded a chunk of columns at a time
 * (at most EXPANSION_BUDGET elements per matrix), each chunk one call of the real GEMM.
 */
export function complexMatmul(a: NDArray, b: NDArray, r: NDArray, batch: readonly number[]): void {
  const K = a.shape[a.ndim - 1]!;
  const N = b.shape[b.ndim - 1]!;
  // A is read in place as M x 2K reals when its elements along a row are adjacent.
  const A = K <= 1 || a.strides[a.ndim - 1] === 1 ? a : a.copy();
  const step = Math.max(1, Math.floor(EXPANSION_BUDGET / Math.max(1, 4 * K)));
  for (let j0 = 0; j0 < N; j0 += step) {
    const j1 = Math.min(N, j0 + step);
    const bc = j0 === 0 && j1 === N ? b : b.slice('...', `${j0}:${j1}`);
    productChunk(A, bc, r, batch, j0);
  }
}

/** Columns [j0, j0 + bc's N) of r = A @ bc on the real GEMM. */
function productChunk(A: NDArray, b: NDArray, r: NDArray, batch: readonly number[], j0: number): void {
  const M = A.shape[A.ndim - 2]!;
  const K = A.shape[A.ndim - 1]!;
  const N = b.shape[b.ndim - 1]!;
  const aBatch = A.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const E = expandB(b);
  const eStrides: number[] = [];
  let st = 4 * K * N;
  for (let i = bBatch.length - 1; i >= 0; i--) {
    eStrides.unshift(st);
    st *= bBatch[i]!;
  }
  const desc = gemmDesc(batch, M, 2 * N, 2 * K, [
    [2 * A.offset, aBatch, A.strides.slice(0, -2).map((s) => 2 * s), 2 * A.strides[A.ndim - 2]!, 1],
    [0, bBatch, eStrides, 2 * N, 1],
    [2 * (r.offset + j0), batch, r.strides.slice(0, -2).map((s) => 2 * s), 2 * r.strides[r.ndim - 2]!, 1],
  ]);
  const real = r.dtype === 'complex64' ? 'float32' : 'float64';
  native.math.matmul(dtypeCode(real), [A.data, E, r.data], desc);
}
