/**
 * nd.linalg on complex matrices, spectral part: eigh/eigvalsh (Hermitian:
 * reduction to a real tridiagonal, the real tridiagonal solver, back-transform),
 * eig/eigvals (Hessenberg + shifted QR to the complex Schur form, back
 * substitution, zgeev's normalisation), svd (bidiagonalisation to a real
 * bidiagonal + the real SVD driver), lstsq, pinv.
 * Eigenvalues of eigh and singular values are real (float32 for complex64).
 *
 * @module
 */
import type { NDArray } from '../ndarray/ndarray.js';
import { batchOf, checkStack, kernel, linalgError, prodOf, type RawSvd } from './core.js';
import { c128, complexResult, conjT, fromC128, fromReal, realPart } from './complex.js';

/** Eigenvalues (ascending, real) and, when wantV, eigenvectors of a complex Hermitian stack (UPLO's triangle read). */
export function zeighImpl(A: NDArray, UPLO: 'L' | 'U', wantV: boolean): { w: NDArray; v?: NDArray } {
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const buf = c128(A);
  if (UPLO === 'U') {
    // The kernel reads the lower triangle: mirror the upper one into it.
    for (let b = 0; b < count; b++) {
      const o = 2 * b * n * n;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          buf[o + 2 * (j * n + i)] = buf[o + 2 * (i * n + j)]!;
          buf[o + 2 * (j * n + i) + 1] = -buf[o + 2 * (i * n + j) + 1]!;
        }
      }
    }
  }
  const w = new Float64Array(count * n);
  for (let b = 0; b < count; b++) {
    if (kernel('zeigh', [buf.subarray(2 * b * n * n, 2 * (b + 1) * n * n), w.subarray(b * n, (b + 1) * n)], [n, wantV ? 1 : 0]) !== 0) {
      linalgError('Eigenvalues did not converge');
    }
  }
  const dt = complexResult(A.dtype);
  return { w: fromReal(w, [...batch, n], realPart(dt)), ...(wantV ? { v: fromC128(buf, A.shape, dt) } : {}) };
}

/** eig/eigvals of a complex square stack (results always complex, as NumPy's for complex input). */
export function zeig(fn: string, A: NDArray, vectors: boolean): { eigenvalues: NDArray; eigenvectors?: NDArray } {
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const buf = c128(A);
  for (let i = 0; i < buf.length; i++) if (!Number.isFinite(buf[i]!)) linalgError(`${fn}: Array must not contain infs or NaNs`);
  const w = new Float64Array(2 * count * n);
  const v = vectors ? new Float64Array(2 * count * n * n) : undefined;
  for (let b = 0; b < count && n > 0; b++) {
    const m = buf.subarray(2 * b * n * n, 2 * (b + 1) * n * n);
    const wb = w.subarray(2 * b * n, 2 * (b + 1) * n);
    const r = v ? kernel('zeigv', [m, wb, v.subarray(2 * b * n * n, 2 * (b + 1) * n * n)], [n]) : kernel('zeig', [m, wb], [n]);
    if (r !== 0) linalgError('Eigenvalues did not converge');
  }
  const dt = complexResult(A.dtype);
  return { eigenvalues: fromC128(w, [...batch, n], dt), ...(v ? { eigenvectors: fromC128(v, A.shape, dt) } : {}) };
}

