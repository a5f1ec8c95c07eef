// A supervised decoder process: zxing-cpp runs in a forked child that the parent can lose
// without harm. The child reads image requests from a UNIX socket and answers with the codes
// (wire format at the top of decode_worker.cc); the parent enforces a wall-clock timeout and
// turns a crash, a hang or a garbled answer into an error. Private to the scanner.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/scanner/scanner.h"

namespace foodtrace::scanner::internal {

// One worker process. Not thread-safe: one request at a time (WorkerPool hands it out).
class DecoderWorker {
 public:
  // Forks the worker. The child limits itself (no core dumps, RLIMIT_AS, RLIMIT_CPU), closes
  // every inherited descriptor but its socket, and serves requests until its socket closes.
  // Errors: DECODER_UNAVAILABLE (socketpair or fork failed).
  static Result<std::unique_ptr<DecoderWorker>> Start();

  // Kills (SIGKILL) and reaps the child if it is still running.
  ~DecoderWorker();
  DecoderWorker(const DecoderWorker&) = delete;
  DecoderWorker& operator=(const DecoderWorker&) = delete;

  // Sends one image and waits at most `timeout_ms` for the answer. Errors: those of
  // DecodeImage (IMAGE_*, NO_CODE_FOUND, ...) as the child reports them, and DECODER_CRASHED /
  // DECODER_TIMEOUT, after which this worker is dead (usable() is false).
  Result<std::vector<DecodedCode>> Decode(std::string_view image_bytes, bool try_harder,
                                          int timeout_ms);

  // False once the child has died, timed out or broken the protocol.
  bool usable() const { return pid_ > 0; }
  // Checks without blocking that the child still runs: an idle worker can be killed from
  // outside (the OOM killer, an operator). Reaps it if it has exited.
  bool Alive();
  // Requests this worker has answered.
  int images() const { return images_; }

 private:
  DecoderWorker(pid_t pid, int socket_fd, int stderr_fd)
      : pid_(pid), socket_fd_(socket_fd), stderr_fd_(stderr_fd) {}
  // Kills and reaps the child; returns how it ended ("signal 6 (Aborted)", "exit status 3").
  std::string Reap(bool kill_first);
  // The last line the child wrote to stderr, at most kScanWorkerStderrBytesMax bytes.
  std::string DrainStderr();
  Status Crashed(const std::string& what);

  pid_t pid_ = -1;
  int socket_fd_ = -1;
  int stderr_fd_ = -1;
  int images_ = 0;
};

}  // namespace foodtrace::scanner::internal
