/* sw_policy_lint: each warning fires where it must, and — the harder half —
 * stays silent where the policy is fine. A linter that warns falsely is
 * soon ignored, so most cases here are near misses that must NOT warn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sharewall/sharewall.h"

typedef struct linted {
    sw_diags d;
    long failed;
    size_t tests_run;
} linted;

/* Loads text (which must be valid) and lints it. */
static void lint_text(const char *text, linted *out)
{
    sw_policy *p = NULL;
    sw_diags_init(&out->d);
    int rc = sw_policy_load_buffer("t.yaml", text, strlen(text), &p, &out->d);
    if (rc != SW_OK) {
        for (size_t i = 0; i < out->d.count; i++)
            fprintf(stderr, "%u:%u: %s: %s\n", out->d.items[i].pos.line,
                    out->d.items[i].pos.column, out->d.items[i].field,
                    out->d.items[i].message);
    }
    assert_int_equal(rc, SW_OK);
    out->failed = sw_policy_lint(p, &out->d, &out->tests_run);
    sw_policy_free(p);
}

/* Number of diagnostics whose message contains needle. */
static size_t count(const linted *l, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < l->d.count; i++)
        n += strstr(l->d.items[i].message, needle) != NULL;
    return n;
}

static void done(linted *l) { sw_diags_free(&l->d); }

#define HEAD "version: 1\ndefault: deny\nrules:\n"
#define SHADOW "can never match"

static void shadow_identical_and_catch_all(void **state)
{
    (void)state;
    linted l;
    lint_text(HEAD
              "  - { id: a, action: allow, match: { server: ['x', 'y'] } }\n"
              "  - { id: b, action: deny, match: { server: ['y', 'x'] } }\n"
              "  - { id: c, action: deny, match: { server: 'x', share: 'q' } }\n"
              "  - { id: all, action: deny, match: { share: '.*' } }\n"
              "  - { id: d, action: allow, match: { share: 's', user: 'u' } }\n",
              &l);
    assert_int_equal(count(&l, SHADOW), 3); /* b and c by a; d by all */
    assert_int_equal(count(&l, "rule 'b' can never match: the earlier rule 'a'"), 1);
    assert_int_equal(count(&l, "rule 'c' can never match: the earlier rule 'a'"), 1);
    assert_int_equal(count(&l, "rule 'd' can never match: the earlier rule 'all'"), 1);
    done(&l);
}

static void shadow_near_misses_stay_silent(void **state)
{
    (void)state;
    linted l;
    lint_text(HEAD
              /* staged: evaluation goes on past it */
              "  - { id: s, action: deny, stage: true, match: { share: '.*' } }\n"
              /* a later rule with a pattern the earlier lacks */
              "  - { id: a, action: allow, match: { server: ['x'] } }\n"
              "  - { id: b, action: deny, match: { server: ['x', 'z'] } }\n"
              /* the earlier rule tests a field the later one does not */
              "  - { id: c, action: allow, match: { server: 'k', share: 'q' } }\n"
              "  - { id: d, action: deny, match: { server: 'k' } }\n"
              /* same meaning, different spelling: not provably equal */
              "  - { id: e, action: allow, match: { server: 'M' } }\n"
              "  - { id: f, action: deny, match: { server: 'm' } }\n"
              /* `.*` is not a catch-all for raw fields (newlines) ... */
              "  - { id: g, action: allow, match: { user: '.*' } }\n"
              "  - { id: h, action: deny, match: { user: 'u' } }\n"
              /* ... and `.+` not for a path, which may be empty */
              "  - { id: i, action: allow, match: { path: '.+' } }\n"
              "  - { id: j, action: deny, match: { path: '' } }\n",
              &l);
    assert_int_equal(count(&l, SHADOW), 0);
    done(&l);
}

static void shadow_by_groups_ignores_ascii_case(void **state)
{
    (void)state;
    linted l;
    lint_text(HEAD
              "  - { id: a, action: allow, match: { group: ['CORP\\Admins', 'S-1-5-32-544'] } }\n"
              "  - { id: b, action: deny, match: { group: 'corp\\admins', share: 'c\\$' } }\n"
              "  - { id: c, action: deny, match: { group: 'CORP\\Users' } }\n"
              "  - { id: d, action: deny, match: { user: '(?s).*' } }\n"
              "  - { id: e, action: deny, match: { user: 'x' } }\n",
              &l);
    assert_int_equal(count(&l, "rule 'b' can never match"), 1);
    assert_int_equal(count(&l, "rule 'c' can never match"), 0);
    assert_int_equal(count(&l, "rule 'e' can never match: the earlier rule 'd'"), 1);
    done(&l);
}

