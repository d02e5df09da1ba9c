/* The host index: which rules can possibly match a given host.
 *
 * Most rules of a large policy name their server literally ('fs01',
 * 'fs01\.corp\.example\.com') or by a literal prefix ('ext01\..*'), in
 * `server` or at the start of `unc`. Such a rule cannot match a request
 * whose canonical host is not that literal (or does not start with that
 * prefix), so deciding need only try the rules filed under the request's
 * host, its prefixes, and the rules that could not be filed ("generic").
 * The candidates come out in ascending rule order, so first-match
 * semantics are exactly those of the ordered scan (tests/unit/
 * test_rule_index.c and `bench_decide --verify` check this). */
#ifndef SW_CORE_RULE_INDEX_H
#define SW_CORE_RULE_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct sw_policy;
typedef struct sw_rule_index sw_rule_index;

/* Built once at load, immutable afterwards. SW_OK or SW_ENOMEM. */
int sw_rule_index_build(const struct sw_policy *p, sw_rule_index **out);
void sw_rule_index_free(sw_rule_index *ix);

/* Candidate lists for one host: generic, exact, and one per matching
 * prefix length (hosts are at most 255 bytes, so at most 255 of those). */
#define SW_IX_MAX_LISTS 258

typedef struct sw_candidates {
    const uint32_t *list[SW_IX_MAX_LISTS];
    size_t len[SW_IX_MAX_LISTS];
    size_t pos[SW_IX_MAX_LISTS];
    size_t count;
} sw_candidates;

/* host: the canonical (lower-case ASCII) host. */
void sw_rule_index_candidates(const sw_rule_index *ix, const char *host,
                              size_t host_len, sw_candidates *c);
/* The next candidate rule in ascending order, or -1 when none is left. */
long sw_candidates_next(sw_candidates *c);

/* How many rules could not be filed under a host (for docs and benches). */
size_t sw_rule_index_generic_count(const sw_rule_index *ix);

#endif
