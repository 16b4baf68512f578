// SPDX-License-Identifier: MIT
// C API: plans.
#include <memory>

#include "guard.hpp"
#include "handles.hpp"

using namespace downline::capi;

extern "C" {

downline_status downline_plan_from_json(downline_plan** out, const char* json, const char* source) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(json, "json", fn);
    auto rules = std::make_shared<const downline::plan>(downline::plan::from_json(json, source ? source : "plan"));
    *out = new downline_plan{std::move(rules)};
  });
}

downline_status downline_plan_from_file(downline_plan** out, const char* path) {
  const char* const fn = __func__;
  if (out) *out = nullptr;
  return guarded([&] {
    require(out, "out", fn);
    require(path, "path", fn);
    auto rules = std::make_shared<const downline::plan>(downline::plan::from_file(path));
    *out = new downline_plan{std::move(rules)};
  });
}

void downline_plan_destroy(downline_plan** plan) {
  if (!plan) return;
  delete *plan;
  *plan = nullptr;
}

const char* downline_plan_name(const downline_plan* plan) { return plan ? plan->rules->name.c_str() : nullptr; }

const char* downline_plan_currency(const downline_plan* plan) {
  return plan ? plan->rules->currency.c_str() : nullptr;
}

int downline_plan_money_decimals(const downline_plan* plan) { return plan ? plan->rules->money_decimals : -1; }

size_t downline_plan_bonus_count(const downline_plan* plan) { return plan ? plan->rules->bonuses.size() : 0; }

const char* downline_plan_bonus_name(const downline_plan* plan, size_t i) {
  return plan && i < plan->rules->bonuses.size() ? plan->rules->bonuses[i]->name().c_str() : nullptr;
}

const char* downline_plan_bonus_type(const downline_plan* plan, size_t i) {
  return plan && i < plan->rules->bonuses.size() ? plan->rules->bonuses[i]->type().c_str() : nullptr;
}

size_t downline_plan_rank_count(const downline_plan* plan) { return plan ? plan->rules->ranks.size() : 0; }

const char* downline_plan_rank_name(const downline_plan* plan, size_t i) {
  return plan && i < plan->rules->ranks.size() ? plan->rules->ranks[i].name.c_str() : nullptr;
}

}  // extern "C"
