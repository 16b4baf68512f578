// SPDX-License-Identifier: MIT
// The summary as a JSON value, for documents that hold several (compare) or read its figures (report).
#pragma once

#include "downline/config.hpp"
#include "downline/result.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// The object summary::to_json() prints: amounts as exact decimal strings, ratios as
/// 4-decimal strings or null.
json_value summary_json(const summary& s);

/// numerator / denominator with `decimals` decimals, rounded half-even ("0.1200"); "null"
/// when the denominator is not positive. The summary's ratios and shares are written so.
std::string ratio_text(__int128 numerator, __int128 denominator, int decimals);

DOWNLINE_END_NAMESPACE
