/**
 * Runs python3 + NumPy for differential tests. `numpy()` reports whether it
 * is there; tests call `t.skip(SKIP_MESSAGE)` when it is not, so the skip is
 * visible in the output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SKIP_MESSAGE = 'python3 with numpy not found: NumPy differential test skipped';

let available: boolean | undefined;

/** True when running in CI (`CI` set to anything but '', '0' or 'false'). */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * True when `python3 -c "import numpy"` works. In CI a missing python3/NumPy
 * is a failure, not a silent skip: this throws there instead of returning false.
 */
export function numpy(): boolean {
  if (available === undefined) {
    const r = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    available = r.status === 0;
  }
  if (!available && inCI()) {
    throw new Error('python3 with numpy not found, and CI is set: the NumPy differential tests must run in CI (install python3-numpy)');
  }
  return available;
}

/**
 * Runs `code` with python3. Files named in `inputs` are written to a temp dir
 * first; the script sees that dir as `D` (a str) and `np` imported. Returns
 * stdout and the bytes of every file the script wrote into `D/out*`.
 */
export function python(code: string, inputs: Record<string, Uint8Array> = {}): { stdout: string; files: Record<string, Buffer> } {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-py-'));
  try {
    for (const [name, bytes] of Object.entries(inputs)) writeFileSync(join(dir, name), bytes);
    const prelude = `import numpy as np, json, sys, os, warnings\nwarnings.simplefilter('ignore')\nD = ${JSON.stringify(dir)}\n`;
    const r = spawnSync('python3', ['-c', prelude + code], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`python3 failed (${r.status}): ${r.stderr}`);
    const files: Record<string, Buffer> = {};
    for (const name of spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n')) {
      if (name.startsWith('out')) files[name] = readFileSync(join(dir, name));
    }
    return { stdout: r.stdout, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bytes of a typed array (a copy, so it can be written to a file). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}
