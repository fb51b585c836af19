#include "handoff/handoff.h"

#include <sys/types.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "platform/shm.h"
#include "platform/unix_socket.h"
#include "util/args.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace {

constexpr size_t kMaxPayload = 4096;
constexpr size_t kMaxPathBytes = 4095;

Napi::Error SysFail(Napi::Env env, int errnum, const char* syscall, const std::string& what) {
  if (errnum == ENOSYS) {
    return MakeError(env, code::kUnsupported, what + ": " + syscall + " is not supported on this platform");
  }
  return MakeSystemError(env, errnum, syscall, what);
}

// One served name. Owned by the JS External; the thread only reads the
// immutable fields and the atomics, and is joined before anything is freed.
struct Server {
  int listen_fd = -1;
  int segment_fd = -1;  // our own dup: the JS side may close its fd at any time
  int wake[2] = {-1, -1};
  uint32_t uid = 0;
  std::vector<uint8_t> payload;
  std::atomic<uint64_t> served{0};
  std::atomic<uint64_t> refused{0};
  std::thread thread;
  bool stopped = false;

  void Run() {
    for (;;) {
      int ready = platform::WaitAcceptable(listen_fd, wake[0], -1);
      if (ready == 0) return;  // stop() wrote to the wake pipe
      if (ready < 0) return;   // the socket is unusable: nothing left to serve
      int conn = platform::AcceptUnix(listen_fd);
      if (conn < 0) {
        // EMFILE/ENFILE: let fds free up instead of spinning; others (ECONNABORTED): next.
        if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      pid_t pid = 0;
      uid_t peer = 0;
      if (platform::PeerCredentials(conn, &pid, &peer) == 0 && static_cast<uint32_t>(peer) == uid) {
        // A failed send (the peer went away) only concerns that peer.
        if (platform::SendWithFd(conn, payload.data(), payload.size(), segment_fd) == 0) served++;
      } else {
        refused++;
      }
      platform::CloseFile(conn);
    }
  }

  void Stop() {
    if (stopped) return;
    stopped = true;
    // The pipe is non-blocking and empty: one byte always fits.
    platform::WakeUp(wake[1]);
    if (thread.joinable()) thread.join();
    platform::CloseFile(listen_fd);
    platform::CloseFile(segment_fd);
    platform::CloseFile(wake[0]);
    platform::CloseFile(wake[1]);
  }

  ~Server() { Stop(); }
};

Server* ServerArg(const Napi::CallbackInfo& info, const char* fn) {
  if (info.Length() < 1 || !info[0].IsExternal()) {
    throw MakeTypeError(
        info.Env(),
        std::string(fn) + ": expected a server from handoff.serve for server but received " + DescribeArg(info, 0));
  }
  return info[0].As<Napi::External<Server>>().Data();
}

bool BoolArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg) {
  if (info.Length() <= index || !info[index].IsBoolean()) {
    throw MakeTypeError(
        info.Env(), std::string(fn) + ": expected a boolean for " + arg + " but received " + DescribeArg(info, index));
  }
  return info[index].As<Napi::Boolean>().Value();
}

std::string SocketPathArg(const Napi::CallbackInfo& info, size_t index, const char* fn) {
  std::string path = StringArg(info, index, fn, "path", kMaxPathBytes);
  if (path.size() > platform::MaxSocketPath()) {
    throw MakeRangeError(info.Env(), std::string(fn) + ": expected a socket path of at most " +
                                         std::to_string(platform::MaxSocketPath()) + " bytes for path but received " +
                                         std::to_string(path.size()) + " bytes");
  }
  return path;
}

// serve(path: string, fd: number, payload: Uint8Array): External<Server>
Napi::Value JsServe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = SocketPathArg(info, 0, "handoff.serve");
  int fd = FdArg(info, 1, "handoff.serve");
  if (info.Length() < 3 || !info[2].IsTypedArray() ||
      info[2].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw MakeTypeError(env, "handoff.serve: expected a Uint8Array for payload but received " + DescribeArg(info, 2));
  }
  Napi::Uint8Array bytes = info[2].As<Napi::Uint8Array>();
  if (bytes.ElementLength() == 0 || bytes.ElementLength() > kMaxPayload) {
    throw MakeRangeError(env, "handoff.serve: expected 1 to " + std::to_string(kMaxPayload) +
                                  " bytes for payload but received " + std::to_string(bytes.ElementLength()));
  }
  std::string what = "handoff.serve('" + path + "')";
  auto* server = new Server();
  server->uid = platform::EffectiveUid();
  server->payload.assign(bytes.Data(), bytes.Data() + bytes.ElementLength());
  auto fail = [&](int err, const char* call) {
    delete server;  // Stop() closes whatever was opened
    return SysFail(env, err, call, what);
  };
  server->segment_fd = platform::DuplicateFd(fd);
  if (server->segment_fd < 0) throw fail(errno, "fcntl(F_DUPFD_CLOEXEC)");
  if (platform::MakeWakePipe(server->wake) != 0) throw fail(errno, "pipe2");
  const char* failed = nullptr;
  server->listen_fd = platform::ListenUnix(path.c_str(), 64, &failed);
  if (server->listen_fd < 0) throw fail(errno, failed);
  server->thread = std::thread([server] { server->Run(); });
  return Napi::External<Server>::New(env, server, [](Napi::Env, Server* s) { delete s; });
}

