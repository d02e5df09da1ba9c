/* Core-internal entry points of decide.c, for tests and benchmarks. */
#ifndef SW_CORE_DECIDE_INTERNAL_H
#define SW_CORE_DECIDE_INTERNAL_H

#include "sharewall/sharewall.h"

/* sw_decide without the host index: the plain ordered scan of every rule.
 * The indexed decision must always equal this one (first-match semantics
 * preserved); test_rule_index.c and `bench_decide --verify` compare them. */
int sw_decide_ordered_scan(const sw_policy *p, const sw_request *req,
                           sw_decision *out);

#endif
