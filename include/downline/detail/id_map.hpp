// SPDX-License-Identifier: MIT
// Member id -> dense index: open addressing over ids kept in one arena.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "downline/detail/huge_buffer.hpp"
#include "downline/types.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/// 64-bit hash of a short byte string: 8-byte words through a multiply-xorshift mix.
inline std::uint64_t hash_id(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0x94D049BB133111EBull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

/**
 * Ids in insertion order (`id(i)`) with lookup by text. Ids are copied into one arena; a
 * 16-byte slot holds an id of up to 11 bytes inline with its length (else its arena offset
 * and length with 24 hash bits), so a lookup of a short id touches one cache line and the
 * table stays small (10M ids: 268 MB). Load factor ≤ 2/3; slots on huge pages. Callers that
 * look up many keys prefetch(hash) a few keys ahead.
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
    constexpr std::uint32_t ahead = 16;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (i + ahead < n) prefetch(hash_id(id(i + ahead)));
      const std::string_view key = id(i);
      const std::uint64_t h = hash_id(key);
      const slot probe = probe_of(key, h);
      for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
        slot& e = slots_[s];
        if (e.index == none) {
          e = probe;
          if (key.size() > inline_bytes) e.lo |= offsets_[i];
          e.index = i;
          break;
        }
        if (matches(e, probe, key)) return {e.index, i};
      }
    }
    return {none, none};
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

  /// Makes find() return to[i] for the key inserted as index i (id(i) is unchanged), so a
  /// lookup gives a caller's own numbering without a second random access. O(slots).
  void renumber(const std::vector<std::uint32_t>& to) {
    for (std::size_t s = 0; s < slots_.size(); ++s)
      if (slots_[s].index != none) slots_[s].index = to[slots_[s].index];
  }

  /// Hints the cache about a coming find with this hash.
  void prefetch(std::uint64_t h) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & mask_]);
  }

 private:
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
      unsigned char bytes[12] = {};
      std::memcpy(bytes, key.data(), key.size());
      std::memcpy(&p.lo, bytes, 8);
      p.hi = bytes[8] | std::uint32_t{bytes[9]} << 8 | std::uint32_t{bytes[10]} << 16 |
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
