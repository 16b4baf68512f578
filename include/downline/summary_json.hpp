// SPDX-License-Identifier: MIT
// The summary as a JSON value, for documents that hold several (compare) or read its figures (report).
#pragma once

#include "downline/config.hpp"
#include "downline/result.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// The object summary::to_json() prints: amounts as exact decimal strings, ratios as
/// 4-decimal strings or null.
json_value summary_json(const summary& s);

DOWNLINE_END_NAMESPACE
