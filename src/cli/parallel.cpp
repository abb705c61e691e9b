#include "cli/parallel.hpp"

#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <sched.h>
#include <system_error>
#include <thread>

namespace ecolint::cli {

namespace {

using Clock = std::chrono::steady_clock;

// Everything the threads share. Held by shared_ptr by each of them: an abandoned worker may still
// be running when lint_in_pool has returned.
struct Pool {
  struct Worker {
    std::thread thread;
    bool busy = false;
    bool abandoned = false;
    bool finished = false;
    Clock::time_point started;
    FileToLint file;  // the file being linted, while busy
  };

  LintFunction lint;
  std::chrono::milliseconds budget{0};
  std::mutex mutex;
  std::condition_variable work_ready;     // workers wait for files
  std::condition_variable state_changed;  // the caller and the watchdog wait for workers
  std::deque<FileToLint> queue;
  std::list<Worker> workers;  // stable addresses
  unsigned live = 0;          // workers neither finished nor abandoned
  bool walk_done = false;
  bool closing = false;  // tells the watchdog to stop
  std::vector<Linted> linted;
  std::vector<Note> timeouts;
  bool any_abandoned = false;
};

void work(std::shared_ptr<Pool> pool, Pool::Worker* self) {
  std::unique_lock<std::mutex> lock(pool->mutex);
  for (;;) {
    pool->work_ready.wait(lock, [&] { return !pool->queue.empty() || pool->walk_done; });
    if (pool->queue.empty()) break;
    self->file = std::move(pool->queue.front());
    pool->queue.pop_front();
    self->busy = true;
    self->started = Clock::now();
    FileToLint file = self->file;
    lock.unlock();
    FileResult result = pool->lint(file);
    lock.lock();
    if (self->abandoned) return;  // the watchdog gave up on this file and replaced this worker
    self->busy = false;
    // Most files have nothing to say; only the others are kept for the report.
    if (!result.empty()) pool->linted.push_back({std::move(file), std::move(result)});
  }
  self->finished = true;
  --pool->live;
  pool->state_changed.notify_all();
}

// Starts one more worker; false if the system refuses a thread. Called with the mutex held.
bool start_worker(const std::shared_ptr<Pool>& pool) {
  pool->workers.emplace_back();
  Pool::Worker* w = &pool->workers.back();
  try {
    w->thread = std::thread(work, pool, w);
  } catch (const std::system_error&) {
    pool->workers.pop_back();
    return false;
  }
  ++pool->live;
  return true;
}

std::string seconds_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

// Gives up on files over the budget: a note for each, a new worker in place of the stuck one.
void watch(std::shared_ptr<Pool> pool) {
  std::unique_lock<std::mutex> lock(pool->mutex);
  while (!pool->closing) {
    Clock::time_point now = Clock::now();
    Clock::time_point next = now + pool->budget;
    for (auto& w : pool->workers) {
      if (!w.busy || w.abandoned) continue;
      Clock::time_point deadline = w.started + pool->budget;
      if (deadline > now) {
        next = std::min(next, deadline);
        continue;
      }
      w.abandoned = true;
      w.thread.detach();
      --pool->live;
      pool->any_abandoned = true;
      pool->timeouts.push_back({w.file.display_path,
                                "analysis took longer than the per-file limit of " + seconds_text(pool->budget) +
                                    " (--file-timeout); not analysed",
                                {}});
      start_worker(pool);  // without it the remaining workers carry on
      pool->state_changed.notify_all();
    }
    pool->state_changed.wait_until(lock, next);
  }
}

}  // namespace

unsigned available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  unsigned n = std::thread::hardware_concurrency();
  return n ? n : 1;
}

PoolResult lint_in_pool(const std::function<void(const std::function<void(FileToLint&&)>&)>& walk, LintFunction lint,
                        const PoolOptions& options) {
  auto pool = std::make_shared<Pool>();
  pool->lint = std::move(lint);
  pool->budget = options.budget;
  {
    std::lock_guard<std::mutex> lock(pool->mutex);
    for (unsigned i = 0; i < std::max(1u, options.jobs); ++i)
      if (!start_worker(pool)) break;
  }
  PoolResult result;
  if (pool->workers.empty()) {
    // Not even one thread: lint here, as the walk finds files.
    walk([&](FileToLint&& f) {
      FileResult r = pool->lint(f);
      if (!r.empty()) result.linted.push_back({std::move(f), std::move(r)});
    });
    return result;
  }
  std::thread watchdog;
  if (options.budget.count() > 0) {
    try {
      watchdog = std::thread(watch, pool);
    } catch (const std::system_error&) {
    }
  }
  walk([&](FileToLint&& f) {
    {
      std::lock_guard<std::mutex> lock(pool->mutex);
      pool->queue.push_back(std::move(f));
    }
    pool->work_ready.notify_one();
  });
  std::unique_lock<std::mutex> lock(pool->mutex);
  pool->walk_done = true;
  pool->work_ready.notify_all();
  // Every live worker is done. A worker the watchdog gave up on is replaced, so the queue drains,
  // unless no replacement thread could be made: what is left is then linted here.
  pool->state_changed.wait(lock, [&] { return pool->live == 0; });
  while (!pool->queue.empty()) {
    FileToLint f = std::move(pool->queue.front());
    pool->queue.pop_front();
    lock.unlock();
    FileResult r = pool->lint(f);
    lock.lock();
    if (!r.empty()) pool->linted.push_back({std::move(f), std::move(r)});
  }
  pool->closing = true;
  pool->state_changed.notify_all();
  lock.unlock();
  if (watchdog.joinable()) watchdog.join();
  lock.lock();
  for (auto& w : pool->workers)
    if (!w.abandoned && w.thread.joinable()) {
      std::thread t = std::move(w.thread);
      lock.unlock();
      t.join();
      lock.lock();
    }
  result.linted = std::move(pool->linted);
  result.timeouts = std::move(pool->timeouts);
  result.abandoned_threads = pool->any_abandoned;
  return result;
}

}  // namespace ecolint::cli
