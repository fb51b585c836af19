/**
 * A worker process: child_process.fork of the worker entry, with the store's
 * fd inherited as fd 4 (3 is the IPC channel, used only for "ready").
 *
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerBoot } from '../worker-boot.js';
import { ENTRY, readyAndExit, SOURCE_MODE, type WorkerRuntime } from './common.js';

export function spawnProcess(boot: Omit<WorkerBoot, 'fd'>, storeFd: number): WorkerRuntime {
  const execArgv = [...process.execArgv];
  if (SOURCE_MODE && !execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  const child: ChildProcess = fork(fileURLToPath(ENTRY), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', storeFd],
    env: { ...process.env, NDSHARE_WORKER: JSON.stringify({ ...boot, fd: 4 }) },
    execArgv,
    serialization: 'advanced',
  });
  const { ready, exited } = readyAndExit(child);
  return {
    backend: 'process',
    id: child.pid ?? -1,
    ready,
    exited,
    ref: () => {
      child.ref();
      (child.channel as { ref?: () => void } | undefined)?.ref?.();
    },
    unref: () => {
      child.unref();
      (child.channel as { unref?: () => void } | undefined)?.unref?.();
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
