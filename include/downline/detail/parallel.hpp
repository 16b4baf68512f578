// SPDX-License-Identifier: MIT
// The one parallel idiom: a pass over [0, n) in fixed chunks, tasks side by side, a thread count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "downline/base.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/**
 * How a pass over [0, n) is cut: chunk c covers [begin(c), end(c)). The cuts depend on n and
 * the threshold only, never on the thread count, so partial results kept per chunk and merged
 * in chunk order give the same bytes on 1 thread or 64.
 */
struct chunking {
  std::size_t n = 0, size = 1, count = 1;
  std::size_t begin(std::size_t c) const noexcept { return std::min(n, c * size); }
  std::size_t end(std::size_t c) const noexcept { return std::min(n, (c + 1) * size); }
};

/// Below this many items a pass is one chunk on the calling thread: small inputs pay no
/// thread start-up. 2^18, or DOWNLINE_PARALLEL_THRESHOLD (a positive integer; for tests only,
/// so small inputs take the parallel paths). Throws usage error on a bad value.
std::size_t parallel_threshold();

/// Whether a pass over n items is split at all.
inline bool worth_splitting(std::size_t n) { return n >= parallel_threshold(); }

/// One chunk when n is below the threshold; else chunks of a quarter of the threshold.
chunking chunks_of(std::size_t n);

/// The largest thread count accepted (run_options::threads, --threads, DOWNLINE_THREADS).
inline constexpr unsigned max_threads = 1024;

/// Type-erased callables for the functions below (their bodies are in parallel.cpp, the one
/// place that includes oneTBB).
struct chunk_body {
  void* self;
  void (*call)(void* self, std::size_t chunk, std::size_t begin, std::size_t end);
};
struct task_ref {
  void* self;
  void (*call)(void* self);
};
void run_chunks(const chunking& c, chunk_body body);
/// f as a task_ref (f must outlive it).
template <class F>
task_ref task_of(F& f) noexcept {
  return {const_cast<void*>(static_cast<const void*>(&f)), [](void* self) { (*static_cast<F*>(self))(); }};
}
void run_side_by_side(const task_ref* tasks, std::size_t count);
void run_with_threads(unsigned threads, task_ref f);

/**
 * Calls f(chunk, begin, end) once per chunk of c, on the threads of the current arena (the
 * caller's thread alone for one chunk or one thread), and returns when all are done. f must
 * only write what its chunk owns. When chunks throw, the exception of the lowest one is
 * rethrown and the chunks after it may be skipped: the error a serial pass meets first.
 *
 *     parallel_for(chunks_of(n), [&](std::size_t, std::size_t begin, std::size_t end) {
 *       for (std::size_t m = begin; m < end; ++m) out[m] = f(m);
 *     });
 */
template <class F>
void parallel_for(const chunking& c, F&& f) {
  using body_t = std::remove_reference_t<F>;
  run_chunks(c, {const_cast<void*>(static_cast<const void*>(&f)),
                 [](void* self, std::size_t chunk, std::size_t b, std::size_t e) {
                   (*static_cast<body_t*>(self))(chunk, b, e);
                 }});
}
template <class F>
void parallel_for(std::size_t n, F&& f) {
  parallel_for(chunks_of(n), std::forward<F>(f));
}

/// Calls every f, side by side when threads are free, and returns when all are done; the
/// exception of the first (in argument order) that threw is rethrown. They must be independent.
template <class... F>
void side_by_side(F&&... f) {
  const task_ref tasks[] = {task_of(f)...};
  run_side_by_side(tasks, sizeof...(F));
}

/// The task group a background task runs in (TBB kept out of this header).
class background_group {
 public:
  background_group();
  ~background_group();  // waits
  background_group(const background_group&) = delete;
  background_group& operator=(const background_group&) = delete;
  void start(task_ref f);
  void wait() noexcept;

 private:
  struct group;
  std::unique_ptr<group> group_;
};
/**
 * f() started beside the caller, as std::async did: on a free thread of the arena, or (one
 * thread) when get() is called. get() waits and returns its value or rethrows its exception;
 * the destructor waits too. Not copied or moved: the task refers to it.
 *
 *     background<network> loading([&] { return network::load(path); });
 *     ledger_builder parsed = ledger_builder::parse_csv(sales_path);
 *     const network net = loading.get();
 */
template <class T>
class background {
 public:
  template <class F>
  explicit background(F f) : f_(std::move(f)) {
    group_.start(task_of(*this));
  }
  T get() {
    group_.wait();
    if (error_) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<T>) return T(std::move(*value_));
  }
  void operator()() noexcept {  // the task
    try {
      if constexpr (std::is_void_v<T>) f_();
      else value_.emplace(f_());
    } catch (...) {
      error_ = std::current_exception();
    }
  }

 private:
  struct nothing {};
  std::function<T()> f_;
  std::optional<std::conditional_t<std::is_void_v<T>, nothing, T>> value_;
  std::exception_ptr error_;
  background_group group_;  // last: destroyed (waited for) first
};

/**
 * A flag for work done once by whichever thread asks first. Threads that ask meanwhile help
 * with that work's parallel passes instead of blocking (std::call_once would hold them idle,
 * and with them the threads the work could use). A call that throws leaves the flag unset:
 * the next caller tries again.
 *
 *     once_flag built;
 *     call_once(built, [&] { bases = build_bases(); });   // on any thread, any number of times
 */
class once_flag {
 public:
  once_flag();
  ~once_flag();
  once_flag(const once_flag&) = delete;
  once_flag& operator=(const once_flag&) = delete;
  void call(task_ref f);

 private:
  struct flag;
  std::unique_ptr<flag> flag_;
};
template <class F>
void call_once(once_flag& once, F&& f) {
  once.call(task_of(f));
}

/// f() with at most `threads` threads for the parallel passes within it (0: as many as the
/// caller has, all cores by default). A count above the cores is honoured (oversubscribed).
/// Throws usage error above max_threads.
template <class F>
decltype(auto) with_threads(unsigned threads, F&& f) {
  using R = std::invoke_result_t<F&>;
  if constexpr (std::is_void_v<R>) {
    run_with_threads(threads, task_of(f));
  } else {
    std::optional<R> r;
    auto call = [&] { r.emplace(f()); };
    run_with_threads(threads, task_of(call));
    return R(std::move(*r));
  }
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
