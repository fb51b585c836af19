// Names of the elementwise ops shared by the ufunc tests (test/14, 17, 70).

/** NumPy's name of one of ours ('floorDivide' -> 'np.floor_divide'). */
export function pyName(name: string): string {
  return 'np.' + name.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase());
}

/** The binary ufuncs with methods (reduce, accumulate, outer, at). */
export const BINARY_UFUNCS: readonly string[] = [
  'add',
  'subtract',
  'multiply',
  'divide',
  'floorDivide',
  'mod',
  'power',
  'maximum',
  'minimum',
  'arctan2',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
];

/** Ops whose float results may differ from NumPy's by a few ulps (libm): public names, aliases and native op names. */
export const TRANSCENDENTAL: ReadonlySet<string> = new Set([
  'exp',
  'expm1',
  'log',
  'log1p',
  'log2',
  'log10',
  'sin',
  'cos',
  'tan',
  'arcsin',
  'arccos',
  'arctan',
  'sinh',
  'cosh',
  'tanh',
  'arctan2',
  'power',
  'cbrt',
  'exp2',
  'hypot',
  'logaddexp',
  'logaddexp2',
  'arcsinh',
  'arccosh',
  'arctanh',
  'acos',
  'asin',
  'atan',
  'atan2',
  'pow',
]);

/**
 * ULPs allowed between ndshare's and NumPy's result of a transcendental op, by
 * result dtype: each side's maximum error against a correctly rounded result
 * (docs/math.md's accuracy table) added and rounded up. float64 is within
 * ~0.56 ULP for every op but tanh (2.5), NumPy within 0.9, so 2; float32 keeps
 * 4 (NumPy's own float32 loops reach 2.7, and sin/tanh keep float kernels of
 * 1.3-2.5 ULP); float16/bfloat16 compute in float32 and round once: 1.
 */
export function transcendentalUlps(op: string, dtype: 'float64' | 'float32' | 'float16' | 'bfloat16'): number {
  if (dtype === 'float16' || dtype === 'bfloat16') return 1;
  if (dtype === 'float32') return 4;
  return op === 'tanh' ? 4 : 2;
}
