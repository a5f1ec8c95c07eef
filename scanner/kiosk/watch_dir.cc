#include "scanner/kiosk/watch_dir.h"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "scanner/limits.h"

namespace foodtrace::scanner::kiosk {
namespace {

static_assert(kKioskWatchNameBytesMax >= NAME_MAX, "an inotify event names up to NAME_MAX bytes");

// What the watch asks the kernel for: finished files, and the directory itself going away.
// IN_EXCL_UNLINK: no events for files unlinked while still open.
constexpr std::uint32_t kWatchMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK;
constexpr std::uint32_t kDirGoneMask = IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED;

std::string Join(const std::string& dir, std::string_view name) {
  return (dir == "/" ? dir : dir + "/") + std::string(name);
}

Status WatchError(const std::string& dir, int error) {
  switch (error) {
    case ENOENT:
      return Status(Code::kNotFound, "WATCH_DIR",
                    "'" + dir + "' does not exist: give --watch an existing directory");
    case ENOTDIR:
      return Status(Code::kInvalidArgument, "WATCH_DIR", "'" + dir + "' is not a directory");
    case EACCES:
      return Status(Code::kPermissionDenied, "WATCH_DIR",
                    "cannot watch '" + dir + "': permission denied");
    case ENOSPC:
    case EMFILE:
      return Status(Code::kResourceExhausted, "WATCH_DIR",
                    "cannot watch '" + dir +
                        "': the inotify limits are reached (sysctl "
                        "fs.inotify.max_user_watches / max_user_instances)");
    default:
      return Status(Code::kInvalidArgument, "WATCH_DIR",
                    "cannot watch '" + dir + "': " + std::strerror(error));
  }
}

}  // namespace

bool IsWatchedImageName(std::string_view name) {
  if (name.empty() || name.front() == '.')
    return false;
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos)
    return false;
  std::string extension;
  for (char c : name.substr(dot + 1))
    extension += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return extension == "png" || extension == "jpg" || extension == "jpeg";
}

DirectoryWatch::DirectoryWatch(WatchOptions options, int inotify_fd, int signal_fd)
    : options_(std::move(options)), inotify_fd_(inotify_fd), signal_fd_(signal_fd) {}

DirectoryWatch::~DirectoryWatch() {
  // Closing only: the signals stay blocked (see Open).
  if (inotify_fd_ >= 0)
    close(inotify_fd_);
  if (signal_fd_ >= 0)
    close(signal_fd_);
}

Result<std::unique_ptr<DirectoryWatch>> DirectoryWatch::Open(WatchOptions options) {
  while (options.dir.size() > 1 && options.dir.back() == '/') options.dir.pop_back();
  if (options.dir.empty())
    return Status::Invalid("WATCH_DIR", "--watch needs a directory");
  const int inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd < 0)
    return WatchError(options.dir, errno);
  // The watch owns the descriptor from here on, whatever happens next.
  std::unique_ptr<DirectoryWatch> watch(new DirectoryWatch(std::move(options), inotify_fd, -1));
  const std::string& dir = watch->options_.dir;
  // Watching starts before the listing, so a file finished in between is not missed.
  if (inotify_add_watch(inotify_fd, dir.c_str(), kWatchMask) < 0)
    return WatchError(dir, errno);
  if (watch->options_.existing) {
    if (Status s = watch->ListExisting(); !s.ok())
      return s;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // Only fails for an invalid `how`: a bug.
  FT_CHECK(pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr) == 0);
  watch->signal_fd_ = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (watch->signal_fd_ < 0) {
    return Status::Io(std::string("cannot create a descriptor for SIGINT/SIGTERM: ") +
                      std::strerror(errno));
  }
  return watch;
}

Status DirectoryWatch::ListExisting() {
  std::error_code error;
  std::filesystem::directory_iterator it(options_.dir, error);
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    std::error_code type_error;
    if (!IsWatchedImageName(name) || it->is_directory(type_error))
      continue;
    if (existing_.size() == kKioskWatchExistingFilesMax) {
      return Status::Exhausted(
          "WATCH_TOO_MANY_FILES",
          "'" + options_.dir + "' holds more than " + std::to_string(kKioskWatchExistingFilesMax) +
              " image files: move the ones already read away, or drop --watch-existing");
    }
    existing_.push_back(Join(options_.dir, name));
  }
  if (error)
    return Status::Io("cannot list '" + options_.dir + "': " + error.message());
  std::sort(existing_.begin(), existing_.end());
  return Status::Ok();
}

Status DirectoryWatch::Run(const std::function<void(const std::string& path)>& handle) {
  std::vector<std::string> paths = std::move(existing_);
  existing_.clear();
  for (;;) {
    for (const std::string& path : paths) {
      if (StopRequested())
        return Status::Ok();
      handle(path);
    }
    paths.clear();
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      return Status::Io(std::string("cannot wait for files: ") + std::strerror(errno));
    }
    if (StopRequested())
      return Status::Ok();
    if (fds[1].revents != 0) {
      if (Status s = ReadEvents(&paths); !s.ok())
        return s;
    }
  }
}

// One read: at most the buffer's worth of events, handed over as one batch.
Status DirectoryWatch::ReadEvents(std::vector<std::string>* paths) {
  constexpr std::size_t kEventBytesMax = sizeof(inotify_event) + kKioskWatchNameBytesMax + 1;
  alignas(inotify_event) char buffer[kKioskWatchEventsPerReadMax * kEventBytesMax];
  const ssize_t read_bytes = read(inotify_fd_, buffer, sizeof buffer);
  if (read_bytes < 0) {
    if (errno == EAGAIN || errno == EINTR)
      return Status::Ok();
    return Status::Io("cannot read the events of '" + options_.dir + "': " + std::strerror(errno));
  }
  const auto end = static_cast<std::size_t>(read_bytes);
  std::size_t offset = 0;
  while (offset + sizeof(inotify_event) <= end) {
    inotify_event event;
    std::memcpy(&event, buffer + offset, sizeof event);
    const char* name = buffer + offset + sizeof event;
    offset += sizeof event + event.len;
    if (offset > end)
      return Status::Io("a truncated inotify event for '" + options_.dir + "'");
    if ((event.mask & IN_Q_OVERFLOW) != 0) {
      Warn("the kernel dropped events for '" + options_.dir +
           "': files finished meanwhile may not have been read");
      continue;
    }
    if ((event.mask & kDirGoneMask) != 0) {
      return Status(Code::kNotFound, "WATCH_DIR_GONE",
                    "'" + options_.dir + "' was deleted, moved away or unmounted");
    }
    const std::string_view file_name(name, strnlen(name, event.len));
    if ((event.mask & IN_ISDIR) == 0 && IsWatchedImageName(file_name))
      paths->push_back(Join(options_.dir, file_name));
  }
  return Status::Ok();
}

// Consumes a pending SIGINT/SIGTERM, if any (the descriptor never blocks).
bool DirectoryWatch::StopRequested() {
  signalfd_siginfo info;
  if (read(signal_fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info))
    return false;
  Warn(std::string(info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM") + " received, stopping");
  return true;
}

void DirectoryWatch::Warn(std::string_view message) const {
  if (options_.warn)
    options_.warn(message);
}

}  // namespace foodtrace::scanner::kiosk
