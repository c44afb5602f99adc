// A fixed set of worker threads that run submitted tasks in FIFO order. ParallelFor runs one function over an index
// range on the pool and waits for it. Nothing leakhound-specific.
//
// Ownership: the pool owns its threads; the destructor finishes the queued tasks, then joins.
// Thread-safety: Submit and ParallelFor may be called from any thread, but not from inside a task of the same pool
// (ParallelFor would wait on itself).
#ifndef LEAKHOUND_UTIL_THREAD_POOL_H_
#define LEAKHOUND_UTIL_THREAD_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace leakhound::util {

class ThreadPool {
 public:
  explicit ThreadPool(unsigned threads) {
    if (threads == 0) threads = 1;
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  size_t size() const { return workers_.size(); }

  void Submit(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
  }

  // Runs fn(i) for every i in [0, n) on the pool; returns when all have finished.
  void ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
    std::mutex done_mu;
    std::condition_variable done_cv;
    size_t left = n;
    for (size_t i = 0; i < n; ++i) {
      Submit([&, i] {
        fn(i);
        std::lock_guard<std::mutex> lock(done_mu);
        if (--left == 0) done_cv.notify_all();
      });
    }
    std::unique_lock<std::mutex> lock(done_mu);
    done_cv.wait(lock, [&] { return left == 0; });
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [this] { return closing_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool closing_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace leakhound::util

#endif  // LEAKHOUND_UTIL_THREAD_POOL_H_
