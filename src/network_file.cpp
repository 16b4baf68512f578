// SPDX-License-Identifier: MIT
#include "downline/network_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <span>

#include <fmt/format.h>

#include "downline/error.hpp"
#include "downline/io/output_file.hpp"

DOWNLINE_BEGIN_NAMESPACE

namespace {

constexpr std::array<char, 8> magic = {'D', 'L', 'N', 'E', 'T', '\x1a', '\r', '\n'};
constexpr std::uint32_t byte_order_mark = 0x01020304;
constexpr std::uint32_t format_version = 1;
constexpr std::size_t header_bytes = 64, alignment = 64;

struct header {
  std::array<char, 8> magic;
  std::uint32_t byte_order, version;
  std::uint64_t file_size, checksum;
  std::uint32_t section_count, header_size;
  std::array<std::uint8_t, 24> reserved;
};
static_assert(sizeof(header) == header_bytes);

/// What a section holds. Placement trees take three kinds each, from `tree_base` on.
enum section_kind : std::uint32_t {
  info = 1,       // network_info
  source,         // bytes: the name messages use
  id_arena,       // bytes
  id_offsets,     // u64 x (members + 1)
  id_slots,       // 16 bytes x capacity
  rows,           // u32 x members: member -> row
  members_at_row, // u32 x members
  parents,        // u32 x members
  ends,           // u32 x members
  placement_parents, positions, joined,  // x members, or absent
  line_jumps,     // (u64 row, u64 line) pairs
  statuses,       // member_status bytes x members, or absent (everyone active)
  tree_base = 64, // + 3i: tree_info, nodes, index of tree i
};

struct section_entry {
  std::uint32_t kind, element_size;
  std::uint64_t offset, count;
};
static_assert(sizeof(section_entry) == 24);

struct network_info {
  std::uint64_t members, slot_mask, line_rows, line_expected;
  std::uint32_t rows_are_lines, has_joined, has_placement, trees;
};

struct line_jump {
  std::uint64_t row, line;
};

struct tree_info {
  std::uint32_t binary, width, rule, reserved;
};

/// A 64-bit checksum of a byte string: four multiply-xorshift lanes over 8-byte words
/// (several GB/s), the tail zero-padded, the length mixed in.
std::uint64_t checksum(const unsigned char* p, std::size_t n) {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
  std::uint64_t lane[4] = {k, k ^ 1, k ^ 2, k ^ 3};
  auto mix = [](std::uint64_t h, std::uint64_t w) {
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 29);
  };
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int l = 0; l < 4; ++l) {
      std::uint64_t w;
      std::memcpy(&w, p + i + 8 * l, 8);
      lane[l] = mix(lane[l], w);
    }
  for (int l = 0; i < n; ++l, i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, std::min<std::size_t>(8, n - i));
    lane[l] = mix(lane[l], w);
  }
  std::uint64_t h = n;
  for (std::uint64_t x : lane) h = mix(h * k, x);
  return h;
}

/// A read-only mapping of a whole file.
class mapped_file {
 public:
  explicit mapped_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw input_error(fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)), errc::io);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      throw input_error(fmt::format("{}: not a regular file", path.string()), errc::io);
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        throw input_error(fmt::format("{}: cannot map: {}", path.string(), std::strerror(errno)), errc::io);
      }
      data_ = static_cast<const unsigned char*>(p);
      ::madvise(p, size_, MADV_SEQUENTIAL);
    }
    ::close(fd);
  }
  ~mapped_file() {
    if (data_) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  const unsigned char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

/// Lays sections out after the header and the section table, 64-byte aligned.
class file_builder {
 public:
  template <class T>
  void add(std::uint32_t kind, const T* data, std::size_t count) {
    static_assert(std::is_trivially_copyable_v<T>);
    parts_.push_back({kind, static_cast<std::uint32_t>(sizeof(T)), reinterpret_cast<const char*>(data), count});
  }
  template <class T>
  void add(std::uint32_t kind, const std::vector<T>& v) {
    add(kind, v.data(), v.size());
  }
  void add_bytes(std::uint32_t kind, std::string_view s) { add(kind, s.data(), s.size()); }

  void write(const std::filesystem::path& path) const {
    output_file out(path);
    std::string& bytes = out.buffer();
    std::size_t offset = header_bytes + parts_.size() * sizeof(section_entry);
    std::vector<section_entry> table;
    for (const part& p : parts_) {
      offset = (offset + alignment - 1) / alignment * alignment;
      table.push_back({p.kind, p.element_size, offset, p.count});
      offset += p.element_size * p.count;
    }
    bytes.assign(offset, '\0');
    std::memcpy(bytes.data() + header_bytes, table.data(), table.size() * sizeof(section_entry));
    for (std::size_t i = 0; i < parts_.size(); ++i)
      if (parts_[i].count) std::memcpy(bytes.data() + table[i].offset, parts_[i].data, parts_[i].element_size * parts_[i].count);
    header h{magic, byte_order_mark, format_version, offset, 0, static_cast<std::uint32_t>(parts_.size()),
             static_cast<std::uint32_t>(header_bytes), {}};
    h.checksum = checksum(reinterpret_cast<const unsigned char*>(bytes.data()) + header_bytes, offset - header_bytes);
    std::memcpy(bytes.data(), &h, sizeof h);
    out.commit();
  }

 private:
  struct part {
    std::uint32_t kind, element_size;
    const char* data;
    std::size_t count;
  };
  std::vector<part> parts_;
};

}  // namespace

