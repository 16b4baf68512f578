// SPDX-License-Identifier: MIT
// Member id -> dense index: open addressing over ids kept in one arena.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "downline/detail/huge_buffer.hpp"
#include "downline/detail/parallel.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE
struct network_file_access;
namespace detail {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "id keys are built from little-endian loads");

/// The n ≤ 8 bytes at p as a little-endian word, zero above them, read with fixed-size loads
/// only. (A variable-length memcpy into a word is stored byte-wise and then reloaded: the
/// reload cannot be forwarded from the stores, waits for them to retire, and so waits for
/// every cache miss before it — which serialised bulk lookups that should overlap.)
inline std::uint64_t load_bytes(const char* p, std::size_t n) noexcept {
  if (n >= 4) {  // two overlapping 4-byte loads; the shared bytes land on the same place
    std::uint32_t first, last;
    std::memcpy(&first, p, 4);
    std::memcpy(&last, p + n - 4, 4);
    return first | std::uint64_t{last} << (8 * (n - 4));
  }
  if (n == 0) return 0;
  const auto byte = [&](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i); };
  return byte(0) | byte(n / 2) | byte(n - 1);
}

/// 64-bit multiply-xorshift finaliser.
inline std::uint64_t mix_word(std::uint64_t h) noexcept {
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

/// 64-bit hash of a short byte string: 8-byte words through a multiply-xorshift mix.
inline std::uint64_t hash_id(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = mix_word((h ^ w) * 0x94D049BB133111EBull);
  }
  return mix_word((h ^ load_bytes(s.data() + i, s.size() - i)) * 0x94D049BB133111EBull);
}

/**
 * Ids in insertion order (`id(i)`) with lookup by text. Ids are copied into one arena; a
 * 16-byte slot holds an id of up to 11 bytes inline with its length (else its arena offset
 * and length with 24 hash bits), so a lookup of a short id touches one cache line and the
 * table stays small (10M ids: 268 MB). Load factor ≤ 2/3; slots on huge pages. Callers that
 * look up many keys use find_each, which hashes and prefetches a few keys ahead.
 *
 *     id_map ids;
 *     ids.append("A"); ids.append("B");
 *     ids.build_index();      // O(n)
 *     ids.find("B");          // 1
 */
