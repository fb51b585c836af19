/**
 * NumPy's per-module test runners (`np.linalg.test()`, `np.fft.test()`): run
 * this package's differential tests of one module against NumPy, each test
 * file in its own process through the repository's runner
 * (scripts/run-tests.mjs), and report whether they all passed.
 *
 * They need what the tests need: the source checkout's `test/` folder and
 * `scripts/`, the dev dependencies (tape, tsx) and python3 with NumPy. An
 * installed package without them refuses with `ERR_NDSHARE_UNSUPPORTED`.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NdshareError, codes } from './errors.js';
import { checkOptions } from './validate.js';

/** Options of `nd.linalg.test` and `nd.fft.test`. */
export interface ModuleTestOptions {
  /** Stream the tests' TAP output to this process's stdout (default false: only the summary line). */
  verbose?: boolean;
}

/** The test files of each module (test/NN.name.test.ts), by name. */
const FILES: Record<'linalg' | 'fft', RegExp> = {
  linalg: /^\d+\.(linalg|einsum)-.*\.test\.ts$/,
  fft: /^\d+\.fft-.*\.test\.ts$/,
};

/** The package's top folder: src/ and dist/ both sit directly below it. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs the module's differential tests; resolves to true when every check passes.
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED when the tests are not installed (no `test/`, runner or dev dependencies).
 */
export async function runModuleTests(module: 'linalg' | 'fft', options?: ModuleTestOptions): Promise<boolean> {
  const fn = `nd.${module}.test`;
  checkOptions(options, { fn, known: ['verbose'] });
  const runner = join(ROOT, 'scripts', 'run-tests.mjs');
  const testDir = join(ROOT, 'test');
  const devDeps = ['tape', 'tsx'].every((p) => existsSync(join(ROOT, 'node_modules', p)));
  if (!existsSync(runner) || !existsSync(testDir) || !devDeps) {
    throw new NdshareError(`${fn} needs the source checkout: test/, scripts/run-tests.mjs and the dev dependencies (tape, tsx) under ${ROOT}`, {
      code: codes.UNSUPPORTED,
    });
  }
  const files = readdirSync(testDir)
    .filter((f) => FILES[module].test(f))
    .sort()
    .map((f) => join('test', f));
  const verbose = options?.verbose ?? false;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, ...files], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (verbose) process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4096);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /(\d+) passed, (\d+) failed/.exec(tail.trim().split('\n').pop() ?? '');
      if (!verbose && m) process.stdout.write(`${fn}: ${m[0]} (${files.length} files)\n`);
      resolve(code === 0 && m !== null && Number(m[2]) === 0 && Number(m[1]) > 0);
    });
  });
}

/**
 * `np.linalg.test()`: runs ndshare's linalg and einsum differential tests against NumPy (test/NN.linalg-*, test/NN.einsum-*).
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED outside a source checkout with its dev dependencies.
 * @example await nd.linalg.test() // true when every check passes
 */
export function linalgTest(options?: ModuleTestOptions): Promise<boolean> {
  return runModuleTests('linalg', options);
}

/**
 * `np.fft.test()`: runs ndshare's FFT differential tests against NumPy (test/NN.fft-*).
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED outside a source checkout with its dev dependencies.
 * @example await nd.fft.test({ verbose: true })
 */
export function fftTest(options?: ModuleTestOptions): Promise<boolean> {
  return runModuleTests('fft', options);
}
