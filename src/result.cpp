// SPDX-License-Identifier: MIT
#include "downline/result.hpp"

#include "downline/network.hpp"

DOWNLINE_BEGIN_NAMESPACE

carry_state result::state() const {
  carry_state out;
  if (!net) return out;  // a default-constructed result
  const std::uint32_t n = net->size();
  for (std::uint32_t row = 0; row < n; ++row) {
    const member_index m = net->member_at_row(row);
    for (std::size_t b = 0; b < carry.size(); ++b) {
      const leg_carry& c = carry[b];
      if (c.left.empty() || (c.left[m] == 0 && c.right[m] == 0)) continue;
      out.entries.push_back({std::string(net->id(m)), bonus_names[b], c.left[m], c.right[m], {}});
    }
  }
  return out;
}

DOWNLINE_END_NAMESPACE
