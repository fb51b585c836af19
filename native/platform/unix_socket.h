// Platform layer: Unix domain sockets that hand over an fd (SCM_RIGHTS), the
// peer's credentials (SO_PEERCRED), and advisory file locks (flock).
//
// The only file pair that makes these system calls. Each wrapper is one or two
// calls that return -1 with errno set (EINTR retried where that is safe); the
// JS-facing code in handoff/handoff.cc turns failures into coded errors.
// Linux-only pieces (SO_PEERCRED, accept4, MSG_CMSG_CLOEXEC) sit behind
// #ifdef: elsewhere they fail with ENOSYS.
#ifndef NDSHARE_PLATFORM_UNIX_SOCKET_H_
#define NDSHARE_PLATFORM_UNIX_SOCKET_H_

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace ndshare {
namespace platform {

// The longest socket path (sun_path holds it plus a NUL).
size_t MaxSocketPath();

// socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC) + bind(path) + listen(backlog).
// The path must not exist (the caller removes a stale one under its lock).
// Returns the listening fd, or -1 with errno set and *failed_call named.
int ListenUnix(const char* path, int backlog, const char** failed_call);

// Waits up to `timeout_ms` (-1: forever) until `listen_fd` has a connection
// or `wake_fd` is readable. Returns 1 (a connection), 0 (woken or timed out),
// or -1 with errno set.
int WaitAcceptable(int listen_fd, int wake_fd, int timeout_ms);

// accept4(SOCK_CLOEXEC), EINTR retried. Returns the connection fd or -1.
int AcceptUnix(int listen_fd);

// connect(path) with send/receive timeouts of `timeout_ms` on the socket.
// Returns the connected fd, or -1 with errno set and *failed_call named.
int ConnectUnix(const char* path, int timeout_ms, const char** failed_call);

// The peer's pid and effective uid (SO_PEERCRED, taken at connect/listen).
int PeerCredentials(int sock, pid_t* pid, uid_t* uid);

// One message of `len` bytes carrying `fd` as SCM_RIGHTS (MSG_NOSIGNAL).
// Returns 0, or -1 with errno set (a short send is EMSGSIZE).
int SendWithFd(int sock, const void* data, size_t len, int fd);

// Receives one message of at most `cap` bytes and at most one fd
// (MSG_CMSG_CLOEXEC; any further fds are closed at once). *len gets the bytes
// read (0 at end of stream), *fd the fd or -1. Returns 0, or -1 with errno set
// (a truncated message is EMSGSIZE, with no fd left open).
int ReceiveWithFd(int sock, void* data, size_t cap, size_t* len, int* fd);

// open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW [| O_CREAT, mode 0600]).
int OpenLockFile(const char* path, bool create);

// flock(fd, LOCK_SH or LOCK_EX | LOCK_NB). Returns 1 (locked), 0 (held by
// another open file), or -1 with errno set.
int TryLock(int fd, bool exclusive);

// flock(fd, LOCK_UN).
int Unlock(int fd);

// 1 if `path` (not followed) is the same file as `fd`, 0 if it is another
// file or missing, -1 with errno set on other errors.
int SameFile(int fd, const char* path);

// unlink(path); ENOENT counts as success.
int RemoveFile(const char* path);

// pipe2(O_CLOEXEC | O_NONBLOCK).
int MakeWakePipe(int fds[2]);

// Writes one byte to the write end of a wake pipe (wakes WaitAcceptable).
int WakeUp(int write_fd);

// geteuid().
uint32_t EffectiveUid();

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_UNIX_SOCKET_H_
