// SPDX-License-Identifier: MIT
// Version, export macro and namespace macros, as in fmt's base.h.
#pragma once

#define DOWNLINE_VERSION_MAJOR 0
#define DOWNLINE_VERSION_MINOR 1
#define DOWNLINE_VERSION_PATCH 0
#define DOWNLINE_VERSION_STRING "0.1.0"

// An ABI break bumps the inline namespace, so mixing versions is a link error.
#define DOWNLINE_BEGIN_NAMESPACE \
  namespace downline {           \
  inline namespace v0 {
#define DOWNLINE_END_NAMESPACE \
  }                            \
  }
