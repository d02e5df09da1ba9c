/* sw_policy_lint: what `sharewall check` reports beyond load errors. It
 * runs the policy's own tests and looks for mistakes that load fine but
 * do not do what the author meant. Every warning here must be true: a
 * linter that cries wolf teaches admins to ignore it, so each check is
 * conservative (it may miss a problem, never invent one). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "diags.h"
#include "group_match.h"
#include "lint_probe.h"
#include "policy_internal.h"
#include "policy_parse.h"

/* ------------------------------------------------------------------ */
/* Rules that can never match                                          */
/* ------------------------------------------------------------------ */

/* Fields whose value is canonical and never holds a control character
 * (DESIGN §4), so `.` matches every character of it. */
static int is_canonical_field(sw_field f)
{
    return f == SW_F_UNC || f == SW_F_SERVER || f == SW_F_SHARE ||
           f == SW_F_PATH || f == SW_F_SCHEME;
}

/* Fields that are never empty for a well-formed name (malformed names
 * never reach the rules). */
static int is_never_empty_field(sw_field f)
{
    return f == SW_F_UNC || f == SW_F_SERVER || f == SW_F_SHARE ||
           f == SW_F_SCHEME;
}

/* `.` excludes only newline characters. When the newline convention
 * involves nothing but CR and LF (control characters, which canonical
 * values never hold), `.` matches every character of a canonical value;
 * under ANY or NUL conventions (a PCRE2 built that way) it may not. */
static int dot_matches_canonical(const sw_pattern *pt)
{
    uint32_t nl = 0;
    if (!pt->code || pcre2_pattern_info(pt->code, PCRE2_INFO_NEWLINE, &nl) != 0)
        return 0;
    return nl == PCRE2_NEWLINE_LF || nl == PCRE2_NEWLINE_CR ||
           nl == PCRE2_NEWLINE_CRLF || nl == PCRE2_NEWLINE_ANYCRLF;
}

/* Does this one pattern match every value the field can take? Only a few
 * spellings are recognised: enough for the catch-alls people write,
 * and none that could be wrong. (Patterns are anchored at both ends.) */
static int is_catch_all(sw_field f, const sw_pattern *pt)
{
    const char *src = pt->source;
    static const char *const any[] = {"(?s).*", "(?s:.*)", "[\\s\\S]*", "[\\S\\s]*",
                                      "(?s).*?", "[\\w\\W]*", "[\\W\\w]*"};
    static const char *const dot_any[] = {".*", ".*?", "(.*)", "(?:.*)"};
    static const char *const dot_some[] = {".+", ".+?", "(.+)", "(?:.+)"};
    if (f == SW_F_GROUP)
        return 0; /* membership, not a regex */
    for (size_t i = 0; i < sizeof any / sizeof any[0]; i++)
        if (strcmp(src, any[i]) == 0)
            return 1;
    if (!is_canonical_field(f) || !dot_matches_canonical(pt))
        return 0; /* `.` stops at a newline a raw field might hold */
    for (size_t i = 0; i < sizeof dot_any / sizeof dot_any[0]; i++)
        if (strcmp(src, dot_any[i]) == 0)
            return 1;
    if (!is_never_empty_field(f))
        return 0;
    for (size_t i = 0; i < sizeof dot_some / sizeof dot_some[0]; i++)
        if (strcmp(src, dot_some[i]) == 0)
            return 1;
    return 0;
}

/* Group names compare as the engine compares them (ASCII case-folded);
 * regexes only when written identically, the one equality that is sure. */
static int same_pattern(sw_field f, const char *a, const char *b)
{
    return f == SW_F_GROUP ? sw_group_equal(a, b) : strcmp(a, b) == 0;
}

static int matcher_has(sw_field f, const sw_matcher *m, const char *src)
{
    for (size_t k = 0; k < m->count; k++)
        if (same_pattern(f, m->patterns[k].source, src))
            return 1;
    return 0;
}

