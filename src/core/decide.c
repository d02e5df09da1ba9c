/* The decision (DESIGN §5): canonicalise, then first matching rule wins.
 *
 * This runs inside MPR's calls on arbitrary threads, on a policy shared by
 * all of them, so: no mutable state outside this call's stack, every regex
 * match bounded, and fail closed (malformed names are denied whatever the
 * policy says; any evaluation error yields the policy's on_error). */
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "decide_internal.h"
#include "group_match.h"
#include "pattern_literal.h"
#include "policy_internal.h"
#include "rule_index.h"
#include "utf.h"

/* ------------------------------------------------------------------ */
/* A stack arena for PCRE2's small objects, so the common case (a JIT    */
/* match) allocates nothing on the heap.                                 */
/* ------------------------------------------------------------------ */

/* Holds the general and match contexts and a one-pair match data with
 * room to spare. The interpreter's backtracking frames (20 KiB at first
 * in PCRE2 10.42) do not fit and come from the heap hook instead. */
#define ARENA_BYTES 2048u
#define ARENA_ALIGN 16u

typedef union arena_store {
    long double ld;
    long long ll;
    void *ptr;
    unsigned char bytes[ARENA_BYTES];
} arena_store;

typedef struct arena {
    unsigned char *base;
    size_t size;
    size_t used;
} arena;

static void *arena_malloc(PCRE2_SIZE n, void *ud)
{
    arena *a = ud;
    size_t off = (a->used + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
    if (off <= a->size && n <= a->size - off) {
        a->used = off + n;
        return a->base + off;
    }
    return sw_malloc(n);
}

/* Arena blocks are released all at once when decide returns. */
static void arena_free(void *ptr, void *ud)
{
    arena *a = ud;
    uintptr_t u = (uintptr_t)ptr, b = (uintptr_t)a->base;
    if (u >= b && u < b + a->size)
        return;
    sw_free(ptr);
}

/* ------------------------------------------------------------------ */
/* Evaluation state: everything one call needs, on its stack.           */
/* ------------------------------------------------------------------ */

static const char OOM[] = "out of memory";
static const char NOT_UTF8[] = "request field is not valid UTF-8";

typedef struct eval {
    const sw_policy *p;
    const sw_request *req;
    sw_decision *d;
    const char *value[SW_F_COUNT];  /* subject per field ("" when absent)  */
    size_t len[SW_F_COUNT];
    signed char utf8[SW_F_COUNT];   /* 0 unchecked, 1 valid, -1 invalid    */
    signed char ascii[SW_F_COUNT];  /* 0 unchecked, 1 ASCII-only, -1 not   */
    pcre2_match_data *md;
    pcre2_match_context *mc;
    sw_trace_fn fn;
    void *ctx;
    int scan_all;                   /* ordered scan: trace or no index     */
} eval;

typedef enum { TEST_NO = 0, TEST_YES = 1, TEST_ERROR = -1 } test_result;

static const char *or_empty(const char *s) { return s ? s : ""; }

/* Names the condition so the log says which limit an input exhausted. */
static const char *match_error_reason(int rc)
{
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
        return "regex match limit exceeded";
    case PCRE2_ERROR_DEPTHLIMIT:
        return "regex depth limit exceeded";
    case PCRE2_ERROR_HEAPLIMIT:
        return "regex heap limit exceeded";
    case PCRE2_ERROR_JIT_STACKLIMIT:
        return "regex JIT stack limit exceeded";
    case PCRE2_ERROR_NOMEMORY:
        return OOM;
    default:
        if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
            return NOT_UTF8;
        return "regex match failed";
    }
}

static void set_error(sw_decision *d, const sw_policy *p, const char *reason)
{
    d->action = p ? p->on_error : SW_DENY;
    d->enforced = p ? p->mode == SW_MODE_ENFORCE : 1;
    d->basis = SW_BASIS_ERROR;
    d->rule_id = "error";
    d->rule_index = -1;
    d->reason = reason;
}

static void emit(const eval *e, sw_trace_kind kind, size_t ri, sw_field f,
                 const char *value, const char *pattern, int matched,
                 const char *error)
{
    sw_trace t;
    const sw_rule *r = &e->p->rules[ri];
    t.kind = kind;
    t.rule_index = ri;
    t.rule_id = r->id;
    t.staged = r->staged;
    t.field = f;
    t.value = value;
    t.pattern = pattern;
    t.matched = matched;
    t.error = error;
    e->fn(e->ctx, &t);
}

/* ASCII-only case folding: group names and SIDs are compared as Windows'
 * account lookup would for the ASCII range, never as regexes. */
