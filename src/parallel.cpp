// SPDX-License-Identifier: MIT
// detail/parallel.hpp on oneTBB: the one place that includes it.
#include "downline/detail/parallel.hpp"

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/collaborative_call_once.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

namespace {
std::size_t threshold_from_environment() {
  constexpr std::size_t standard = std::size_t{1} << 18;
  const char* text = std::getenv("DOWNLINE_PARALLEL_THRESHOLD");
  if (!text || !*text) return standard;
  const std::string_view s(text);
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value == 0)
    throw error(errc::usage,
                fmt::format("DOWNLINE_PARALLEL_THRESHOLD must be a positive integer (for tests only), not '{}'", s));
  return value;
}
}  // namespace

std::size_t parallel_threshold() {
  static const std::size_t threshold = threshold_from_environment();
  return threshold;
}

chunking chunks_of(std::size_t n) {
  const std::size_t threshold = parallel_threshold();
  if (n < threshold) return {n, std::max<std::size_t>(n, 1), 1};
  const std::size_t size = std::max<std::size_t>(threshold / 4, 1);
  return {n, size, (n + size - 1) / size};
}

void run_chunks(const chunking& c, chunk_body body) {
  if (c.count <= 1 || tbb::this_task_arena::max_concurrency() == 1) {
    for (std::size_t i = 0; i < c.count; ++i) body.call(body.self, i, c.begin(i), c.end(i));
    return;
  }
  // No chunk's exception escapes into TBB (which would cancel the others at random): each is
  // kept, chunks after the lowest that failed are skipped, and that one is rethrown.
  std::vector<std::exception_ptr> errors(c.count);
  std::atomic<std::size_t> first_failed{c.count};
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, c.count, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
          if (i > first_failed.load(std::memory_order_relaxed)) continue;
          try {
            body.call(body.self, i, c.begin(i), c.end(i));
          } catch (...) {
            errors[i] = std::current_exception();
            std::size_t seen = first_failed.load();
            while (i < seen && !first_failed.compare_exchange_weak(seen, i)) {
            }
          }
        }
      },
      tbb::simple_partitioner());
  if (const std::size_t i = first_failed.load(); i < c.count) std::rethrow_exception(errors[i]);
}

void run_side_by_side(const task_ref* tasks, std::size_t count) {
  std::vector<std::exception_ptr> errors(count);
  auto run = [&](std::size_t i) {
    try {
      tasks[i].call(tasks[i].self);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  if (count <= 1 || tbb::this_task_arena::max_concurrency() == 1) {
    for (std::size_t i = 0; i < count; ++i) run(i);
  } else {
    tbb::task_group group;
    for (std::size_t i = 1; i < count; ++i) group.run([&run, i] { run(i); });
    run(0);
    group.wait();
  }
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

struct background_group::group {
  tbb::task_group tasks;
};
background_group::background_group() : group_(std::make_unique<group>()) {}
background_group::~background_group() { wait(); }
void background_group::start(task_ref f) {
  group_->tasks.run([f] { f.call(f.self); });
}
void background_group::wait() noexcept { group_->tasks.wait(); }  // the task catches its own exceptions

struct once_flag::flag {
  tbb::collaborative_once_flag done;
};
once_flag::once_flag() : flag_(std::make_unique<flag>()) {}
once_flag::~once_flag() = default;
void once_flag::call(task_ref f) {
  tbb::collaborative_call_once(flag_->done, [f] { f.call(f.self); });
}

void run_with_threads(unsigned threads, task_ref f) {
  if (threads > max_threads)
    throw error(errc::usage, fmt::format("the thread count must be 1 to {}, not '{}'", max_threads, threads));
  if (threads == 0) {
    f.call(f.self);
    return;
  }
  // The arena bounds this call; the global limit is raised only when more threads than cores
  // are asked for (the default limit is the cores).
  std::optional<tbb::global_control> above_cores;
  if (static_cast<int>(threads) > tbb::info::default_concurrency())
    above_cores.emplace(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(static_cast<int>(threads));
  arena.execute([&] { f.call(f.self); });
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
