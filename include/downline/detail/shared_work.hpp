// SPDX-License-Identifier: MIT
// Work that the bonuses of several plans can share when compared (the level bases of unilevel
// variants that differ only in their rates), built once by whichever plan asks first.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <typeindex>

#include "downline/config.hpp"
#include "downline/detail/parallel.hpp"

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

/**
 * Values built once and kept by key, for plans that share one period basis and one
 * qualification (compare makes one per such group). A bonus asks for the value of a key that
 * says everything the value depends on besides the basis and the qualification; an equal key
 * from another plan's bonus gets the same value. Thread-safe: two plans evaluated at once
 * asking for one key build it once (the second helps with its parallel passes: once_flag); a
 * build that throws is tried again by the next caller.
 *
 *     const level_bases& v = shared->get<level_bases>(key, [&] { return build(...); });
 */
class shared_work {
 public:
  template <class Value, class Key, class Build>
  const Value& get(const Key& key, Build&& build) {
    entry& e = find_or_add(std::type_index(typeid(Value)), std::type_index(typeid(Key)),
                           [&](const void* k) { return *static_cast<const Key*>(k) == key; },
                           [&] { return std::make_shared<Key>(key); });
    call_once(e.built, [&] { e.value = std::make_shared<Value>(build()); });
    return *static_cast<const Value*>(e.value.get());
  }

 private:
  struct entry {
    entry(std::type_index v, std::type_index k) : value_type(v), key_type(k) {}
    std::type_index value_type, key_type;
    std::shared_ptr<const void> key;
    once_flag built;
    std::shared_ptr<const void> value;
  };

  entry& find_or_add(std::type_index value_type, std::type_index key_type,
                     const std::function<bool(const void*)>& equal_key,
                     const std::function<std::shared_ptr<const void>()>& copy_key) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (entry& e : entries_)
      if (e.value_type == value_type && e.key_type == key_type && equal_key(e.key.get())) return e;
    entry& e = entries_.emplace_back(value_type, key_type);
    e.key = copy_key();
    return e;
  }

  std::mutex mutex_;
  std::deque<entry> entries_;  // a deque: entries stay put while others are added
};

}  // namespace detail
DOWNLINE_END_NAMESPACE
