// Text I/O against NumPy 2: loadtxt and genfromtxt on the same texts (options,
// dtypes, comments, usecols, ndmin/unpack, missing values, errors), savetxt
// byte for byte against np.savetxt (fmt forms, flags, header/footer, dtypes),
// files written by one side read by the other, and fromfile (binary and text).
import test from 'tape';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nd from '../src/index.js';
import type { DType, NDArray } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { arrayOf, checkAll, edgeValues, type Case, skipWithoutNumpy } from './helpers/numpy-diff.js';
import { python } from './helpers/python.js';

const S = (text: string): string => `__import__('io').StringIO(${JSON.stringify(text)})`;
const lines = (text: string): string[] => (text === '' ? [] : text.split('\n'));

test('loadtxt matches NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  const add = (label: string, text: string, py: string, opts: nd.LoadtxtOptions, errCode?: string): void => {
    cases.push({ label, expr: `np.loadtxt(${S(text)}${py ? `, ${py}` : ''})`, args: [], ours: () => nd.loadtxt(lines(text), opts), errCode });
  };
  const grid = '1 2 3\n4 5 6\n7 8 9\n';
  add('whitespace grid', grid, '', {});
  add('ragged whitespace', '  1\t2   3 \n4 5\t\t6\n', '', {});
  add('csv', '1,2.5,-3e2\n4,nan,inf\n-inf,+7,.5\n', "delimiter=','", { delimiter: ',' });
  add('csv spaces', ' 1 , 2 \n 3 , 4 \n', "delimiter=','", { delimiter: ',' });
  add('comments', '# head\n1 2 # tail\n\n   \n3 4\n', '', {});
  add('comments list', '% a\n1 2 // b\n3 4\n', "comments=['%', '//']", { comments: ['%', '//'] });
  add('no comments', '1 2\n3 4\n', 'comments=None', { comments: null });
  add('skiprows', 'a b\nc d\n1 2\n3 4\n', 'skiprows=2', { skiprows: 2 });
  add('maxRows', '# c\n1 2\n\n3 4\n5 6\n', 'max_rows=2', { maxRows: 2 });
  for (const uc of [0, -1, [0, 2], [2, 0], [-1, 1]] as (number | number[])[]) {
    add(`usecols ${uc}`, grid, `usecols=${Array.isArray(uc) ? `[${uc}]` : uc}`, { usecols: uc });
  }
  for (const ndmin of [0, 1, 2] as const) {
    add(`one value ndmin ${ndmin}`, '5\n', `ndmin=${ndmin}`, { ndmin });
    add(`one row ndmin ${ndmin}`, '1 2 3\n', `ndmin=${ndmin}`, { ndmin });
    add(`one column ndmin ${ndmin}`, '1\n2\n3\n', `ndmin=${ndmin}`, { ndmin });
    add(`grid ndmin ${ndmin} unpack`, grid, `ndmin=${ndmin}, unpack=True`, { ndmin, unpack: true });
    add(`empty ndmin ${ndmin}`, '', `ndmin=${ndmin}`, { ndmin });
    add(`one column unpack ndmin ${ndmin}`, '1\n2\n', `ndmin=${ndmin}, unpack=True`, { ndmin, unpack: true });
  }
  for (const d of ['bool', 'int8', 'uint8', 'int16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64'] as DType[]) {
    add(`dtype ${d}`, '0 1 2\n3 -0 +5\n', `dtype='${d}'`, { dtype: d });
    add(`dtype ${d} float text`, '1.5 2\n', `dtype='${d}'`, { dtype: d }, d.includes('float') ? undefined : 'ERR_NDSHARE_CORRUPT_FILE');
  }
  add('int64 limits', '-9223372036854775808 9223372036854775807\n', "dtype='int64'", { dtype: 'int64' });
  add('uint64 max', '18446744073709551615\n', "dtype='uint64'", { dtype: 'uint64' });
  add('int8 overflow', '300\n', "dtype='int8'", { dtype: 'int8' }, 'ERR_NDSHARE_CORRUPT_FILE');
  add('bad float', '1 x\n', '', {}, 'ERR_NDSHARE_CORRUPT_FILE');
  add('hex refused', '0x10\n', '', {}, 'ERR_NDSHARE_CORRUPT_FILE');
  add('empty field', '1,,2\n', "delimiter=','", { delimiter: ',' }, 'ERR_NDSHARE_CORRUPT_FILE');
  add('ragged rows', '1 2\n3\n', '', {}, 'ERR_NDSHARE_CORRUPT_FILE');
  add('usecols out of range', '1 2\n', 'usecols=[5]', { usecols: [5] }, 'ERR_NDSHARE_CORRUPT_FILE');
  add('Infinity words', 'Infinity -INF NaN\n', '', {});
  for (const d of ['complex128', 'complex64'] as DType[]) {
    add(`complex ${d}`, '1+2j (3-4.5j) 2j\n-1e3-2e-3j 7 (nan+infj)\n-0-0j 1.5j +1-1j\n', `dtype='${d}'`, { dtype: d });
    add(`complex ${d} capital J`, '1+2J\n', `dtype='${d}'`, { dtype: d }, 'ERR_NDSHARE_CORRUPT_FILE');
    add(`complex ${d} csv`, '(1+2j),3\n4,(-5-6j)\n', `dtype='${d}', delimiter=','`, { dtype: d, delimiter: ',' });
    add(`complex ${d} bad`, '1+2\n', `dtype='${d}'`, { dtype: d }, 'ERR_NDSHARE_CORRUPT_FILE');
  }
  cases.push({
    label: 'converters',
    expr: `np.loadtxt(${S('1,2\n3,4\n')}, delimiter=',', converters={0: lambda s: float(s) * 10})`,
    args: [],
    ours: () => nd.loadtxt(['1,2', '3,4'], { delimiter: ',', converters: { 0: (s) => Number(s) * 10 } }),
  });
  cases.push({
    label: 'one converter for all',
    expr: `np.loadtxt(${S('1,2\n3,4\n')}, delimiter=',', converters=lambda s: float(s) + 0.5)`,
    args: [],
    ours: () => nd.loadtxt(['1,2', '3,4'], { delimiter: ',', converters: (s) => Number(s) + 0.5 }),
  });
  checkAll(t, 'loadtxt', cases);
  t.throws(
    () => nd.loadtxt(['1'], { quotechar: '"' } as never),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_UNSUPPORTED',
    'quotechar refused',
  );
  t.throws(
    () => nd.loadtxt(['1'], { ndmin: 3 as 2 }),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
    'ndmin 3 refused',
  );
  t.end();
});