// stop(server): void
void JsStop(const Napi::CallbackInfo& info) { ServerArg(info, "handoff.stop")->Stop(); }

// served(server): {served, refused}
Napi::Value JsServed(const Napi::CallbackInfo& info) {
  Server* s = ServerArg(info, "handoff.served");
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("served", Napi::Number::New(info.Env(), static_cast<double>(s->served.load())));
  out.Set("refused", Napi::Number::New(info.Env(), static_cast<double>(s->refused.load())));
  return out;
}

// connect(path: string, timeoutMs: number): {fd, payload, pid, uid}
Napi::Value JsConnect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = SocketPathArg(info, 0, "handoff.connect");
  int timeout = static_cast<int>(IntegerArg(info, 1, "handoff.connect", "timeoutMs", 1, 600000));
  std::string what = "handoff.connect('" + path + "')";
  const char* failed = nullptr;
  int sock = platform::ConnectUnix(path.c_str(), timeout, &failed);
  if (sock < 0) {
    int err = errno;
    throw SysFail(env, err, failed, what);
  }
  pid_t pid = 0;
  uid_t uid = 0;
  if (platform::PeerCredentials(sock, &pid, &uid) != 0) {
    int err = errno;
    platform::CloseFile(sock);
    throw SysFail(env, err, "getsockopt(SO_PEERCRED)", what);
  }
  if (static_cast<uint32_t>(uid) != platform::EffectiveUid()) {
    platform::CloseFile(sock);
    throw SysFail(env, EPERM, "getsockopt(SO_PEERCRED)",
                  what + ": the server runs as uid " + std::to_string(uid) + ", not ours");
  }
  std::vector<uint8_t> buf(kMaxPayload);
  size_t len = 0;
  int fd = -1;
  int rc = platform::ReceiveWithFd(sock, buf.data(), buf.size(), &len, &fd);
  int err = errno;
  platform::CloseFile(sock);
  if (rc != 0) throw SysFail(env, err, "recvmsg", what);
  if (fd < 0 || len == 0) {
    if (fd >= 0) platform::CloseFile(fd);
    // The server closed without answering: it is stopping, or refused us.
    throw SysFail(env, ECONNRESET, "recvmsg", what + ": the server closed the connection without an fd");
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("fd", Napi::Number::New(env, fd));
  Napi::Uint8Array payload = Napi::Uint8Array::New(env, len);
  std::memcpy(payload.Data(), buf.data(), len);
  out.Set("payload", payload);
  out.Set("pid", Napi::Number::New(env, static_cast<double>(pid)));
  out.Set("uid", Napi::Number::New(env, static_cast<double>(uid)));
  return out;
}

// lockOpen(path: string, create: boolean): number
Napi::Value JsLockOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = StringArg(info, 0, "handoff.lockOpen", "path", kMaxPathBytes);
  bool create = BoolArg(info, 1, "handoff.lockOpen", "create");
  int fd = platform::OpenLockFile(path.c_str(), create);
  if (fd < 0) {
    int err = errno;
    throw SysFail(env, err, "open", "handoff.lockOpen('" + path + "')");
  }
  return Napi::Number::New(env, fd);
}

// tryLock(fd: number, exclusive: boolean): boolean
Napi::Value JsTryLock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0, "handoff.tryLock");
  bool exclusive = BoolArg(info, 1, "handoff.tryLock", "exclusive");
  int rc = platform::TryLock(fd, exclusive);
  if (rc < 0) {
    int err = errno;
    throw SysFail(env, err, "flock", "handoff.tryLock(" + std::to_string(fd) + ")");
  }
  return Napi::Boolean::New(env, rc == 1);
}

// unlock(fd: number): void
void JsUnlock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0, "handoff.unlock");
  if (platform::Unlock(fd) != 0) {
    int err = errno;
    throw SysFail(env, err, "flock", "handoff.unlock(" + std::to_string(fd) + ")");
  }
}

// sameFile(fd: number, path: string): boolean
Napi::Value JsSameFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0, "handoff.sameFile");
  std::string path = StringArg(info, 1, "handoff.sameFile", "path", kMaxPathBytes);
  int rc = platform::SameFile(fd, path.c_str());
  if (rc < 0) {
    int err = errno;
    throw SysFail(env, err, "stat", "handoff.sameFile('" + path + "')");
  }
  return Napi::Boolean::New(env, rc == 1);
}

// remove(path: string): void
void JsRemove(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = StringArg(info, 0, "handoff.remove", "path", kMaxPathBytes);
  if (platform::RemoveFile(path.c_str()) != 0) {
    int err = errno;
    throw SysFail(env, err, "unlink", "handoff.remove('" + path + "')");
  }
}

}  // namespace

void InitHandoff(Napi::Env env, Napi::Object exports) {
  Napi::Object h = Napi::Object::New(env);
  SetMethods(env, h,
             {
                 {"serve", JsServe},
                 {"stop", JsStop},
                 {"served", JsServed},
                 {"connect", JsConnect},
                 {"lockOpen", JsLockOpen},
                 {"tryLock", JsTryLock},
                 {"unlock", JsUnlock},
                 {"sameFile", JsSameFile},
                 {"remove", JsRemove},
             });
  h.Set("uid", Napi::Number::New(env, static_cast<double>(platform::EffectiveUid())));
  h.Set("maxSocketPath", Napi::Number::New(env, static_cast<double>(platform::MaxSocketPath())));
  exports.Set("handoff", h);
}

}  // namespace ndshare