/* Does every request that `later` matches also match `earlier`? True when
 * each field `earlier` tests is a catch-all there, or `later` tests the
 * same field with a subset of the same patterns. (Fields only `later`
 * tests narrow it further, which keeps it covered.) */
static int rule_covers(const sw_rule *earlier, const sw_rule *later)
{
    for (int f = 0; f < SW_F_COUNT; f++) {
        const sw_matcher *e = &earlier->match[f], *l = &later->match[f];
        if (e->count == 0)
            continue;
        int catch_all = 0;
        for (size_t k = 0; k < e->count && !catch_all; k++)
            catch_all = is_catch_all((sw_field)f, &e->patterns[k]);
        if (catch_all)
            continue;
        if (l->count == 0)
            return 0;
        for (size_t k = 0; k < l->count; k++)
            if (!matcher_has((sw_field)f, e, l->patterns[k].source))
                return 0;
    }
    return 1;
}

static void lint_shadowed(const sw_policy *p, sw_diags *d)
{
    char field[48];
    for (size_t j = 1; j < p->rule_count; j++) {
        const sw_rule *later = &p->rules[j];
        for (size_t i = 0; i < j; i++) {
            const sw_rule *earlier = &p->rules[i];
            /* A staged rule lets evaluation go on, so it shadows nothing. */
            if (earlier->staged || !rule_covers(earlier, later))
                continue;
            snprintf(field, sizeof field, "rules[%zu]", j);
            sw_diag_add(d, SW_SEV_WARNING, later->pos.file, later->pos.line,
                        later->pos.column, field,
                        "rule '%s' can never match: the earlier rule '%s' "
                        "(line %u) matches every request it would",
                        later->id, earlier->id, earlier->pos.line);
            break;
        }
    }
}

