// nd.linalg.test() and nd.fft.test(), NumPy's per-module test runners: they run
// this checkout's differential test files of the module (each in its own
// process, through scripts/run-tests.mjs) and resolve to whether all passed.
import test from 'tape';
import * as nd from '../src/index.js';
import { skipWithoutNumpy } from './helpers/numpy-diff.js';

test('nd.fft.test() and nd.linalg.test() run the modules differential tests and pass', async (t) => {
  if (skipWithoutNumpy(t)) return;
  t.equal(await nd.fft.test(), true, 'nd.fft.test() resolves to true');
  t.equal(await nd.linalg.test(), true, 'nd.linalg.test() resolves to true');
});

test('the runners check their options', async (t) => {
  const e = await nd.fft.test({ label: 'full' } as never).then(
    () => undefined,
    (err: unknown) => err as { code?: string },
  );
  t.equal(e?.code, nd.codes.INVALID_ARG_VALUE, 'an unknown option is refused with ERR_NDSHARE_INVALID_ARG_VALUE');
});
