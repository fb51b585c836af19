#include "platform/unix_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ndshare {
namespace platform {

namespace {

int CloseKeepErrno(int fd) {
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}

bool FillAddress(const char* path, sockaddr_un* addr, socklen_t* len) {
  size_t n = std::strlen(path);
  if (n == 0 || n >= sizeof(addr->sun_path)) {
    errno = ENAMETOOLONG;
    return false;
  }
  std::memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  std::memcpy(addr->sun_path, path, n);
  *len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + n + 1);
  return true;
}

}  // namespace

size_t MaxSocketPath() { return sizeof(sockaddr_un{}.sun_path) - 1; }

int ListenUnix(const char* path, int backlog, const char** failed_call) {
  sockaddr_un addr;
  socklen_t len;
  *failed_call = "bind";
  if (!FillAddress(path, &addr, &len)) return -1;
  *failed_call = "socket";
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  *failed_call = "bind";
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) return CloseKeepErrno(fd);
  *failed_call = "listen";
  if (listen(fd, backlog) != 0) return CloseKeepErrno(fd);
  *failed_call = nullptr;
  return fd;
}

int WaitAcceptable(int listen_fd, int wake_fd, int timeout_ms) {
  pollfd fds[2] = {{listen_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  for (;;) {
    int rc = poll(fds, 2, timeout_ms);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return -1;
    if (rc == 0) return 0;
    if (fds[1].revents != 0) return 0;
    return (fds[0].revents & POLLIN) != 0 ? 1 : (errno = EBADF, -1);
  }
}

int AcceptUnix(int listen_fd) {
#if defined(__linux__)
  int fd;
  do {
    fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
#else
  (void)listen_fd;
  errno = ENOSYS;
  return -1;
#endif
}

int ConnectUnix(const char* path, int timeout_ms, const char** failed_call) {
  sockaddr_un addr;
  socklen_t len;
  *failed_call = "connect";
  if (!FillAddress(path, &addr, &len)) return -1;
  *failed_call = "socket";
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv;
  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  *failed_call = "setsockopt";
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) return CloseKeepErrno(fd);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) return CloseKeepErrno(fd);
  *failed_call = "connect";
  int rc;
  do {
    rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), len);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return CloseKeepErrno(fd);
  *failed_call = nullptr;
  return fd;
}

int PeerCredentials(int sock, pid_t* pid, uid_t* uid) {
#if defined(__linux__)
  ucred cred;
  socklen_t len = sizeof(cred);
  if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
  if (len != sizeof(cred)) {
    errno = EPROTO;
    return -1;
  }
  *pid = cred.pid;
  *uid = cred.uid;
  return 0;
#else
  (void)sock;
  (void)pid;
  (void)uid;
  errno = ENOSYS;
  return -1;
#endif
}

int SendWithFd(int sock, const void* data, size_t len, int fd) {
  iovec iov;
  iov.iov_base = const_cast<void*>(data);
  iov.iov_len = len;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  std::memset(control, 0, sizeof(control));
  msghdr msg;
  std::memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  ssize_t n;
  do {
    n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  if (static_cast<size_t>(n) != len) {
    errno = EMSGSIZE;
    return -1;
  }
  return 0;
}

int ReceiveWithFd(int sock, void* data, size_t cap, size_t* len, int* fd) {
  *len = 0;
  *fd = -1;
#if defined(__linux__)
  iovec iov;
  iov.iov_base = data;
  iov.iov_len = cap;
  // Room for a few fds: a peer that sends more gets them closed, not leaked.
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 8)];
  msghdr msg;
  std::memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n;
  do {
    n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  int got = -1;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; i++) {
      int f;
      std::memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      if (got < 0) {
        got = f;
      } else {
        close(f);
      }
    }
  }
  if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
    if (got >= 0) close(got);
    errno = EMSGSIZE;
    return -1;
  }
  *len = static_cast<size_t>(n);
  *fd = got;
  return 0;
#else
  (void)sock;
  (void)data;
  (void)cap;
  errno = ENOSYS;
  return -1;
#endif
}

int OpenLockFile(const char* path, bool create) {
  int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0);
  int fd;
  do {
    fd = open(path, flags, 0600);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

int TryLock(int fd, bool exclusive) {
  int rc;
  do {
    rc = flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc == 0) return 1;
  return errno == EWOULDBLOCK ? 0 : -1;
}

int Unlock(int fd) {
  int rc;
  do {
    rc = flock(fd, LOCK_UN);
  } while (rc != 0 && errno == EINTR);
  return rc;
}

int SameFile(int fd, const char* path) {
  struct stat a;
  struct stat b;
  if (fstat(fd, &a) != 0) return -1;
  if (lstat(path, &b) != 0) return errno == ENOENT ? 0 : -1;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino ? 1 : 0;
}

int RemoveFile(const char* path) {
  if (unlink(path) == 0 || errno == ENOENT) return 0;
  return -1;
}

int MakeWakePipe(int fds[2]) {
#if defined(__linux__)
  return pipe2(fds, O_CLOEXEC | O_NONBLOCK);
#else
  (void)fds;
  errno = ENOSYS;
  return -1;
#endif
}

int WakeUp(int write_fd) {
  char byte = 1;
  ssize_t n;
  do {
    n = write(write_fd, &byte, 1);
  } while (n < 0 && errno == EINTR);
  return n == 1 ? 0 : -1;
}

uint32_t EffectiveUid() { return static_cast<uint32_t>(geteuid()); }

}  // namespace platform
}  // namespace ndshare
