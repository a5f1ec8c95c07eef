// A drop folder for photos: `foodtrace-scan --watch DIR` reads every image file a camera or
// scanner app finishes writing into DIR, until SIGINT or SIGTERM. Linux only (inotify,
// signalfd).
//
// A file is handed over when it is complete: closed after writing (IN_CLOSE_WRITE) or renamed or
// moved into DIR (IN_MOVED_TO), never while it is half written. Only names that do not start
// with '.' and end in .png, .jpg or .jpeg (any case) count, so an app that writes ".part" or
// "x.tmp" files and renames them is read once. Directories are ignored; files in
// subdirectories are not watched. A file written twice is handed over twice.
//
// Not thread-safe, and one per process: Open blocks SIGINT and SIGTERM for the whole process.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"

namespace foodtrace::scanner::kiosk {

struct WatchOptions {
  std::string dir;
  // Also hand over the image files already in `dir` when Open ran (in name order, before any new
  // one). Without it they are left alone. A file that was being written at that moment may be
  // handed over twice: once as found, once when its writer closes it.
  bool existing = false;
  // Where problems that do not stop the watch go (events the kernel dropped). Default: dropped.
  std::function<void(std::string_view)> warn;
};

// True for a name the watch hands over: no leading '.', ending in .png/.jpg/.jpeg in any case.
bool IsWatchedImageName(std::string_view name);

class DirectoryWatch {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread and starts watching. Call it before any
  // other thread starts, so every thread inherits the mask and a stop signal waits for Run
  // instead of killing the process mid-file. The signals stay blocked after the watch ends: the
  // process is expected to exit then (a second SIGTERM must not kill it on the way out).
  // Errors: WATCH_DIR (`dir` does not exist, is not a directory, or cannot be watched; the
  // message says why, e.g. the inotify watch limit), WATCH_TOO_MANY_FILES (with `existing`, more
  // than kKioskWatchExistingFilesMax image files already in `dir`).
  static Result<std::unique_ptr<DirectoryWatch>> Open(WatchOptions options);
  ~DirectoryWatch();
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;

  // Calls `handle` with the path "DIR/NAME" of each image file, in the order the files were
  // finished (events are read in batches of at most kKioskWatchEventsPerReadMax). Returns Ok once
  // SIGINT or SIGTERM arrived, after the file being handled. `handle` must not throw.
  // Errors: WATCH_DIR_GONE (DIR was deleted, moved away or unmounted), IO (reading the event
  // or signal descriptor failed).
  Status Run(const std::function<void(const std::string& path)>& handle);

  const std::string& dir() const { return options_.dir; }

 private:
  DirectoryWatch(WatchOptions options, int inotify_fd, int signal_fd);
  Status ListExisting();
  Status ReadEvents(std::vector<std::string>* paths);
  bool StopRequested();
  void Warn(std::string_view message) const;

  WatchOptions options_;
  int inotify_fd_ = -1;
  int signal_fd_ = -1;
  std::vector<std::string> existing_;  // paths found by Open, handed over first by Run
};

}  // namespace foodtrace::scanner::kiosk
