// SPDX-License-Identifier: MIT
#include "downline/detail/level_bases.hpp"

#include <Eigen/Core>

#include "downline/detail/parallel.hpp"

// Eigen over exact integers: 128-bit products of 64-bit bases and rates, never floating point.
namespace Eigen {
template <>
struct NumTraits<__int128> : GenericNumTraits<__int128> {
  using Real = __int128;
  using NonInteger = __int128;
  using Literal = __int128;
  using Nested = __int128;
  enum { IsInteger = 1, IsSigned = 1, IsComplex = 0, RequireInitialization = 0, ReadCost = 2, AddCost = 2, MulCost = 4 };
  static __int128 epsilon() { return 0; }
  static __int128 dummy_precision() { return 0; }
  static __int128 highest() { return ~(static_cast<__int128>(1) << 127); }
  static __int128 lowest() { return static_cast<__int128>(1) << 127; }
  static int digits10() { return 38; }
};
/// A 64-bit base times a 128-bit rate is a 128-bit amount.
template <>
struct ScalarBinaryOpTraits<std::int64_t, __int128, internal::scalar_product_op<std::int64_t, __int128>> {
  using ReturnType = __int128;
};
}  // namespace Eigen

DOWNLINE_BEGIN_NAMESPACE
namespace detail {

void level_bases::pay(const std::vector<rate_t>& rates, std::vector<exact_t>& exact) const {
  const auto members = static_cast<Eigen::Index>(size_ / levels_);
  using bases_matrix = Eigen::Matrix<base_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const bases_matrix> v(v_.get(), members, levels_);
  Eigen::Matrix<exact_t, Eigen::Dynamic, 1> r(levels_);
  for (std::uint32_t k = 0; k < levels_; ++k) r[k] = rates[k];
  exact.resize(static_cast<std::size_t>(members));
  Eigen::Map<Eigen::Matrix<exact_t, Eigen::Dynamic, 1>> out(exact.data(), members);
  // Row by row (lazyProduct): each member's levels are one cache line, its sum one write;
  // parts of the members side by side.
  parallel_for(static_cast<std::size_t>(members), [&](std::size_t, std::size_t begin, std::size_t end) {
    const auto first = static_cast<Eigen::Index>(begin), count = static_cast<Eigen::Index>(end - begin);
    out.segment(first, count).noalias() = v.middleRows(first, count).lazyProduct(r);
  });
}

}  // namespace detail
DOWNLINE_END_NAMESPACE
