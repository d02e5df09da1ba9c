/* Fuzz target: decide (DESIGN §5), arbitrary requests against fixed
 * policies compiled once.
 *
 * Input layout: byte 0 picks the policy; the rest is split at NUL bytes
 * into remote, local, provider, user, process and up to 8 groups (fields
 * the input does not reach stay NULL, "absent").
 *
 * Checked for every request: the decision is internally consistent
 * (malformed => deny, error => on_error, default => the policy's default,
 * a deciding rule is a real, unstaged rule with that action), repeatable,
 * and unchanged when the canonical name is decided instead of the raw one.
 * For the deny-list, allow-list and context policies an independent
 * ASCII oracle recomputes the expected verdict, so a fuzzed spelling that
 * slips past a deny rule (a bypass) aborts the run. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical_name.h"
#include "fuzz_assert.h"
#include "fuzz_policies.h"
#include "sharewall/sharewall.h"

#define MAX_GROUPS 8

typedef struct fuzz_req {
    sw_request req;
    const char *groups[MAX_GROUPS];
    char *buf; /* owns every string above */
} fuzz_req;

static void split_request(const uint8_t *data, size_t size, fuzz_req *fr)
{
    const char **slots[5];
    size_t field = 0;

    sw_request_init(&fr->req);
    slots[0] = &fr->req.remote;
    slots[1] = &fr->req.local;
    slots[2] = &fr->req.provider;
    slots[3] = &fr->req.user;
    slots[4] = &fr->req.process;

    fr->buf = malloc(size + 1);
    FUZZ_ASSERT(fr->buf != NULL);
    if (size)
        memcpy(fr->buf, data, size);
    fr->buf[size] = '\0';

    const char *s = fr->buf;
    const char *end = fr->buf + size;
    while (s <= end && field < 5 + MAX_GROUPS) {
        if (field < 5)
            *slots[field] = s;
        else
            fr->groups[fr->req.group_count++] = s;
        field++;
        s += strlen(s) + 1;
    }
    fr->req.groups = fr->req.group_count ? fr->groups : NULL;
}

static void check_consistent(const sw_policy *p, const sw_decision *d, int rc)
{
    FUZZ_ASSERT(rc == SW_OK || rc == SW_ENOMEM);
    FUZZ_ASSERT(d->action == SW_ALLOW || d->action == SW_DENY);
    FUZZ_ASSERT(d->enforced == (sw_policy_mode(p) == SW_MODE_ENFORCE));
    FUZZ_ASSERT(d->rule_id != NULL);
    FUZZ_ASSERT(d->staged_count <= SW_MAX_STAGED);
    FUZZ_ASSERT(d->staged_count <= d->staged_total);
    FUZZ_ASSERT(d->staged_count == d->staged_total || d->staged_count == SW_MAX_STAGED);
    for (size_t i = 0; i < d->staged_count; i++)
        FUZZ_ASSERT(d->staged[i] != NULL);
    FUZZ_ASSERT((d->basis == SW_BASIS_MALFORMED) == (d->canon.malformed != 0));

    switch (d->basis) {
    case SW_BASIS_MALFORMED:
        FUZZ_ASSERT(d->action == SW_DENY);
        FUZZ_ASSERT(d->reason != NULL && strcmp(d->rule_id, "malformed") == 0);
        break;
    case SW_BASIS_ERROR:
        FUZZ_ASSERT(d->action == sw_policy_on_error(p));
        FUZZ_ASSERT(d->reason != NULL && strcmp(d->rule_id, "error") == 0);
        FUZZ_ASSERT(d->rule_index == -1);
        break;
    case SW_BASIS_DEFAULT:
        FUZZ_ASSERT(rc == SW_OK);
        FUZZ_ASSERT(d->action == sw_policy_default(p));
        FUZZ_ASSERT(strcmp(d->rule_id, "default") == 0 && d->rule_index == -1);
        break;
    case SW_BASIS_RULE: {
        FUZZ_ASSERT(rc == SW_OK);
        FUZZ_ASSERT(d->rule_index >= 0 && (size_t)d->rule_index < sw_policy_rule_count(p));
        sw_rule_info ri;
        sw_policy_rule(p, (size_t)d->rule_index, &ri);
        FUZZ_ASSERT(strcmp(ri.id, d->rule_id) == 0);
        FUZZ_ASSERT(ri.action == d->action && !ri.staged);
        break;
    }
    default:
        FUZZ_ASSERT(!"unknown basis");
    }
    if (rc == SW_ENOMEM)
        FUZZ_ASSERT(d->basis == SW_BASIS_ERROR);
}

