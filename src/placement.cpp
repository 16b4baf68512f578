// SPDX-License-Identifier: MIT
#include "downline/placement.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "downline/detail/huge_buffer.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/error.hpp"

DOWNLINE_BEGIN_NAMESPACE

// The work is done in network-file row space (the SPEC's placement rules speak of rows). On
// large networks the cost is memory latency, not arithmetic: every pass below is a loop whose
// random accesses do not depend on each other, or are known ahead and prefetched, and the
// tables they hit are on huge pages.

namespace {

constexpr std::uint32_t ahead = 16;  // prefetch distance, in loop iterations

/// Arrays read or written at random go on huge pages: with 4 KiB pages nearly every access
/// to a 40 MB table misses the TLB, and page walks cost more than the cache misses.
template <class T>
using big = detail::huge_buffer<T>;

/// The network's row numbering, copied (sequentially) onto huge pages for the random
/// reads; parents and subtree ends are only read in order.
struct rows_view {
  big<std::uint32_t> row, member_at_row;
  const std::vector<member_index>& parent;
  const std::vector<member_index>& end;
  explicit rows_view(const network& net)
      : row(net.size(), false), member_at_row(net.size(), false), parent(net.parents()), end(net.subtree_ends()) {
    detail::parallel_for(net.size(), [&](std::size_t, std::size_t first, std::size_t last) {
      for (auto m = static_cast<member_index>(first); m < last; ++m) {
        row[m] = net.row(m);
        member_at_row[m] = net.member_at_row(m);
      }
    });
  }
};

std::string position_text(position_t pos) {
  if (pos == position_left) return "L";
  if (pos == position_right) return "R";
  return std::to_string(pos);
}

/// The sponsor's row of every row (`none` for a root). O(n), independent random accesses.
big<std::uint32_t> sponsor_rows(const rows_view& v) {
  const auto n = static_cast<std::uint32_t>(v.row.size());
  big<std::uint32_t> sponsor(n, false);
  detail::parallel_for(n, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (auto m = static_cast<member_index>(begin); m < end; ++m)
      sponsor[v.row[m]] = v.parent[m] == none ? none : v.row[v.parent[m]];
  });
  return sponsor;
}

/// A row in enrolment order with a value of the caller's (the sponsor's row).
struct recruit {
  std::uint32_t row, sponsor;
};

/**
 * The rows in enrolment order (SPEC §2). The scan the SPEC describes — file order, a row
 * waiting until its sponsor is taken, waiting rows released earliest first — has a closed
 * form: give each row the nearest ancestor (up the sponsor chain) listed later in the file,
 * its "holder" (the row it waits for last); the scan takes rows in the preorder of the holder
 * forest, roots and children in row order. (A row waits exactly until its holder is taken;
 * then it and the rows it holds are taken before the scan moves on, smaller rows first.)
 *
 * Holders come from one pass over the sponsor preorder with the chain of "later-listed"
 * ancestors of the current path as a stack (rows decreasing upward), searched by bisection
 * and restored when a subtree ends. Subtree sizes (rows ascending: a holder is listed later
 * than what it holds) and positions (rows descending) are sweeps whose random accesses do
 * not depend on each other. O(n log depth) time, O(n) memory, no recursion.
 *
 * keep(r) says whether row r is wanted in the result and tag(r) gives its value; both are
 * called in row order, so what they read is read sequentially.
 */
