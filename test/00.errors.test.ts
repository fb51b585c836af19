// Error classes and argument validation: every bad argument gives a coded
// TypeError/RangeError whose message names the argument, what was expected
// and what was received.
import test from 'tape';
import * as nd from '../src/index.js';
import { codes, isNdshareError, NdshareError, NdshareRangeError, NdshareTypeError } from '../src/index.js';
import { throwsCoded } from './helpers/assert.js';
import { native } from '../src/binding.js';

type Case = [string, () => unknown, typeof TypeError | typeof RangeError | typeof NdshareError, string, RegExp?];

function check(t: test.Test, cases: Case[]): void {
  for (const [label, fn, cls, code, message] of cases) throwsCoded(t, label, fn, cls, code, message);
}

test('error classes carry permanent codes and names', (t) => {
  const e = new NdshareError('nope', { code: codes.READ_ONLY, extra: 1 });
  t.equal(e.code, 'ERR_NDSHARE_READ_ONLY');
  t.equal(e.name, 'NdshareError');
  t.equal((e as unknown as { extra: number }).extra, 1, 'details attached');
  t.ok(e instanceof Error);
  t.ok(new NdshareTypeError('x') instanceof TypeError);
  t.equal(new NdshareTypeError('x').code, codes.INVALID_ARG_TYPE);
  t.ok(new NdshareRangeError('x') instanceof RangeError);
  t.equal(new NdshareRangeError('x').code, codes.INVALID_ARG_VALUE);
  t.false(isNdshareError(new Error('plain')));
  for (const [key, value] of Object.entries(codes)) t.equal(value, `ERR_NDSHARE_${key}`, `code table entry ${key}`);
  t.end();
});

test('constructors take (message, options) like Error', (t) => {
  const cause = new Error('root');
  const e = new NdshareError('store full', { code: codes.STORE_FULL, cause, stats: { used: 3 } });
  t.equal(e.message, 'store full');
  t.equal(e.code, codes.STORE_FULL);
  t.equal(e.cause, cause, 'cause is the standard Error.cause');
  t.false(Object.keys(e).includes('cause'), 'cause is not copied as an extra field');
  t.deepEqual((e as unknown as { stats: unknown }).stats, { used: 3 }, 'other options are attached');
  const overwrite = new NdshareError('m', { code: codes.CLOSED, ...({ code2: 1 } as object) } as never);
  t.equal(overwrite.code, codes.CLOSED);
  const te = new NdshareTypeError('bad dtype', { code: codes.DTYPE, cause });
  t.equal(te.code, codes.DTYPE);
  t.equal(te.cause, cause);
  t.ok(te instanceof TypeError);
  const re = new NdshareRangeError('bad axis', { code: codes.OUT_OF_BOUNDS });
  t.equal(re.code, codes.OUT_OF_BOUNDS);
  t.equal(re.cause, undefined);
  t.ok(re instanceof RangeError);
  t.equal(codes.LINALG, 'ERR_NDSHARE_LINALG');
  t.throws(() => new NdshareError('m', undefined as never), TypeError, 'a missing code is a TypeError');
  t.throws(
    () => new (NdshareError as unknown as new (c: string, m: string) => Error)(codes.CLOSED, 'old order'),
    TypeError,
    'the old (code, message) order is refused',
  );
  t.end();
});

test('bad shapes', (t) => {
  const bads: [unknown, typeof TypeError | typeof RangeError, string][] = [
    [-1, RangeError, codes.INVALID_ARG_VALUE],
    [[2, -3], RangeError, codes.INVALID_ARG_VALUE],
    [[2.5], TypeError, codes.INVALID_ARG_TYPE],
    [['2'], TypeError, codes.INVALID_ARG_TYPE],
    [[NaN], TypeError, codes.INVALID_ARG_TYPE],
    ['3', TypeError, codes.INVALID_ARG_TYPE],
    [null, TypeError, codes.INVALID_ARG_TYPE],
    [new Array(65).fill(1), RangeError, codes.INVALID_ARG_VALUE],
    [[2 ** 30, 2 ** 30, 2 ** 30], RangeError, codes.INVALID_ARG_VALUE],
  ];
  const cases: Case[] = [];
  for (const [shape, cls, code] of bads) {
    for (const fn of ['zeros', 'ones', 'empty'] as const) {
      cases.push([`${fn}(${JSON.stringify(shape)})`, () => nd[fn](shape as number[]), cls, code, /shape/]);
    }
  }
  check(t, cases);
  t.end();
});

test('bad dtypes', (t) => {
  const cases: Case[] = [];
  for (const dtype of ['float', 'int', 'complex256', 'Float32', '', 'f8']) {
    cases.push([`zeros dtype ${dtype}`, () => nd.zeros([1], { dtype: dtype as never }), RangeError, codes.DTYPE, /dtype/]);
    cases.push([`astype ${dtype}`, () => nd.zeros([1]).astype(dtype as never), RangeError, codes.DTYPE, /dtype/]);
  }
  for (const dtype of [1, {}, Symbol('x')]) {
    cases.push([`zeros dtype ${String(dtype)}`, () => nd.zeros([1], { dtype: dtype as never }), TypeError, codes.INVALID_ARG_TYPE]);
  }
  check(t, cases);
  t.end();
});

