// DecodeImage: option checks, then the chosen isolation. The persistent workers live in a
// process-wide pool of at most kScanWorkersMax; a worker that crashed, timed out or served
// kScanWorkerImagesMax images is replaced by a fresh one on the next request.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "foodtrace/scanner/scanner.h"
#include "scanner/decode_worker.h"
#include "scanner/image_reader.h"
#include "scanner/limits.h"
#include "scanner/zxing_decoder.h"

namespace foodtrace::scanner {
namespace {

using internal::DecoderWorker;

static_assert(DecodeOptions{}.timeout_ms == kScanDecodeTimeoutMsDefault);

// Thread-safe: callers block while kScanWorkersMax workers are busy.
class WorkerPool {
 public:
  Result<std::vector<DecodedCode>> Decode(std::string_view image, bool try_harder, int timeout_ms) {
    std::unique_ptr<DecoderWorker> worker = Acquire();
    if (worker != nullptr && !worker->Alive())
      worker.reset();  // died while idle: replace it
    if (worker == nullptr) {
      Result<std::unique_ptr<DecoderWorker>> started = DecoderWorker::Start();
      if (!started.ok()) {
        Release(nullptr);
        return started.status();
      }
      worker = std::move(started).value();
    }
    Result<std::vector<DecodedCode>> result = worker->Decode(image, try_harder, timeout_ms);
    Release(std::move(worker));
    return result;
  }

 private:
  // An idle worker, or nullptr with a slot reserved for a new one.
  std::unique_ptr<DecoderWorker> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || live_ < kScanWorkersMax; });
    if (!idle_.empty()) {
      std::unique_ptr<DecoderWorker> worker = std::move(idle_.back());
      idle_.pop_back();
      return worker;
    }
    ++live_;
    return nullptr;
  }

  void Release(std::unique_ptr<DecoderWorker> worker) {
    std::unique_ptr<DecoderWorker> retired;  // destroyed (killed, reaped) outside the lock
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (worker != nullptr && worker->usable() && worker->images() < kScanWorkerImagesMax) {
        idle_.push_back(std::move(worker));
      } else {
        retired = std::move(worker);
        --live_;
      }
    }
    cv_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<DecoderWorker>> idle_;
  int live_ = 0;  // idle + busy + being started
};

WorkerPool& Pool() {
  // Never destroyed: at exit the kernel closes the sockets and idle workers exit on EOF.
  static WorkerPool* pool = new WorkerPool;
  return *pool;
}

}  // namespace

Result<std::vector<DecodedCode>> DecodeImage(std::string_view image_bytes,
                                             const DecodeOptions& options) {
  if (options.timeout_ms < 1 || options.timeout_ms > kScanDecodeTimeoutMsMax) {
    return Status::Invalid("INVALID_OPTION",
                           "DecodeOptions::timeout_ms " + std::to_string(options.timeout_ms) +
                               " must be 1.." + std::to_string(kScanDecodeTimeoutMsMax));
  }
  if (image_bytes.size() > kScanImageBytesMax) {
    return Status::Exhausted("IMAGE_TOO_LARGE",
                             "the image file has " + std::to_string(image_bytes.size()) +
                                 " bytes; at most " + std::to_string(kScanImageBytesMax) +
                                 " are accepted: send a smaller photo");
  }
  if (internal::DetectImageType(image_bytes) == internal::ImageType::kUnknown) {
    return internal::ReadImage(image_bytes).status();  // IMAGE_FORMAT, without a worker
  }
  switch (options.isolation) {
    case Isolation::kInProcess:
      return internal::DecodeImageInProcess(image_bytes, options.try_harder);
    case Isolation::kChildPerImage: {
      Result<std::unique_ptr<DecoderWorker>> worker = DecoderWorker::Start();
      if (!worker.ok())
        return worker.status();
      return (*worker)->Decode(image_bytes, options.try_harder, options.timeout_ms);
    }
    case Isolation::kWorkerProcess:
      break;
  }
  return Pool().Decode(image_bytes, options.try_harder, options.timeout_ms);
}

}  // namespace foodtrace::scanner
