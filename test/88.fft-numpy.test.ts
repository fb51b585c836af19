// nd.fft against NumPy 2 (numpy.fft, pocketfft), computed at test time:
// complex and real transforms of every length 1..64, primes (Bluestein),
// powers of two to 2^20 and 10^6, n cropping and padding, every axis of
// strided and reversed views, the norm modes, float32 staying single, the n-D
// forms with s and axes; the frequency and shift helpers bit for bit; and the
// cases where NumPy raises, as coded errors.
//
// Transforms are compared as (re, im) pairs (kernel.ts "signals"), within
// tol * log2(n) * max|X| (tol 1e-13 for float64, 2e-6 for float32, 2e-3 for
// float16 results, rounded from float32 as NumPy does).
import test from 'tape';
import * as nd from '../src/index.js';
import { NDArray } from '../src/index.js';
import { isNdshareError } from '../src/errors.js';
import { native } from '../src/binding.js';
import { mulberry32 } from './helpers/assert.js';
import { availableIsas, checkAll, runNumpy, skipWithoutNumpy, type Case, type PyResult } from './helpers/numpy-diff.js';
import * as T from '../src/fft/transforms.js';
import { planInfo } from '../src/fft/kernel.js';
import { resultOf, signalOf } from '../src/fft/complex.js';
import type { Signal } from '../src/fft/transforms.js';

/** Python: the complex array of pairs `v` (float32 pairs -> complex64). */
const cx = (v: string): string => `((${v})[...,0] + 1j*(${v})[...,1]).astype('complex64' if (${v}).dtype == np.float32 else 'complex128')`;
/** Python: a result as pairs when complex. */
const pairs = (e: string): string => `(lambda r: np.ascontiguousarray(r).view(r.real.dtype).reshape(r.shape + (2,)) if np.iscomplexobj(r) else r)(${e})`;

function randomArray(rand: () => number, shape: number[], dtype: 'float32' | 'float64'): NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float64Array(size);
  for (let i = 0; i < size; i++) v[i] = rand() * 2 - 1;
  return nd.array(v, { dtype: 'float64' }).reshape(shape).astype(dtype);
}

interface FftCase {
  label: string;
  expr: string;
  args: NDArray[];
  ours: () => Signal | NDArray;
  /** transform length for the tolerance (the largest one of an n-D case). */
  n: number;
  errCode?: string;
}

function compare(c: FftCase, want: PyResult): string | null {
  let got: NDArray;
  try {
    const r = c.ours();
    got = r instanceof NDArray ? r : r.a;
  } catch (e) {
    const err = e as Error & { code?: string };
    if ('err' in want) {
      if (!isNdshareError(err)) return `NumPy raises ${want.err}; ours threw an uncoded ${err.name}: ${err.message}`;
      if (c.errCode !== undefined && err.code !== c.errCode) return `NumPy raises ${want.err}; ours threw ${err.code}: ${err.message}`;
      return null;
    }
    return `ours threw ${err.name} ${err.code ?? ''}: ${err.message}`;
  }
  if ('err' in want) return `NumPy raises ${want.err} (${want.msg}) but ours returned ${got.dtype} (${got.shape.join(', ')})`;
  if (got.dtype !== want.dtype) return `dtype: ours ${got.dtype}, NumPy ${want.dtype}`;
  if (got.shape.join() !== want.shape.join()) return `shape: ours (${got.shape.join(', ')}), NumPy (${want.shape.join(', ')})`;
  const g = got.astype('float64').copy();
  const w = want.value.astype('float64').copy();
  const gd = g.data as Float64Array;
  const wd = w.data as Float64Array;
  let scale = 0;
  for (let i = 0; i < w.size; i++) scale = Math.max(scale, Math.abs(wd[w.offset + i]!));
  const tol = (got.dtype === 'float32' ? 2e-6 : got.dtype === 'float16' ? 2e-3 : 1e-13) * Math.max(1, Math.log2(c.n)) * Math.max(scale, 1e-300);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < w.size; i++) {
    const e = Math.abs(gd[g.offset + i]! - wd[w.offset + i]!);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  if (Number.isNaN(worst) || worst > tol) return `max error ${worst} at flat ${at} (ours ${gd[g.offset + at]}, NumPy ${wd[w.offset + at]}) > ${tol}`;
  return null;
}