class id_map {
 public:
  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(offsets_.size() - 1); }
  std::string_view id(std::uint32_t i) const noexcept {
    return {arena_.data() + offsets_[i], static_cast<std::size_t>(offsets_[i + 1] - offsets_[i])};
  }

  void reserve(std::size_t n, std::size_t bytes) {
    offsets_.reserve(n + 1);
    arena_.reserve(bytes);
  }

  /// Adds `key` as index size(), not yet findable: build_index() indexes every key at once.
  void append(std::string_view key) {
    arena_.append(key);
    offsets_.push_back(arena_.size());
  }

  /// Indexes every appended key, prefetching a few keys ahead so the cache misses overlap.
  /// Returns {first, second} for the first key (in index order) seen twice, else {none, none}.
  std::pair<std::uint32_t, std::uint32_t> build_index() {
    const std::uint32_t n = size();
    std::size_t capacity = 16;
    while (capacity * 2 < std::size_t{n} * 3) capacity *= 2;  // load factor ≤ 2/3
    slots_ = huge_buffer<slot>(capacity, slot{0, 0, none});
    mask_ = capacity - 1;
    std::pair<std::uint32_t, std::uint32_t> duplicate{none, none};
    for_each_hashed(0, n, [&](std::size_t i) { return id(static_cast<std::uint32_t>(i)); },
                    [&](std::size_t i, std::string_view key, std::uint64_t h) {
                      const slot probe = probe_of(key, h);
                      for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
                        slot& e = slots_[s];
                        if (e.index == none) {
                          e = probe;
                          if (key.size() > inline_bytes) e.lo |= offsets_[i];
                          e.index = static_cast<std::uint32_t>(i);
                          return true;
                        }
                        if (matches(e, probe, key)) {
                          duplicate = {e.index, static_cast<std::uint32_t>(i)};
                          return false;
                        }
                      }
                    });
    return duplicate;
  }

  /// The key's index, or `none`. `h` must be hash_id(key).
  std::uint32_t find(std::string_view key, std::uint64_t h) const noexcept {
    if (slots_.empty()) return none;
    const slot probe = probe_of(key, h);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      const slot& e = slots_[s];
      if (e.index == none) return none;
      if (matches(e, probe, key)) return e.index;
    }
  }
  std::uint32_t find(std::string_view key) const noexcept { return find(key, hash_id(key)); }

  /// Looks up key(i) for each i in [begin, end), in order, and calls found(i, index, key(i))
  /// with its index or `none`; stops early when found returns false. key is called once per i, in
  /// increasing order, a few keys ahead: each key is hashed once and its slot prefetched
  /// then, so consecutive cache misses overlap.
  template <class Key, class Found>
  void find_each(std::size_t begin, std::size_t end, Key&& key, Found&& found) const {
    for_each_hashed(begin, end, key, [&](std::size_t i, std::string_view k, std::uint64_t h) {
      return found(i, find(k, h), k);
    });
  }

  /// Makes find() return to[i] for the key inserted as index i (id(i) is unchanged), so a
  /// lookup gives a caller's own numbering without a second random access. O(slots).
  void renumber(const std::vector<std::uint32_t>& to) {
    parallel_for(slots_.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
      for (std::size_t s = begin; s < end; ++s)
        if (slots_[s].index != none) slots_[s].index = to[slots_[s].index];
    });
  }

 private:
  friend struct downline::network_file_access;  // saves and maps the table as it is
  /// Hints the cache about a coming find with this hash (find_each does it for its callers).
  void prefetch(std::uint64_t h) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & mask_]);
  }

  /// Calls f(i, key(i), hash_id(key(i))) for i in [begin, end) while f returns true. key is
  /// called once per i, in increasing order (so it may be a cursor), `ahead` keys early,
  /// when the key is hashed and its slot prefetched; views and hashes wait in a ring.
  template <class Key, class F>
  void for_each_hashed(std::size_t begin, std::size_t end, Key&& key, F&& f) const {
    constexpr std::size_t ahead = 16;
    std::string_view keys[ahead];
    std::uint64_t hashes[ahead];
    auto load = [&](std::size_t i) {
      const std::size_t k = i % ahead;
      keys[k] = key(i);
      hashes[k] = hash_id(keys[k]);
      prefetch(hashes[k]);
    };
    for (std::size_t i = begin; i < end && i < begin + ahead; ++i) load(i);
    for (std::size_t i = begin; i < end; ++i) {
      const std::string_view k = keys[i % ahead];  // read before i + ahead takes its place
      const std::uint64_t h = hashes[i % ahead];
      if (i + ahead < end) load(i + ahead);
      if (!f(i, k, h)) return;
    }
  }

  static constexpr std::size_t inline_bytes = 11;
  static constexpr std::uint32_t long_key = 0xFFu << 24;  // in `hi`: the key is in the arena
  /// A short key: its bytes in lo and the low 3 bytes of hi, its length in hi's top byte.
  /// A long key: lo = length << 56 | arena offset, hi = long_key | 24 hash bits.
  struct slot {
    std::uint64_t lo;
    std::uint32_t hi;
    std::uint32_t index;  // none: empty
  };
  static_assert(sizeof(slot) == 16);

  /// What a slot holding `key` has in lo and hi (a long key's arena offset left out).
  static slot probe_of(std::string_view key, std::uint64_t h) noexcept {
    slot p{0, 0, none};
    if (key.size() <= inline_bytes) {
      p.lo = load_bytes(key.data(), std::min<std::size_t>(key.size(), 8));
      p.hi = static_cast<std::uint32_t>(key.size() > 8 ? load_bytes(key.data() + 8, key.size() - 8) : 0) |
             static_cast<std::uint32_t>(key.size()) << 24;
    } else {
      p.lo = std::uint64_t{key.size()} << 56;
      p.hi = long_key | static_cast<std::uint32_t>(h >> 40);
    }
    return p;
  }
  bool matches(const slot& e, const slot& probe, std::string_view key) const noexcept {
    if (e.hi != probe.hi) return false;
    if (key.size() <= inline_bytes) return e.lo == probe.lo;
    return (e.lo >> 56) == key.size() &&
           std::memcmp(arena_.data() + (e.lo & ((std::uint64_t{1} << 56) - 1)), key.data(), key.size()) == 0;
  }

  std::string arena_;
  std::vector<std::uint64_t> offsets_{0};
  huge_buffer<slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace detail
DOWNLINE_END_NAMESPACE
