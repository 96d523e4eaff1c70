// Early-return helpers for absl::Status / absl::StatusOr, in the style of abseil's internal ones
// (not public in Debian's abseil).
#ifndef LIMS_SERVICES_COMMON_STATUS_MACROS_H_
#define LIMS_SERVICES_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define LIMS_RETURN_IF_ERROR(expr)                          \
  do {                                                      \
    if (absl::Status lims_status_ = (expr); !lims_status_.ok()) { \
      return lims_status_;                                  \
    }                                                       \
  } while (0)

#define LIMS_CONCAT_INNER_(a, b) a##b
#define LIMS_CONCAT_(a, b) LIMS_CONCAT_INNER_(a, b)

// LIMS_ASSIGN_OR_RETURN(auto x, MaybeX()); declares x or returns the error.
#define LIMS_ASSIGN_OR_RETURN(lhs, expr) \
  LIMS_ASSIGN_OR_RETURN_IMPL_(LIMS_CONCAT_(lims_statusor_, __LINE__), lhs, expr)
#define LIMS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(*tmp)

#endif  // LIMS_SERVICES_COMMON_STATUS_MACROS_H_
