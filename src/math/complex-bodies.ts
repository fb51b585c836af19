/**
 * Complex loop bodies, one per op, as NumPy computes them (its
 * `loops_arithm_fp`, `funcs.inc.src` and C99 Annex G for the libm
 * functions): rows of the complex loop family run by ufunc-complex.ts.
 * Each body gets the element's parts as doubles, writes `o[0]` (real part,
 * or the whole real/bool result) and `o[1]`, and rounds with `f` wherever
 * NumPy's float32 arithmetic would round for complex64.
 *
 * Special values (NaN, ±Inf, ±0) follow C99 Annex G for exp, log, sqrt and
 * the arithmetic; the trigonometric and hyperbolic functions are exact
 * formulas over finite inputs (see docs/complex.md for what is covered).
 *
 * @module
 */
import type { ComplexBody1, ComplexBody2, ComplexLoop } from './ufunc-complex.js';

const LN2 = Math.LN2;
const LOG10E = Math.LOG10E;
const LOG2E = Math.LOG2E;

const c1 = (body: ComplexBody1): ComplexLoop => ({ body, result: 'complex' });
const c2 = (body: ComplexBody2): ComplexLoop => ({ body, result: 'complex' });

// ---- arithmetic -----------------------------------------------------------

export const add = c2((a, b, c, d, o, f) => {
  o[0] = f(a + c);
  o[1] = f(b + d);
});

export const subtract = c2((a, b, c, d, o, f) => {
  o[0] = f(a - c);
  o[1] = f(b - d);
});

function mul(a: number, b: number, c: number, d: number, o: Float64Array, f: (v: number) => number): void {
  o[0] = f(f(a * c) - f(b * d));
  o[1] = f(f(a * d) + f(b * c));
}

export const multiply = c2(mul);

/** Smith's algorithm, as NumPy's complex divide. */
function div(a: number, b: number, c: number, d: number, o: Float64Array, f: (v: number) => number): void {
  const ac = Math.abs(c);
  const ad = Math.abs(d);
  if (ac >= ad) {
    if (ac === 0 && ad === 0) {
      // Division by zero: the parts divided by |c| (inf or nan), as NumPy.
      o[0] = f(a / ac);
      o[1] = f(b / ac);
      return;
    }
    const rat = f(d / c);
    const scl = f(1 / f(c + f(d * rat)));
    o[0] = f(f(a + f(b * rat)) * scl);
    o[1] = f(f(b - f(a * rat)) * scl);
  } else {
    const rat = f(c / d);
    const scl = f(1 / f(d + f(c * rat)));
    o[0] = f(f(f(a * rat) + b) * scl);
    o[1] = f(f(f(b * rat) - a) * scl);
  }
}

export const divide = c2(div);

export const negative = c1((a, b, o) => {
  o[0] = -a;
  o[1] = -b;
});

export const positive = c1((a, b, o) => {
  o[0] = a;
  o[1] = b;
});

export const conjugate = c1((a, b, o) => {
  o[0] = a;
  o[1] = -b;
});

export const square = c1((a, b, o, f) => mul(a, b, a, b, o, f));

/** 1 / z as NumPy's reciprocal: the smaller part over the larger first. */
export const reciprocal = c1((a, b, o, f) => {
  if (Math.abs(b) <= Math.abs(a)) {
    const r = f(b / a);
    const d = f(a + f(b * r));
    o[0] = f(1 / d);
    o[1] = f(-r / d);
  } else {
    const r = f(a / b);
    const d = f(f(a * r) + b);
    o[0] = f(r / d);
    o[1] = f(-1 / d);
  }
});

/** |z| = hypot(re, im) (Inf when either part is infinite, even with a NaN). */
export const absolute: ComplexLoop = {
  body: ((a: number, b: number, o: Float64Array, f: (v: number) => number) => {
    o[0] = f(Math.hypot(a, b));
  }) as ComplexBody1,
  result: 'real',
};

export const equal: ComplexLoop = {
  body: ((a: number, b: number, c: number, d: number, o: Float64Array) => {
    o[0] = a === c && b === d ? 1 : 0;
  }) as ComplexBody2,
  result: 'bool',
};

export const notEqual: ComplexLoop = {
  body: ((a: number, b: number, c: number, d: number, o: Float64Array) => {
    o[0] = a !== c || b !== d ? 1 : 0;
  }) as ComplexBody2,
  result: 'bool',
};

