// Named stores: handing a segment's fd to other processes of the same user
// over a Unix domain socket, and the lock files that decide who serves a name.
//
//   handoff.serve(path, fd, payload) -> server   binds `path`, answers every
//        connection from a peer with our euid with one message: `payload` and
//        a copy of `fd` (SCM_RIGHTS). Runs on its own thread, never touches JS,
//        keeps its own dup of `fd`, so the JS thread may be busy or blocked.
//   handoff.stop(server)                          stops the thread, closes the socket (idempotent)
//   handoff.served(server) -> {served, refused}   connections answered / refused (wrong uid)
//   handoff.connect(path, timeoutMs) -> {fd, payload, pid, uid}
//        connects, checks that the server runs with our euid, receives the fd.
//   handoff.lockOpen(path, create) -> fd          O_RDWR|O_CLOEXEC|O_NOFOLLOW, 0600
//   handoff.tryLock(fd, exclusive) -> boolean     flock(LOCK_NB)
//   handoff.unlock(fd)
//   handoff.sameFile(fd, path) -> boolean         is `path` still the file behind `fd`
//   handoff.remove(path)                          unlink, ENOENT ignored
//   handoff.uid, handoff.maxSocketPath
//
// Failed calls throw ERR_NDSHARE_NATIVE with `errno` and `syscall` (the TS
// layer in src/store/named.ts tells ENOENT/ECONNREFUSED apart); bad arguments
// throw coded type/range errors.
#ifndef NDSHARE_HANDOFF_HANDOFF_H_
#define NDSHARE_HANDOFF_HANDOFF_H_

#include <napi.h>

namespace ndshare {

// Adds the `handoff` object to the exports.
void InitHandoff(Napi::Env env, Napi::Object exports);

}  // namespace ndshare

#endif  // NDSHARE_HANDOFF_HANDOFF_H_