template <class Keep, class Tag>
std::vector<recruit> enrolment_rows(const rows_view& v, Keep&& keep, Tag&& tag) {
  const auto n = static_cast<std::uint32_t>(v.row.size());
  big<std::uint32_t> holder(n, false);  // by row: the holder's row, or none
  {
    std::vector<std::uint32_t> chain;  // rows of the current path's later-listed ancestors
    struct open {
      member_index end;
      std::uint32_t index, saved;  // chain[index] before this member overwrote it
    };
    std::vector<open> path;
    for (member_index m = 0; m < n; ++m) {
      while (!path.empty() && path.back().end <= m) {
        chain[path.back().index] = path.back().saved;
        path.pop_back();
      }
      const std::uint32_t len = path.empty() ? 0 : path.back().index + 1;
      const std::uint32_t r = v.row[m];
      // chain[0, len) is decreasing: the holder is the last entry above r.
      const auto k = static_cast<std::uint32_t>(
          std::partition_point(chain.begin(), chain.begin() + len, [r](std::uint32_t x) { return x > r; }) -
          chain.begin());
      holder[r] = k == 0 ? none : chain[k - 1];
      if (k == chain.size()) chain.push_back(none);
      path.push_back({v.end[m], k, chain[k]});
      chain[k] = r;
    }
  }
  big<std::uint32_t> size(n, 1u), pos(n, false);
  for (std::uint32_t r = 0; r < n; ++r)
    if (holder[r] != none) size[holder[r]] += size[r];
  std::uint32_t roots_end = n;
  for (std::uint32_t r = n; r-- > 0;) {
    std::uint32_t& end = holder[r] == none ? roots_end : size[holder[r]];  // the holder's free end
    pos[r] = end - size[r];
    end = pos[r];
    size[r] += pos[r];  // from now on: where r's own subtree ends
  }
  big<recruit> order(n, recruit{none, none});
  for (std::uint32_t r = 0; r < n; ++r)
    if (keep(r)) order[pos[r]] = {r, tag(r)};
  std::vector<recruit> kept;
  for (std::uint32_t i = 0; i < n; ++i)
    if (order[i].row != none) kept.push_back(order[i]);
  return kept;
}

/// Child slots by row: `width` per row, dense for narrow trees (on huge pages: they are read
/// at random); for a wide matrix a block of `width` slots only for a row that gets a child.
/// Which slots are taken is kept apart, one byte a row for narrow trees (a bit per slot): the
/// breadth-first search asks it of many rows and only writes the slots of one, the small table
/// stays in cache far better than the slots, and a slot is then written without being read.
class slot_table {
 public:
  slot_table(std::uint32_t n, std::uint32_t width) : width_(width), dense_(width <= 4) {
    if (dense_) {
      dense_slots_ = big<std::uint32_t>(std::size_t{n} * width, none);
      taken_ = big<std::uint8_t>(n);
    } else {
      block_ = big<std::uint32_t>(n, none);
      next_free_ = big<std::uint16_t>(n);
    }
  }
  /// The child of v at slot s, or none.
  std::uint32_t at(std::uint32_t v, std::uint32_t s) const noexcept {
    if (dense_) return dense_slots_[std::size_t{v} * width_ + s];
    return block_[v] == none ? none : pool_[std::size_t{block_[v]} * width_ + s];
  }
  /// v's first free slot, or width when v is full.
  std::uint32_t first_free(std::uint32_t v) const noexcept {
    if (!dense_) return next_free_[v];
    // The lowest clear bit, or width when the low `width` bits are all set.
    return std::min<std::uint32_t>(static_cast<std::uint32_t>(__builtin_ctz(~static_cast<unsigned>(taken_[v]))), width_);
  }
  void set(std::uint32_t v, std::uint32_t s, std::uint32_t c) {
    if (dense_) {
      dense_slots_[std::size_t{v} * width_ + s] = c;
      taken_[v] = static_cast<std::uint8_t>(taken_[v] | (1u << s));
      return;
    }
    if (block_[v] == none) {
      block_[v] = static_cast<std::uint32_t>(pool_.size() / width_);
      pool_.resize(pool_.size() + width_, none);
    }
    std::uint32_t* slots = &pool_[std::size_t{block_[v]} * width_];
    slots[s] = c;
    std::uint16_t& f = next_free_[v];
    while (f < width_ && slots[f] != none) ++f;
  }
  bool has_children(std::uint32_t v) const noexcept { return dense_ || block_[v] != none; }
  /// Prefetches what first_free(v) reads, and (for set) v's slots.
  void prefetch_free(std::uint32_t v) const noexcept {
    if (dense_) __builtin_prefetch(&taken_[v]);
    else __builtin_prefetch(&next_free_[v]);
  }
  void prefetch(std::uint32_t v) const noexcept {
    if (dense_) __builtin_prefetch(&dense_slots_[std::size_t{v} * width_]);
    else __builtin_prefetch(&block_[v]);
  }

