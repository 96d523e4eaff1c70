// A function run at once, then every `every`, on a thread of its own, until destroyed (the
// destructor wakes the thread and waits for a run in progress to end).
#ifndef LIMS_SERVICES_SERVER_PERIODIC_TASK_H_
#define LIMS_SERVICES_SERVER_PERIODIC_TASK_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace lims::services {

class PeriodicTask {
 public:
  PeriodicTask(absl::Duration every, std::function<void()> run)
      : every_(every), run_(std::move(run)), thread_([this] { Loop(); }) {}
  ~PeriodicTask() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      run_();
      lock.lock();
      wake_.wait_for(lock, absl::ToChronoMilliseconds(every_), [this] { return stopping_; });
    }
  }

  const absl::Duration every_;
  const std::function<void()> run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_PERIODIC_TASK_H_
