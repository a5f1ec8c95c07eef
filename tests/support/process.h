// Test support: run real programs (the `foodtrace` binary) as child processes.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace foodtrace::testing {

inline std::string FoodtraceBinary() { return std::string(FOODTRACE_BINARY_DIR) + "/app/foodtrace"; }

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `args` to completion with `input` on stdin; captures stdout and stderr.
inline CommandResult RunCommand(const std::vector<std::string>& args, const std::string& input = "") {
  int in[2], out[2], err[2];
  if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!input.empty() && write(in[1], input.data(), input.size()) < 0) {
    // The child may exit without reading; its exit code tells the test what happened.
  }
  close(in[1]);
  CommandResult r;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0 && poll(fds, 2, 120'000) > 0) {
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// `foodtrace serve` on a data directory, on free loopback ports. The constructor returns once
// the server printed "ready"; endpoints() holds the "name endpoint" lines it printed before.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& data_dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {FoodtraceBinary(), "serve", "--data", data_dir,
                                     "--ingest", "tcp://127.0.0.1:*"};
    // A free HTTP port unless the test picks one, so parallel tests never fight over 8080.
    if (std::find(extra.begin(), extra.end(), "--http") == extra.end()) {
      args.insert(args.end(), {"--http", "127.0.0.1:0"});
    }
    // A free alerts port unless the test picks one (the default 7401 is shared).
    if (std::find(extra.begin(), extra.end(), "--alerts") == extra.end()) {
      args.insert(args.end(), {"--alerts", "tcp://127.0.0.1:*"});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_fd_ = out[0];
    ReadUntilReady();
  }
  ~ServerProcess() { Stop(SIGTERM); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& endpoint(const std::string& name) const { return endpoints_.at(name); }

  // Sends `sig` and waits for the process; returns its exit code (128+signal if killed).
  int Stop(int sig) {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (stdout_fd_ >= 0) close(stdout_fd_);
    stdout_fd_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

 private:
  void ReadUntilReady() {
    std::string pending;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, 1000) <= 0) continue;
      const ssize_t n = read(stdout_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("foodtrace serve exited before it was ready");
      pending.append(buf, static_cast<size_t>(n));
      for (size_t pos; (pos = pending.find('\n')) != std::string::npos; pending.erase(0, pos + 1)) {
        const std::string line = pending.substr(0, pos);
        if (line == "ready") return;
        const size_t space = line.find(' ');
        if (space != std::string::npos) endpoints_[line.substr(0, space)] = line.substr(space + 1);
      }
    }
    throw std::runtime_error("foodtrace serve did not become ready within 60 s");
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int exit_code_ = -1;
  std::map<std::string, std::string> endpoints_;
};

// A program left running with stdout and stderr on pipes, read line by line with deadlines: for
// programs that run until signalled (e.g. `foodtrace-scan --watch DIR`). Killed if still running
// when destroyed.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& args) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ < 0)
      throw std::runtime_error("fork");
    if (pid_ == 0) {
      const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
      dup2(null_fd, 0);
      dup2(out[1], 1);
      dup2(err[1], 2);
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    fds_[0] = out[0];
    fds_[1] = err[0];
  }
  ~ChildProcess() {
    Stop(SIGKILL, 10'000);
    for (int fd : fds_) {
      if (fd >= 0)
        close(fd);
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line the child wrote to stdout (or stderr), without its '\n'; "" with `*ended`
  // set when the stream closed or `timeout_ms` passed first.
  std::string ReadLine(bool from_stderr, int timeout_ms, bool* ended = nullptr) {
    const int i = from_stderr ? 1 : 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    if (ended != nullptr)
      *ended = false;
    for (;;) {
      if (const size_t pos = pending_[i].find('\n'); pos != std::string::npos) {
        std::string line = pending_[i].substr(0, pos);
        pending_[i].erase(0, pos + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fds_[i], POLLIN, 0};
      if (fds_[i] < 0 || left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        if (ended != nullptr)
          *ended = true;
        return "";
      }
      char buf[4096];
      const ssize_t n = read(fds_[i], buf, sizeof buf);
      if (n <= 0) {
        close(fds_[i]);
        fds_[i] = -1;
      } else {
        pending_[i].append(buf, static_cast<size_t>(n));
      }
    }
  }

  // Reads lines from stdout (or stderr) until one contains `text`; false if none did before the
  // stream closed or `timeout_ms` passed.
  bool WaitForLine(bool from_stderr, const std::string& text, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      bool ended = false;
      const std::string line = ReadLine(from_stderr, static_cast<int>(left.count()), &ended);
      if (ended)
        return false;
      if (line.find(text) != std::string::npos)
        return true;
    }
  }

  // True while the child has not exited.
  bool Running() {
    if (pid_ <= 0)
      return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_)
      return true;
    Reaped(status);
    return false;
  }

  // Waits up to `timeout_ms` for the child to exit. Returns its exit code, 128+signal if a signal
  // ended it, -1 if it is still running.
  int Wait(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Running()) {
      if (std::chrono::steady_clock::now() >= deadline)
        return -1;
      usleep(5'000);  // polling waitpid; there is no descriptor to wait on for a child's exit
    }
    return exit_code_;
  }

  // Sends `sig` and waits up to `timeout_ms` for the child to exit (then SIGKILL). Returns what
  // Wait does, -1 if it had to be killed after the timeout.
  int Stop(int sig, int timeout_ms) {
    if (!Running())
      return exit_code_;
    kill(pid_, sig);
    if (Wait(timeout_ms) != -1)
      return exit_code_;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = -1;
    return exit_code_;
  }

 private:
  void Reaped(int status) {
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  pid_t pid_ = -1;
  int exit_code_ = -1;
  int fds_[2] = {-1, -1};  // stdout, stderr
  std::string pending_[2];
};

}  // namespace foodtrace::testing