function runCases(t: test.Test, title: string, cases: FftCase[]): void {
  const results = runNumpy(cases);
  let bad = 0;
  cases.forEach((c, i) => {
    const d = compare(c, results[i]!);
    if (d !== null) {
      bad++;
      if (bad <= 25) t.fail(`${title}: ${c.label}: ${d}`);
    }
  });
  t.equal(bad, 0, `${title}: ${cases.length} cases against NumPy`);
}

const sig = (a: NDArray, complex: boolean): Signal => ({ a, complex });

test('fft/ifft/rfft/irfft/hfft/ihfft of every length 1..64 and beyond, float64 and float32', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(88);
  const cases: FftCase[] = [];
  const lengths: number[] = [];
  for (let n = 1; n <= 64; n++) lengths.push(n);
  lengths.push(97, 100, 121, 127, 128, 131, 210, 256, 343, 1000, 1009, 1024, 2187, 3125, 4096, 10007, 16384, 65536, 65537);
  for (const n of lengths) {
    for (const dtype of ['float64', 'float32'] as const) {
      if (dtype === 'float32' && n > 64 && n !== 1009 && n !== 4096 && n !== 10007) continue;
      const c = randomArray(rand, [n, 2], dtype);
      const r = randomArray(rand, [n], dtype);
      const label = `${dtype} n=${n}`;
      cases.push({
        label: `fft ${label}`,
        expr: pairs(`np.fft.fft(${cx('a0')})`),
        args: [c],
        n,
        ours: () => T.c2c('fft', sig(c, true), null, -1, 'backward', true),
      });
      cases.push({
        label: `ifft ${label}`,
        expr: pairs(`np.fft.ifft(${cx('a0')})`),
        args: [c],
        n,
        ours: () => T.c2c('ifft', sig(c, true), null, -1, 'backward', false),
      });
      cases.push({
        label: `fft(real) ${label}`,
        expr: pairs('np.fft.fft(a0)'),
        args: [r],
        n,
        ours: () => T.c2c('fft', sig(r, false), null, -1, 'backward', true),
      });
      cases.push({ label: `rfft ${label}`, expr: pairs('np.fft.rfft(a0)'), args: [r], n, ours: () => T.r2c('rfft', sig(r, false), null, -1, 'backward') });
      cases.push({
        label: `irfft ${label}`,
        expr: pairs(`np.fft.irfft(${cx('a0')}, n=${n})`),
        args: [c],
        n,
        ours: () => T.c2r('irfft', sig(c, true), n, -1, 'backward'),
      });
      cases.push({
        label: `hfft ${label}`,
        expr: pairs(`np.fft.hfft(${cx('a0')})`),
        args: [c],
        n,
        ours: () => T.hfft('hfft', sig(c, true), null, -1, 'backward'),
      });
      cases.push({ label: `ihfft ${label}`, expr: pairs('np.fft.ihfft(a0)'), args: [r], n, ours: () => T.ihfft('ihfft', sig(r, false), null, -1, 'backward') });
    }
  }
  runCases(t, '1-D', cases);
  t.end();
});

test('large lengths: 2^20 and 10^6 (complex), rfft 2^20', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(1);
  const cases: FftCase[] = [];
  for (const n of [1 << 20, 1000000]) {
    const c = randomArray(rand, [n, 2], 'float64');
    cases.push({
      label: `fft n=${n}`,
      expr: pairs(`np.fft.fft(${cx('a0')})`),
      args: [c],
      n,
      ours: () => T.c2c('fft', sig(c, true), null, -1, 'backward', true),
    });
  }
  const r = randomArray(rand, [1 << 20], 'float64');
  cases.push({ label: 'rfft 2^20', expr: pairs('np.fft.rfft(a0)'), args: [r], n: 1 << 20, ours: () => T.r2c('rfft', sig(r, false), null, -1, 'backward') });
  cases.push({
    label: 'irfft 2^20',
    expr: pairs('np.fft.irfft(np.fft.rfft(a0))'),
    args: [r],
    n: 1 << 20,
    ours: () => T.c2r('irfft', T.r2c('rfft', sig(r, false), null, -1, 'backward'), null, -1, 'backward'),
  });
  runCases(t, 'large', cases);
  t.end();
});

