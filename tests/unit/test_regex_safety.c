/* Regex safety: catastrophic patterns against adversarial names.
 *
 * A user who can pick the name of a share can feed the regex engine the
 * worst input for an admin's pattern. Every match is bounded
 * (SW_MATCH_LIMIT, SW_DEPTH_LIMIT, SW_HEAP_LIMIT_KIB and the JIT stack),
 * so the decision always comes back — as on_error, with a reason naming
 * the limit. No test here measures time: a missing bound shows up as a
 * hang (CTest's timeout), a wrong one as a wrong decision or reason.
 *
 * on_error is the policy's choice: deny fails closed; allow lets such a
 * name through, which is why `sharewall check` warns about both the
 * setting and the patterns (checked at the end). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sharewall/sharewall.h"

/* Three classic blow-ups, each on its own field, and a deny rule in front
 * that a name reaches before any of them. Every catastrophic rule allows,
 * so an error that fell through to a match or to the default would show
 * as the wrong decision. */
#define RULES                                                               \
    "rules:\n"                                                              \
    "  - { id: deny-secret, action: deny, match: { server: secret } }\n"    \
    "  - { id: nested, action: allow, match: { share: '(a+)+$' } }\n"       \
    "  - { id: alternation, action: allow, match: { path: '\\\\(a|aa)+b' } }\n" \
    "  - { id: star-power, action: allow, match: { server: '(.*a){12}' } }\n"

static const char DENY_ON_ERROR[] =
    "version: 1\ndefault: deny\non_error: deny\n" RULES;
static const char ALLOW_ON_ERROR[] =
    "version: 1\ndefault: deny\non_error: allow\n" RULES;

static sw_policy *load(const char *yaml)
{
    sw_policy *p = NULL;
    sw_diags d;
    sw_diags_init(&d);
    int rc = sw_policy_load_buffer("regex.yaml", yaml, strlen(yaml), &p, &d);
    for (size_t i = 0; i < d.count; i++)
        print_message("%u:%u: %s\n", d.items[i].pos.line, d.items[i].pos.column,
                      d.items[i].message);
    sw_diags_free(&d);
    assert_int_equal(rc, SW_OK);
    return p;
}

/* Adversarial names, built to make each pattern backtrack. */
static char nested_name[64];      /* \\fs01\aaaa...a! : (a+)+ on the share */
static char alternation_name[96]; /* \\fs01\x\aaaa...a\b : (a|aa)+ on the path */
static char star_name[64];        /* \\aaaa...ab\x : (.*a){12} on the host */
static char long_path_name[4200]; /* (a|aa)+ on a 4000-character path */

static void build_names(void)
{
    char run[81];
    memset(run, 'a', 60);
    run[60] = '\0';
    snprintf(nested_name, sizeof nested_name, "\\\\fs01\\%.40s!", run);
    snprintf(alternation_name, sizeof alternation_name, "\\\\fs01\\x\\%.50s\\b", run);
    snprintf(star_name, sizeof star_name, "\\\\%.40sb\\x", run);
    /* The alternation rule again, on a path of 4000 characters (segments
     * of 99 a's): a subject far longer than any probe. */
    size_t n = (size_t)snprintf(long_path_name, sizeof long_path_name, "\\\\fs01\\x");
    while (n + 100 < sizeof long_path_name - 3) {
        long_path_name[n] = '\\';
        memset(long_path_name + n + 1, 'a', 99);
        n += 100;
    }
    memcpy(long_path_name + n, "\\b", 3);
}

static int setup(void **state)
{
    (void)state;
    build_names();
    return 0;
}

static void decide(const sw_policy *p, const char *remote, sw_decision *d)
{
    sw_request r;
    sw_request_init(&r);
    r.remote = remote;
    assert_int_equal(sw_decide(p, &r, d), SW_OK);
}

/* An adversarial name ends as on_error, with a reason naming a limit. */
static void expect_limit_error(const sw_policy *p, const char *remote, sw_action on_error)
{
    sw_decision d;
    decide(p, remote, &d);
    if (d.basis != SW_BASIS_ERROR)
        print_message("%.60s: decided %s by %s\n", remote, sw_action_name(d.action), d.rule_id);
    assert_int_equal(d.basis, SW_BASIS_ERROR);
    assert_int_equal(d.action, on_error);
    assert_string_equal(d.rule_id, "error");
    assert_int_equal(d.rule_index, -1);
    assert_non_null(d.reason);
    if (!strstr(d.reason, "limit exceeded"))
        fail_msg("reason does not name a limit: %s", d.reason);
    sw_decision_free(&d);
}

static void expect_decision(const sw_policy *p, const char *remote, sw_action action,
                            const char *rule)
{
    sw_decision d;
    decide(p, remote, &d);
    assert_int_equal(d.action, action);
    assert_string_equal(d.rule_id, rule);
    assert_null(d.reason);
    sw_decision_free(&d);
}

