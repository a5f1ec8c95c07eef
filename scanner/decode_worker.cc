// The worker process and its supervision. Messages: scanner/worker_protocol.h.
//
// Child descriptors: 0 and 1 are /dev/null (nothing may write into the caller's stdout),
// 2 is a pipe the parent reads to quote zxing-cpp's assertion text, 3 is the socket.
#include "scanner/decode_worker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "foodtrace/common/memory.h"
#include "scanner/limits.h"
#include "scanner/worker_protocol.h"
#include "scanner/zxing_decoder.h"

#if defined(__SANITIZE_ADDRESS__)
#define FOODTRACE_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FOODTRACE_ADDRESS_SANITIZER 1
#endif
#endif

namespace foodtrace::scanner::internal {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kChildSocketFd = 3;

// ---- child side ----------------------------------------------------------------------------

bool ReadFully(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = read(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool WriteFully(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void LimitSelf() {
  prctl(PR_SET_DUMPABLE, 0);  // no core dumps, even through a core_pattern pipe
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  const rlimit cpu{kScanWorkerCpuSecondsMax, kScanWorkerCpuSecondsMax};
  setrlimit(RLIMIT_CPU, &cpu);
#if !defined(FOODTRACE_ADDRESS_SANITIZER)  // ASan reserves terabytes of shadow address space
  unsigned long long pages = 0;
  if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%llu", &pages) != 1)
      pages = 0;
    std::fclose(statm);
  }
  if (pages > 0) {
    const rlim_t bytes =
        pages * static_cast<unsigned long long>(sysconf(_SC_PAGESIZE)) + kScanWorkerMemoryBytesMax;
    const rlimit address_space{bytes, bytes};
    setrlimit(RLIMIT_AS, &address_space);
  }
#endif
}

// Default dispositions and an empty mask: the caller's handlers (a test framework's or a
// server's crash reporter) must not run in the worker, and SIGALRM must be deliverable.
void ResetSignals() {
  for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);  // fails harmlessly for KILL/STOP
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Moves the socket and stderr pipe to their fixed numbers and closes everything else.
void ArrangeDescriptors(int socket_fd, int stderr_fd) {
  const int high_socket = fcntl(socket_fd, F_DUPFD, 10);
  const int high_stderr = fcntl(stderr_fd, F_DUPFD, 10);
  const int null_fd = open("/dev/null", O_RDWR);
  if (high_socket < 0 || high_stderr < 0 || null_fd < 0)
    _exit(4);
  dup2(null_fd, 0);
  dup2(null_fd, 1);
  dup2(high_stderr, 2);
  dup2(high_socket, kChildSocketFd);
  close_range(kChildSocketFd + 1, ~0U, 0);
}

[[noreturn]] void ServeRequests() {
  std::string header(kRequestHeaderBytes, '\0');
  std::string image;
  for (;;) {
    RequestHeader request;
    if (!ReadFully(kChildSocketFd, header.data(), header.size()))
      _exit(0);  // parent is done
    if (!DecodeRequestHeader(header, &request))
      _exit(3);
    image.resize(request.image_bytes);
    if (!ReadFully(kChildSocketFd, image.data(), image.size()))
      _exit(0);
    // If the parent dies mid-image nobody kills us: the alarm bounds an orphan's life.
    alarm(static_cast<unsigned>(request.timeout_ms / 1000 + 2));
    const std::string response = EncodeResponse(DecodeImageInProcess(image, request.try_harder));
    alarm(0);
    if (!WriteFully(kChildSocketFd, response))
      _exit(0);
  }
}

[[noreturn]] void RunChild(int socket_fd, int stderr_fd) {
  ResetSignals();
  ArrangeDescriptors(socket_fd, stderr_fd);
  LimitSelf();
  // A worker decodes one photo after another, each needing the same few large buffers (pixels,
  // zxing-cpp's binarised copy, a painted copy: ~6 MB at 1920x1080). glibc's defaults hand such
  // buffers back to the kernel when freed, so every photo faulted them in again, page by page
  // (~1,000 faults, 10 ms of a 28 ms decode in this VM). Kept in the heap instead; the address
  // space limit above and kScanWorkerImagesMax bound what a worker can hold on to.
  KeepFreedMemoryForReuse(kScanWorkerMmapThresholdBytes, kScanWorkerTrimThresholdBytes);
  ServeRequests();
}

// ---- parent side ---------------------------------------------------------------------------

enum class Io { kOk, kTimeout, kClosed };

int RemainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

// Waits until `fd` is ready for `events` or the deadline passes.
Io Wait(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, RemainingMs(deadline));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return Io::kClosed;
    if (n == 0)
      return Io::kTimeout;
    return Io::kOk;
  }
}

Io SendAll(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const Io ready = Wait(fd, POLLOUT, deadline);
      if (ready != Io::kOk)
        return ready;
      continue;
    }
    return Io::kClosed;
  }
  return Io::kOk;
}

Io ReceiveAll(int fd, char* data, std::size_t size, Clock::time_point deadline) {
  while (size > 0) {
    const ssize_t n = recv(fd, data, size, 0);
    if (n > 0) {
      data += n;
      size -= static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0)
      return Io::kClosed;
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      const Io ready = Wait(fd, POLLIN, deadline);
      if (ready != Io::kOk)
        return ready;
      continue;
    }
    return Io::kClosed;
  }
  return Io::kOk;
}