test('n cropping and padding, every axis of strided and reversed views, norm modes', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(7);
  const cases: FftCase[] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    const c = randomArray(rand, [6, 10, 14, 2], dtype);
    const r = randomArray(rand, [6, 10, 14], dtype);
    const views: [string, string, (a: NDArray) => NDArray][] = [
      ['', '', (a) => a],
      ['[::-1, 1::2]', '[::-1, 1::2]', (a) => a.slice('::-1', '1::2')],
      ['[:, ::-3, 2:]', '[:, ::-3, 2:]', (a) => a.slice(':', '::-3', '2:')],
      ['.T-like', '.transpose(2, 0, 1)', (a) => a.transpose([2, 0, 1])],
    ];
    for (const [vl, py, view] of views) {
      for (const axis of [0, 1, 2, -1, -2]) {
        for (const norm of ['backward', 'ortho', 'forward'] as const) {
          for (const n of [null, 3, 8, 17]) {
            const nArg = n === null ? '' : `, n=${n}`;
            const L = `${dtype}${vl} axis=${axis} ${norm} n=${n}`;
            const isT = vl === '.T-like';
            const cv = (): Signal => sig(isT ? c.transpose([2, 0, 1, 3]) : view(c), true);
            const cpy = isT ? `a0.transpose(2, 0, 1, 3)` : `a0${py}`;
            const rv = (): Signal => sig(view(r), false);
            const rpy = `a0${py}`;
            const len = n ?? 20;
            cases.push({
              label: `fft ${L}`,
              expr: pairs(`np.fft.fft(${cx(cpy)}, axis=${axis}, norm='${norm}'${nArg})`),
              args: [c],
              n: len,
              ours: () => T.c2c('fft', cv(), n, axis, norm, true),
            });
            cases.push({
              label: `ifft ${L}`,
              expr: pairs(`np.fft.ifft(${cx(cpy)}, axis=${axis}, norm='${norm}'${nArg})`),
              args: [c],
              n: len,
              ours: () => T.c2c('ifft', cv(), n, axis, norm, false),
            });
            cases.push({
              label: `rfft ${L}`,
              expr: pairs(`np.fft.rfft(${rpy}, axis=${axis}, norm='${norm}'${nArg})`),
              args: [r],
              n: len,
              ours: () => T.r2c('rfft', rv(), n, axis, norm),
            });
            cases.push({
              label: `irfft ${L}`,
              expr: pairs(`np.fft.irfft(${cx(cpy)}, axis=${axis}, norm='${norm}'${nArg})`),
              args: [c],
              n: len,
              ours: () => T.c2r('irfft', cv(), n, axis, norm),
            });
            cases.push({
              label: `irfft(real) ${L}`,
              expr: pairs(`np.fft.irfft(${rpy}, axis=${axis}, norm='${norm}'${nArg})`),
              args: [r],
              n: len,
              ours: () => T.c2r('irfft', rv(), n, axis, norm),
            });
            cases.push({
              label: `hfft ${L}`,
              expr: pairs(`np.fft.hfft(${cx(cpy)}, axis=${axis}, norm='${norm}'${nArg})`),
              args: [c],
              n: len,
              ours: () => T.hfft('hfft', cv(), n, axis, norm),
            });
            cases.push({
              label: `ihfft ${L}`,
              expr: pairs(`np.fft.ihfft(${rpy}, axis=${axis}, norm='${norm}'${nArg})`),
              args: [r],
              n: len,
              ours: () => T.ihfft('ihfft', rv(), n, axis, norm),
            });
          }
        }
      }
    }
  }
  runCases(t, 'axes/views/norm', cases);
  t.end();
});

