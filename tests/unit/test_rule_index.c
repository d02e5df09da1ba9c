/* The host index must never change a decision: for every name, deciding
 * with the index equals the plain ordered scan of every rule (first match
 * preserved). The patterns here are the ones a literal extractor gets
 * wrong: quantified last characters, alternations at every depth, anchors,
 * escapes, classes, comments, inline options, unc prefixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "decide_internal.h"
#include "policy_internal.h"
#include "rule_index.h"
#include "sharewall/sharewall.h"

static const char TRICKY[] =
    "version: 1\n"
    "default: allow\n"
    "rules:\n"
    "  - { id: exact,    action: deny, match: { server: 'fs01' } }\n"
    "  - { id: upper,    action: deny, match: { server: 'FS02' } }\n"
    "  - { id: quant,    action: deny, match: { server: 'fs0?3' } }\n"
    "  - { id: alt,      action: deny, match: { server: 'fs04|fs05' } }\n"
    "  - { id: group,    action: deny, match: { server: '(fs06|fs07)' } }\n"
    "  - { id: caret,    action: deny, match: { server: '^fs08' } }\n"
    "  - { id: dollar,   action: deny, match: { server: 'fs09$' } }\n"
    "  - { id: prefix,   action: deny, match: { server: 'ext\\..*' } }\n"
    "  - { id: class,    action: deny, match: { server: '[f]s10' } }\n"
    "  - { id: dot,      action: deny, match: { server: 'f.11' } }\n"
    "  - { id: digit,    action: deny, match: { server: 'fs1\\d' } }\n"
    "  - { id: quote,    action: deny, match: { server: '\\Qfs13\\E' } }\n"
    "  - { id: comment,  action: deny, match: { server: 'ab(?#(|)|cd' } }\n"
    "  - { id: posix,    action: deny, match: { server: 'gh[[:alpha:][]|ij' } }\n"
    "  - { id: inline,   action: deny, match: { server: 'kl(?x) m|no' } }\n"
    "  - { id: nested,   action: deny, match: { server: 'pq(r|s)|tu' } }\n"
    "  - { id: hexesc,   action: deny, match: { server: 'fs15\\x2ecorp' } }\n"
    "  - { id: plus,     action: deny, match: { server: 'fs16+' } }\n"
    "  - { id: brace,    action: deny, match: { server: 'fs17{2}' } }\n"
    "  - { id: list,     action: deny, match: { server: ['fs18', 'fs18\\.corp\\.example\\.com'] } }\n"
    "  - { id: mixed,    action: deny, match: { server: ['fs19', '.*\\.lab'] } }\n"
    "  - { id: unc,      action: deny, match: { unc: '\\\\\\\\fs20\\\\secret(\\\\.*)?' } }\n"
    "  - { id: uncpre,   action: deny, match: { unc: '\\\\\\\\fs21.*' } }\n"
    "  - { id: uncalt,   action: deny, match: { unc: '\\\\\\\\fs22\\\\a|\\\\\\\\fs23\\\\b' } }\n"
    "  - { id: both,     action: deny, match: { server: 'fs24', unc: '.*\\\\x' } }\n"
    "  - { id: staged,   action: deny, stage: true, match: { server: 'fs25' } }\n"
    "  - { id: after,    action: allow, match: { server: 'fs25' } }\n"
    "  - { id: lookahd,  action: deny, match: { server: 'fs26(?=x)x' } }\n"
    "  - { id: named,    action: deny, match: { server: '(?<n>fs27)' } }\n"
    "  - { id: verb,     action: deny, match: { server: 'zz(*ACCEPT)|fs28' } }\n"
    "  - { id: esc-dash, action: deny, match: { server: 'fs\\-29' } }\n"
    "  - { id: share,    action: deny, match: { share: 'admin\\$' } }\n"
    "  - { id: catch,    action: allow, match: { server: 'fs.*' } }\n";

/* Hosts that exercise every rule above, and near misses. */
static const char *const HOSTS[] = {
    "fs01", "fs02", "fs03", "fs3", "fs003", "fs04", "fs05", "fs06", "fs07", "fs08",
    "fs09", "ext.x", "ext", "extx", "fs10", "f.11", "fx11", "f11", "fs12", "fs1x",
    "fs13", "ab", "cd", "gh", "ij", "ghx", "klm", "no", "pqr", "pqs", "tu", "fs15.corp",
    "fs16", "fs166", "fs1", "fs177", "fs17", "fs18", "fs18.corp.example.com",
    "fs19", "x.lab", "fs20", "fs21", "fs21x", "fs22", "fs23", "fs24", "fs25", "fs26x",
    "fs27", "zz", "fs28", "fs-29", "other", "localhost", "127.0.0.1", "fs01.corp"};