test('bad arguments to creation and view functions', (t) => {
  const x = nd.arange(6).reshape([2, 3]);
  check(t, [
    ['full with a string', () => nd.full([2], 'a' as never), TypeError, codes.INVALID_ARG_TYPE, /fillValue/],
    ['arange step 0', () => nd.arange(0, 1, 0), RangeError, codes.INVALID_ARG_VALUE, /step/],
    ['arange NaN', () => nd.arange(NaN), TypeError, codes.INVALID_ARG_TYPE],
    ['arange 4 numbers', () => nd.arange(1, 2, 3, 4 as never), RangeError, codes.INVALID_ARG_VALUE],
    ['linspace num -1', () => nd.linspace(0, 1, -1), RangeError, codes.INVALID_ARG_VALUE, /num/],
    ['linspace num 1.5', () => nd.linspace(0, 1, 1.5), RangeError, codes.INVALID_ARG_VALUE, /num/],
    ['eye -1', () => nd.eye(-1), RangeError, codes.INVALID_ARG_VALUE, /\bn\b/],
    ['eye k 0.5', () => nd.eye(2, 2, { k: 0.5 }), TypeError, codes.INVALID_ARG_TYPE, /options\.k/],
    ['zerosLike of a list', () => nd.zerosLike([1] as never), TypeError, codes.INVALID_ARG_TYPE, /\bx\b/],
    ['transpose bad perm', () => x.transpose([0, 0]), RangeError, codes.INVALID_ARG_VALUE, /axes/],
    ['transpose axis 2', () => x.transpose([0, 2]), RangeError, codes.OUT_OF_BOUNDS],
    ['expandDims axis 4', () => x.expandDims(4), RangeError, codes.OUT_OF_BOUNDS, /axis/],
    ['squeeze axis "a"', () => x.squeeze('a' as never), TypeError, codes.INVALID_ARG_TYPE, /axis/],
    ['copy order Z', () => x.copy('Z' as never), RangeError, codes.INVALID_ARG_VALUE, /order/],
    ['set a string', () => x.set(0, 0, 'a' as never), TypeError, codes.INVALID_ARG_TYPE, /value/],
    ['assign an object', () => x.assign({} as never), TypeError, codes.INVALID_ARG_TYPE, /value/],
    ['assign mismatched', () => x.assign(nd.zeros([4])), NdshareError, codes.BROADCAST, /\(4\)/],
    ['slice a float', () => x.slice(0.5), TypeError, codes.INVALID_ARG_TYPE, /indices\[0\]/],
    ['slice a bad step', () => x.slice({ start: 0, stop: 2, step: 0.5 }), TypeError, codes.INVALID_ARG_TYPE, /step/],
    ['seed 1.5', () => nd.random.uniform([2], { seed: 1.5 }), TypeError, codes.INVALID_ARG_TYPE, /seed/],
    ['normal scale -1', () => nd.random.normal([2], { scale: -1 }), RangeError, codes.INVALID_ARG_VALUE, /scale/],
  ]);
  t.end();
});

test('messages name the argument, the expectation and the value received', (t) => {
  t.throws(
    () => nd.zeros([2, -3]),
    (e: Error) => e.message === 'Expected a non-negative integer for shape[1] but received -3 (number)',
  );
  t.throws(
    () => nd.zeros([1], { dtype: 'float' as never }),
    (e: Error) => /^Expected one of bool, int8, .* for options\.dtype but received 'float' \(string\)$/.test(e.message),
  );
  t.end();
});

test('NdshareError is the base of everything ndshare throws', (t) => {
  for (const make of [() => nd.zeros([-1]), () => nd.zeros(['a' as never]), () => nd.arange(3).reshape([4])]) {
    t.throws(make, (e: unknown) => e instanceof NdshareError && isNdshareError(e));
  }
  t.false(new TypeError('x') instanceof NdshareError, 'a plain TypeError is not');
  t.ok(new NdshareRangeError('x') instanceof RangeError, 'argument errors stay RangeErrors too');
  t.end();
});

test('the addon builds its errors with the public classes, in their (message, {code, ...details}) form', (t) => {
  const caught = (fn: () => unknown): Error & { code?: string; errno?: number; syscall?: string } => {
    try {
      fn();
    } catch (e) {
      return e as Error & { code?: string };
    }
    throw new Error('did not throw');
  };
  const range = caught(() => native.shm.close(-1));
  t.equal(Object.getPrototypeOf(range), NdshareRangeError.prototype, 'a bad value: exactly an NdshareRangeError');
  t.equal(range.code, codes.INVALID_ARG_VALUE);
  const type = caught(() => native.shm.close('3' as never));
  t.equal(Object.getPrototypeOf(type), NdshareTypeError.prototype, 'a bad type: exactly an NdshareTypeError');
  t.equal(type.code, codes.INVALID_ARG_TYPE);
  const sys = caught(() => native.shm.close(99999));
  t.equal(Object.getPrototypeOf(sys), NdshareError.prototype, 'a failed system call: exactly an NdshareError');
  t.equal(sys.code, codes.NATIVE);
  t.equal(sys.errno, 9, 'errno EBADF, given in the options');
  t.equal(sys.syscall, 'close');
  t.end();
});