test('n-D: fft2/fftn/rfftn/irfftn with s and axes', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(9);
  const cases: FftCase[] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    const c = randomArray(rand, [5, 6, 12, 2], dtype);
    const r = randomArray(rand, [5, 6, 12], dtype);
    const specs: [string, unknown, unknown][] = [
      ['', undefined, undefined],
      [', axes=(-2, -1)', undefined, [-2, -1]],
      [', axes=(0, 2)', undefined, [0, 2]],
      [', axes=(2, 0)', undefined, [2, 0]],
      [', s=(4, 9), axes=(0, 1)', [4, 9], [0, 1]],
      [', s=(3, 16), axes=(1, 2)', [3, 16], [1, 2]],
      [', s=(7,), axes=(1,)', [7], [1]],
      [', s=(-1, 10), axes=(0, 2)', [-1, 10], [0, 2]],
      [', s=(4, 5)', [4, 5], undefined],
      [', axes=(1, 1)', undefined, [1, 1]],
      [', axes=(-1,)', undefined, [-1]],
      [', s=(2, 3, 4), axes=(0, 1, 2)', [2, 3, 4], [0, 1, 2]],
    ];
    for (const [py, s, axes] of specs) {
      for (const norm of ['backward', 'ortho', 'forward'] as const) {
        const L = `${dtype}${py} ${norm}`;
        const np = `${py}, norm='${norm}'`;
        cases.push({
          label: `fftn ${L}`,
          expr: pairs(`np.fft.fftn(${cx('a0')}${np})`),
          args: [c],
          n: 16,
          ours: () => T.c2cn('fftn', sig(c, true), s, axes, norm, true),
        });
        cases.push({
          label: `ifftn ${L}`,
          expr: pairs(`np.fft.ifftn(${cx('a0')}${np})`),
          args: [c],
          n: 16,
          ours: () => T.c2cn('ifftn', sig(c, true), s, axes, norm, false),
        });
        cases.push({
          label: `fftn(real) ${L}`,
          expr: pairs(`np.fft.fftn(a0${np})`),
          args: [r],
          n: 16,
          ours: () => T.c2cn('fftn', sig(r, false), s, axes, norm, true),
        });
        cases.push({ label: `rfftn ${L}`, expr: pairs(`np.fft.rfftn(a0${np})`), args: [r], n: 16, ours: () => T.r2cn('rfftn', sig(r, false), s, axes, norm) });
        cases.push({
          label: `irfftn ${L}`,
          expr: pairs(`np.fft.irfftn(${cx('a0')}${np})`),
          args: [c],
          n: 16,
          ours: () => T.c2rn('irfftn', sig(c, true), s, axes, norm),
        });
      }
    }
    // fft2 / rfft2 / irfft2 defaults: axes (-2, -1)
    cases.push({
      label: `fft2 ${dtype}`,
      expr: pairs(`np.fft.fft2(${cx('a0')})`),
      args: [c],
      n: 16,
      ours: () => T.c2cn('fft2', sig(c, true), undefined, [-2, -1], 'backward', true),
    });
    cases.push({
      label: `irfft2 ${dtype}`,
      expr: pairs(`np.fft.irfft2(${cx('a0')})`),
      args: [c],
      n: 16,
      ours: () => T.c2rn('irfft2', sig(c, true), undefined, [-2, -1], 'backward'),
    });
  }
  runCases(t, 'n-D', cases);
  t.end();
});

test('every ISA: the kernel of each ISA against NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(5);
  const kernels = (native as unknown as { kernels: { setIsa(name: string): void } }).kernels;
  const lengths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 25, 49, 64, 97, 1000, 4096, 10007, 1 << 17, 3 * (1 << 16)];
  for (const isa of availableIsas()) {
    const cases: FftCase[] = [];
    for (const n of lengths) {
      for (const dtype of ['float64', 'float32'] as const) {
        const c = randomArray(rand, [n, 2], dtype);
        const r = randomArray(rand, [n], dtype);
        const m = randomArray(rand, [3, n, 2], dtype);
        const L = `${isa} ${dtype} n=${n}`;
        cases.push({
          label: `fft ${L}`,
          expr: pairs(`np.fft.fft(${cx('a0')})`),
          args: [c],
          n,
          ours: () => T.c2c('fft', sig(c, true), null, -1, 'backward', true),
        });
        cases.push({
          label: `ifft axis 0 ${L}`,
          expr: pairs(`np.fft.ifft(${cx('a0')}, axis=0)`),
          args: [m],
          n,
          ours: () => T.c2c('ifft', sig(m, true), null, 0, 'backward', false),
        });
        cases.push({ label: `rfft ${L}`, expr: pairs('np.fft.rfft(a0)'), args: [r], n, ours: () => T.r2c('rfft', sig(r, false), null, -1, 'backward') });
        cases.push({
          label: `irfft ${L}`,
          expr: pairs(`np.fft.irfft(${cx('a0')}, n=${n})`),
          args: [c],
          n,
          ours: () => T.c2r('irfft', sig(c, true), n, -1, 'backward'),
        });
      }
    }
    kernels.setIsa(isa);
    try {
      runCases(t, `isa ${isa}`, cases);
    } finally {
      kernels.setIsa('auto');
    }
  }
  t.end();
});