int sw_group_equal(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

/* Membership: any listed group equals any of the caller's groups. For the
 * trace, *value is the caller's group that matched ("" when none did). */
static test_result test_groups(const eval *e, const sw_matcher *m,
                               const char **value, const char **pattern)
{
    const sw_request *q = e->req;
    *value = "";
    for (size_t j = 0; j < m->count; j++) {
        *pattern = m->patterns[j].source;
        for (size_t g = 0; q->groups && g < q->group_count; g++) {
            if (q->groups[g] && sw_group_equal(q->groups[g], m->patterns[j].source)) {
                *value = q->groups[g];
                return TEST_YES;
            }
        }
    }
    return TEST_NO;
}

static test_result test_regexes(eval *e, sw_field f, const sw_matcher *m,
                                 const char **pattern, const char **why)
{
    if (e->utf8[f] == 0)
        e->utf8[f] = sw_utf8_valid(e->value[f], e->len[f]) ? 1 : -1;
    if (e->utf8[f] < 0) {
        *pattern = m->patterns[0].source;
        *why = NOT_UTF8;
        return TEST_ERROR;
    }
    if (e->ascii[f] == 0)
        e->ascii[f] = sw_plain_ascii(e->value[f], e->len[f]) ? 1 : -1;
    for (size_t j = 0; j < m->count; j++) {
        const sw_pattern *pt = &m->patterns[j];
        *pattern = pt->source;
        if (pt->literal && e->ascii[f] > 0) {
            /* Same result as PCRE2 would give (pattern_literal.h). */
            if (sw_literal_equal(pt->literal, pt->literal_len, e->value[f], e->len[f]))
                return TEST_YES;
            continue;
        }
        if (!pt->code) {
            *why = "pattern not compiled";
            return TEST_ERROR;
        }
        /* Validated above, so PCRE2 need not check again per pattern. */
        int rc = pcre2_match(pt->code, (PCRE2_SPTR)e->value[f], e->len[f], 0,
                             PCRE2_NO_UTF_CHECK, e->md, e->mc);
        if (rc >= 0)
            return TEST_YES;
        if (rc != PCRE2_ERROR_NOMATCH) {
            *why = match_error_reason(rc);
            return TEST_ERROR;
        }
    }
    return TEST_NO;
}

static test_result test_field(eval *e, size_t ri, sw_field f, const char **why)
{
    const sw_matcher *m = &e->p->rules[ri].match[f];
    const char *value = e->value[f];
    const char *pattern = NULL;
    test_result res;

    if (f == SW_F_GROUP)
        res = test_groups(e, m, &value, &pattern);
    else
        res = test_regexes(e, f, m, &pattern, why);
    if (e->fn)
        emit(e, SW_TRACE_FIELD, ri, f, value, pattern, res == TEST_YES,
             res == TEST_ERROR ? *why : NULL);
    return res;
}

/* Every field present must match (AND); cheap short-circuit on the first
 * that does not. */
static test_result test_rule(eval *e, size_t ri, const char **why)
{
    const sw_rule *r = &e->p->rules[ri];
    for (int f = 0; f < SW_F_COUNT; f++) {
        if (r->match[f].count == 0)
            continue;
        test_result res = test_field(e, ri, (sw_field)f, why);
        if (res != TEST_YES)
            return res;
    }
    return TEST_YES;
}

static void emit_skipped(const eval *e, size_t from)
{
    if (!e->fn)
        return;
    for (size_t i = from; i < e->p->rule_count; i++)
        emit(e, SW_TRACE_SKIPPED, i, SW_F_UNC, NULL, NULL, 0, NULL);
}

static void record_staged(sw_decision *d, const sw_rule *r)
{
    if (d->staged_count < SW_MAX_STAGED) {
        d->staged[d->staged_count] = r->id;
        d->staged_action[d->staged_count] = r->action;
        d->staged_count++;
    }
    d->staged_total++;
}

/* The rules to try, in order: every rule for a trace (explain shows them
 * all) or without an index, else only those the host index says can
 * match this host. Both orders are ascending, so the first match is the
 * same. */
typedef struct rule_iter {
    size_t next;      /* ordered scan */
    sw_candidates *c; /* indexed: NULL for the scan */
} rule_iter;

static long next_rule(const eval *e, rule_iter *it)
{
    if (it->c)
        return sw_candidates_next(it->c);
    return it->next < e->p->rule_count ? (long)it->next++ : -1;
}

static int run_rules(eval *e)
{
    const sw_policy *p = e->p;
    sw_decision *d = e->d;
    sw_candidates cands;
    rule_iter it = {0, NULL};
    long li;

    if (!e->scan_all && p->index) {
        sw_rule_index_candidates(p->index, e->value[SW_F_SERVER],
                                 e->len[SW_F_SERVER], &cands);
        it.c = &cands;
    }
    while ((li = next_rule(e, &it)) >= 0) {
        size_t i = (size_t)li;
        const sw_rule *r = &p->rules[i];
        const char *why = NULL;
        test_result res = test_rule(e, i, &why);
        if (e->fn)
            emit(e, SW_TRACE_RULE, i, SW_F_UNC, NULL, NULL, res == TEST_YES, why);
        if (res == TEST_ERROR) {
            set_error(d, p, why);
            emit_skipped(e, i + 1);
            return why == OOM ? SW_ENOMEM : SW_OK;
        }
        if (res == TEST_NO)
            continue;
        if (r->staged) {
            /* Logged as a would-be decision; the rest decides as if this
             * rule were not there. */
            record_staged(d, r);
            continue;
        }
        d->action = r->action;
        d->basis = SW_BASIS_RULE;
        d->rule_id = r->id;
        d->rule_index = (long)i;
        emit_skipped(e, i + 1);
        return SW_OK;
    }
    d->action = p->default_action;
    d->basis = SW_BASIS_DEFAULT;
    d->rule_id = "default";
    return SW_OK;
}

static void set_values(eval *e, const sw_canon *c)
{
    const sw_request *q = e->req;
    e->value[SW_F_UNC] = or_empty(c->unc);
    e->value[SW_F_SERVER] = or_empty(c->host);
    e->value[SW_F_SHARE] = or_empty(c->share);
    e->value[SW_F_PATH] = or_empty(c->path);
    e->value[SW_F_LOCAL] = or_empty(q->local);
    e->value[SW_F_PROVIDER] = or_empty(q->provider);
    e->value[SW_F_SCHEME] = sw_scheme_name(c->scheme);
    e->value[SW_F_USER] = or_empty(q->user);
    e->value[SW_F_GROUP] = "";
    e->value[SW_F_PROCESS] = or_empty(q->process);
    for (int f = 0; f < SW_F_COUNT; f++) {
        e->len[f] = strlen(e->value[f]);
        e->utf8[f] = 0;
        e->ascii[f] = 0;
    }
}

static int evaluate(const sw_policy *p, const sw_request *req, sw_decision *d,
                    sw_trace_fn fn, void *ctx, int scan_all)
{
    arena_store store;
    arena a = {store.bytes, sizeof store.bytes, 0};
    eval e;
    int rc;

    e.p = p;
    e.req = req;
    e.d = d;
    e.fn = fn;
    e.ctx = ctx;
    e.scan_all = scan_all || fn != NULL;
    set_values(&e, &d->canon);

    pcre2_general_context *gc = pcre2_general_context_create(arena_malloc, arena_free, &a);
    e.mc = gc ? pcre2_match_context_create(gc) : NULL;
    e.md = gc ? pcre2_match_data_create(1, gc) : NULL;
    if (!e.mc || !e.md) {
        set_error(d, p, OOM);
        rc = SW_ENOMEM;
    } else {
        pcre2_set_match_limit(e.mc, SW_MATCH_LIMIT);
        pcre2_set_depth_limit(e.mc, SW_DEPTH_LIMIT);
        pcre2_set_heap_limit(e.mc, SW_HEAP_LIMIT_KIB);
        rc = run_rules(&e);
    }
    /* Frees the interpreter's heap frames, if a match needed them. */
    pcre2_match_data_free(e.md);
    pcre2_match_context_free(e.mc);
    pcre2_general_context_free(gc);
    return rc;
}

static int decide(const sw_policy *p, const sw_request *req, sw_decision *out,
                  sw_trace_fn fn, void *ctx, int scan_all)
{
    static const sw_request empty; /* read-only: a NULL request is empty */
    if (!req)
        req = &empty;

    out->staged_count = 0;
    out->staged_total = 0;
    for (size_t i = 0; i < SW_MAX_STAGED; i++) {
        out->staged[i] = NULL;
        out->staged_action[i] = SW_DENY;
    }
    out->reason = NULL;
    out->rule_index = -1;

    const char *remote = or_empty(req->remote);
    int rc = sw_canonicalise(remote, strlen(remote), req->self, &out->canon);
    if (rc == SW_ENOMEM) {
        set_error(out, p, OOM);
        return SW_ENOMEM;
    }
    if (out->canon.malformed) {
        /* Never passed to rules: no policy may allow a name we could not
         * reduce to one spelling. Audit mode still only logs. */
        out->action = SW_DENY;
        out->enforced = p ? p->mode == SW_MODE_ENFORCE : 1;
        out->basis = SW_BASIS_MALFORMED;
        out->rule_id = "malformed";
        out->reason = out->canon.reason ? out->canon.reason : "malformed name";
        return SW_OK;
    }
    if (!p) {
        set_error(out, NULL, "no valid policy loaded");
        return SW_OK;
    }
    out->enforced = p->mode == SW_MODE_ENFORCE;
    return evaluate(p, req, out, fn, ctx, scan_all);
}

int sw_decide_trace(const sw_policy *p, const sw_request *req, sw_decision *out,
                    sw_trace_fn fn, void *ctx)
{
    return decide(p, req, out, fn, ctx, 0);
}

int sw_decide(const sw_policy *p, const sw_request *req, sw_decision *out)
{
    return decide(p, req, out, NULL, NULL, 0);
}

int sw_decide_ordered_scan(const sw_policy *p, const sw_request *req,
                           sw_decision *out)
{
    return decide(p, req, out, NULL, NULL, 1);
}

void sw_decision_free(sw_decision *d)
{
    if (d)
        sw_canon_free(&d->canon);
}
