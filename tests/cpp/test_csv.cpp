// SPDX-License-Identifier: MIT
// io/csv.hpp: streaming RFC 4180 reading with line numbers (SPEC §2, §10).
#include "downline/io/csv.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "downline/error.hpp"
#include "temp_csv.hpp"

using namespace downline;
namespace fs = std::filesystem;

namespace {

using downline_test::temp_csv;

struct row {
  std::size_t line;
  std::vector<std::string> fields;
};

std::vector<row> read_rows(csv_reader& csv) {
  std::vector<row> rows;
  while (csv.next()) {
    row r{csv.line(), {}};
    for (std::size_t i = 0; i < csv.header().size(); ++i) r.fields.emplace_back(csv.field(static_cast<int>(i)));
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<row> read_file(const std::string& content, std::vector<std::string>* header = nullptr) {
  temp_csv f(content);
  csv_reader csv(f.path);
  if (header) *header = csv.header();
  return read_rows(csv);
}

/// The message of the input_error that f throws (a test failure when it throws nothing).
template <class F>
std::string input_error_of(F&& f, errc code = errc::input) {
  try {
    f();
  } catch (const input_error& e) {
    CHECK(e.code() == code);
    return e.what();
  }
  FAIL("expected an input_error");
  return {};
}

using strings = std::vector<std::string>;
}  // namespace

TEST_CASE("csv: header and simple rows with line numbers", "[csv]") {
  strings header;
  auto rows = read_file("a,b,c\n1,2,3\n4,,6\n", &header);
  CHECK(header == strings{"a", "b", "c"});
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].line == 2);
  CHECK(rows[0].fields == strings{"1", "2", "3"});
  CHECK(rows[1].line == 3);
  CHECK(rows[1].fields == strings{"4", "", "6"});
}

TEST_CASE("csv: columns by name, missing column, field(-1)", "[csv]") {
  temp_csv f("x,id,sponsor_id\n1,A,\n");
  csv_reader csv(f.path);
  CHECK(csv.source() == f.name());
  CHECK(csv.column("id") == 1);
  CHECK(csv.column("sponsor_id") == 2);
  CHECK(csv.column("nope") == -1);
  CHECK(csv.require_column("x") == 0);
  const std::string msg = input_error_of([&] { csv.require_column("amount"); });
  CHECK(msg == f.name() + ":1: missing required column 'amount'");
  REQUIRE(csv.next());
  CHECK(csv.field(-1).empty());
  CHECK(csv.field(1) == "A");
  CHECK(csv.field(2).empty());
  CHECK_FALSE(csv.next());
  CHECK_FALSE(csv.next());  // stays at the end
}

TEST_CASE("csv: quoted fields with commas and escaped quotes", "[csv]") {
  strings header;
  auto rows = read_file("\"id\",\"note, with comma\"\n\"x,y\",\"say \"\"hi\"\"\"\n\"\",\"\"\"\"\nplain,\"\"\n", &header);
  CHECK(header == strings{"id", "note, with comma"});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == strings{"x,y", "say \"hi\""});
  CHECK(rows[1].fields == strings{"", "\""});
  CHECK(rows[2].fields == strings{"plain", ""});
  CHECK(rows[0].line == 2);
  CHECK(rows[1].line == 3);
  CHECK(rows[2].line == 4);
}

TEST_CASE("csv: quoted newlines keep the following line numbers right", "[csv]") {
  const std::string text =
      "id,note\n"             // 1
      "1,\"a\nb\"\n"          // 2-3
      "2,plain\n"             // 4
      "3,\"x\r\ny\r\nz\"\r\n"  // 5-7
      "\n"                    // 8 (blank)
      "4,\"\"\"q\"\"\"\n"     // 9
      "5,\"\n\n\n\"\n"        // 10-13
      "6,last\n";             // 14
  auto rows = read_file(text);
  REQUIRE(rows.size() == 6);
  CHECK(rows[0].line == 2);
  CHECK(rows[0].fields == strings{"1", "a\nb"});
  CHECK(rows[1].line == 4);
  CHECK(rows[1].fields == strings{"2", "plain"});
  CHECK(rows[2].line == 5);
  CHECK(rows[2].fields == strings{"3", "x\r\ny\r\nz"});
  CHECK(rows[3].line == 9);
  CHECK(rows[3].fields == strings{"4", "\"q\""});
  CHECK(rows[4].line == 10);
  CHECK(rows[4].fields == strings{"5", "\n\n\n"});
  CHECK(rows[5].line == 14);
  CHECK(rows[5].fields == strings{"6", "last"});
}