test('NumPy raises: n < 1, empty axes, bad norm, complex into rfft, bad axes and s', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(3);
  const c = randomArray(rand, [4, 2], 'float64');
  const r = randomArray(rand, [4], 'float64');
  const e = nd.zeros([0], { dtype: 'float64' });
  const cases: FftCase[] = [
    {
      label: 'fft n=0',
      expr: `np.fft.fft(${cx('a0')}, n=0)`,
      args: [c],
      n: 1,
      ours: () => T.c2c('fft', sig(c, true), 0, -1, 'backward', true),
      errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
    },
    {
      label: 'fft n=-2',
      expr: `np.fft.fft(${cx('a0')}, n=-2)`,
      args: [c],
      n: 1,
      ours: () => T.c2c('fft', sig(c, true), -2, -1, 'backward', true),
      errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
    },
    {
      label: 'fft of empty',
      expr: 'np.fft.fft(a0)',
      args: [e],
      n: 1,
      ours: () => T.c2c('fft', sig(e, false), null, -1, 'backward', true),
      errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
    },
    {
      label: 'rfft of empty',
      expr: 'np.fft.rfft(a0)',
      args: [e],
      n: 1,
      ours: () => T.r2c('rfft', sig(e, false), null, -1, 'backward'),
      errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
    },
    {
      label: 'irfft of 1 point',
      expr: 'np.fft.irfft(a0[:1])',
      args: [r],
      n: 1,
      ours: () => T.c2r('irfft', sig(r.slice(':1'), false), null, -1, 'backward'),
      errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
    },
    {
      label: 'rfft of complex',
      expr: `np.fft.rfft(${cx('a0')})`,
      args: [c],
      n: 1,
      ours: () => T.r2c('rfft', sig(c, true), null, -1, 'backward'),
      errCode: 'ERR_NDSHARE_DTYPE',
    },
    {
      label: 'fft axis=1',
      expr: 'np.fft.fft(a0, axis=1)',
      args: [r],
      n: 1,
      ours: () => T.c2c('fft', sig(r, false), null, 1, 'backward', true),
      errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS',
    },
    {
      label: 'fftn s/axes lengths',
      expr: 'np.fft.fftn(a0, s=(2, 2), axes=(0,))',
      args: [r],
      n: 1,
      ours: () => T.c2cn('fftn', sig(r, false), [2, 2], [0], 'backward', true),
      errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
    },
    {
      label: 'fftn s=(0,)',
      expr: 'np.fft.fftn(a0, s=(0,), axes=(0,))',
      args: [r],
      n: 1,
      ours: () => T.c2cn('fftn', sig(r, false), [0], [0], 'backward', true),
      errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
    },
    {
      label: 'fft of n=4 into an empty batch',
      expr: pairs('np.fft.fft(a0.reshape(0, 0), n=4)'),
      args: [e],
      n: 4,
      ours: () => T.c2c('fft', sig(e.reshape([0, 0]), false), 4, -1, 'backward', true),
    },
  ];
  runCases(t, 'errors', cases);
  const bad: unknown[] = ['bad', 'Ortho', 3, true];
  for (const v of bad) {
    try {
      T.checkNorm('fft', v);
      t.fail(`norm ${String(v)} accepted`);
    } catch (err) {
      t.ok(isNdshareError(err), `norm ${String(v)}: ${(err as { code?: string }).code}`);
    }
  }
  t.end();
});

test('planner: radices, Bluestein for large primes', (t) => {
  t.deepEqual(planInfo(64).factors, [4, 4, 4]);
  t.deepEqual(planInfo(1000).factors, [4, 2, 5, 5, 5]);
  t.equal(planInfo(10007).bluestein, true);
  t.equal(planInfo(10007).m >= 2 * 10007 - 1, true);
  t.equal(planInfo(7).bluestein, false);
  t.equal(planInfo(1 << 16).bluestein, false);
  t.end();
});