 private:
  std::uint32_t width_;
  bool dense_;
  big<std::uint32_t> dense_slots_;
  big<std::uint8_t> taken_;       // dense: bit s set when slot s is taken
  big<std::uint32_t> block_;      // wide: v's block of slots, or none
  std::vector<std::uint32_t> pool_;  // wide: the blocks
  big<std::uint16_t> next_free_;  // wide: smallest free slot (width when full)
};

/// A sponsor's persistent breadth-first frontier: rows before `head` were full when passed.
struct frontier {
  std::vector<std::uint32_t> items;
  std::size_t head = 0;
};

class builder {
 public:
  builder(const network& net, const placement_options& options)
      : net_(net), options_(options), n_(net.size()), w_(options.width), kids_(n_, w_), rows_(net) {}

  /// The arrays of placement_tree, filled by run().
  big<placement_tree::node> out_node;
  big<std::uint32_t> out_index;

  void run() {
    sponsor_ = sponsor_rows(rows_);
    read_explicit();
    place_explicit();
    // Step 2 needs the automatic rows in enrolment order (and the roots, in file order).
    automatic_ = enrolment_rows(
        rows_, [&](std::uint32_t r) { return !is_explicit(r) && sponsor_[r] != none; },
        [&](std::uint32_t r) { return sponsor_[r]; });
    for (std::uint32_t r = 0; r < n_; ++r)
      if (!is_explicit(r) && sponsor_[r] == none) roots_.push_back(r);
    exp_parent_ = {};
    exp_pos_ = {};
    if (options_.rule == placement_rule::bfs || !options_.binary) place_breadth_first();
    else place_outer(options_.rule == placement_rule::outer_right ? 1 : 0);
    std::vector<recruit>().swap(automatic_);
    number();
  }

 private:
  [[noreturn]] void fail(std::uint32_t row, std::string_view what, std::string_view value) const {
    throw network_error(fmt::format("{}: {} {}", net_.where(net_.member_at_row(row)), what, quote_value(value)));
  }
  std::string_view id(std::uint32_t row) const { return net_.id_at_row(row); }
  bool is_explicit(std::uint32_t r) const noexcept { return !exp_parent_.empty() && exp_parent_[r] != none; }

