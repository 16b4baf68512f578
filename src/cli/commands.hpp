// SPDX-License-Identifier: MIT
// The CLI's subcommands; each returns the process exit code.
#pragma once

#include <optional>

#include "args.hpp"
#include "downline/date.hpp"

namespace downline::cli {

int run_command(int argc, char** argv);
int validate_command(int argc, char** argv);
int generate_command(int argc, char** argv);
int demo_command(int argc, char** argv);
int compare_command(int argc, char** argv);
int compile_network_command(int argc, char** argv);
/// The demo's three-month story: member history, an override and adjustments, as statements.
void print_history_story();

/// The thread count of `--threads N` (removed from argv, wherever it is) or else of
/// DOWNLINE_THREADS (unset or empty: 0, all cores); a count outside 1..1024 is a usage error.
unsigned take_thread_count(int& argc, char** argv);

/// `--period`, when given (run and compare read it alike).
std::optional<commission_period> read_period(const args& a);

}  // namespace downline::cli