export const isnan: ComplexLoop = {
  body: ((a: number, b: number, o: Float64Array) => {
    o[0] = Number.isNaN(a) || Number.isNaN(b) ? 1 : 0;
  }) as ComplexBody1,
  result: 'bool',
};

export const isinf: ComplexLoop = {
  body: ((a: number, b: number, o: Float64Array) => {
    o[0] = Math.abs(a) === Infinity || Math.abs(b) === Infinity ? 1 : 0;
  }) as ComplexBody1,
  result: 'bool',
};

export const isfinite: ComplexLoop = {
  body: ((a: number, b: number, o: Float64Array) => {
    o[0] = Number.isFinite(a) && Number.isFinite(b) ? 1 : 0;
  }) as ComplexBody1,
  result: 'bool',
};

// ---- exponentials and logarithms (C99 Annex G special values) ---------------

/** exp(x + iy) into o (unrounded). */
function cexp(x: number, y: number, o: Float64Array): void {
  if (Number.isFinite(x) && Number.isFinite(y)) {
    if (y === 0) {
      o[0] = Math.exp(x);
      o[1] = y;
      return;
    }
    if (x > 709) {
      // exp(x) overflows where exp(x) * cos(y) may not: scale by e^(x/2) twice.
      const h = Math.exp(x / 2);
      o[0] = h * Math.cos(y) * h;
      o[1] = h * Math.sin(y) * h;
      return;
    }
    const e = Math.exp(x);
    o[0] = e * Math.cos(y);
    o[1] = e * Math.sin(y);
    return;
  }
  if (Number.isNaN(x)) {
    o[0] = x;
    o[1] = y === 0 ? y : NaN;
    return;
  }
  if (x === Infinity) {
    if (y === 0) {
      o[0] = x;
      o[1] = y;
    } else if (Number.isFinite(y)) {
      o[0] = x * Math.cos(y);
      o[1] = x * Math.sin(y);
    } else {
      o[0] = x;
      o[1] = NaN;
    }
    return;
  }
  if (x === -Infinity) {
    if (Number.isFinite(y)) {
      o[0] = 0 * Math.cos(y);
      o[1] = 0 * Math.sin(y);
    } else {
      o[0] = 0;
      o[1] = 0;
    }
    return;
  }
  // x finite, y infinite or NaN.
  o[0] = NaN;
  o[1] = NaN;
}

/** log(x + iy) into o (unrounded): log|z| + i arg z, -inf + i arg at 0. */
function clog(x: number, y: number, o: Float64Array): void {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  // Near |z| = 1, log(hypot) cancels: 0.5 * log1p((ax - 1)(ax + 1) + ay^2).
  const big = Math.max(ax, ay);
  const small = Math.min(ax, ay);
  if (big > 0.5 && big < 2 && small < 1) {
    o[0] = 0.5 * Math.log1p((big - 1) * (big + 1) + small * small);
  } else o[0] = Math.log(Math.hypot(x, y));
  o[1] = Math.atan2(y, x);
}

export const exp = c1((a, b, o, f) => {
  cexp(a, b, o);
  o[0] = f(o[0]!);
  o[1] = f(o[1]!);
});

export const exp2 = c1((a, b, o, f) => {
  cexp(a * LN2, b * LN2, o);
  o[0] = f(o[0]!);
  o[1] = f(o[1]!);
});

/** exp(z) - 1 as NumPy: expm1(x) cos y - 2 sin^2(y/2) + i e^x sin y. */
export const expm1 = c1((a, b, o, f) => {
  if (b === 0 && !Number.isNaN(a)) {
    o[0] = f(Math.expm1(a));
    o[1] = b;
    return;
  }
  const s = Math.sin(b / 2);
  o[0] = f(Math.expm1(a) * Math.cos(b) - 2 * s * s);
  o[1] = f(Math.exp(a) * Math.sin(b));
});

export const log = c1((a, b, o, f) => {
  clog(a, b, o);
  o[0] = f(o[0]!);
  o[1] = f(o[1]!);
});

export const log10 = c1((a, b, o, f) => {
  clog(a, b, o);
  o[0] = f(o[0]! * LOG10E);
  o[1] = f(o[1]! * LOG10E);
});

