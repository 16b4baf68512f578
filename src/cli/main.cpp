// SPDX-License-Identifier: MIT
// `downline`: run a commission period from CSV files (SPEC §9).
#include <climits>
#include <cstdio>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <exception>
#include <string>

#include "args.hpp"
#include "commands.hpp"
#include "downline/base.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/error.hpp"

namespace {
const char* usage =
    "usage: downline <command> [options]\n"
    "\n"
    "  run       --plan P.json --network N.csv --sales S.csv [--period YYYY-MM]\n"
    "            [--state-in F] [--state-out F] [--out payouts.csv] [--ranks F]\n"
    "            [--lines F] [--payables F] [--summary-json F]\n"
    "            [--report F.html] [--quiet]\n"
    "  compare   --plan A.json --plan B.json [--plan …] --network N.csv --sales S.csv\n"
    "            [--period YYYY-MM] [--state-in F …] --out compare.csv\n"
    "            [--summary-json F] [--report F.html] [--quiet]\n"
    "  validate  --plan P.json [--network N.csv] [--sales S.csv]\n"
    "  generate  --members N [--sales-per-member K] [--seed S]\n"
    "            [--placement binary|matrix] [--period YYYY-MM] --out DIR\n"
    "  demo      [--plan unilevel|binary|stairstep_breakaway|unilevel_matching|\n"
    "            hybrid_binary_unilevel_matching|hybrid_rank_tiered] runs a shipped\n"
    "            example and prints commission statements\n"
    "  compile-network --network N.csv [--plan P.json] --out N.dlnet\n"
    "            checks and numbers the network once; run, validate and compare\n"
    "            accept the .dlnet file as --network\n"
    "  version\n"
    "\n"
    "Every command takes --threads N: compute on at most N threads (1 to 1024;\n"
    "default: the DOWNLINE_THREADS environment variable, else all cores).\n";
}

int main(int argc, char** argv) {
  using namespace downline::cli;
#if defined(__GLIBC__)
  // A run allocates and frees gigabytes of per-member and per-line tables; glibc would map
  // each large one fresh and unmap it when freed, so every page of the next one faults
  // again (seconds of system time at 10M members). Keep freed memory for reuse instead, in
  // one arena: what the sales parser's thread frees is then reused by the main thread.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  mallopt(M_ARENA_MAX, 1);
#endif
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  try {
    if (command == "version" || command == "--version") {
      std::puts("downline " DOWNLINE_VERSION_STRING);
      return 0;
    }
    int (*const run)(int, char**) = command == "run"               ? run_command
                                    : command == "compare"         ? compare_command
                                    : command == "validate"        ? validate_command
                                    : command == "generate"        ? generate_command
                                    : command == "demo"            ? demo_command
                                    : command == "compile-network" ? compile_network_command
                                                                   : nullptr;
    if (!run) throw usage_error("unknown command " + downline::quote_value(command));
    const unsigned threads = take_thread_count(argc, argv);
    return downline::detail::with_threads(threads, [&] { return run(argc, argv); });
  } catch (const usage_error& e) {
    std::fprintf(stderr, "downline: error: usage: %s\n%s", e.what(), usage);
    return 2;
  } catch (const downline::error& e) {
    std::fprintf(stderr, "downline: error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "downline: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "downline: error: %s\n", e.what());
    return 1;
  }
}
