/* Literal patterns are matched without PCRE2 for ASCII subjects; the
 * result must be exactly PCRE2's under the policy's options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pattern_literal.h"
#include "sharewall/sharewall.h"

static void test_what_is_a_literal(void **state)
{
    (void)state;
    char out[64];
    size_t n;
    assert_true(sw_pattern_literal("FS01", 4, out, &n));
    assert_int_equal(n, 4);
    assert_memory_equal(out, "fs01", 4);
    assert_true(sw_pattern_literal("fs01\\.corp", 10, out, &n));
    assert_memory_equal(out, "fs01.corp", 9);
    assert_true(sw_pattern_literal("admin\\$", 7, out, &n));
    assert_memory_equal(out, "admin$", 6);
    assert_true(sw_pattern_literal("CORP\\\\svc", 9, out, &n));
    assert_memory_equal(out, "corp\\svc", 8);
    assert_true(sw_pattern_literal("", 0, out, &n));
    assert_int_equal(n, 0);
    /* Anything with meaning to PCRE2 is not a literal. */
    static const char *const not_literal[] = {"fs.1", "fs0?1", "a|b", "fs\\d", "^fs",
                                              "fs$", "(fs)", "[f]s", "fs\\", "fs\\x2e",
                                              "f s", "caf\xc3\xa9"};
    for (size_t i = 0; i < sizeof not_literal / sizeof not_literal[0]; i++)
        assert_false(sw_pattern_literal(not_literal[i], strlen(not_literal[i]), out, &n));
}

static const char *decide_share(const sw_policy *p, const char *name)
{
    static char rule[64];
    sw_request req;
    sw_decision d;
    sw_request_init(&req);
    req.remote = name;
    sw_decide(p, &req, &d);
    strncpy(rule, d.rule_id, sizeof rule - 1);
    rule[sizeof rule - 1] = '\0';
    sw_decision_free(&d);
    return rule;
}

/* Whole-value, caseless, and the Unicode case: U+212A KELVIN SIGN folds
 * to 'k' under UCP, which only PCRE2 knows — a non-ASCII subject must
 * take the PCRE2 path and still match the literal 'kit'. */
static void test_literal_matches_like_pcre2(void **state)
{
    (void)state;
    static const char pol[] =
        "version: 1\ndefault: allow\nrules:\n"
        "  - { id: kit, action: deny, match: { share: 'kit' } }\n"
        "  - { id: adm, action: deny, match: { share: 'admin\\$' } }\n";
    sw_policy *p = NULL;
    assert_int_equal(sw_policy_load_buffer("lit", pol, strlen(pol), &p, NULL), SW_OK);
    assert_string_equal(decide_share(p, "\\\\srv\\kit"), "kit");
    assert_string_equal(decide_share(p, "\\\\srv\\KIT"), "kit");
    assert_string_equal(decide_share(p, "\\\\srv\\\xe2\x84\xaait"), "kit");
    assert_string_equal(decide_share(p, "\\\\srv\\kits"), "default");
    assert_string_equal(decide_share(p, "\\\\srv\\xkit"), "default");
    assert_string_equal(decide_share(p, "\\\\srv\\ADMIN$"), "adm");
    assert_string_equal(decide_share(p, "\\\\srv\\admin"), "default");
    sw_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_what_is_a_literal),
        cmocka_unit_test(test_literal_matches_like_pcre2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