static void on_error_deny_fails_closed(void **state)
{
    (void)state;
    sw_policy *p = load(DENY_ON_ERROR);
    expect_limit_error(p, nested_name, SW_DENY);
    expect_limit_error(p, alternation_name, SW_DENY);
    expect_limit_error(p, star_name, SW_DENY);
    expect_limit_error(p, long_path_name, SW_DENY);
    sw_policy_free(p);
}

/* The documented weakness of on_error: allow, pinned down so nobody can
 * believe it is safe: the same names get through. */
static void on_error_allow_lets_errors_through(void **state)
{
    (void)state;
    sw_policy *p = load(ALLOW_ON_ERROR);
    expect_limit_error(p, nested_name, SW_ALLOW);
    expect_limit_error(p, alternation_name, SW_ALLOW);
    expect_limit_error(p, star_name, SW_ALLOW);
    sw_policy_free(p);
}

/* The bounds change nothing for ordinary names: the same patterns match
 * and fail as usual, and a deny rule in front still decides first even
 * when the name would blow up a later pattern. */
static void ordinary_names_decide_normally(void **state)
{
    (void)state;
    sw_policy *p = load(ALLOW_ON_ERROR);
    expect_decision(p, "\\\\fs01\\aaaa", SW_ALLOW, "nested");
    expect_decision(p, "\\\\fs01\\x\\aaab", SW_ALLOW, "alternation");
    expect_decision(p, "\\\\fs01\\x\\y", SW_DENY, "default");
    char secret[96];
    snprintf(secret, sizeof secret, "\\\\secret\\%.40s!", nested_name + 7);
    expect_decision(p, secret, SW_DENY, "deny-secret");
    sw_policy_free(p);
}

/* Many threads are not needed to show the bound is per call: the same
 * adversarial name decided repeatedly gives the same verdict each time
 * (no state carried between calls, no growing cost). */
static void bound_is_per_decision(void **state)
{
    (void)state;
    sw_policy *p = load(DENY_ON_ERROR);
    for (int i = 0; i < 20; i++)
        expect_limit_error(p, nested_name, SW_DENY);
    expect_decision(p, "\\\\fs01\\aaaa", SW_ALLOW, "nested");
    sw_policy_free(p);
}

/* explain shows where it happened: the field, the pattern and the error. */
typedef struct trace_seen {
    int field_error;
    const char *pattern;
    const char *error;
} trace_seen;

static void on_trace(void *ctx, const sw_trace *t)
{
    trace_seen *s = ctx;
    if (t->kind == SW_TRACE_FIELD && t->error) {
        s->field_error++;
        s->pattern = t->pattern;
        s->error = t->error;
    }
}

static void explain_names_the_pattern(void **state)
{
    (void)state;
    sw_policy *p = load(DENY_ON_ERROR);
    sw_request r;
    sw_request_init(&r);
    r.remote = nested_name;
    sw_decision d;
    trace_seen seen = {0, NULL, NULL};
    assert_int_equal(sw_decide_trace(p, &r, &d, on_trace, &seen), SW_OK);
    assert_int_equal(d.basis, SW_BASIS_ERROR);
    assert_int_equal(seen.field_error, 1);
    assert_string_equal(seen.pattern, "(a+)+$");
    assert_non_null(strstr(seen.error, "limit exceeded"));
    sw_decision_free(&d);
    sw_policy_free(p);
}

/* `sharewall check`: a warning for each catastrophic pattern its probe
 * can trigger (named by its field), none for the plain deny rule, plus
 * the on_error: allow warning — including rules[2]'s '\\(a|aa)+b', which
 * only a subject starting with its literal prefix can reach. */
static size_t count_warnings(const sw_diags *d, const char *field_part, const char *msg_part)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == SW_SEV_WARNING && strstr(d->items[i].field, field_part) &&
            strstr(d->items[i].message, msg_part))
            n++;
    return n;
}

static void check_warns_about_the_patterns(void **state)
{
    (void)state;
    sw_policy *p = load(ALLOW_ON_ERROR);
    sw_diags d;
    sw_diags_init(&d);
    size_t run = 0;
    assert_true(sw_policy_lint(p, &d, &run) >= 0);
    for (size_t i = 0; i < d.count; i++)
        print_message("  [%s] %s\n", d.items[i].field, d.items[i].message);
    assert_int_equal(count_warnings(&d, "rules[1].match.share", "match limit"), 1);
    assert_int_equal(count_warnings(&d, "rules[2].match.path", "match limit"), 1);
    assert_int_equal(count_warnings(&d, "rules[3].match.server", "match limit"), 1);
    assert_int_equal(count_warnings(&d, "rules[0]", "match limit"), 0);
    assert_true(count_warnings(&d, "on_error", "") >= 1);
    sw_diags_free(&d);
    sw_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(on_error_deny_fails_closed),
        cmocka_unit_test(on_error_allow_lets_errors_through),
        cmocka_unit_test(ordinary_names_decide_normally),
        cmocka_unit_test(bound_is_per_decision),
        cmocka_unit_test(explain_names_the_pattern),
        cmocka_unit_test(check_warns_about_the_patterns),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
