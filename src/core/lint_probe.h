/* The catastrophic-pattern probe of sw_policy_lint (lint_probe.c). */
#ifndef SW_CORE_LINT_PROBE_H
#define SW_CORE_LINT_PROBE_H

#include "sharewall/sharewall.h"

/* Warns about every pattern of p that a hostile subject makes exhaust the
 * engine's match limits. Returns SW_OK or SW_ENOMEM. */
int sw_lint_match_limits(const sw_policy *p, sw_diags *d);

#endif
