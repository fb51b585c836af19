// nd.iinfo / nd.finfo against NumPy's np.iinfo / np.finfo (computed at test
// time), and bfloat16 against its definition (NumPy has no bfloat16).
import test from 'tape';
import * as nd from '../src/index.js';
import { numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { throwsCoded } from './helpers/assert.js';

const INTS = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'] as const;
const FLOATS = ['float16', 'float32', 'float64'] as const;

test('iinfo and finfo agree with NumPy', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const out = python(`
r = {'i': {}, 'f': {}}
for d in ${JSON.stringify(INTS)}:
    i = np.iinfo(d)
    r['i'][d] = {'bits': i.bits, 'min': str(i.min), 'max': str(i.max), 'kind': i.kind, 'dtype': str(i.dtype)}
for d in ${JSON.stringify(FLOATS)}:
    f = np.finfo(d)
    r['f'][d] = {k: (float(getattr(f, k)) if isinstance(getattr(f, k), np.floating) else int(getattr(f, k)))
                 for k in ['bits', 'eps', 'epsneg', 'max', 'min', 'tiny', 'smallest_normal', 'smallest_subnormal',
                           'precision', 'resolution', 'nmant', 'nexp', 'machep', 'negep', 'maxexp', 'minexp']}
    r['f'][d]['dtype'] = str(f.dtype)
print(json.dumps(r))
`);
  const want = JSON.parse(out.stdout) as {
    i: Record<string, { bits: number; min: string; max: string; kind: string; dtype: string }>;
    f: Record<string, Record<string, number | string>>;
  };
  for (const d of INTS) {
    const got = nd.iinfo(d);
    const w = want.i[d]!;
    t.deepEqual(
      { dtype: got.dtype, kind: got.kind, bits: got.bits, min: String(got.min), max: String(got.max) },
      { dtype: w.dtype, kind: w.kind, bits: w.bits, min: w.min, max: w.max },
      `iinfo('${d}')`,
    );
    t.equal(typeof got.min, d.endsWith('64') ? 'bigint' : 'number', `iinfo('${d}').min has the element type`);
  }
  for (const d of FLOATS) {
    const got = nd.finfo(d) as unknown as Record<string, number | string>;
    const w = want.f[d]!;
    const camel = (k: string): string => k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    for (const [k, v] of Object.entries(w)) t.equal(got[camel(k)], v, `finfo('${d}').${camel(k)} = ${v}`);
  }
  t.end();
});

test('finfo(bfloat16): 8 exponent bits, 7 fraction bits (as ml_dtypes reports it)', (t) => {
  const f = nd.finfo('bfloat16');
  t.equal(f.bits, 16);
  t.equal(f.eps, 2 ** -7);
  t.equal(f.max, 3.3895313892515355e38);
  t.equal(f.tiny, 2 ** -126);
  t.equal(f.smallestSubnormal, 2 ** -133);
  t.equal(f.precision, 2);
  t.equal(f.resolution, 0.010009765625, '0.01 rounded to bfloat16');
  t.equal(f.maxexp, 128);
  t.equal(f.minexp, -126);
  t.end();
});

test('iinfo/finfo refuse the other kinds and unknown dtypes with ERR_NDSHARE_DTYPE', (t) => {
  for (const d of ['float32', 'bool']) throwsCoded(t, `iinfo('${d}')`, () => nd.iinfo(d as never), RangeError, 'ERR_NDSHARE_DTYPE', /integer dtype/);
  for (const d of ['int32', 'bool']) throwsCoded(t, `finfo('${d}')`, () => nd.finfo(d as never), RangeError, 'ERR_NDSHARE_DTYPE', /floating dtype/);
  throwsCoded(t, "iinfo('int128')", () => nd.iinfo('int128' as never), RangeError, 'ERR_NDSHARE_DTYPE');
  t.ok(Object.isFrozen(nd.iinfo('int8')) && Object.isFrozen(nd.finfo('float64')), 'the records are frozen');
  t.end();
});