test('genfromtxt matches NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  const add = (label: string, text: string, py: string, opts: nd.GenfromtxtOptions, errCode?: string): void => {
    cases.push({ label, expr: `np.genfromtxt(${S(text)}${py ? `, ${py}` : ''})`, args: [], ours: () => nd.genfromtxt(lines(text), opts), errCode });
  };
  add('missing floats', '1,,3\n4,5,6\n', "delimiter=','", { delimiter: ',' });
  add('missing ints', '1,,3\n4,5,6\n', "delimiter=',', dtype='int32'", { delimiter: ',', dtype: 'int32' });
  add('filling', '1,,3\n4,5,6\n', "delimiter=',', dtype='int64', filling_values=0", { delimiter: ',', dtype: 'int64', fillingValues: 0 });
  add('invalid as missing', '1,x,3\n', "delimiter=','", { delimiter: ',' });
  add('missing_values', '1,N/A,3\n', "delimiter=',', missing_values='N/A', filling_values=-9", { delimiter: ',', missingValues: 'N/A', fillingValues: -9 });
  add('ragged raises', '1,2\n3\n', "delimiter=','", { delimiter: ',' }, 'ERR_NDSHARE_CORRUPT_FILE');
  add('ragged skipped', '1,2\n3\n4,5\n', "delimiter=',', invalid_raise=False", { delimiter: ',', invalidRaise: false });
  add('empty', '', '', {});
  add('one value', '5\n', '', {});
  add('skip_header', '1 2\n3 4\n', 'skip_header=1', { skipHeader: 1 });
  add('skip_footer', '1 2\n3 4\n5 6\n', 'skip_footer=1', { skipFooter: 1 });
  add('comments', '# x\n1 2 # y\n3 4\n', '', {});
  add('usecols', '1,2,3\n4,5,6\n', "delimiter=',', usecols=[2, 0]", { delimiter: ',', usecols: [2, 0] });
  add('ints from float text', '1.5,2\n', "delimiter=',', dtype='int32'", { delimiter: ',', dtype: 'int32' });
  add('bool words', 'True,False\nfalse,TRUE\n', "delimiter=',', dtype='bool'", { delimiter: ',', dtype: 'bool' });
  add('bool digits', '1,0\n', "delimiter=',', dtype='bool'", { delimiter: ',', dtype: 'bool' });
  add('float32', '1.1 2.2\n', "dtype='float32'", { dtype: 'float32' });
  add('unpack ndmin 2', '1 2\n', 'unpack=True, ndmin=2', { unpack: true, ndmin: 2 });
  add('max_rows', '1 2\n3 4\n5 6\n', 'max_rows=2', { maxRows: 2 });
  add('complex', '1+2j,,3j\n(4-5j),6,-1e-3+2e3j\n', "delimiter=',', dtype='complex128'", { delimiter: ',', dtype: 'complex128' });
  checkAll(t, 'genfromtxt', cases);
  t.throws(
    () => nd.genfromtxt(['a b', '1 2'], { names: true as never }),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_UNSUPPORTED',
    'names (structured) is refused',
  );
  t.throws(
    () => nd.genfromtxt(['1 2'], { usemask: true } as never),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_UNSUPPORTED',
    'usemask is refused',
  );
  t.end();
});

