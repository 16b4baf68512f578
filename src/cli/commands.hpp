// SPDX-License-Identifier: MIT
// The CLI's subcommands; each returns the process exit code.
#pragma once

namespace downline::cli {

int run_command(int argc, char** argv);
int validate_command(int argc, char** argv);
int generate_command(int argc, char** argv);
int demo_command(int argc, char** argv);

}  // namespace downline::cli
