#!/usr/bin/env node
/**
 * `ndshare`: the command line of named stores.
 *
 *   ndshare serve --name NAME --capacity SIZE   keep a store alive (foreground daemon)
 *   ndshare ls [NAME]                           stores, or the objects of one
 *   ndshare stats NAME                          a store's statistics
 *   ndshare rm NAME ID|OBJECT                   delete an object
 *
 * `--json` prints one JSON document for programs. Errors are printed as one
 * line `ndshare: <message> (<code>)` with exit status 1 (2 for usage errors).
 *
 * @module
 */
import { isNdshareError } from '../errors.js';
import { listObjects, listStores, removeObject, serve, showStats, type Flags } from './commands.js';

const USAGE = `Usage: ndshare <command> [options]

Named shared-memory stores of this user (see docs/guide.md).

Commands:
  serve --name NAME --capacity SIZE [--max-objects N]
                          create store NAME and keep it alive until Ctrl-C/SIGTERM
                          (SIZE like 8GiB, 512MiB, or bytes)
  ls                      list the named stores
  ls NAME                 list the objects of store NAME (id, name, dtype, shape, bytes, pins, age)
  stats NAME              show the statistics of store NAME
  rm NAME ID|OBJECT       delete an object (by id like #3.0, or by name)

Options:
  --json                  print JSON for programs instead of a table
  -h, --help              show this help

Stores live in $NDSHARE_RUNTIME_DIR, else $XDG_RUNTIME_DIR/ndshare, else <tmp>/ndshare-<uid>.`;

class UsageError extends Error {}

const VALUE_FLAGS = new Set(['name', 'capacity', 'max-objects']);
const BOOL_FLAGS = new Set(['json', 'help']);

function parse(argv: readonly string[]): { command: string | undefined; args: string[]; flags: Flags } {
  const flags: Flags = { json: false };
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') {
      flags.help = true;
      continue;
    }
    if (!a.startsWith('--')) {
      args.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = a.slice(2, eq < 0 ? undefined : eq);
    if (BOOL_FLAGS.has(key)) {
      if (eq >= 0) throw new UsageError(`--${key} takes no value`);
      flags[key] = true;
    } else if (VALUE_FLAGS.has(key)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${key} needs a value`);
      flags[key] = value;
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  return { command: args.shift(), args, flags };
}

function expectArgs(command: string, args: string[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    throw new UsageError(`${command} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`);
  }
}

/** Runs the CLI; returns the exit status. */
export async function main(argv: readonly string[], out = (s: string) => process.stdout.write(`${s}\n`)): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
    const { command, args, flags } = parsed;
    if (flags.help || command === 'help' || command === undefined) {
      out(USAGE);
      return command === undefined && !flags.help ? 2 : 0;
    }
    switch (command) {
      case 'serve':
        expectArgs(command, args, 0, 0);
        if (typeof flags.name !== 'string') throw new UsageError('serve needs --name NAME');
        if (typeof flags.capacity !== 'string') throw new UsageError('serve needs --capacity SIZE (e.g. 8GiB)');
        await serve(flags, out);
        return 0;
      case 'ls':
        expectArgs(command, args, 0, 1);
        out(args[0] === undefined ? listStores(flags) : listObjects(args[0], flags));
        return 0;
      case 'stats':
        expectArgs(command, args, 1, 1);
        out(showStats(args[0]!, flags));
        return 0;
      case 'rm':
        expectArgs(command, args, 2, 2);
        out(removeObject(args[0]!, args[1]!, flags));
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ndshare: ${e.message}\nRun 'ndshare --help' for usage.\n`);
      return 2;
    }
    if (isNdshareError(e)) {
      process.stderr.write(`ndshare: ${e.message} (${e.code})\n`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`ndshare: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