test('native kernel: bad buffers, offsets and lengths are coded errors', (t) => {
  const fft = (native.math as unknown as { fft: (...a: unknown[]) => void }).fft;
  const buf = new Float64Array(16);
  const f32 = new Float32Array(16);
  const ok = [0, 8, true, 1, buf, 0, 8, 2, new Float64Array(16), 0, 2, [], [], []];
  fft(...ok);
  t.pass('a valid call runs');
  const bad: [string, unknown[]][] = [
    ['too few arguments', ok.slice(0, 5)],
    ['bad kind', [9, ...ok.slice(1)]],
    ['n = 0', [0, 0, ...ok.slice(2)]],
    ['n fractional', [0, 2.5, ...ok.slice(2)]],
    ['input past the end', [0, 9, true, 1, buf, 0, 9, 2, new Float64Array(18), 0, 2, [], [], []]],
    ['input offset past the end', [0, 8, true, 1, buf, 1, 8, 2, new Float64Array(16), 0, 2, [], [], []]],
    ['negative stride below 0', [0, 8, true, 1, buf, 0, 8, -2, new Float64Array(16), 0, 2, [], [], []]],
    ['output too short', [0, 8, true, 1, buf, 0, 8, 2, new Float64Array(15), 0, 2, [], [], []]],
    ['mixed precision', [0, 8, true, 1, buf, 0, 8, 2, f32, 0, 2, [], [], []]],
    ['not a float array', [0, 8, true, 1, new Int32Array(16), 0, 8, 2, buf, 0, 2, [], [], []]],
    ['batch past the end', [0, 4, true, 1, buf, 0, 4, 2, new Float64Array(16), 0, 2, [3], [8], [8]]],
    ['batch strides mismatch', [0, 4, true, 1, buf, 0, 4, 2, new Float64Array(16), 0, 2, [2], [8, 1], [8]]],
    ['rfft output too short', [2, 8, true, 1, new Float64Array(8), 0, 8, 1, new Float64Array(9), 0, 2, [], [], []]],
  ];
  for (const [label, args] of bad) {
    try {
      fft(...args);
      t.fail(`${label}: accepted`);
    } catch (err) {
      t.ok(isNdshareError(err), `${label}: ${(err as { code?: string }).code}`);
    }
  }
  t.end();
});

