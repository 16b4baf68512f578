// SPDX-License-Identifier: MIT
// The bonus types that ship with downline, registered on first use of the registry.
#pragma once

#include <functional>
#include <string>

#include "downline/bonus.hpp"

DOWNLINE_BEGIN_NAMESPACE

/// Calls add(type, factory) for each built-in bonus type.
void register_builtin_bonuses(const std::function<void(std::string, bonus_factory)>& add);

DOWNLINE_END_NAMESPACE
