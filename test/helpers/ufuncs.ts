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
