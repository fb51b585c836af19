// Bad input to the math functions: each gives a coded error of the right
// class whose message names the argument and the value received.
import test from 'tape';
import * as nd from '../src/index.js';
import { throwsCoded } from './helpers/assert.js';

const TYPE = 'ERR_NDSHARE_INVALID_ARG_TYPE';
const VALUE = 'ERR_NDSHARE_INVALID_ARG_VALUE';

test('elementwise and selection: bad arguments', (t) => {
  const x = nd.arange(4);
  throwsCoded(t, 'clip with no bound', () => nd.clip(x, null, null), RangeError, VALUE, /for min, max but received null/);
  throwsCoded(t, 'round with fractional decimals', () => nd.round(x, { decimals: 1.5 }), TypeError, TYPE, /for options\.decimals but received 1\.5 \(number\)/);
  throwsCoded(t, 'a string operand', () => nd.add('abc' as never, 1), TypeError, TYPE, /for x1 but received 'abc' \(string\)/);
  throwsCoded(t, 'options that are not an object', () => nd.exp(x, 3 as never), TypeError, TYPE, /for options but received 3 \(number\)/);
  throwsCoded(t, 'an out that is not an array', () => nd.exp(x, { out: [1, 2] as never }), TypeError, TYPE, /for options\.out but received \[1, 2\]/);
  throwsCoded(
    t,
    'an unknown options.dtype',
    () => nd.add(x, 1, { dtype: 'float128' as never }),
    RangeError,
    'ERR_NDSHARE_DTYPE',
    /for options\.dtype but received 'float128'/,
  );
  throwsCoded(t, 'an integer scalar outside int8', () => nd.add(x.astype('int8'), 300), RangeError, VALUE, /for x2 but received 300 \(number\)/);
  throwsCoded(
    t,
    'where without x and y',
    () => nd.where(x, undefined as never, undefined as never),
    TypeError,
    'ERR_NDSHARE_UNSUPPORTED',
    /where\(condition, x, y\)/,
  );
  t.end();
});

test('reductions: bad arguments', (t) => {
  const x = nd.arange(6).reshape([2, 3]);
  throwsCoded(t, 'axis out of range', () => nd.sum(x, { axis: 2 }), RangeError, 'ERR_NDSHARE_OUT_OF_BOUNDS', /options\.axis/);
  throwsCoded(t, 'repeated axes', () => nd.sum(x, { axis: [0, -2] }), RangeError, VALUE, /for options\.axis/);
  throwsCoded(t, 'ddof not a number', () => nd.std(x, { ddof: 'one' as never }), TypeError, TYPE, /for options\.ddof but received 'one' \(string\)/);
  throwsCoded(t, 'var in an integer dtype', () => nd.var(x, { dtype: 'int32' }), TypeError, 'ERR_NDSHARE_DTYPE', /int32 \(options\.dtype\)/);
  throwsCoded(t, 'max of an empty axis', () => nd.max(nd.zeros([2, 0]), { axis: 1 }), RangeError, VALUE, /for x/);
  throwsCoded(t, 'argmax of an empty array', () => nd.argmax(nd.zeros([0])), RangeError, VALUE, /for x/);
  throwsCoded(t, 'reduction options not an object', () => nd.sum(x, 'all' as never), TypeError, TYPE, /for options but received 'all' \(string\)/);
  t.end();
});

test('linear algebra and shaping: bad arguments', (t) => {
  const a = nd.ones([2, 3]);
  throwsCoded(t, 'matmul of a 0-d array', () => nd.matmul(nd.array(2), a), Error, 'ERR_NDSHARE_SHAPE_MISMATCH', /x1 must have at least one dimension/);
  throwsCoded(
    t,
    'matmul out of the wrong shape',
    () => nd.matmul(a, a.T, { out: nd.zeros([3, 3]) }),
    Error,
    'ERR_NDSHARE_SHAPE_MISMATCH',
    /options\.out has shape \(3, 3\) but the result has shape \(2, 2\)/,
  );
  throwsCoded(
    t,
    'matmul into a narrower out',
    () => nd.matmul(a, a.T, { out: nd.zeros([2, 2], { dtype: 'int8' }) }),
    TypeError,
    'ERR_NDSHARE_DTYPE',
    /float64 to int8 \(options\.out\)/,
  );
  throwsCoded(t, 'concatenate of nothing', () => nd.concatenate([]), Error, VALUE, /arrays must not be empty/);
  throwsCoded(t, 'concatenate not given a list', () => nd.concatenate(a as never), TypeError, TYPE, /for arrays but received an instance of NDArray/);
  throwsCoded(t, 'concatenate of 0-d arrays', () => nd.concatenate([nd.array(1), nd.array(2)]), Error, 'ERR_NDSHARE_SHAPE_MISMATCH', /arrays\[0\] is 0-d/);
  throwsCoded(t, 'stack of different shapes', () => nd.stack([a, nd.ones([3, 2])]), Error, 'ERR_NDSHARE_SHAPE_MISMATCH', /arrays\[1\] has \(3, 2\)/);
  for (const n of [0, 65, 1.5, Number.NaN]) {
    throwsCoded(t, `setThreads(${n})`, () => nd.setThreads(n), RangeError, VALUE, /for n but received/);
  }
  const info = nd.kernelInfo();
  t.ok(['avx512', 'avx2', 'baseline'].includes(info.isa) && info.threads >= 1, `kernelInfo: ${JSON.stringify(info)}`);
  t.end();
});

test('reductions: options are never ignored (one checkOptions, src/validate.ts)', (t) => {
  const x = nd.arange(6).reshape([2, 3]);
  const UNSUPPORTED = 'ERR_NDSHARE_UNSUPPORTED';
  throwsCoded(t, 'sum where', () => nd.sum(x, { where: true } as never), RangeError, UNSUPPORTED, /nd\.sum: option 'where'/);
  throwsCoded(t, 'sum initial', () => nd.sum(x, { initial: 1 } as never), RangeError, UNSUPPORTED, /'initial'/);
  throwsCoded(t, 'var correction', () => nd.var(x, { correction: 1 } as never), RangeError, UNSUPPORTED, /nd\.var: option 'correction'/);
  throwsCoded(t, 'argmax out', () => nd.argmax(x, { out: x } as never), RangeError, UNSUPPORTED, /nd\.argmax/);
  throwsCoded(t, 'cumsum keepdims', () => nd.cumsum(x, { keepdims: true } as never), RangeError, VALUE, /nd\.cumsum: unknown option 'keepdims'.*axis, dtype/);
  throwsCoded(t, 'mean typo', () => nd.mean(x, { axes: 0 } as never), RangeError, VALUE, /unknown option 'axes'/);
  throwsCoded(t, 'sum of an array of options', () => nd.sum(x, [] as never), TypeError, TYPE, /an options object/);
  t.equal(nd.sum(x, { axis: undefined, where: undefined } as never).item(), 15, 'undefined values count as absent');
  t.end();
});