static void duplicate_patterns(void **state)
{
    (void)state;
    linted l;
    lint_text(HEAD
              "  - { id: a, action: allow, match: { server: ['x', 'X', 'x'], group: ['G', 'g'] } }\n",
              &l);
    assert_int_equal(count(&l, "duplicate pattern"), 2);
    assert_int_equal(count(&l, "duplicate pattern 'x'"), 1);
    assert_int_equal(count(&l, "duplicate pattern 'g'"), 1);
    done(&l);
}

/* Names and patterns quoted in messages stay on one line: a policy must
 * not be able to forge extra lines in `sharewall check` output. */
static void quoted_values_stay_on_one_line(void **state)
{
    (void)state;
    linted l;
    lint_text(HEAD
              "  - { id: a, action: allow, match: { share: ['x\\ny', 'x\\ny'] } }\n"
              "tests:\n"
              "  - { unc: \"\\\\\\\\srv\\\\x\\nsrv.c:1:1: error: forged\", expect: allow }\n",
              &l);
    assert_int_equal(l.failed, 1);
    assert_int_equal(count(&l, "duplicate pattern 'x\\ny'"), 1);
    assert_int_equal(count(&l, "test failed for '\\\\srv\\x\\x0asrv.c:1:1"), 1);
    for (size_t i = 0; i < l.d.count; i++)
        assert_null(strchr(l.d.items[i].message, '\n'));
    done(&l);
}

static void settings(void **state)
{
    (void)state;
    linted l;
    lint_text("version: 1\ndefault: allow\non_error: allow\nrules:\n"
              "  - { id: admin, action: deny, match: { share: 'c\\$' } }\n"
              "  - { id: staged-host, action: deny, stage: true, match: { server: 'evil' } }\n",
              &l);
    assert_int_equal(count(&l, "on_error: allow lets through"), 1);
    /* share-only and staged deny rules have no alias gap */
    assert_int_equal(count(&l, "denies by host"), 0);
    done(&l);

    lint_text("version: 1\ndefault: allow\nrules:\n"
              "  - { id: h1, action: deny, match: { server: 'evil' } }\n"
              "  - { id: h2, action: deny, match: { unc: '.*evil.*' } }\n",
              &l);
    assert_int_equal(count(&l, "rule 'h1' denies by host under default: allow"), 1);
    assert_int_equal(count(&l, "denies by host"), 1); /* once per policy */
    assert_int_equal(count(&l, "on_error"), 0);
    done(&l);

    lint_text(HEAD "  - { id: h1, action: deny, match: { server: 'evil' } }\n", &l);
    assert_int_equal(count(&l, "denies by host"), 0); /* default deny */
    done(&l);
}

static void match_limit_probe(void **state)
{
    (void)state;
    linted l;
    lint_text(HEAD
              "  - { id: bad1, action: allow, match: { server: '(a|aa)+' } }\n"
              "  - { id: bad2, action: allow, match: { share: '(x+x+)+y' } }\n"
              "  - { id: ok1, action: allow, match: { server: ['fs\\d{2}\\.corp\\.example\\.com', '[a-z0-9-]+(\\.[a-z0-9-]+)*'] } }\n"
              "  - { id: ok2, action: allow, match: { path: '(\\\\[^\\\\]+)*' } }\n",
              &l);
    assert_int_equal(count(&l, "pattern may exhaust the match limit"), 2);
    for (size_t i = 0; i < l.d.count; i++)
        if (strstr(l.d.items[i].message, "exhaust"))
            assert_true(strstr(l.d.items[i].field, "rules[0]") ||
                        strstr(l.d.items[i].field, "rules[1]"));
    done(&l);
}

/* How many match-limit warnings one share pattern gets. */
static size_t probe_warnings(const char *pattern)
{
    char text[256];
    linted l;
    snprintf(text, sizeof text, HEAD "  - { id: r, action: deny, match: { share: \"%s\" } }\n",
             pattern);
    lint_text(text, &l);
    size_t n = count(&l, "pattern may exhaust the match limit");
    done(&l);
    return n;
}