test('savetxt writes what np.savetxt writes', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(69);
  const arrays: NDArray[] = [];
  const specs: { arr: number; kw: Record<string, unknown>; ours: nd.SavetxtOptions }[] = [];
  const add = (x: NDArray, kw: Record<string, unknown> = {}, ours: nd.SavetxtOptions = kw as nd.SavetxtOptions): void => {
    arrays.push(x);
    specs.push({ arr: arrays.length - 1, kw, ours });
  };
  for (const d of ['float64', 'float32', 'float16', 'int8', 'int64', 'uint64', 'bool'] as DType[]) {
    const x = arrayOf(edgeValues(d, 12, rand), d).reshape([4, 3]);
    add(x);
    add(x.T, { fmt: '%s' });
    if (!d.startsWith('float')) add(x, { fmt: '%d', delimiter: ',' });
    if (!d.startsWith('float')) add(x, { fmt: ['%5d', '%-4i', '%+x'], delimiter: '|' });
    add(x, { fmt: '%.3g' });
    add(x, { fmt: '%10.4f' });
  }
  const f = arrayOf([0, -0, 1.5, -2.25, 1e-5, 123456789.123, 1e22, 5e-324, 0.1, 2 / 3, 1e16, -1e-7], 'float64');
  for (const fmt of [
    '%.18e',
    '%e',
    '%E',
    '%g',
    '%G',
    '%#g',
    '%.0e',
    '%.0f',
    '%#.0f',
    '%+.2f',
    '% .3e',
    '%012.4f',
    '%-12.3e|',
    '%.10g',
    '%.1g',
    '%s',
    '%.30f',
    '%r',
  ]) {
    if (fmt === '%r') continue;
    add(f, { fmt });
  }
  add(f.reshape([3, 4]), { fmt: '%.2f,%.3e;%g %s' });
  add(f.reshape([6, 2]), { header: 'a b\nsecond line', footer: 'end', comments: '## ', newline: '\r\n' });
  add(f.reshape([6, 2]), { header: 'x', delimiter: '\t' });
  add(arrayOf([], 'float64').reshape([0, 3]));
  const z = nd.array([nd.complex(1, -2), nd.complex(-0.5, 0), nd.complex(NaN, Infinity), nd.complex(1e-7, -0), nd.complex(3, 4), nd.complex(-1e22, 2.5)]);
  for (const c of [z, z.astype('complex64')]) {
    add(c.reshape([2, 3]));
    add(c.reshape([3, 2]), { fmt: '%.3f', delimiter: ',' });
    add(c.reshape([2, 3]).T, { fmt: '%g' });
    add(c.reshape([3, 2]), { fmt: '%.2e %.2e | %g %g' });
    add(c, { fmt: '%s' });
  }
  const inputs: Record<string, Uint8Array> = {};
  arrays.forEach((a, i) => (inputs[`a${i}.npy`] = nd.encodeNpy(a.copy())));
  inputs['specs.json'] = new TextEncoder().encode(JSON.stringify(specs.map((s) => ({ arr: s.arr, kw: s.kw }))));
  const { stdout } = python(
    `
import io
specs = json.loads(open(os.path.join(D, 'specs.json')).read())
out = []
for s in specs:
    a = np.load(os.path.join(D, 'a%d.npy' % s['arr']))
    b = io.StringIO()
    try:
        np.savetxt(b, a, **s['kw'])
        out.append(b.getvalue())
    except Exception as e:
        out.append({'err': type(e).__name__})
print(json.dumps(out))
`,
    inputs,
  );
  const want = JSON.parse(stdout) as (string | { err: string })[];
  let same = 0;
  specs.forEach((s, i) => {
    let got: string;
    let coded = false;
    try {
      got = nd.formatTxt(arrays[s.arr]!, s.ours);
    } catch (e) {
      got = `threw ${(e as Error).message}`;
      coded = nd.isNdshareError(e);
    }
    if (got === want[i] || (coded && typeof want[i] === 'object')) same++;
    else
      t.fail(
        `savetxt(${arrays[s.arr]!.dtype} ${JSON.stringify(s.kw)}): ours ${JSON.stringify(got).slice(0, 200)} NumPy ${JSON.stringify(want[i]).slice(0, 200)}`,
      );
  });
  t.equal(same, specs.length, `savetxt: ${same}/${specs.length} outputs identical to NumPy's`);
  t.throws(
    () => nd.formatTxt(nd.zeros([2, 2, 2])),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_SHAPE_MISMATCH',
    '3-d refused',
  );
  t.throws(
    () => nd.formatTxt(nd.zeros([2, 3]), { fmt: '%d %d' }),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
    'fmt with a wrong count of formats',
  );
  t.end();
});