static void lint_duplicates(const sw_policy *p, sw_diags *d)
{
    char field[80];
    for (size_t i = 0; i < p->rule_count; i++) {
        const sw_rule *r = &p->rules[i];
        for (int f = 0; f < SW_F_COUNT; f++) {
            const sw_matcher *m = &r->match[f];
            for (size_t b = 1; b < m->count; b++) {
                for (size_t a = 0; a < b; a++) {
                    const sw_pattern *pa = &m->patterns[a], *pb = &m->patterns[b];
                    if (!same_pattern((sw_field)f, pa->source, pb->source))
                        continue;
                    snprintf(field, sizeof field, "rules[%zu].match.%s[%zu]", i,
                             sw_field_name((sw_field)f), b);
                    char shown[SW_PRINTABLE_CAP];
                    /* Quoted on one line: a pattern may hold a newline. */
                    sw_diag_add(d, SW_SEV_WARNING, pb->pos.file, pb->pos.line,
                                pb->pos.column, field,
                                "duplicate pattern '%s' (already at line %u)",
                                sw_printable(pb->source, shown, sizeof shown), pa->pos.line);
                    break;
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Policy-wide settings that are easy to get wrong                      */
/* ------------------------------------------------------------------ */

static void lint_settings(const sw_policy *p, sw_diags *d)
{
    const char *file = p->file_count ? p->files[0] : "";
    if (p->on_error == SW_ALLOW)
        sw_diag_add(d, SW_SEV_WARNING, file, 0, 0, "on_error",
                    "on_error: allow lets through anyone who can make evaluation "
                    "fail (for example with a name that exhausts a regex limit); "
                    "use deny");
    if (p->default_action != SW_ALLOW)
        return;
    /* Host aliases only defeat rules that name hosts; a share-only deny
     * (C$ on any host) holds whatever the host is called. */
    for (size_t i = 0; i < p->rule_count; i++) {
        const sw_rule *r = &p->rules[i];
        if (r->action != SW_DENY || r->staged ||
            !(r->fields & (SW_FIELD_BIT(SW_F_SERVER) | SW_FIELD_BIT(SW_F_UNC))))
            continue;
        char field[48];
        snprintf(field, sizeof field, "rules[%zu]", i);
        sw_diag_add(d, SW_SEV_WARNING, r->pos.file, r->pos.line, r->pos.column,
                    field,
                    "rule '%s' denies by host under default: allow: an alias of "
                    "the host (its IP address, another DNS name) is not denied; "
                    "an allow-list with default: deny does not have this gap",
                    r->id);
        return; /* once per policy: it is a property of the whole design */
    }
}

/* ------------------------------------------------------------------ */
/* The policy's tests, and the rules they never exercise                */
/* ------------------------------------------------------------------ */

typedef struct exercised {
    unsigned char *seen; /* per rule: matched in some test */
} exercised;

static void note_match(void *ctx, const sw_trace *t)
{
    exercised *x = ctx;
    if (t->kind == SW_TRACE_RULE && t->matched)
        x->seen[t->rule_index] = 1;
}

static void describe(char *buf, size_t cap, sw_action a, const char *rule)
{
    if (rule)
        snprintf(buf, cap, "%s (rule %s)", sw_action_name(a), rule);
    else
        snprintf(buf, cap, "%s", sw_action_name(a));
}

/* Returns the number of failing tests or a negative SW_E* code. */
static long run_tests(const sw_policy *p, sw_diags *d, exercised *x)
{
    long failed = 0;
    char field[32], want[320], got[320];
    for (size_t i = 0; i < p->test_count; i++) {
        const sw_policy_test *t = &p->tests[i].view;
        sw_decision dec;
        int rc = sw_decide_trace(p, &t->request, &dec, note_match, x);
        if (rc == SW_ENOMEM) {
            sw_decision_free(&dec);
            return SW_ENOMEM;
        }
        int ok = dec.action == t->expect &&
                 (!t->rule || strcmp(t->rule, dec.rule_id) == 0);
        if (!ok) {
            failed++;
            describe(want, sizeof want, t->expect, t->rule);
            describe(got, sizeof got, dec.action, dec.rule_id);
            snprintf(field, sizeof field, "tests[%zu]", i);
            /* The name is quoted on one line, control bytes escaped: a
             * test name must not forge lines in `sharewall check`. */
            char name[SW_PRINTABLE_CAP];
            sw_printable(t->request.remote ? t->request.remote : "", name, sizeof name);
            if (dec.reason)
                sw_diag_add(d, SW_SEV_ERROR, t->pos.file, t->pos.line, t->pos.column,
                            field, "test failed for '%s': expected %s, got %s: %s",
                            name, want, got, dec.reason);
            else
                sw_diag_add(d, SW_SEV_ERROR, t->pos.file, t->pos.line, t->pos.column,
                            field, "test failed for '%s': expected %s, got %s",
                            name, want, got);
        }
        sw_decision_free(&dec);
    }
    return failed;
}

static void lint_unexercised(const sw_policy *p, sw_diags *d, const exercised *x)
{
    char field[48];
    for (size_t i = 0; i < p->rule_count; i++) {
        if (x->seen[i])
            continue;
        const sw_rule *r = &p->rules[i];
        snprintf(field, sizeof field, "rules[%zu]", i);
        sw_diag_add(d, SW_SEV_WARNING, r->pos.file, r->pos.line, r->pos.column,
                    field, "no test exercises rule '%s' (add a test it decides)",
                    r->id);
    }
}

long sw_policy_lint(const sw_policy *p, sw_diags *diags, size_t *tests_run)
{
    if (tests_run)
        *tests_run = 0;
    if (!p)
        return SW_EINVAL;
    exercised x;
    x.seen = sw_calloc(p->rule_count ? p->rule_count : 1, 1);
    if (!x.seen)
        return SW_ENOMEM;

    lint_settings(p, diags);
    lint_shadowed(p, diags);
    lint_duplicates(p, diags);
    long failed = run_tests(p, diags, &x);
    if (failed >= 0 && p->test_count > 0)
        lint_unexercised(p, diags, &x);
    if (failed >= 0) {
        int rc = sw_lint_match_limits(p, diags);
        if (rc != SW_OK)
            failed = rc;
    }
    if (failed >= 0 && tests_run)
        *tests_run = p->test_count;
    sw_free(x.seen);
    return failed;
}