/// Reads and writes the private parts of a network (and what it holds) for the file format.
struct network_file_access {
  [[noreturn]] static void corrupt(const std::filesystem::path& path, std::string_view what) {
    throw input_error(fmt::format("{}: corrupted compiled network: {}", path.string(), what));
  }

  static void write(const network& net, const std::filesystem::path& path, const network_layout* layout) {
    if (layout && !layout->belongs_to(net))
      throw error(errc::usage, fmt::format("{}: the network layout to save was built for another network {}",
                                           path.string(), quote_value(net.source())));
    std::vector<const network_layout::entry*> trees;
    if (layout)
      for (const network_layout::entry& e : layout->trees_) trees.push_back(&e);
    std::vector<line_jump> jumps;
    for (auto [row, line] : net.lines_.jumps_) jumps.push_back({row, line});
    const network_info ni{net.size(), net.ids_.mask_, net.lines_.size_, net.lines_.expected_,
                          net.rows_are_lines_, net.has_joined_, net.has_placement_,
                          static_cast<std::uint32_t>(trees.size())};
    std::vector<tree_info> tis;
    for (const network_layout::entry* e : trees)
      tis.push_back({e->options.binary, e->options.width, static_cast<std::uint32_t>(e->options.rule), 0});

    file_builder f;
    f.add(info, &ni, 1);
    f.add_bytes(source, net.source_);
    f.add_bytes(id_arena, net.ids_.arena_);
    f.add(id_offsets, net.ids_.offsets_);
    f.add(id_slots, net.ids_.slots_.data(), net.ids_.slots_.size());
    f.add(rows, net.row_);
    f.add(members_at_row, net.member_at_row_);
    f.add(parents, net.parent_);
    f.add(ends, net.end_);
    f.add(placement_parents, net.placement_parent_);
    f.add(positions, net.position_);
    f.add(joined, net.joined_);
    f.add(line_jumps, jumps);
    f.add(statuses, net.status_);
    for (std::size_t i = 0; i < trees.size(); ++i) {
      const std::uint32_t kind = tree_base + 3 * static_cast<std::uint32_t>(i);
      f.add(kind, &tis[i], 1);
      f.add(kind + 1, trees[i]->tree->node_.data(), trees[i]->tree->node_.size());
      f.add(kind + 2, trees[i]->tree->index_.data(), trees[i]->tree->index_.size());
    }
    f.write(path);
  }

  /// The sections of a mapped file whose header, size and checksum were checked.
  class sections {
   public:
    sections(const std::filesystem::path& path, const mapped_file& file) : path_(path), file_(file) {
      header h;
      std::memcpy(&h, file.data(), sizeof h);
      const std::size_t table_end = header_bytes + std::size_t{h.section_count} * sizeof(section_entry);
      if (h.section_count > 4096 || table_end > file.size()) corrupt(path, "section table out of bounds");
      entries_.resize(h.section_count);
      std::memcpy(entries_.data(), file.data() + header_bytes, entries_.size() * sizeof(section_entry));
      for (const section_entry& e : entries_)
        if (e.element_size == 0 || e.offset % alignment != 0 || e.offset > file.size() ||
            e.count > (file.size() - e.offset) / e.element_size)
          corrupt(path, fmt::format("section {} out of bounds", e.kind));
    }

    /// Section `kind` as `count` elements of T (any count when `count` is `any`); absent
    /// sections are empty unless required.
    template <class T>
    std::span<const T> get(std::uint32_t kind, std::uint64_t count = any, bool required = true) const {
      for (const section_entry& e : entries_)
        if (e.kind == kind) {
          if (e.element_size != sizeof(T)) corrupt(path_, fmt::format("section {} has elements of {} bytes", kind, e.element_size));
          if (count != any && e.count != count && !(e.count == 0 && !required))
            corrupt(path_, fmt::format("section {} holds {} elements, expected {}", kind, e.count, count));
          return {reinterpret_cast<const T*>(file_.data() + e.offset), static_cast<std::size_t>(e.count)};
        }
      if (required) corrupt(path_, fmt::format("section {} missing", kind));
      return {};
    }
    static constexpr std::uint64_t any = ~std::uint64_t{0};