TEST_CASE("csv: a field-count error after a multi-line row names the right line", "[csv]") {
  temp_csv f("a,b\n1,\"x\ny\"\n2\n");
  csv_reader csv(f.path);
  REQUIRE(csv.next());
  const std::string msg = input_error_of([&] { csv.next(); });
  CHECK(msg == f.name() + ":4: has 1 fields where the header has 2: '2'");
}

TEST_CASE("csv: CRLF line endings", "[csv]") {
  strings header;
  auto rows = read_file("a,b\r\n1,2\r\n\"q\",\"r\"\r\n\r\n3,4\r\n", &header);
  CHECK(header == strings{"a", "b"});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == strings{"1", "2"});
  CHECK(rows[1].fields == strings{"q", "r"});
  CHECK(rows[2].fields == strings{"3", "4"});
  CHECK(rows[0].line == 2);
  CHECK(rows[1].line == 3);
  CHECK(rows[2].line == 5);
}

TEST_CASE("csv: a UTF-8 BOM before the header is dropped", "[csv]") {
  strings header;
  auto rows = read_file("\xEF\xBB\xBFid,x\nA,1\n", &header);
  CHECK(header == strings{"id", "x"});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].fields == strings{"A", "1"});
  CHECK(rows[0].line == 2);
  // A BOM before a quoted header too.
  auto rows2 = read_file("\xEF\xBB\xBF\"id\",x\nB,2\n", &header);
  CHECK(header == strings{"id", "x"});
  REQUIRE(rows2.size() == 1);
  CHECK(rows2[0].fields == strings{"B", "2"});
}

TEST_CASE("csv: blank lines are skipped but counted", "[csv]") {
  auto rows = read_file("\n\na,b\n\n1,2\n\r\n\n3,4\n\n\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].line == 5);
  CHECK(rows[1].line == 8);
  CHECK(rows[1].fields == strings{"3", "4"});
}

TEST_CASE("csv: last row without a newline", "[csv]") {
  auto rows = read_file("a,b\n1,2\n3,4");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].fields == strings{"3", "4"});
  CHECK(rows[1].line == 3);
  auto quoted = read_file("a,b\n1,\"2\"");
  REQUIRE(quoted.size() == 1);
  CHECK(quoted[0].fields == strings{"1", "2"});
  auto crlf = read_file("a,b\r\n1,2\r");
  REQUIRE(crlf.size() == 1);
  CHECK(crlf[0].fields == strings{"1", "2"});
}

TEST_CASE("csv: header only, empty file, blank-only file", "[csv]") {
  CHECK(read_file("a,b\n").empty());
  CHECK(read_file("a,b").empty());
  for (const std::string content : {std::string(), std::string("\n\n\r\n"), std::string("\xEF\xBB\xBF")}) {
    temp_csv f(content);
    const std::string msg = input_error_of([&] { csv_reader csv(f.path); });
    CHECK(msg.rfind(f.name() + ":1: empty file", 0) == 0);
  }
}

TEST_CASE("csv: field-count mismatch names file:line and the first field", "[csv]") {
  SECTION("too few") {
    temp_csv f("a,b,c\n1,2,3\nx,y\n");
    csv_reader csv(f.path);
    REQUIRE(csv.next());
    CHECK(input_error_of([&] { csv.next(); }) == f.name() + ":3: has 2 fields where the header has 3: 'x'");
  }
  SECTION("too many") {
    temp_csv f("a,b\n\n1,2,3\n");
    csv_reader csv(f.path);
    CHECK(input_error_of([&] { csv.next(); }) == f.name() + ":3: has 3 fields where the header has 2: '1'");
  }
  SECTION("a quoted comma does not count, an unquoted one does") {
    temp_csv f("a,b\n\"1,5\",2\n1,5,2\n");
    csv_reader csv(f.path);
    REQUIRE(csv.next());
    CHECK(csv.field(0) == "1,5");
    CHECK(input_error_of([&] { csv.next(); }) == f.name() + ":3: has 3 fields where the header has 2: '1'");
  }
}

TEST_CASE("csv: unterminated quote", "[csv]") {
  temp_csv f("a,b\n1,2\n3,\"open\n4,5\n");
  csv_reader csv(f.path);
  REQUIRE(csv.next());
  const std::string msg = input_error_of([&] { csv.next(); });
  CHECK(msg.rfind(f.name() + ":3: unterminated quoted field '", 0) == 0);
  // Unterminated in the header.
  temp_csv g("\"a,b\n1,2\n");
  CHECK(input_error_of([&] { csv_reader bad(g.path); }).rfind(g.name() + ":1: unterminated quoted field", 0) == 0);
}