export const log2 = c1((a, b, o, f) => {
  clog(a, b, o);
  o[0] = f(o[0]! * LOG2E);
  o[1] = f(o[1]! * LOG2E);
});

/** log(1 + z) as NumPy computes it: log|1 + z| + i arg(1 + z). */
export const log1p = c1((a, b, o, f) => {
  clog(a + 1, b, o);
  o[0] = f(o[0]!);
  o[1] = f(o[1]!);
});

/** The principal square root, branch cut on the negative real axis (sign of a zero imaginary part kept). */
export const sqrt = c1((x, y, o, f) => {
  if (x === 0 && y === 0) {
    o[0] = 0;
    o[1] = y;
    return;
  }
  if (Math.abs(y) === Infinity) {
    o[0] = Infinity;
    o[1] = y;
    return;
  }
  if (Number.isNaN(x)) {
    o[0] = x;
    o[1] = NaN;
    return;
  }
  if (x === Infinity) {
    o[0] = x;
    o[1] = Number.isNaN(y) ? y : Object.is(y, -0) || y < 0 ? -0 : 0;
    return;
  }
  if (x === -Infinity) {
    o[0] = Number.isNaN(y) ? NaN : 0;
    o[1] = Number.isNaN(y) ? Infinity : y < 0 || Object.is(y, -0) ? -Infinity : Infinity;
    return;
  }
  if (Number.isNaN(y)) {
    o[0] = NaN;
    o[1] = NaN;
    return;
  }
  // Scale huge inputs so that |x| + hypot does not overflow.
  const scale = Math.abs(x) > 1e300 || Math.abs(y) > 1e300 ? 0.25 : 1;
  const xs = x * scale;
  const ys = y * scale;
  const back = scale === 1 ? 1 : 2;
  const t = Math.sqrt((Math.abs(xs) + Math.hypot(xs, ys)) * 0.5);
  if (x >= 0) {
    o[0] = f(t * back);
    o[1] = f((ys / (2 * t)) * back);
  } else {
    o[0] = f((Math.abs(ys) / (2 * t)) * back);
    o[1] = f((y < 0 || Object.is(y, -0) ? -t : t) * back);
  }
});

// ---- trigonometric and hyperbolic (finite inputs) -------------------------------

function csinh(x: number, y: number, o: Float64Array): void {
  o[0] = Math.sinh(x) * Math.cos(y);
  o[1] = y === 0 ? y : Math.cosh(x) * Math.sin(y);
}

function ccosh(x: number, y: number, o: Float64Array): void {
  o[0] = Math.cosh(x) * Math.cos(y);
  o[1] = x === 0 || y === 0 ? x * y : Math.sinh(x) * Math.sin(y);
}

/** tanh by Kahan's formula (no cancellation, no overflow for large |x|). */
function ctanh(x: number, y: number, o: Float64Array): void {
  if (Math.abs(x) > 22) {
    o[0] = Math.sign(x);
    o[1] = 4 * Math.sin(y) * Math.cos(y) * Math.exp(-2 * Math.abs(x));
    return;
  }
  const t = Math.tan(y);
  const beta = 1 + t * t;
  const s = Math.sinh(x);
  const rho = Math.sqrt(1 + s * s);
  const den = 1 + beta * s * s;
  o[0] = (beta * rho * s) / den;
  o[1] = t / den;
}

function rounded(fn: (x: number, y: number, o: Float64Array) => void): ComplexLoop {
  return c1((a, b, o, f) => {
    fn(a, b, o);
    o[0] = f(o[0]!);
    o[1] = f(o[1]!);
  });
}

/** sin z = -i sinh(iz); cos z = cosh(iz); tan z = -i tanh(iz). */
function viaI(fn: (x: number, y: number, o: Float64Array) => void, negateReal: boolean): (x: number, y: number, o: Float64Array) => void {
  return (x, y, o) => {
    fn(-y, x, o); // iz = -y + ix
    const re = o[0]!;
    const im = o[1]!;
    if (negateReal) {
      // -i (re + i im) = im - i re
      o[0] = im;
      o[1] = -re;
    } else {
      o[0] = re;
      o[1] = im;
    }
  };
}

export const sinh = rounded(csinh);
export const cosh = rounded(ccosh);
export const tanh = rounded(ctanh);
export const sin = rounded(viaI(csinh, true));
export const cos = rounded(viaI(ccosh, false));
export const tan = rounded(viaI(ctanh, true));