   private:
    const std::filesystem::path& path_;
    const mapped_file& file_;
    std::vector<section_entry> entries_;
  };

  template <class T, class V>
  static void copy_into(std::span<const T> from, V& to) {
    to.resize(from.size());
    if (!from.empty()) std::memcpy(to.data(), from.data(), from.size_bytes());
  }

  static loaded_network read(const std::filesystem::path& path) {
    const mapped_file file(path);
    check_header(path, file);
    const sections s(path, file);
    const network_info ni = s.get<network_info>(info, 1)[0];
    const std::uint64_t n = ni.members;
    if (n == 0 || n >= none) corrupt(path, "member count");

    network net;
    const auto src = s.get<char>(source);
    net.source_.assign(src.data(), src.size());
    net.rows_are_lines_ = ni.rows_are_lines;
    net.has_joined_ = ni.has_joined;
    net.has_placement_ = ni.has_placement;
    copy_into(s.get<std::uint32_t>(rows, n), net.row_);
    copy_into(s.get<std::uint32_t>(members_at_row, n), net.member_at_row_);
    copy_into(s.get<std::uint32_t>(parents, n), net.parent_);
    copy_into(s.get<std::uint32_t>(ends, n), net.end_);
    copy_into(s.get<std::uint32_t>(placement_parents, n, false), net.placement_parent_);
    copy_into(s.get<std::int32_t>(positions, n, false), net.position_);
    copy_into(s.get<date_t>(joined, n, false), net.joined_);
    copy_into(s.get<member_status>(statuses, n, false), net.status_);
    read_ids(path, s, ni, net.ids_);
    for (const line_jump& j : s.get<line_jump>(line_jumps)) net.lines_.jumps_.emplace_back(j.row, j.line);
    net.lines_.size_ = ni.line_rows;
    net.lines_.expected_ = ni.line_expected;
    check_network(path, net);
    network_layout layout;
    layout.network_ = net.identity();
    layout.members_ = net.size();
    for (std::uint32_t i = 0; i < ni.trees; ++i) layout.trees_.push_back(read_tree(path, s, net, tree_base + 3 * i));
    return {std::move(net), std::move(layout)};
  }

  static void check_header(const std::filesystem::path& path, const mapped_file& file) {
    header h{};
    if (file.size() < sizeof h || std::memcmp(file.data(), magic.data(), magic.size()) != 0) {
      if (file.size() >= magic.size() && std::memcmp(file.data(), magic.data(), magic.size()) == 0)
        throw input_error(fmt::format("{}: truncated compiled network: {} bytes, shorter than its header",
                                      path.string(), file.size()));
      throw input_error(fmt::format("{}: not a compiled network (no DLNET header)", path.string()));
    }
    std::memcpy(&h, file.data(), sizeof h);
    if (h.byte_order != byte_order_mark)
      throw input_error(fmt::format("{}: compiled network of the other byte order (written on a big-endian machine)",
                                    path.string()));
    if (h.version != format_version)
      throw input_error(fmt::format("{}: compiled network format version {}, this downline reads version {}: "
                                    "compile the network again",
                                    path.string(), h.version, format_version));
    if (h.file_size > file.size())
      throw input_error(fmt::format("{}: truncated compiled network: {} bytes, the header says {}", path.string(),
                                    file.size(), h.file_size));
    if (h.file_size != file.size() || h.header_size != header_bytes)
      corrupt(path, fmt::format("{} bytes, the header says {}", file.size(), h.file_size));
    if (checksum(file.data() + header_bytes, file.size() - header_bytes) != h.checksum)
      corrupt(path, "checksum mismatch");
  }

  static void read_ids(const std::filesystem::path& path, const sections& s, const network_info& ni,
                       detail::id_map& ids) {
    const std::uint64_t n = ni.members;
    const auto arena = s.get<char>(id_arena);
    const auto offsets = s.get<std::uint64_t>(id_offsets, n + 1);
    const std::uint64_t capacity = ni.slot_mask + 1;
    if (capacity < n || (capacity & ni.slot_mask) != 0) corrupt(path, "id table size");
    const auto slots = s.get<detail::id_map::slot>(id_slots, capacity);
    if (offsets[0] != 0 || offsets[n] != arena.size()) corrupt(path, "id offsets");
    for (std::uint64_t i = 0; i < n; ++i)
      if (offsets[i + 1] < offsets[i] || offsets[i + 1] - offsets[i] > 64 || offsets[i + 1] == offsets[i])
        corrupt(path, fmt::format("id {} offsets", i));
    std::uint64_t used = 0;
    for (const auto& e : slots) {
      if (e.index == none) continue;
      ++used;
      if (e.index >= n) corrupt(path, "id table index");
      if (e.hi >> 24 == detail::id_map::long_key >> 24) {  // a long key: its arena range must be inside
        const std::uint64_t offset = e.lo & ((std::uint64_t{1} << 56) - 1), length = e.lo >> 56;
        if (offset > arena.size() || length > arena.size() - offset) corrupt(path, "id table key");
      }
    }
    if (used != n) corrupt(path, "id table entries");
    ids.arena_.assign(arena.data(), arena.size());
    copy_into(offsets, ids.offsets_);
    ids.slots_ = detail::huge_buffer<detail::id_map::slot>(capacity, false);
    std::memcpy(ids.slots_.data(), slots.data(), slots.size_bytes());
    ids.mask_ = ni.slot_mask;
  }