test('fftfreq, rfftfreq, fftshift, ifftshift match NumPy bit for bit', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  for (const n of [1, 2, 3, 4, 5, 8, 9, 10, 17, 100]) {
    for (const d of [1, 0.1, 2.5, -3, 1e-300]) {
      cases.push({ label: `fftfreq(${n}, ${d})`, expr: `np.fft.fftfreq(${n}, ${d})`, args: [], ours: () => nd.fft.fftfreq(n, d) });
      cases.push({ label: `rfftfreq(${n}, ${d})`, expr: `np.fft.rfftfreq(${n}, ${d})`, args: [], ours: () => nd.fft.rfftfreq(n, { d }) });
    }
  }
  cases.push({ label: 'fftfreq(0)', expr: 'np.fft.fftfreq(0)', args: [], ours: () => nd.fft.fftfreq(0), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({ label: 'rfftfreq(0)', expr: 'np.fft.rfftfreq(0)', args: [], ours: () => nd.fft.rfftfreq(0), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({ label: 'fftfreq(-3)', expr: 'np.fft.fftfreq(-3)', args: [], ours: () => nd.fft.fftfreq(-3), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({ label: 'fftfreq(3, 0)', expr: 'np.fft.fftfreq(3, 0)', args: [], ours: () => nd.fft.fftfreq(3, 0), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({ label: 'fftfreq(2.5)', expr: 'np.fft.fftfreq(2.5)', args: [], ours: () => nd.fft.fftfreq(2.5), errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE' });
  const x = nd.arange(60).reshape([3, 4, 5]);
  const i32 = nd.arange(7).astype('int32');
  const shifts: [string, string, () => NDArray][] = [
    ['', '', () => nd.fft.fftshift(x)],
    ['axes=0', ', axes=0', () => nd.fft.fftshift(x, { axes: 0 })],
    ['axes=(-1, 1)', ', axes=(-1, 1)', () => nd.fft.fftshift(x, { axes: [-1, 1] })],
    ['axes=(0, 0)', ', axes=(0, 0)', () => nd.fft.fftshift(x, { axes: [0, 0] })],
  ];
  for (const [l, py, f] of shifts) {
    cases.push({ label: `fftshift ${l}`, expr: `np.fft.fftshift(a0${py})`, args: [x], ours: f });
    const inv =
      l === ''
        ? () => nd.fft.ifftshift(x)
        : l === 'axes=0'
          ? () => nd.fft.ifftshift(x, { axes: 0 })
          : l === 'axes=(0, 0)'
            ? () => nd.fft.ifftshift(x, { axes: [0, 0] })
            : () => nd.fft.ifftshift(x, { axes: [-1, 1] });
    cases.push({ label: `ifftshift ${l}`, expr: `np.fft.ifftshift(a0${py})`, args: [x], ours: inv });
  }
  cases.push({ label: 'fftshift int32 odd', expr: 'np.fft.fftshift(a0)', args: [i32], ours: () => nd.fft.fftshift(i32) });
  cases.push({ label: 'ifftshift int32 odd reversed', expr: 'np.fft.ifftshift(a0[::-1])', args: [i32], ours: () => nd.fft.ifftshift(i32.slice('::-1')) });
  cases.push({
    label: 'fftshift bad axis',
    expr: 'np.fft.fftshift(a0, axes=3)',
    args: [x],
    ours: () => nd.fft.fftshift(x, { axes: 3 }),
    errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS',
  });
  cases.push({ label: 'fftshift 0-d', expr: 'np.fft.fftshift(a0)', args: [nd.array(5)], ours: () => nd.fft.fftshift(nd.array(5)) });
  checkAll(t, 'freq/shift', cases);
  t.end();
});

/** A complex NDArray over pairs (the same memory). */
const complexOf = (p: NDArray): NDArray => resultOf({ a: p, complex: true });
/** Ours as pairs for the comparison (complex results viewed as (re, im), real ones as they are). */
const asPairs = (r: NDArray): NDArray => (r.dtype === 'complex64' || r.dtype === 'complex128' ? signalOf(r).a : r);

test('public nd.fft.*: every transform, its options, dtypes, views and out', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(11);
  const cases: FftCase[] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    const p = randomArray(rand, [4, 6, 10, 2], dtype);
    const r = randomArray(rand, [4, 6, 10], dtype);
    const z = complexOf(p);
    const zc = dtype === 'float32' ? 'complex64' : 'complex128';
    t.equal(z.dtype, zc, `complex view ${zc}`);
    const one: [string, (a: nd.NDArray, o?: nd.fft.FftOptions) => nd.NDArray, boolean][] = [
      ['fft', nd.fft.fft, true],
      ['ifft', nd.fft.ifft, true],
      ['rfft', nd.fft.rfft, false],
      ['irfft', nd.fft.irfft, true],
      ['hfft', nd.fft.hfft, true],
      ['ihfft', nd.fft.ihfft, false],
    ];
    for (const [name, f, complexIn] of one) {
      const a = complexIn ? z : r;
      const py = complexIn ? cx('a0') : 'a0';
      const arg = complexIn ? p : r;
      const opts: [string, nd.fft.FftOptions | undefined][] = [
        ['', undefined],
        [', n=7, axis=0', { n: 7, axis: 0 }],
        [", axis=1, norm='ortho'", { axis: 1, norm: 'ortho' }],
        [", n=16, norm='forward'", { n: 16, norm: 'forward' }],
      ];
      for (const [pyo, o] of opts) {
        cases.push({ label: `${name}(${dtype}${pyo})`, expr: pairs(`np.fft.${name}(${py}${pyo})`), args: [arg], n: 16, ours: () => asPairs(f(a, o)) });
      }
      // a reversed, strided view
      const v = complexIn ? z.slice('::-1', ':', '1::3') : r.slice('::-1', ':', '1::3');
      const vpy = complexIn ? cx('a0[::-1, :, 1::3]') : 'a0[::-1, :, 1::3]';
      cases.push({ label: `${name}(${dtype} view)`, expr: pairs(`np.fft.${name}(${vpy})`), args: [arg], n: 16, ours: () => asPairs(f(v)) });
    }
    const many: [string, (a: nd.NDArray, o?: nd.fft.FftnOptions) => nd.NDArray, boolean][] = [
      ['fft2', nd.fft.fft2, true],
      ['ifft2', nd.fft.ifft2, true],
      ['rfft2', nd.fft.rfft2, false],
      ['irfft2', nd.fft.irfft2, true],
      ['fftn', nd.fft.fftn, true],
      ['ifftn', nd.fft.ifftn, true],
      ['rfftn', nd.fft.rfftn, false],
      ['irfftn', nd.fft.irfftn, true],
    ];
    for (const [name, f, complexIn] of many) {
      const a = complexIn ? z : r;
      const py = complexIn ? cx('a0') : 'a0';
      const arg = complexIn ? p : r;
      const opts: [string, nd.fft.FftnOptions | undefined][] = [
        ['', undefined],
        [', s=(5, 8), axes=(0, 2)', { s: [5, 8], axes: [0, 2] }],
        [", axes=(1, 0), norm='ortho'", { axes: [1, 0], norm: 'ortho' }],
        [", s=(3, 4, 6), axes=(0, 1, 2), norm='forward'", { s: [3, 4, 6], axes: [0, 1, 2], norm: 'forward' }],
      ];
      for (const [pyo, o] of opts) {
        cases.push({ label: `${name}(${dtype}${pyo})`, expr: pairs(`np.fft.${name}(${py}${pyo})`), args: [arg], n: 16, ours: () => asPairs(f(a, o)) });
      }
    }
  }
  // dtypes: integers and bool in float64, float16 in single precision, nested arrays
  const i32 = nd.array([3, 1, 4, 1, 5, 9, 2, 6]).astype('int32');
  const f16 = nd.array([3, 1, 4, 1, 5, 9, 2]).astype('float16');
  const b = nd.array([1, 0, 1, 1, 0]).astype('bool');
  cases.push({ label: 'fft(int32)', expr: pairs('np.fft.fft(a0)'), args: [i32], n: 8, ours: () => asPairs(nd.fft.fft(i32)) });
  cases.push({ label: 'rfft(int32)', expr: pairs('np.fft.rfft(a0)'), args: [i32], n: 8, ours: () => asPairs(nd.fft.rfft(i32)) });
  cases.push({ label: 'fft(float16)', expr: pairs('np.fft.fft(a0)'), args: [f16], n: 8, ours: () => asPairs(nd.fft.fft(f16)) });
  cases.push({ label: 'irfft(float16)', expr: pairs('np.fft.irfft(a0)'), args: [f16], n: 8, ours: () => asPairs(nd.fft.irfft(f16)) });
  cases.push({ label: 'fft(bool)', expr: pairs('np.fft.fft(a0)'), args: [b], n: 8, ours: () => asPairs(nd.fft.fft(b)) });
  cases.push({
    label: 'fft(nested)',
    expr: pairs('np.fft.fft(np.array([[1., 2., 3.], [4., 5., 6.]]))'),
    args: [],
    n: 8,
    ours: () =>
      asPairs(
        nd.fft.fft([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
  });
  // errors
  const zc = complexOf(randomArray(rand, [5, 2], 'float64'));
  const zp = signalOf(zc).a;
  cases.push({ label: 'rfft(complex)', expr: `np.fft.rfft(${cx('a0')})`, args: [zp], n: 1, ours: () => nd.fft.rfft(zc), errCode: 'ERR_NDSHARE_DTYPE' });
  cases.push({ label: 'rfftn(complex)', expr: `np.fft.rfftn(${cx('a0')})`, args: [zp], n: 1, ours: () => nd.fft.rfftn(zc), errCode: 'ERR_NDSHARE_DTYPE' });
  cases.push({
    label: 'fft n=0',
    expr: `np.fft.fft(${cx('a0')}, n=0)`,
    args: [zp],
    n: 1,
    ours: () => nd.fft.fft(zc, { n: 0 }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: "fft norm='x'",
    expr: `np.fft.fft(${cx('a0')}, norm='x')`,
    args: [zp],
    n: 1,
    ours: () => nd.fft.fft(zc, { norm: 'x' as nd.fft.Norm }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({ label: 'fft2 of 1-D', expr: `np.fft.fft2(${cx('a0')})`, args: [zp], n: 1, ours: () => nd.fft.fft2(zc), errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS' });
  runCases(t, 'public', cases);

  // out
  const x = complexOf(randomArray(rand, [8, 2], 'float64'));
  const out = nd.zeros([8], { dtype: 'complex128' });
  const got = nd.fft.fft(x, { out });
  t.equal(got, out, 'out is returned');
  t.deepEqual(asPairs(out).toArray(), asPairs(nd.fft.fft(x)).toArray(), 'out holds the result');
  const bad: [string, () => unknown, string][] = [
    ['out of the wrong shape', () => nd.fft.fft(x, { out: nd.zeros([7], { dtype: 'complex128' }) }), 'ERR_NDSHARE_SHAPE_MISMATCH'],
    ['real out for a complex result', () => nd.fft.fft(x, { out: nd.zeros([8]) }), 'ERR_NDSHARE_DTYPE'],
    ['unknown option', () => nd.fft.fft(x, { axes: [0] } as unknown as nd.fft.FftOptions), 'ERR_NDSHARE_INVALID_ARG_VALUE'],
    ['n not an integer', () => nd.fft.fft(x, { n: 2.5 }), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
  ];
  for (const [label, f, code] of bad) {
    try {
      f();
      t.fail(`${label}: accepted`);
    } catch (err) {
      t.equal((err as { code?: string }).code, code, label);
    }
  }
  t.end();
});