  // The placement columns by row (an error for half a placement is raised in file order).
  void read_explicit() {
    if (!net_.has_placement()) return;
    exp_parent_ = big<std::uint32_t>(n_, none);
    exp_pos_ = big<position_t>(n_);  // zero: no_position
    detail::parallel_for(n_, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (auto m = static_cast<member_index>(begin); m < end; ++m) {
        const member_index pp = net_.placement_parent(m);
        const position_t pos = net_.position(m);
        if (pp == none && pos == no_position) continue;
        exp_parent_[rows_.row[m]] = pp == none ? half_placement : rows_.row[pp];
        exp_pos_[rows_.row[m]] = pos;
      }
    });
  }

  // Step 1: explicit placements in file order, so the first bad row is the one reported.
  void place_explicit() {
    if (exp_parent_.empty()) return;
    for (std::uint32_t r = 0; r < n_; ++r) {
      if (r + ahead < n_ && exp_parent_[r + ahead] < half_placement) kids_.prefetch(exp_parent_[r + ahead]);
      const std::uint32_t p = exp_parent_[r];
      if (p == none) continue;
      const position_t pos = exp_pos_[r];
      if (p == half_placement) fail(r, "position without a placement_id", position_text(pos));
      if (pos == no_position)
        fail(r, options_.binary ? "placement_id without a position (L or R)" : "placement_id without a position", id(p));
      std::uint32_t s = 0;
      if (options_.binary) {
        if (pos != position_left && pos != position_right) fail(r, "binary position must be L or R", position_text(pos));
        s = pos == position_left ? 0 : 1;
      } else {
        if (pos < 1) fail(r, fmt::format("matrix position must be a number 1..{}", w_), position_text(pos));
        if (static_cast<std::uint32_t>(pos) > w_) fail(r, fmt::format("matrix position outside 1..{}", w_), position_text(pos));
        s = static_cast<std::uint32_t>(pos - 1);
      }
      if (const std::uint32_t taken = kids_.at(p, s); taken != none)
        fail(r,
             fmt::format("position {} under placement parent {} taken twice (first by {} on {}); member",
                         quote_value(position_text(pos)), quote_value(id(p)), quote_value(id(taken)),
                         net_.where(net_.member_at_row(taken))),
             id(r));
      kids_.set(p, s, r);  // a cycle (r below itself) is found when numbering
    }
  }

  // bfs (and every matrix): the first free position of the sponsor's placement subtree,
  // breadth-first, slots in order. Most sponsors have a free slot themselves; the others keep
  // a frontier until their last recruit is placed. The loop knows its sponsors ahead: it
  // prefetches their slots and state, then the slots of their frontier's head.
  void place_breadth_first() {
    struct sponsor_state {
      std::uint32_t frontier = none;  // index into frontiers, or none
      std::uint32_t head = none;      // the frontier's first node (a copy, to prefetch its slots)
      std::uint32_t last = none;      // the sponsor's last recruit, an index into automatic_
    };
    const auto count = static_cast<std::uint32_t>(automatic_.size());
    big<sponsor_state> state(n_, sponsor_state{});
    for (std::uint32_t i = 0; i < count; ++i) state[automatic_[i].sponsor].last = i;
    std::vector<frontier> frontiers;
    std::vector<std::uint32_t> free_frontiers;
    for (std::uint32_t i = 0; i < count; ++i) {
      if (i + 2 * ahead < count) {
        kids_.prefetch_free(automatic_[i + 2 * ahead].sponsor);
        kids_.prefetch(automatic_[i + 2 * ahead].sponsor);
        __builtin_prefetch(&state[automatic_[i + 2 * ahead].sponsor]);
      }
      if (i + ahead < count) {  // the sponsor's slots and state are in cache by now
        const std::uint32_t later = automatic_[i + ahead].sponsor;
        if (kids_.first_free(later) == w_) {  // it will search below itself: from its frontier's head
          const std::uint32_t head = state[later].frontier != none ? state[later].head : kids_.at(later, 0);
          kids_.prefetch_free(head);
          kids_.prefetch(head);
        }
      }
      const std::uint32_t y = automatic_[i].row, s = automatic_[i].sponsor;
      std::uint32_t v = s, slot = kids_.first_free(s);
      if (slot == w_) {
        sponsor_state& st = state[s];
        if (st.frontier == none) {
          if (free_frontiers.empty()) {
            st.frontier = static_cast<std::uint32_t>(frontiers.size());
            frontiers.emplace_back();
          } else {
            st.frontier = free_frontiers.back();
            free_frontiers.pop_back();
          }
          push_children(frontiers[st.frontier], s);
        }
        frontier& q = frontiers[st.frontier];
        for (;;) {
          v = q.items[q.head];
          slot = kids_.first_free(v);
          if (slot < w_) break;
          ++q.head;  // full for good: positions are never freed
          push_children(q, v);
          if (q.head >= 4096 && 2 * q.head >= q.items.size()) {
            q.items.erase(q.items.begin(), q.items.begin() + static_cast<std::ptrdiff_t>(q.head));
            q.head = 0;
          }
        }
        st.head = v;
        if (st.last == i) {  // s recruits nobody else: release its frontier
          std::vector<std::uint32_t>().swap(q.items);
          q.head = 0;
          free_frontiers.push_back(st.frontier);
          st.frontier = none;
        }
      }
      kids_.set(v, slot, y);
    }
  }

  void push_children(frontier& q, std::uint32_t v) {
    for (std::uint32_t s = 0; s < w_; ++s) q.items.push_back(kids_.at(v, s));  // v is full
  }

  // outer_left / outer_right: the bottom of the sponsor's outermost line on `side`. jump[v]
  // points further down v's line (path compression; lines only grow at the bottom).
  void place_outer(std::uint32_t side) {
    big<std::uint32_t> jump(n_, false);
    for (std::uint32_t v = 0; v < n_; ++v) jump[v] = v;
    const auto count = static_cast<std::uint32_t>(automatic_.size());
    for (std::uint32_t i = 0; i < count; ++i) {
      if (i + ahead < count) {
        kids_.prefetch(automatic_[i + ahead].sponsor);
        __builtin_prefetch(&jump[automatic_[i + ahead].sponsor]);
      }
      const std::uint32_t s = automatic_[i].sponsor;
      std::uint32_t x = s;
      for (std::uint32_t steps = 0;; ++steps) {
        if (steps > n_) cycle_error(x);  // a line longer than the network loops: a cycle
        if (jump[x] != x) {
          x = jump[x];
          continue;
        }
        const std::uint32_t c = kids_.at(x, side);
        if (c == none) break;
        x = c;
      }
      const std::uint32_t bottom = x;
      for (x = s; x != bottom;) {
        const std::uint32_t next = jump[x] != x ? jump[x] : kids_.at(x, side);
        jump[x] = bottom;
        x = next;
      }
      kids_.set(bottom, side, automatic_[i].row);
    }
  }

  // Step 3: preorder numbering without recursion: a breadth-first pass from the roots (its
  // queue is known ahead, so the slots it reads are prefetched), subtree sizes by a reverse
  // sweep, then positions top-down: a node's children are contiguous in breadth-first order.
  void number() {
    big<std::uint32_t> bfs(n_, false), up(n_, false);  // row, and the parent's breadth-first index
    big<std::uint16_t> slot(n_);
    std::uint32_t tail = 0;
    for (std::uint32_t r : roots_) {
      bfs[tail] = r;
      up[tail++] = none;
    }
    for (std::uint32_t j = 0; j < tail; ++j) {
      if (j + ahead < tail) kids_.prefetch(bfs[j + ahead]);
      const std::uint32_t v = bfs[j];
      if (!kids_.has_children(v)) continue;
      for (std::uint32_t s = 0; s < w_; ++s)
        if (const std::uint32_t c = kids_.at(v, s); c != none) {
          bfs[tail] = c;
          up[tail] = j;
          slot[tail++] = static_cast<std::uint16_t>(s);
        }
    }
    if (tail != n_) {
      big<std::uint8_t> reached(n_);
      for (std::uint32_t j = 0; j < tail; ++j) reached[bfs[j]] = 1;
      std::uint32_t r = 0;
      while (reached[r]) ++r;
      cycle_error(r);
    }
    big<std::uint32_t> size(n_, 1u), pos(n_, false);
    for (std::uint32_t j = n_; j-- > 0;)
      if (up[j] != none) size[up[j]] += size[j];
    std::uint32_t next_root = 0, parent = none, cursor = 0;
    for (std::uint32_t j = 0; j < n_; ++j) {
      if (up[j] == none) {
        pos[j] = next_root;
        next_root += size[j];
      } else {
        if (up[j] != parent) {
          parent = up[j];
          cursor = pos[parent] + 1;
        }
        pos[j] = cursor;
        cursor += size[j];
      }
    }
    out_node = big<placement_tree::node>(n_, false);
    out_index = big<std::uint32_t>(n_, false);
    detail::parallel_for(n_, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (auto j = static_cast<std::uint32_t>(begin); j < end; ++j) {
        const std::uint32_t p = pos[j];
        const member_index m = rows_.member_at_row[bfs[j]];
        out_node[p] = {m, up[j] == none ? none : pos[up[j]], p + size[j], slot[j]};
        out_index[m] = p;
      }
    });
  }

  // `start` is not reachable from any root: above it is a cycle. Names the cycle's member with
  // the last row (the row that closed it), and its placement parent. Error path only: O(n w).
  [[noreturn]] void cycle_error(std::uint32_t start) const {
    std::vector<std::uint32_t> parent(n_, none);
    for (std::uint32_t v = 0; v < n_; ++v)
      if (kids_.has_children(v))
        for (std::uint32_t s = 0; s < w_; ++s)
          if (const std::uint32_t c = kids_.at(v, s); c != none) parent[c] = v;
    std::vector<std::uint8_t> seen(n_, 0);
    std::uint32_t x = start;
    while (!seen[x]) {
      seen[x] = 1;
      x = parent[x];
    }
    std::uint32_t last = x;
    for (std::uint32_t y = parent[x]; y != x; y = parent[y]) last = std::max(last, y);
    fail(last, fmt::format("placement cycle: placed below {}, which is placed below it; member", quote_value(id(parent[last]))),
         id(last));
  }

  static constexpr std::uint32_t half_placement = none - 1;  // a position without a placement_id

  const network& net_;
  placement_options options_;
  std::uint32_t n_, w_;
  slot_table kids_;
  rows_view rows_;
  big<std::uint32_t> sponsor_;     // by row
  big<std::uint32_t> exp_parent_;  // by row: explicit placement parent's row, or none
  big<position_t> exp_pos_;
  std::vector<std::uint32_t> roots_;       // rows without sponsor or placement, file order
  std::vector<recruit> automatic_;  // the other rows without placement, enrolment order
};

}  // namespace