TEST_CASE("csv: fail() names the current row", "[csv]") {
  temp_csv f("a\n\n\nv\n");
  csv_reader csv(f.path);
  REQUIRE(csv.next());
  CHECK(input_error_of([&] { csv.fail("bad thing", "v"); }) == f.name() + ":4: bad thing 'v'");
}

TEST_CASE("csv: missing file and directory are io errors", "[csv]") {
  const fs::path missing = fs::temp_directory_path() / fmt::format("downline_test_csv_missing_{}.csv", ::getpid());
  std::string msg = input_error_of([&] { csv_reader csv(missing); }, errc::io);
  CHECK(msg.rfind(missing.string() + ": cannot open", 0) == 0);
  msg = input_error_of([&] { csv_reader csv(fs::temp_directory_path()); }, errc::io);
  CHECK(msg.find("directory") != std::string::npos);
}

TEST_CASE("csv: rows of max_row_bytes are read across block boundaries, one byte more is an error", "[csv]") {
  const std::size_t max = csv_reader::max_row_bytes;
  // A plain row and a quoted one (a comma, a newline and a "" inside), each exactly `max`
  // bytes with its newline, after a short row so that each straddles a block boundary.
  const std::string long_plain(max - 3, 'X');  // + ",1\n"
  std::string long_quoted(max - 6, 'Y');       // + the quotes, one doubled quote and ",2\n"
  long_quoted[1000] = ',';
  long_quoted[long_quoted.size() / 2] = '\n';
  long_quoted[long_quoted.size() - 7] = '"';
  std::string escaped;
  for (char c : long_quoted) {
    if (c == '"') escaped += '"';
    escaped += c;
  }
  const std::string plain_row = long_plain + ",1\n", quoted_row = "\"" + escaped + "\",2\n";
  REQUIRE(plain_row.size() == max);
  REQUIRE(quoted_row.size() == max);
  auto rows = read_file("a,b\ns,0\n" + plain_row + quoted_row + "z,3\n");
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].line == 3);
  CHECK(rows[1].fields[0] == long_plain);
  CHECK(rows[1].fields[1] == "1");
  CHECK(rows[2].line == 4);
  CHECK(rows[2].fields[0] == long_quoted);
  CHECK(rows[2].fields[1] == "2");
  CHECK(rows[3].line == 6);  // the quoted row spans lines 4-5
  CHECK(rows[3].fields == strings{"z", "3"});

  auto read_all = [](const temp_csv& f) {
    csv_reader csv(f.path);
    read_rows(csv);
  };
  temp_csv plain_too_long("a,b\ns,0\nX" + plain_row);
  CHECK(input_error_of([&] { read_all(plain_too_long); })
            .rfind(plain_too_long.name() + ":3: row longer than 1048576 bytes", 0) == 0);
  temp_csv quoted_too_long("a,b\ns,0\n" + plain_row + "\"Y" + escaped + "\",2\n");
  CHECK(input_error_of([&] { read_all(quoted_too_long); })
            .rfind(quoted_too_long.name() + ":4: row longer than 1048576 bytes", 0) == 0);
  temp_csv header_too_long(std::string(max, 'h'));  // no newline at all, as /dev/zero
  CHECK(input_error_of([&] { csv_reader csv(header_too_long.path); })
            .rfind(header_too_long.name() + ":1: row longer than 1048576 bytes", 0) == 0);
}

TEST_CASE("csv: the first block boundary at every byte of a quoted CRLF row", "[csv]") {
  // `"x""y<CR><LF>z",""""<CR><LF>` is fields {x"y<CR><LF>z, "}. A filler row puts each byte of it
  // at the offset where the first block ends.
  const std::string tricky = "\"x\"\"y\r\nz\",\"\"\"\"\r\n";
  const std::string header = "a,b\r\n";
  const std::size_t block = csv_reader::block_bytes;
  for (std::size_t k = 0; k <= tricky.size(); ++k) {
    INFO("boundary after " << k << " bytes of the tricky row");
    const std::size_t filler = block - k - header.size() - 4;  // "f…f,1\r\n" is filler + 4 bytes
    const std::string text = header + std::string(filler, 'f') + ",1\r\n" + tricky + "last,2\r\n";
    REQUIRE(text.find(tricky) == block - k);
    auto rows = read_file(text);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].line == 2);
    CHECK(rows[0].fields[0].size() == filler);
    CHECK(rows[0].fields[1] == "1");
    CHECK(rows[1].line == 3);
    CHECK(rows[1].fields == strings{"x\"y\r\nz", "\""});
    CHECK(rows[2].line == 5);
    CHECK(rows[2].fields == strings{"last", "2"});
  }
}