export function zsvdRaw(fn: string, A: NDArray, full: boolean, wantUv: boolean): RawSvd {
  checkStack(fn, A, false);
  const m = A.shape[A.ndim - 2]!;
  const n = A.shape[A.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = batchOf(A);
  const count = prodOf(batch);
  const buf = c128(A);
  for (let i = 0; i < buf.length; i++) if (!Number.isFinite(buf[i]!)) linalgError('SVD did not converge');
  const tall = m >= n;
  const p = tall ? m : n;
  const q = tall ? n : m;
  const uc = full ? m : k;
  const vr = full ? n : k;
  const kuc = full ? p : q;
  const s = new Float64Array(count * k);
  const u = wantUv ? new Float64Array(2 * count * m * uc) : undefined;
  const vh = wantUv ? new Float64Array(2 * count * vr * n) : undefined;
  const ku = new Float64Array(wantUv ? 2 * p * kuc : 0);
  const kvh = new Float64Array(wantUv ? 2 * q * q : 0);
  for (let b = 0; b < count; b++) {
    const src = buf.subarray(2 * b * m * n, 2 * (b + 1) * m * n);
    const work = tall ? src : conjT(src, 1, m, n);
    if (kernel('zsvd', [work, s.subarray(b * k, (b + 1) * k), ku, kvh], [p, q, kuc, wantUv ? 1 : 0]) !== 0) {
      linalgError('SVD did not converge');
    }
    if (!wantUv) continue;
    if (tall) {
      u!.set(ku.subarray(0, 2 * m * uc), 2 * b * m * uc);
      vh!.set(kvh.subarray(0, 2 * vr * n), 2 * b * vr * n);
    } else {
      // A^H = ku S kvh  =>  A = kvh^H S ku^H.
      u!.set(conjT(kvh, 1, q, q), 2 * b * m * uc);
      vh!.set(conjT(ku, 1, p, kuc), 2 * b * vr * n);
    }
  }
  return { s, u, vh, m, n, k, uc, vr, batch, count };
}

/** `svd` of a complex stack ({U, S, Vh} or {S}); S real, U and Vh complex. */
export function zsvd(A: NDArray, full: boolean, want: boolean): { U: NDArray; S: NDArray; Vh: NDArray } | { S: NDArray } {
  const r = zsvdRaw('svd', A, full, want);
  const dt = complexResult(A.dtype);
  const S = fromReal(r.s, [...r.batch, r.k], realPart(dt));
  if (!want) return { S };
  return { U: fromC128(r.u!, [...r.batch, r.m, r.uc], dt), S, Vh: fromC128(r.vh!, [...r.batch, r.vr, r.n], dt) };
}

/** `svd(a, {hermitian: true})` of a complex Hermitian stack, from eigh: S = |w| descending. */
export function zsvdHermitian(A: NDArray, want: boolean): { U: NDArray; S: NDArray; Vh: NDArray } | { S: NDArray } {
  checkStack('svd', A, true);
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const e = zeighImpl(A, 'L', want);
  const w = e.w.astype('float64').data as Float64Array;
  const dt = complexResult(A.dtype);
  const s = new Float64Array(count * n);
  const order: number[][] = [];
  for (let b = 0; b < count; b++) {
    const idx = [...Array(n).keys()].sort((x, y) => Math.abs(w[b * n + y]!) - Math.abs(w[b * n + x]!));
    order.push(idx);
    idx.forEach((j, i) => (s[b * n + i] = Math.abs(w[b * n + j]!)));
  }
  const S = fromReal(s, [...batch, n], realPart(dt));
  if (!want) return { S };
  const v = c128(e.v!);
  const U = new Float64Array(2 * count * n * n);
  const Vh = new Float64Array(2 * count * n * n);
  for (let b = 0; b < count; b++) {
    const o = 2 * b * n * n;
    order[b]!.forEach((j, c) => {
      const sg = w[b * n + j]! < 0 ? -1 : 1;
      for (let i = 0; i < n; i++) {
        U[o + 2 * (i * n + c)] = v[o + 2 * (i * n + j)]!;
        U[o + 2 * (i * n + c) + 1] = v[o + 2 * (i * n + j) + 1]!;
        Vh[o + 2 * (c * n + i)] = sg * v[o + 2 * (i * n + j)]!;
        Vh[o + 2 * (c * n + i) + 1] = -sg * v[o + 2 * (i * n + j) + 1]!;
      }
    });
  }
  return { U: fromC128(U, A.shape, dt), S, Vh: fromC128(Vh, A.shape, dt) };
}

/** `lstsq` with a complex a or b (2-D a, b as (m, nrhs)); rcond already resolved. */
export function zlstsq(A: NDArray, B: NDArray, rcond: number, vec: boolean): [NDArray, NDArray, number, NDArray] {
  const m = A.shape[0]!;
  const n = A.shape[1]!;
  const nrhs = B.shape[1]!;
  const k = Math.min(m, n);
  const dt = complexResult(A.dtype, B.dtype);
  const r = k === 0 ? undefined : zsvdRaw('lstsq', A, false, true);
  const s = r ? r.s : new Float64Array(0);
  const smax = s.length > 0 ? s[0]! : 0;
  let rank = 0;
  for (let i = 0; i < k; i++) if (s[i]! > rcond * smax) rank++;
  const bb = c128(B);
  const x = new Float64Array(2 * n * nrhs);
  if (r) {
    // x = V diag(1/s) U^H b over the kept singular values.
    const U = r.u!;
    const Vh = r.vh!;
    const tr = new Float64Array(nrhs);
    const ti = new Float64Array(nrhs);
    for (let j = 0; j < rank; j++) {
      tr.fill(0);
      ti.fill(0);
      for (let i = 0; i < m; i++) {
        const ur = U[2 * (i * r.uc + j)]!;
        const ui = -U[2 * (i * r.uc + j) + 1]!;
        for (let c = 0; c < nrhs; c++) {
          const br = bb[2 * (i * nrhs + c)]!;
          const bi = bb[2 * (i * nrhs + c) + 1]!;
          tr[c] = tr[c]! + ur * br - ui * bi;
          ti[c] = ti[c]! + ur * bi + ui * br;
        }
      }
      const inv = 1 / s[j]!;
      for (let i = 0; i < n; i++) {
        const vr = Vh[2 * (j * n + i)]! * inv;
        const vi = -Vh[2 * (j * n + i) + 1]! * inv;
        for (let c = 0; c < nrhs; c++) {
          x[2 * (i * nrhs + c)] = x[2 * (i * nrhs + c)]! + vr * tr[c]! - vi * ti[c]!;
          x[2 * (i * nrhs + c) + 1] = x[2 * (i * nrhs + c) + 1]! + vr * ti[c]! + vi * tr[c]!;
        }
      }
    }
  }
  let resid = new Float64Array(0);
  if (rank === n && m > n) {
    resid = new Float64Array(nrhs);
    const ab = c128(A);
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < nrhs; c++) {
        let er = bb[2 * (i * nrhs + c)]!;
        let ei = bb[2 * (i * nrhs + c) + 1]!;
        for (let j = 0; j < n; j++) {
          const ar = ab[2 * (i * n + j)]!;
          const ai = ab[2 * (i * n + j) + 1]!;
          const xr = x[2 * (j * nrhs + c)]!;
          const xi = x[2 * (j * nrhs + c) + 1]!;
          er -= ar * xr - ai * xi;
          ei -= ar * xi + ai * xr;
        }
        resid[c] = resid[c]! + er * er + ei * ei;
      }
    }
  }
  const X = fromC128(x, vec ? [n] : [n, nrhs], dt);
  const rp = realPart(dt);
  return [X, fromReal(resid, [resid.length], rp), rank, fromReal(s.slice(), [k], rp)];
}

