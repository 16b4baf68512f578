// SPDX-License-Identifier: MIT
// io/output_file.hpp, io/output_set.hpp: every output of a run, all or nothing (docs/reliability.md).
#include <sys/resource.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "downline/error.hpp"
#include "downline/io/output_set.hpp"

using namespace downline;
namespace fs = std::filesystem;

namespace {
/// A fresh, empty directory, removed at scope exit.
struct temp_dir {
  fs::path path;
  temp_dir() {
    static int counter = 0;
    path = fs::temp_directory_path() / fmt::format("downline_test_output_{}_{}", ::getpid(), counter++);
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path operator/(const std::string& name) const { return path / name; }
  /// The names in the directory, sorted: no stray temporary or backup may be among them.
  std::string listing() const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(path)) names.insert(e.path().filename().string());
    std::string out;
    for (const auto& n : names) out += n + " ";
    return out;
  }
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

/// The message of the downline::error that f throws, with its code.
template <class F>
std::string error_of(F&& f, errc code) {
  try {
    f();
  } catch (const error& e) {
    CHECK(e.code() == code);
    return e.what();
  }
  FAIL("expected an error");
  return {};
}
}  // namespace

TEST_CASE("output_set: every output in place, nothing else left", "[output]") {
  temp_dir d;
  write(d / "old.csv", "old\n");
  output_set outputs;
  outputs.open(d / "new.csv").buffer() += "new\n";
  outputs.open(d / "old.csv").buffer() += "replaced\n";
  outputs.commit();
  CHECK(read(d / "new.csv") == "new\n");
  CHECK(read(d / "old.csv") == "replaced\n");
  CHECK(d.listing() == "new.csv old.csv ");
}

TEST_CASE("output_set: a write failure (file size limit) leaves every file as it was", "[output]") {
  // RLIMIT_FSIZE makes the kernel refuse writes past 64 KiB (EFBIG): a full disk, injected.
  temp_dir d;
  write(d / "a.csv", "old a\n");
  struct rlimit saved {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  auto* previous = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 64 << 10;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string message;
  {
    output_set outputs;
    outputs.open(d / "a.csv").buffer() += "new a\n";
    output_file& big = outputs.open(d / "b.csv");
    big.buffer() = std::string(1 << 20, 'x');
    message = error_of([&] { outputs.commit(); }, errc::io);
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous);
  CHECK(message == (d / "b.csv").string() + ": write failed: File too large");
  CHECK(read(d / "a.csv") == "old a\n");
  CHECK(d.listing() == "a.csv ");
}

TEST_CASE("output_set: a failed rename puts back the files already replaced", "[output]") {
  temp_dir d;
  write(d / "a.csv", "old a\n");
  std::string message;
  {
    output_set outputs;
    outputs.open(d / "a.csv").buffer() += "new a\n";
    outputs.open(d / "fresh.csv").buffer() += "fresh\n";
    outputs.open(d / "c.csv").buffer() += "new c\n";
    // c.csv becomes a non-empty directory after it was opened: its rename fails (EISDIR).
    fs::create_directories(d / "c.csv" / "inside");
    message = error_of([&] { outputs.commit(); }, errc::io);
  }
  CHECK(message == (d / "c.csv").string() + ": cannot rename into place: Is a directory");
  CHECK(read(d / "a.csv") == "old a\n");  // put back
  CHECK_FALSE(fs::exists(d / "fresh.csv"));  // a new file removed
  CHECK(d.listing() == "a.csv c.csv ");
}

TEST_CASE("output_set: a direct output that fails (/dev/full) takes the files back", "[output]") {
  if (!fs::exists("/dev/full")) return;
  temp_dir d;
  write(d / "a.csv", "old a\n");
  output_set outputs;
  outputs.open(d / "a.csv").buffer() += "new a\n";
  outputs.open("/dev/full").buffer() += "payouts\n";
  CHECK(error_of([&] { outputs.commit(); }, errc::io) == "/dev/full: write failed: No space left on device");
  CHECK(read(d / "a.csv") == "old a\n");
  CHECK(d.listing() == "a.csv ");
}

TEST_CASE("output_file: a symlink is followed, a device written directly", "[output]") {
  temp_dir d;
  write(d / "target.csv", "old\n");
  fs::create_symlink("target.csv", d / "link.csv");
  {
    output_file out(d / "link.csv");
    out.buffer() += "through the link\n";
    out.commit();
  }
  CHECK(fs::is_symlink(d / "link.csv"));
  CHECK(read(d / "target.csv") == "through the link\n");
  CHECK(d.listing() == "link.csv target.csv ");
  output_file null("/dev/null");
  CHECK(null.direct());
  null.buffer() += "gone\n";
  null.commit();
  CHECK(fs::is_character_file("/dev/null"));
  CHECK(output_file("-").to_stdout());
  CHECK(output_file("/dev/stdout").to_stdout());
}

TEST_CASE("outputs naming one file, or a directory, are usage errors", "[output]") {
  temp_dir d;
  write(d / "x.csv", "x\n");
  fs::create_hard_link(d / "x.csv", d / "hard.csv");
  fs::create_symlink("x.csv", d / "soft.csv");
  const std::string x = (d / "x.csv").string();
  CHECK(error_of([&] { check_outputs({{"--out", x}, {"--ranks", (d / "sub" / ".." / "x.csv").string()}}); },
                 errc::usage)
            .rfind("--out and --ranks name the same file", 0) == 0);
  CHECK_NOTHROW(check_outputs({{"--out", x}, {"--lines", (d / "y.csv").string()}}));
  CHECK_THROWS(check_outputs({{"--out", x}, {"--lines", (d / "hard.csv").string()}}));
  CHECK_THROWS(check_outputs({{"--out", x}, {"--lines", (d / "soft.csv").string()}}));
  CHECK_THROWS(check_outputs({{"--out", "-"}, {"--lines", "/dev/stdout"}}));
  CHECK_THROWS(check_outputs({{"--out", (d / "new.csv").string()}, {"--lines", (d / "." / "new.csv").string()}}));
  CHECK(error_of([&] { check_outputs({{"--ranks", d.path.string()}}); }, errc::usage) ==
        "--ranks names a directory, not a file " + quote_value(d.path.string()));
  output_set outputs;
  outputs.open(d / "x.csv");
  CHECK_THROWS(outputs.open(d / "hard.csv"));
}