TEST_CASE("csv: many multi-line rows across several blocks", "[csv]") {
  // ~12 MB of rows with quoted newlines, escaped quotes and blank lines: every field and line checked.
  std::string text = "id,note,n\n";
  std::vector<std::size_t> lines;
  std::size_t line = 2;
  const int count = 300'000;
  for (int i = 0; i < count; ++i) {
    lines.push_back(line);
    text += fmt::format("r{},\"say \"\"{}\"\"\nnext, line\",{}\n", i, i, i);
    line += 2;
    if (i % 997 == 0) {
      text += "\n";
      ++line;
    }
  }
  REQUIRE(text.size() > 2 * (1u << 22));
  temp_csv f(text);
  csv_reader csv(f.path);
  int i = 0;
  bool all_good = true;
  while (csv.next()) {
    const bool good = i < count && csv.line() == lines[static_cast<std::size_t>(i)] &&
                      csv.field(0) == fmt::format("r{}", i) &&
                      csv.field(1) == fmt::format("say \"{}\"\nnext, line", i) && csv.field(2) == std::to_string(i);
    if (!good && all_good) {
      all_good = false;
      FAIL_CHECK("row " << i << " at line " << csv.line() << ": '" << std::string(csv.field(0)) << "', '"
                        << std::string(csv.field(1)) << "'");
    }
    ++i;
  }
  CHECK(all_good);
  CHECK(i == count);
}

TEST_CASE("append_csv_field quotes only when needed and reads back", "[csv]") {
  auto quoted = [](std::string_view s) {
    std::string out;
    append_csv_field(out, s);
    return out;
  };
  CHECK(quoted("plain") == "plain");
  CHECK(quoted("") == "");
  CHECK(quoted("a,b") == "\"a,b\"");
  CHECK(quoted("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(quoted("x\ny") == "\"x\ny\"");
  CHECK(quoted("x\ry") == "\"x\ry\"");

  const strings values = {"plain", "", "a,b", "\"", "say \"hi\", ok", "two\nlines", "cr\r\nlf", ",", "\"\""};
  std::string text = "v,w\n";
  for (const auto& v : values) {
    append_csv_field(text, v);
    text += ",end\n";
  }
  auto rows = read_file(text);
  REQUIRE(rows.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    CHECK(rows[i].fields[0] == values[i]);
    CHECK(rows[i].fields[1] == "end");
  }
}

TEST_CASE("csv: a header error does not leak the open file", "[csv]") {
  // csv_reader::csv_reader opens the file, then throws for an empty file (or a bad header); the
  // destructor of a half-constructed object never runs, so the FILE* stays open. A host that
  // retries bad uploads runs out of descriptors. Counted through /proc/self/fd (Linux).
  if (!fs::exists("/proc/self/fd")) return;
  auto open_fds = [] {
    std::size_t n = 0;
    for (auto it = fs::directory_iterator("/proc/self/fd"); it != fs::directory_iterator(); ++it) ++n;
    return n;
  };
  temp_csv empty("");
  temp_csv bad_header("\"a,b\n");
  const std::size_t before = open_fds();
  for (int i = 0; i < 20; ++i) {
    CHECK_THROWS_AS(csv_reader(empty.path), input_error);
    CHECK_THROWS_AS(csv_reader(bad_header.path), input_error);
  }
  CHECK(open_fds() == before);
}

TEST_CASE("csv: delimiters found at every offset of long fields", "[csv]") {
  // Rows are scanned 16 bytes at a time: put every delimiter at every offset around that.
  std::string content = "a,b,c\n";
  std::vector<strings> expected;
  for (std::size_t len = 0; len <= 40; ++len) {
    const std::string a(len, 'x'), b(40 - len, 'y');
    content += a + "," + b + ",z\n";
    expected.push_back({a, b, "z"});
    content += a + "," + b + ",\"q,\"\"" + a + "\"\n";  // a quote after long plain fields
    expected.push_back({a, b, "q,\"" + a});
    content += "p" + a + "\"" + b + ",\r," + a + "\r\n";  // a quote inside a field is a character
    expected.push_back({"p" + a + "\"" + b, "\r", a});
  }
  const auto rows = read_file(content);
  REQUIRE(rows.size() == expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    CHECK(rows[i].fields == expected[i]);
    CHECK(rows[i].line == i + 2);
  }
}