void CloseQuietly(int fd) {
  if (fd >= 0)
    close(fd);
}

}  // namespace

Result<std::unique_ptr<DecoderWorker>> DecoderWorker::Start() {
  int sockets[2];
  int pipe_fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    return Status(Code::kUnavailable, "DECODER_UNAVAILABLE",
                  std::string("cannot create the decoder socket: ") + std::strerror(errno));
  }
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    const int saved = errno;
    CloseQuietly(sockets[0]);
    CloseQuietly(sockets[1]);
    return Status(Code::kUnavailable, "DECODER_UNAVAILABLE",
                  std::string("cannot create the decoder pipe: ") + std::strerror(saved));
  }
  const pid_t pid = fork();
  if (pid == 0)
    RunChild(sockets[1], pipe_fds[1]);
  const int saved = errno;
  CloseQuietly(sockets[1]);
  CloseQuietly(pipe_fds[1]);
  if (pid < 0) {
    CloseQuietly(sockets[0]);
    CloseQuietly(pipe_fds[0]);
    return Status(Code::kUnavailable, "DECODER_UNAVAILABLE",
                  std::string("cannot start the decoder process: ") + std::strerror(saved));
  }
  fcntl(sockets[0], F_SETFL, fcntl(sockets[0], F_GETFL) | O_NONBLOCK);
  fcntl(pipe_fds[0], F_SETFL, fcntl(pipe_fds[0], F_GETFL) | O_NONBLOCK);
  return std::unique_ptr<DecoderWorker>(new DecoderWorker(pid, sockets[0], pipe_fds[0]));
}

DecoderWorker::~DecoderWorker() {
  if (pid_ > 0) {
    // Ignoring how it ended: the worker is being retired, not failing a request.
    (void)Reap(/*kill_first=*/true);
  }
  CloseQuietly(socket_fd_);
  CloseQuietly(stderr_fd_);
}

bool DecoderWorker::Alive() {
  if (pid_ <= 0)
    return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == 0)
    return true;
  pid_ = -1;  // exited (or already reaped by someone else): nothing left to kill
  return false;
}

std::string DecoderWorker::Reap(bool kill_first) {
  if (pid_ <= 0)
    return "already gone";
  if (kill_first)
    kill(pid_, SIGKILL);
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  pid_ = -1;
  if (r < 0)
    return "status unknown";
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "exit status " + std::to_string(WEXITSTATUS(status));
}

std::string DecoderWorker::DrainStderr() {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(stderr_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > 4 * kScanWorkerStderrBytesMax)
      text.erase(0, text.size() - kScanWorkerStderrBytesMax);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::size_t line = text.rfind('\n');
  if (line != std::string::npos)
    text.erase(0, line + 1);
  if (text.size() > kScanWorkerStderrBytesMax)
    text.erase(0, text.size() - kScanWorkerStderrBytesMax);
  return text;
}

Status DecoderWorker::Crashed(const std::string& what) {
  // Kill first: the child may still be writing; an already-dead child keeps its real status.
  const std::string ended = Reap(/*kill_first=*/true);
  const std::string said = DrainStderr();
  return Status(Code::kInternal, "DECODER_CRASHED",
                "the barcode decoder (zxing-cpp) " + what + " on this image (" + ended +
                    (said.empty() ? "" : ": " + said) +
                    "); nothing was read: try another photo of the code");
}

Result<std::vector<DecodedCode>> DecoderWorker::Decode(std::string_view image_bytes,
                                                       bool try_harder, int timeout_ms) {
  FT_CHECK(usable());
  FT_CHECK(image_bytes.size() <= kScanImageBytesMax);
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  const std::string header =
      EncodeRequestHeader({try_harder, timeout_ms, static_cast<std::uint32_t>(image_bytes.size())});
  Io io = SendAll(socket_fd_, header, deadline);
  if (io == Io::kOk)
    io = SendAll(socket_fd_, image_bytes, deadline);
  std::string response_header(kResponseHeaderBytes, '\0');
  if (io == Io::kOk)
    io = ReceiveAll(socket_fd_, response_header.data(), kResponseHeaderBytes, deadline);
  std::uint32_t payload_bytes = 0;
  std::string payload;
  if (io == Io::kOk) {
    if (!DecodeResponseHeader(response_header, &payload_bytes))
      return Crashed("sent a malformed answer");
    payload.resize(payload_bytes);
    io = ReceiveAll(socket_fd_, payload.data(), payload.size(), deadline);
  }
  if (io == Io::kTimeout) {
    (void)Reap(/*kill_first=*/true);  // it was killed by us: how it ended says nothing
    // Ignoring stderr: a hung decoder has nothing useful to say, the pipe just gets emptied.
    (void)DrainStderr();
    return Status(Code::kDeadlineExceeded, "DECODER_TIMEOUT",
                  "decoding took longer than " + std::to_string(timeout_ms) +
                      " ms and was stopped: try a smaller or sharper photo");
  }
  if (io == Io::kClosed)
    return Crashed("crashed");
  ++images_;
  (void)DrainStderr();  // keep the pipe empty between requests; nothing went wrong
  bool malformed = false;
  Result<std::vector<DecodedCode>> result = DecodeResponsePayload(payload, &malformed);
  if (malformed)
    return Crashed("sent a malformed answer");
  return result;
}

}  // namespace foodtrace::scanner::internal