placement_tree placement_tree::build(const network& net, const placement_options& options) {
  if (options.width < placement_options::min_width || options.width > placement_options::max_width ||
      (options.binary && options.width != 2))
    throw error(errc::usage, fmt::format("placement width must be 2 for binary and 2..{} for a matrix {}",
                                         placement_options::max_width, quote_value(std::to_string(options.width))));
  placement_tree t;
  t.binary_ = options.binary;
  t.width_ = options.width;
  {
    builder b(net, options);
    b.run();
    t.node_ = std::move(b.out_node);
    t.index_ = std::move(b.out_index);
  }
  return t;
}

std::uint32_t placement_tree::child(std::uint32_t p, std::uint32_t s) const noexcept {
  for (std::uint32_t c = p + 1; c < node_[p].end; c = node_[c].end)
    if (node_[c].slot == s) return c;
  return none;
}

position_t placement_tree::position(member_index m) const noexcept {
  const node& x = node_[index_[m]];
  if (x.parent == none) return no_position;
  if (binary_) return x.slot == 0 ? position_left : position_right;
  return static_cast<position_t>(x.slot + 1);
}

std::vector<std::uint32_t> placement_tree::parents() const {
  std::vector<std::uint32_t> out(size());
  for (std::uint32_t p = 0; p < size(); ++p) out[p] = node_[p].parent;
  return out;
}

std::vector<member_index> enrolment_order(const network& net) {
  std::vector<member_index> order;
  order.reserve(net.size());
  const rows_view v(net);
  for (const recruit& r : enrolment_rows(v, [](std::uint32_t) { return true; }, [](std::uint32_t) { return none; }))
    order.push_back(v.member_at_row[r.row]);
  return order;
}

DOWNLINE_END_NAMESPACE