/* The probe builds its subjects from each pattern's own pieces, so
 * ambiguity of any arity is found, not only the shapes someone listed;
 * and unambiguous near misses stay silent. */
static void match_limit_probe_systematic(void **state)
{
    (void)state;
    static const char *const slow[] = {
        "(?:abc|a|bc|ab|c)+",          /* each abc three ways */
        "(?:xyz|x|yz|xy|z)+q",         /* ... behind a required q */
        "(?:secret|sec|ret|se|cret)+x",
        "(?:abcd|ab|cd|a|bcd|abc|d)+",
        "((ab|a)(bc|c))+x",            /* two units overlapping */
        "(?:a|b|ab)+\\\\d",
        "(?:foo|fo|o|oo)+!",
        ".*.*.*=x",                    /* polynomial: adjacent repeats */
        "(\\\\w+\\\\s?)+z",
        "(a|aa)+",
    };
    static const char *const fine[] = {
        "(?:abc|abd)+",                /* alternatives never overlap */
        "(?:ab|cd)+x",
        "(\\\\d+\\\\.)+x",
        "(?:secret|public)(\\\\\\\\.*)?",
        "[a-z0-9-]+(\\\\.[a-z0-9-]+)*",
        "(?!admin\\\\$|[a-z]\\\\$).*",
        "fs\\\\d{2}(\\\\.corp\\\\.example\\\\.com)?",
        "(?:a|b)+c",
    };
    for (size_t i = 0; i < sizeof slow / sizeof *slow; i++) {
        if (probe_warnings(slow[i]) != 1) {
            fprintf(stderr, "not reported: %s\n", slow[i]);
            fail();
        }
    }
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        if (probe_warnings(fine[i]) != 0) {
            fprintf(stderr, "reported: %s\n", fine[i]);
            fail();
        }
    }
}

static void tests_fail_and_exercise(void **state)
{
    (void)state;
    linted l;
    lint_text(HEAD
              "  - { id: a, action: allow, match: { server: 'fs01' } }\n"
              "  - { id: b, action: deny, stage: true, match: { share: 'c\\$' } }\n"
              "  - { id: never, action: allow, match: { server: 'fs02' } }\n"
              "tests:\n"
              "  - { unc: '\\\\fs01\\c$', expect: allow, rule: a }\n"
              "  - { unc: '\\\\fs03\\x', expect: allow }\n"
              "  - { unc: '\\\\fs03\\x', expect: deny, rule: b }\n"
              "  - { unc: '\\\\fs03\\x', expect: deny, rule: default }\n"
              "  - { unc: '\\\\fs03\\c$', expect: deny, rule: default }\n",
              &l);
    assert_int_equal(l.failed, 2);
    assert_int_equal(l.tests_run, 5);
    assert_int_equal(sw_diags_errors(&l.d), 2);
    assert_int_equal(count(&l, "test failed for '\\\\fs03\\x': expected allow, got deny (rule default)"), 1);
    assert_int_equal(count(&l, "expected deny (rule b), got deny (rule default)"), 1);
    /* b matched as a staged rule in the last test: exercised */
    assert_int_equal(count(&l, "no test exercises rule 'b'"), 0);
    assert_int_equal(count(&l, "no test exercises rule 'a'"), 0);
    assert_int_equal(count(&l, "no test exercises rule 'never'"), 1);
    done(&l);

    /* Without a tests: section, untested rules are not worth a warning. */
    lint_text(HEAD "  - { id: a, action: allow, match: { server: 'fs01' } }\n", &l);
    assert_int_equal(l.d.count, 0);
    assert_int_equal(l.failed, 0);
    assert_int_equal(l.tests_run, 0);
    done(&l);
}

static void null_policy(void **state)
{
    (void)state;
    size_t run = 7;
    assert_int_equal(sw_policy_lint(NULL, NULL, &run), SW_EINVAL);
    assert_int_equal(run, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shadow_identical_and_catch_all),
        cmocka_unit_test(shadow_near_misses_stay_silent),
        cmocka_unit_test(shadow_by_groups_ignores_ascii_case),
        cmocka_unit_test(duplicate_patterns),
        cmocka_unit_test(quoted_values_stay_on_one_line),
        cmocka_unit_test(settings),
        cmocka_unit_test(match_limit_probe),
        cmocka_unit_test(match_limit_probe_systematic),
        cmocka_unit_test(tests_fail_and_exercise),
        cmocka_unit_test(null_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