static const char *const TAILS[] = {"\\s", "\\secret", "\\secret\\deep", "\\a", "\\b",
                                    "\\x", "\\admin$", "\\share\\x", ""};

static void test_index_equals_ordered_scan(void **state)
{
    (void)state;
    sw_policy *p = NULL;
    sw_diags d;
    sw_diags_init(&d);
    int rc = sw_policy_load_buffer("tricky.yaml", TRICKY, strlen(TRICKY), &p, &d);
    if (rc != SW_OK && d.count)
        fail_msg("%u:%u: %s", d.items[0].pos.line, d.items[0].pos.column, d.items[0].message);
    assert_int_equal(rc, SW_OK);
    sw_diags_free(&d);

    size_t compared = 0, denied = 0;
    for (size_t h = 0; h < sizeof HOSTS / sizeof HOSTS[0]; h++) {
        for (size_t t = 0; t < sizeof TAILS / sizeof TAILS[0]; t++) {
            char name[256];
            snprintf(name, sizeof name, "\\\\%s%s", HOSTS[h], TAILS[t]);
            sw_request req;
            sw_request_init(&req);
            req.remote = name;
            sw_decision a, b;
            sw_decide(p, &req, &a);
            sw_decide_ordered_scan(p, &req, &b);
            if (a.action != b.action || strcmp(a.rule_id, b.rule_id) != 0 ||
                a.staged_total != b.staged_total)
                fail_msg("%s: index %s (%s), scan %s (%s)", name, a.rule_id,
                         sw_action_name(a.action), b.rule_id, sw_action_name(b.action));
            denied += a.action == SW_DENY;
            compared++;
            sw_decision_free(&a);
            sw_decision_free(&b);
        }
    }
    assert_true(compared > 400);
    assert_true(denied > 100); /* the comparison is not vacuous */
    sw_policy_free(p);
}

/* Spot checks that the tricky rules do decide what they should, so the
 * equality above compares real matches. */
static void expect_rule(const sw_policy *p, const char *name, const char *rule)
{
    sw_request req;
    sw_decision dec;
    sw_request_init(&req);
    req.remote = name;
    sw_decide(p, &req, &dec);
    if (strcmp(dec.rule_id, rule) != 0)
        fail_msg("%s: decided by %s, expected %s", name, dec.rule_id, rule);
    sw_decision_free(&dec);
}

static void test_tricky_rules_decide(void **state)
{
    (void)state;
    sw_policy *p = NULL;
    assert_int_equal(sw_policy_load_buffer("t", TRICKY, strlen(TRICKY), &p, NULL), SW_OK);
    expect_rule(p, "\\\\fs3\\s", "quant");
    expect_rule(p, "\\\\cd\\s", "comment");
    expect_rule(p, "\\\\ij\\s", "posix");
    expect_rule(p, "\\\\no\\s", "inline");
    expect_rule(p, "\\\\tu\\s", "nested");
    expect_rule(p, "\\\\fs166\\s", "plus");
    expect_rule(p, "\\\\x.lab\\s", "mixed");
    expect_rule(p, "\\\\fs20\\secret\\deep", "unc");
    expect_rule(p, "\\\\fs23\\b", "uncalt");
    expect_rule(p, "\\\\fs25\\s", "after");
    expect_rule(p, "\\\\fs28\\s", "verb");
    expect_rule(p, "\\\\other\\admin$", "share");
    expect_rule(p, "\\\\other\\s", "default");
    sw_policy_free(p);
}

/* What is filed and what stays generic. */
static void test_generic_rules(void **state)
{
    (void)state;
    static const char two[] =
        "version: 1\nrules:\n"
        "  - { id: a, action: allow, match: { server: 'fs01|fs02' } }\n"
        "  - { id: b, action: allow, match: { server: '.*' } }\n"
        "  - { id: c, action: allow, match: { unc: '\\\\\\\\fs03\\\\x' } }\n"
        "  - { id: d, action: allow, match: { share: 'x' } }\n"
        "  - { id: e, action: allow, match: { server: '(?i)fs04' } }\n";
    sw_policy *p = NULL;
    assert_int_equal(sw_policy_load_buffer("g", two, strlen(two), &p, NULL), SW_OK);
    assert_non_null(p->index);
    assert_int_equal(sw_rule_index_generic_count(p->index), 3); /* b, d, e */
    sw_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_equals_ordered_scan),
        cmocka_unit_test(test_tricky_rules_decide),
        cmocka_unit_test(test_generic_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
