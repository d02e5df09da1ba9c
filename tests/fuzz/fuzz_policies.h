/* The fixed policies fuzz_decide.c decides against, each with an
 * independent oracle: plain C that recomputes the verdict the policy's
 * rules mean, for the requests simple enough to judge without a regex
 * engine (ASCII-only). */
#ifndef SW_FUZZ_POLICIES_H
#define SW_FUZZ_POLICIES_H

#include <stddef.h>

#include "sharewall/sharewall.h"

typedef struct fuzz_expect {
    sw_action action;
    const char *rule_id; /* rule id or "default" */
    size_t staged_total;
} fuzz_expect;

/* Returns 0 when the oracle cannot judge this request (non-ASCII or
 * control characters in a field a rule reads), else fills *out. */
typedef int (*fuzz_oracle_fn)(const sw_request *req, const sw_canon *c,
                              fuzz_expect *out);

typedef struct fuzz_policy {
    const char *name;
    const char *yaml;
    fuzz_oracle_fn oracle; /* NULL: only the generic invariants apply */
    int uses_scheme;       /* a rule reads `scheme` (or port/TLS)     */
    sw_policy *policy;     /* compiled on first use, kept for the run */
} fuzz_policy;

/* The policy selected by a fuzz input's first byte (modulo the count);
 * compiles every policy on the first call and aborts if one is rejected. */
const fuzz_policy *fuzz_policy_at(unsigned char selector);

#endif