typedef struct trace_tally {
    size_t events;
    size_t last_rule;      /* rule_index of the last SW_TRACE_RULE */
    int last_rule_matched;
} trace_tally;

static void on_trace(void *ctx, const sw_trace *t)
{
    trace_tally *tt = ctx;
    FUZZ_ASSERT(t->rule_id != NULL);
    tt->events++;
    if (t->kind == SW_TRACE_RULE) {
        tt->last_rule = t->rule_index;
        tt->last_rule_matched = t->matched;
    }
}

static int same_verdict(const sw_decision *a, const sw_decision *b)
{
    return a->action == b->action && a->basis == b->basis &&
           strcmp(a->rule_id, b->rule_id) == 0 && a->staged_total == b->staged_total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const fuzz_policy *fp = fuzz_policy_at(data[0]);
    fuzz_req fr;
    memset(&fr, 0, sizeof fr);
    split_request(data + 1, size - 1, &fr);

    sw_decision d;
    int rc = sw_decide(fp->policy, &fr.req, &d);
    check_consistent(fp->policy, &d, rc);

    /* Pure: the same request decides the same way. */
    sw_decision again;
    check_consistent(fp->policy, &again, sw_decide(fp->policy, &fr.req, &again));
    FUZZ_ASSERT(same_verdict(&d, &again));
    sw_decision_free(&again);

    /* explain (sw_decide_trace) decides exactly like decide, and its
     * trace ends the deciding rule with a matched verdict. */
    trace_tally tally = {0, 0, 0};
    sw_decision traced;
    check_consistent(fp->policy, &traced,
                     sw_decide_trace(fp->policy, &fr.req, &traced, on_trace, &tally));
    FUZZ_ASSERT(same_verdict(&d, &traced));
    if (d.basis == SW_BASIS_RULE) {
        FUZZ_ASSERT(tally.last_rule_matched);
        FUZZ_ASSERT(tally.last_rule == (size_t)d.rule_index);
    }
    if (d.basis == SW_BASIS_MALFORMED)
        FUZZ_ASSERT(tally.events == 0); /* no rule ever saw the name */
    sw_decision_free(&traced);

    /* The independent oracle, where it can judge this request. */
    fuzz_expect exp;
    if (fp->oracle && d.basis != SW_BASIS_MALFORMED && d.basis != SW_BASIS_ERROR &&
        fp->oracle(&fr.req, &d.canon, &exp)) {
        if (d.action != exp.action || strcmp(d.rule_id, exp.rule_id) != 0 ||
            d.staged_total != exp.staged_total)
            fprintf(stderr, "policy %s: %s decided %s by %s (staged %zu), oracle says %s by %s (staged %zu)\n",
                    fp->name, d.canon.unc, sw_action_name(d.action), d.rule_id,
                    d.staged_total, sw_action_name(exp.action), exp.rule_id,
                    exp.staged_total);
        FUZZ_ASSERT(d.action == exp.action);
        FUZZ_ASSERT(strcmp(d.rule_id, exp.rule_id) == 0);
        FUZZ_ASSERT(d.staged_total == exp.staged_total);
    }

    /* Canonical spelling decides like the raw one (for policies that do
     * not look at the scheme, which the canonical UNC does not carry). */
    if (!fp->uses_scheme && d.basis != SW_BASIS_MALFORMED && d.basis != SW_BASIS_ERROR) {
        char *canonical = fuzz_canonical_name(&d.canon);
        sw_request canon_req = fr.req;
        canon_req.remote = canonical;
        sw_decision c;
        check_consistent(fp->policy, &c, sw_decide(fp->policy, &canon_req, &c));
        FUZZ_ASSERT(c.basis != SW_BASIS_MALFORMED);
        if (c.basis != SW_BASIS_ERROR)
            FUZZ_ASSERT(same_verdict(&d, &c));
        sw_decision_free(&c);
        free(canonical);
    }

    sw_decision_free(&d);
    free(fr.buf);
    return 0;
}
