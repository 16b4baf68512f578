// SPDX-License-Identifier: MIT
// Member id -> dense index: open addressing over ids kept in one arena.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

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
 * Ids in insertion order (`id(i)`) with lookup by text. Ids are copied into one arena;
 * slots hold (index, 32 hash bits) so a probe rarely touches the arena. Load factor ≤ 1/2.
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
    if (n * 2 > slots_.size()) rehash(n * 2);
  }

  /// Adds `key` as index size(); returns the existing index instead when already present.
  std::uint32_t insert(std::string_view key) {
    if ((size() + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
    const std::uint64_t h = hash_id(key);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      slot& e = slots_[s];
      if (e.index == none) {
        e = {size(), tag};
        arena_.append(key);
        offsets_.push_back(arena_.size());
        return e.index;
      }
      if (e.tag == tag && id(e.index) == key) return e.index;
    }
  }

  /// The key's index, or `none`.
  std::uint32_t find(std::string_view key) const noexcept {
    if (slots_.empty()) return none;
    const std::uint64_t h = hash_id(key);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      const slot& e = slots_[s];
      if (e.index == none) return none;
      if (e.tag == tag && id(e.index) == key) return e.index;
    }
  }

  /// Hints the cache about a coming find(key).
  void prefetch(std::string_view key) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash_id(key) & mask_]);
  }

 private:
  struct slot {
    std::uint32_t index = none;
    std::uint32_t tag = 0;
  };

  void rehash(std::size_t want) {
    std::size_t n = 16;
    while (n < want) n *= 2;
    std::vector<slot> fresh(n);
    mask_ = n - 1;
    for (std::uint32_t i = 0; i < size(); ++i) {
      const std::uint64_t h = hash_id(id(i));
      std::size_t s = h & mask_;
      while (fresh[s].index != none) s = (s + 1) & mask_;
      fresh[s] = {i, static_cast<std::uint32_t>(h >> 32)};
    }
    slots_ = std::move(fresh);
  }

  std::string arena_;
  std::vector<std::uint64_t> offsets_{0};
  std::vector<slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace detail
DOWNLINE_END_NAMESPACE