test('files written by NumPy read by ndshare and back; fromfile', (t) => {
  if (skipWithoutNumpy(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-txt-'));
  try {
    const ours = nd.random.normal([200, 5], { seed: 69 });
    nd.savetxt(join(dir, 'ours.txt'), ours);
    nd.savetxt(join(dir, 'ours.csv'), ours.astype('float32'), { fmt: '%.9g', delimiter: ',', header: 'a,b,c,d,e' });
    const { stdout, files } = python(
      `
rng = np.random.default_rng(69)
x = rng.standard_normal((300, 4))
np.savetxt(os.path.join(D, 'out_np.txt'), x)
np.savetxt(os.path.join(D, 'out_np.csv'), x, delimiter=',', fmt='%.17g', header='w,x,y,z')
np.save(os.path.join(D, 'out_x.npy'), x)
a = np.loadtxt(os.path.join(D, 'ours.txt'))
b = np.loadtxt(os.path.join(D, 'ours.csv'), delimiter=',', dtype='float32')
np.save(os.path.join(D, 'out_a.npy'), a)
np.save(os.path.join(D, 'out_b.npy'), b)
v = (rng.integers(-1000, 1000, 37)).astype('int16')
v.tofile(os.path.join(D, 'out_v.bin'))
np.save(os.path.join(D, 'out_v.npy'), v)
np.save(os.path.join(D, 'out_v3.npy'), np.fromfile(os.path.join(D, 'out_v.bin'), dtype='int16', count=5, offset=6))
open(os.path.join(D, 'out_t.txt'), 'w').write('1, 2 ,3,\\n4 , 5\\n')
np.save(os.path.join(D, 'out_t.npy'), np.fromfile(os.path.join(D, 'out_t.txt'), sep=','))
np.save(os.path.join(D, 'out_t2.npy'), np.fromfile(os.path.join(D, 'out_t.txt'), sep=',', dtype='int32', count=4))
open(os.path.join(D, 'out_u.txt'), 'w').write('1 2\\n3   4.5e1\\n')
np.save(os.path.join(D, 'out_u.npy'), np.fromfile(os.path.join(D, 'out_u.txt'), sep=' '))
open(os.path.join(D, 'out_w.txt'), 'w').write('1,2,x,4')
try:
    np.fromfile(os.path.join(D, 'out_w.txt'), sep=',')
except ValueError:
    open(os.path.join(D, 'out_w_raises'), 'w').write('yes')
print('ok')
`,
      { 'ours.txt': readFileSync(join(dir, 'ours.txt')), 'ours.csv': readFileSync(join(dir, 'ours.csv')) },
    );
    t.equal(stdout.trim(), 'ok');
    const npy = (k: string): NDArray => nd.parseNpy(new Uint8Array(files[`out_${k}.npy`]!));
    const eq = (a: NDArray, b: NDArray): boolean => a.dtype === b.dtype && nd.arrayEqual(a, b, { equalNan: true });
    for (const k of ['np.txt', 'np.csv']) writeFileSync(join(dir, k), files[`out_${k}`]!);
    const x = npy('x');
    t.ok(eq(nd.loadtxt(join(dir, 'np.txt')), x), "np.savetxt's default format read back exactly");
    t.ok(eq(nd.loadtxt(join(dir, 'np.csv'), { delimiter: ',' }), x), 'a CSV with a header comment, %.17g, read back exactly');
    t.ok(eq(npy('a'), ours), 'NumPy reads our default-format file exactly');
    t.ok(eq(npy('b'), ours.astype('float32')), 'NumPy reads our float32 CSV exactly');
    for (const k of ['v.bin', 't.txt', 'u.txt', 'w.txt']) if (files[`out_${k}`]) writeFileSync(join(dir, k), files[`out_${k}`]!);
    t.ok(eq(nd.fromfile(join(dir, 'v.bin'), { dtype: 'int16' }), npy('v')), 'fromfile binary int16');
    t.ok(eq(nd.fromfile(join(dir, 'v.bin'), { dtype: 'int16', count: 5, offset: 6 }), npy('v3')), 'fromfile count and offset');
    t.ok(eq(nd.fromfile(join(dir, 't.txt'), { sep: ',' }), npy('t')), 'fromfile text with sep ","');
    t.ok(eq(nd.fromfile(join(dir, 't.txt'), { sep: ',', dtype: 'int32', count: 4 }), npy('t2')), 'fromfile text int32 count 4');
    t.ok(eq(nd.fromfile(join(dir, 'u.txt'), { sep: ' ' }), npy('u')), 'fromfile text with whitespace');
    t.ok(files.out_w_raises !== undefined, 'NumPy raises on unmatched text');
    t.throws(
      () => nd.fromfile(join(dir, 'w.txt'), { sep: ',' }),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_CORRUPT_FILE',
      'so does fromfile (coded)',
    );
    t.deepEqual(nd.fromfile(join(dir, 'v.bin'), { dtype: 'int16', count: 1000 }).shape, [37], 'count beyond the file reads what is there');
    t.throws(
      () => nd.fromfile(join(dir, 't.txt'), { sep: ',', offset: 2 }),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_TYPE',
      'offset refused in text mode',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.end();
});