  /// The invariants the engine relies on: preorder numbering, rows a permutation, references
  /// inside the network. O(members).
  static void check_network(const std::filesystem::path& path, const network& net) {
    const std::uint32_t n = net.size();
    constexpr std::uint32_t ahead = 16;  // rows are in random order: fetch member_at_row_ early
    for (std::uint32_t m = 0; m < n; ++m) {
      if (m + ahead < n && net.row_[m + ahead] < n) __builtin_prefetch(&net.member_at_row_[net.row_[m + ahead]]);
      const std::uint32_t p = net.parent_[m];
      if (net.end_[m] <= m || net.end_[m] > n || (p != none && (p >= m || net.end_[m] > net.end_[p])) ||
          net.row_[m] >= n || net.member_at_row_[net.row_[m]] != m)
        corrupt(path, fmt::format("member {} numbering", m));
      if (!net.placement_parent_.empty() && net.placement_parent_[m] != none && net.placement_parent_[m] >= n)
        corrupt(path, fmt::format("member {} placement parent", m));
      if (!net.status_.empty() && static_cast<unsigned>(net.status_[m]) > static_cast<unsigned>(member_status::terminated))
        corrupt(path, fmt::format("member {} status", m));
    }
    if (net.has_placement_ && (net.placement_parent_.empty() || net.position_.empty()))
      corrupt(path, "placement sections missing");
    if (!std::is_sorted(net.lines_.jumps_.begin(), net.lines_.jumps_.end())) corrupt(path, "line numbers");
  }

  static network_layout::entry read_tree(const std::filesystem::path& path, const sections& s, const network& net,
                                         std::uint32_t kind) {
    const std::uint32_t n = net.size();
    const tree_info ti = s.get<tree_info>(kind, 1)[0];
    placement_options options{ti.binary != 0, ti.width, static_cast<placement_rule>(ti.rule)};
    if (ti.rule > static_cast<std::uint32_t>(placement_rule::outer_right) || options.width < placement_options::min_width ||
        options.width > placement_options::max_width || (options.binary && options.width != 2))
      corrupt(path, "placement tree options");
    const auto nodes = s.get<placement_tree::node>(kind + 1, n);
    const auto index = s.get<std::uint32_t>(kind + 2, n);
    for (std::uint32_t p = 0; p < n; ++p) {
      const placement_tree::node& x = nodes[p];
      if (x.member >= n || index[x.member] != p || x.end <= p || x.end > n || x.slot >= options.width ||
          (x.parent != none && (x.parent >= p || x.end > nodes[x.parent].end)))
        corrupt(path, fmt::format("placement tree node {}", p));
    }
    auto tree = std::make_shared<placement_tree>();
    tree->binary_ = options.binary;
    tree->width_ = options.width;
    tree->node_ = detail::huge_buffer<placement_tree::node>(n, false);
    tree->index_ = detail::huge_buffer<std::uint32_t>(n, false);
    std::memcpy(tree->node_.data(), nodes.data(), nodes.size_bytes());
    std::memcpy(tree->index_.data(), index.data(), index.size_bytes());
    return {options, std::move(tree)};
  }
};

void write_compiled_network(const network& net, const std::filesystem::path& path, const network_layout* layout) {
  network_file_access::write(net, path, layout);
}

bool is_compiled_network(const std::filesystem::path& path) {
  // Only a regular file is sniffed: reading from a pipe would take bytes the CSV reader needs.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  std::array<char, 8> head{};
  return in.read(head.data(), head.size()) && head == magic;
}

loaded_network read_compiled_network(const std::filesystem::path& path) { return network_file_access::read(path); }

loaded_network load_network(const std::filesystem::path& path) {
  if (is_compiled_network(path)) return read_compiled_network(path);
  network net = network::from_csv(path);
  network_layout layout = network_layout::build(net, std::vector<placement_options>{});
  return {std::move(net), std::move(layout)};
}

network network::load(const std::filesystem::path& path) { return std::move(load_network(path).net); }

DOWNLINE_END_NAMESPACE
