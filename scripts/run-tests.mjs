#!/usr/bin/env node
// Runs every test/*.test.ts file with tape in its own process (a crash in one
// file cannot hide the results of the others), streams the TAP output, and
// ends with the line CI reads: "N passed, N failed" (", N skipped").
// Usage: npm test [-- test/20.header.test.ts …]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const files =
  args.length > 0
    ? args
    : readdirSync(join(root, 'test'))
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => join('test', f));
const tape = join(root, 'node_modules', 'tape', 'bin', 'tape');
const perFileTimeoutMs = Number(process.env.NDSHARE_TEST_TIMEOUT_MS ?? 300_000);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', tape, file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), perFileTimeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const num = (re) => Number((out.match(re) ?? [])[1] ?? 0);
      const p = num(/^# pass\s+(\d+)/m);
      const f = num(/^# fail\s+(\d+)/m);
      const s = (out.match(/^ok \d+ .*# SKIP/gm) ?? []).length;
      passed += p - s;
      skipped += s;
      failed += f;
      // A file that died or exited non-zero without reporting a failure still failed.
      if ((code !== 0 || signal) && f === 0) {
        failed += 1;
        failures.push(`${file}: exited with ${signal ?? `code ${code}`}`);
      } else if (f > 0) failures.push(`${file}: ${f} failed`);
      process.stdout.write(`# ${relative(root, join(root, file))}: ${p - s} passed, ${f} failed, ${s} skipped in ${Date.now() - started} ms\n`);
      resolve();
    });
  });
}

for (const file of files) await runFile(file);
if (failures.length) process.stdout.write(`\nFailures:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = failed > 0 ? 1 : 0;
