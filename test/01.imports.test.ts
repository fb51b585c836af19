// No import cycles in src/: the static imports and re-exports of every
// src/**/*.ts (type-only ones included: a type cycle is a layering cycle too)
// form a graph that must be acyclic. On failure the cycle is printed.
import test from 'tape';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Strips comments and string contents other than module specifiers is not needed: we match statements. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The relative module specifiers a file imports or re-exports statically. */
export function staticImports(text: string): string[] {
  const code = stripComments(text);
  const specs: string[] = [];
  // import x from '…'; import { a } from '…'; import type …; import '…'; export … from '…'
  const re = /(?:^|[;\n}])\s*(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(re)) specs.push(m[1]!);
  return specs.filter((s) => s.startsWith('.'));
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const deps = staticImports(readFileSync(file, 'utf8')).map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
    g.set(file, deps);
  }
  return g;
}

/** One cycle (as a list of files, first = last) or undefined. */
export function findCycle(g: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 done
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 1);
    stack.push(n);
    for (const d of g.get(n) ?? []) {
      const s = state.get(d);
      if (s === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (s === undefined && g.has(d)) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of [...g.keys()].sort()) {
    if (state.has(n)) continue;
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

test('the import parser sees every static form', (t) => {
  const text = [
    "import a from './a.js';",
    "import { b, type C } from '../b.js';",
    "import type { D } from './d.js';",
    "import * as e from './e.js';",
    "import './side.js';",
    "export { f } from './f.js';",
    "export * from './g.js';",
    'import {',
    '  h,',
    '  i,',
    "} from './hi.js';",
    "// import x from './commented.js';",
    "import fs from 'node:fs';",
    'const s = \'import y from "./not-a-statement.js"\';',
  ].join('\n');
  t.deepEqual(staticImports(text), ['./a.js', '../b.js', './d.js', './e.js', './side.js', './f.js', './g.js', './hi.js']);
  t.end();
});

test('the cycle finder finds a cycle and prints it', (t) => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', []],
  ]);
  t.deepEqual(findCycle(g), ['a', 'b', 'c', 'a']);
  t.equal(
    findCycle(
      new Map([
        ['a', ['b']],
        ['b', []],
      ]),
    ),
    undefined,
  );
  t.end();
});

test('src/ has no import cycles', (t) => {
  const g = graph();
  t.ok(g.size > 20, `${g.size} modules parsed`);
  const missing = [...g.values()].flat().filter((d) => !g.has(d) && !d.includes('/generated/'));
  t.deepEqual(missing, [], 'every relative import resolves to a file in src/');
  const cycle = findCycle(g);
  t.equal(cycle, undefined, cycle ? `import cycle: ${cycle.map((f) => relative(SRC, f)).join(' -> ')}` : 'no cycle');
  t.end();
});