/** `pinv` of a complex stack: V diag(1/s) U^H over singular values above rcond * max(s). */
export function zpinv(A: NDArray, rcond: number): NDArray {
  const r = zsvdRaw('pinv', A, false, true);
  const { m, n, k, count } = r;
  const out = new Float64Array(2 * count * n * m);
  for (let b = 0; b < count; b++) {
    const s = r.s.subarray(b * k, (b + 1) * k);
    const cut = rcond * (k > 0 ? s[0]! : 0);
    const U = r.u!.subarray(2 * b * m * r.uc);
    const Vh = r.vh!.subarray(2 * b * r.vr * n);
    const o = 2 * b * n * m;
    for (let j = 0; j < k; j++) {
      if (!(s[j]! > cut)) continue;
      const inv = 1 / s[j]!;
      for (let i = 0; i < n; i++) {
        // conj(Vh[j, i]) / s_j * conj(U[c, j])
        const vr = Vh[2 * (j * n + i)]! * inv;
        const vi = -Vh[2 * (j * n + i) + 1]! * inv;
        if (vr === 0 && vi === 0) continue;
        for (let c = 0; c < m; c++) {
          const ur = U[2 * (c * r.uc + j)]!;
          const ui = -U[2 * (c * r.uc + j) + 1]!;
          out[o + 2 * (i * m + c)] = out[o + 2 * (i * m + c)]! + vr * ur - vi * ui;
          out[o + 2 * (i * m + c) + 1] = out[o + 2 * (i * m + c) + 1]! + vr * ui + vi * ur;
        }
      }
    }
  }
  return fromC128(out, [...r.batch, n, m], complexResult(A.dtype));
}
