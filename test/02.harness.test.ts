// The test harness itself: in CI (CI=true) a missing python3/NumPy fails the
// NumPy differential tests instead of skipping them.
import test from 'tape';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inCI } from './helpers/python.js';

const HERE = dirname(fileURLToPath(import.meta.url));

test('inCI reads the CI variable', (t) => {
  t.true(inCI({ CI: 'true' }));
  t.true(inCI({ CI: '1' }));
  t.false(inCI({}));
  t.false(inCI({ CI: '' }));
  t.false(inCI({ CI: 'false' }));
  t.false(inCI({ CI: '0' }));
  t.end();
});

test('numpy(): a skip outside CI, an error in CI, when python3 is not on PATH', (t) => {
  const script = `import { numpy } from ${JSON.stringify(join(HERE, 'helpers/python.ts'))};
try { console.log('result ' + numpy()); } catch (e) { console.log('threw ' + e.message); }`;
  // PATH without python3 (node is run by absolute path, tsx is preloaded by absolute path).
  const run = (ci: string | undefined) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
    if (ci === undefined) delete env.CI;
    else env.CI = ci;
    return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
      cwd: join(HERE, '..'),
    }).stdout.trim();
  };
  t.equal(run(undefined), 'result false', 'outside CI: false (the tests skip, visibly)');
  t.match(run('true'), /^threw python3 with numpy not found, and CI is set/, 'in CI: an error');
  t.end();
});
