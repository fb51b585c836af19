// Every ```ts / ```js block of README.md and docs/guide.md runs on this Node
// as written. Types are stripped (TypeScript, target ESNext: no syntax is
// lowered, so a `using` declaration fails on Node 20 as it would for a user),
// `'ndshare'` is pointed at the sources, and each block runs as its own
// process in a scratch folder with a private runtime folder for named stores.
// A block whose first line says `keep it running` is a service: it runs in
// the background until the end of its file. A block whose first line starts
// with `// fragment` is shown, not run (keep those few).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import test from 'tape';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILES = ['README.md', 'docs/guide.md'];
const INDEX = pathToFileURL(join(ROOT, 'src/index.ts')).href;
// The blocks run outside the repository: load tsx (for the sources) by path.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
}

function blocks(file: string): Block[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Block[] = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ file, line: text.slice(0, m.index).split('\n').length, lang: m[1]!, code: m[2]! });
  }
  return out;
}

const scratch = mkdtempSync(join(tmpdir(), 'ndshare-docs-'));
const env = { ...process.env, NDSHARE_RUNTIME_DIR: join(scratch, 'run') };

for (const file of FILES) {
  test(`${file}: every ts/js block runs on Node ${process.versions.node}`, async (t) => {
    const cwd = join(scratch, file.replace(/\W/g, '_'));
    mkdirSync(cwd, { recursive: true });
    const background: ChildProcess[] = [];
    const runnable = blocks(file).filter((b) => b.lang === 'ts' || b.lang === 'js');
    t.ok(runnable.length > 0, 'has code blocks');
    const fragments = runnable.filter((b) => /^\/\/ fragment/.test(b.code));
    t.ok(fragments.length <= 2, `at most two fragments (${fragments.length})`);
    try {
      for (const b of runnable) {
        const where = `${file}:${b.line}`;
        if (fragments.includes(b)) {
          t.skip(`${where}: a fragment`);
          continue;
        }
        if (/^\s*(await\s+)?using\s+\w/m.test(b.code)) {
          t.ok(/Node 24|transpiler/.test(b.code), `${where}: a using declaration says it needs Node 24 or a transpiler`);
          continue;
        }
        const js = ts
          .transpileModule(b.code, {
            compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext },
          })
          .outputText.replace(/from\s+['"]ndshare['"]/g, `from ${JSON.stringify(INDEX)}`);
        const entry = join(cwd, `block-${b.line}.mjs`);
        writeFileSync(entry, js);
        const args = ['--import', TSX, entry];
        if (/keep it running/.test(b.code.split('\n')[0]!)) {
          const p = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
          background.push(p);
          const first = await new Promise<string>((resolve) => {
            let out = '';
            let err = '';
            p.stdout!.on('data', (c) => {
              out += c;
              if (out.includes('\n')) resolve(out);
            });
            p.stderr!.on('data', (c) => (err += c));
            p.on('exit', (code) => resolve(`exited ${code}: ${err}`));
          });
          t.notOk(first.startsWith('exited'), `${where}: the service started (${first.trim().slice(0, 200)})`);
          continue;
        }
        const r = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout: 180_000 });
        t.equal(r.status, 0, `${where} runs${r.status === 0 ? '' : `: ${r.stderr.slice(-1500)}`}`);
      }
    } finally {
      for (const p of background) {
        if (p.exitCode === null) {
          p.kill('SIGTERM');
          await new Promise((r) => p.once('exit', r));
        }
      }
    }
  });
}

test('cleanup', (t) => {
  rmSync(scratch, { recursive: true, force: true });
  t.end();
});
