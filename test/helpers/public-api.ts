// The public API as the TypeScript compiler sees it: every function reachable
// from src/index.ts (nd.*, nd.random.*, nd.linalg.*, …) with its parameters,
// read from the sources' types, so tests that must cover "every function that
// takes X" derive the list instead of hard-coding it.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface ApiParam {
  name: string;
  /** The declared type as text (e.g. 'Operand', 'number | undefined'). */
  type: string;
  optional: boolean;
  rest: boolean;
}

export interface ApiFunction {
  /** A module-level function, or a class's static or instance method (path: [..., class, method]). */
  kind: 'function' | 'static' | 'method';
  /** Path under `nd`, e.g. ['random', 'normal']. */
  path: string[];
  /** Parameters of the longest call signature. */
  params: ApiParam[];
  /** Index of the parameter named `options`, or -1. */
  optionsIndex: number;
  /** Keys of the options parameter's object type (all union members), if it has one. */
  optionKeys: string[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every exported function of the public barrel and every method of its classes, recursing into namespace re-exports. */
export function publicFunctions(): ApiFunction[] {
  const program = ts.createProgram([`${root}src/index.ts`], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(`${root}src/index.ts`);
  if (!source) throw new Error('public-api: src/index.ts not found');
  const out: ApiFunction[] = [];
  const seen = new Set<ts.Symbol>();
  const describe = (sym: ts.Symbol, decl: ts.Node, path: string[]): Omit<ApiFunction, 'kind'> | undefined => {
    const sigs = checker.getTypeOfSymbolAtLocation(sym, decl).getCallSignatures();
    if (sigs.length === 0) return undefined;
    const sig = sigs.reduce((a, b) => (b.getParameters().length > a.getParameters().length ? b : a));
    const params: ApiParam[] = sig.getParameters().map((p) => {
      const d = p.valueDeclaration as ts.ParameterDeclaration | undefined;
      const t = checker.getTypeOfSymbolAtLocation(p, decl);
      return {
        name: p.getName(),
        type: checker.typeToString(t),
        optional: !!d && (d.questionToken !== undefined || d.initializer !== undefined),
        rest: !!d && d.dotDotDotToken !== undefined,
      };
    });
    const optionsIndex = params.findIndex((p) => p.name === 'options');
    let optionKeys: string[] = [];
    if (optionsIndex >= 0) {
      const p = sig.getParameters()[optionsIndex]!;
      const t = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(p, decl));
      const members = t.isUnion() ? t.types : [t];
      // Keys typed `never` are NumPy's options declared only to be refused (ERR_NDSHARE_UNSUPPORTED).
      const usable = (s: ts.Symbol): boolean => (checker.getTypeOfSymbolAtLocation(s, decl).flags & (ts.TypeFlags.Never | ts.TypeFlags.Undefined)) === 0;
      optionKeys = [
        ...new Set(
          members.flatMap((m) =>
            checker
              .getPropertiesOfType(m)
              .filter(usable)
              .map((s) => s.getName()),
          ),
        ),
      ];
    }
    return { path, params, optionsIndex, optionKeys };
  };
  const visit = (moduleSymbol: ts.Symbol, prefix: string[]): void => {
    for (let sym of checker.getExportsOfModule(moduleSymbol)) {
      const name = sym.getName();
      if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      if (sym.flags & ts.SymbolFlags.ValueModule) {
        if (!seen.has(sym)) {
          seen.add(sym);
          visit(sym, [...prefix, name]);
        }
        continue;
      }
      if (sym.flags & ts.SymbolFlags.Class) {
        const decl = sym.valueDeclaration;
        if (!decl) continue;
        const statics = checker.getTypeOfSymbolAtLocation(sym, decl);
        const instance = checker.getDeclaredTypeOfSymbol(sym);
        for (const [type, kind] of [
          [statics, 'static'],
          [instance, 'method'],
        ] as const) {
          for (const m of checker.getPropertiesOfType(type)) {
            if (m.getName() === 'prototype' || m.getName().startsWith('__@') || m.getName().startsWith('#')) continue;
            const md = m.valueDeclaration;
            if (md && ts.getCombinedModifierFlags(md as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
            const f = describe(m, decl, [...prefix, name, m.getName()]);
            if (f) out.push({ ...f, kind });
          }
        }
        continue;
      }
      if (!(sym.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable))) continue;
      const decl = sym.valueDeclaration ?? sym.declarations?.[0];
      if (!decl) continue;
      const f = describe(sym, decl, [...prefix, name]);
      if (f) out.push({ ...f, kind: 'function' });
    }
  };
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error('public-api: no module symbol for src/index.ts');
  visit(moduleSymbol, []);
  return out;
}
