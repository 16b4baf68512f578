// SPDX-License-Identifier: MIT
// downline: exact, explainable multi-level-marketing commissions. The umbrella header.
#pragma once

#include "downline/base.hpp"
#include "downline/bonus.hpp"
#include "downline/compare.hpp"
#include "downline/config.hpp"
#include "downline/date.hpp"
#include "downline/decimal.hpp"
#include "downline/engine.hpp"
#include "downline/error.hpp"
#include "downline/generate.hpp"
#include "downline/ledger.hpp"
#include "downline/line_set.hpp"
#include "downline/network.hpp"
#include "downline/placement.hpp"
#include "downline/plan.hpp"
#include "downline/ranks.hpp"
#include "downline/result.hpp"
#include "downline/rounding.hpp"
#include "downline/summary_json.hpp"
#include "downline/types.hpp"
