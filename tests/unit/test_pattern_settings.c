/* The inline-settings scan (pattern_settings.h), as a table. Each row says
 * whether the pattern must be refused and where; rows that carry a subject
 * are also checked against PCRE2 itself, so the table cannot drift from
 * what the library does: a refused row's setting must really make PCRE2
 * case-sensitive (the subject matches, its case-swapped twin does not),
 * and an accepted row's look-alike text must really be text (both match).
 * Run against PCRE2 10.42 and 10.45, the results must be the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pattern_settings.h"

#define OPTIONS                                                             \
    (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_ANCHORED |              \
     PCRE2_ENDANCHORED | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C)

typedef struct row {
    const char *pattern;
    int refused;
    size_t offset;       /* of the refused construct                     */
    const char *subject; /* NULL: no behavioural check (PCRE2 rejects it,
                          * or the setting is not about case)            */
} row;

static const row rows[] = {
    /* The settings themselves. */
    {"(?-i)secret", 1, 0, "secret"},
    {"se(?-i)cret", 1, 2, "secret"},
    {"(?i-i)a", 1, 0, "a"},
    {"(?s-i)a", 1, 0, "a"},
    {"(?-si)a", 1, 0, "a"},
    {"x(?-i:a)", 1, 1, "xa"},
    {"(?^)a", 1, 0, "a"},
    {"(?^i)a", 1, 0, NULL},
    {"(?^s:a)", 1, 0, "a"},
    {"(?m)a", 1, 0, NULL},
    {"(?im)a", 1, 0, NULL},
    {"(?aD)\\d", 1, 0, NULL},
    {"(?a)a", 1, 0, NULL},
    {"(?r)k", 1, 0, NULL},
    {"(?-r)k", 1, 0, NULL},
    {"(?z)a", 1, 2, NULL},  /* unknown letter: fail closed */
    {"(?i x)a", 1, 3, NULL}, /* no spaces inside a setting, even in (?x) */
    {"(?C1)a", 1, 0, NULL},
    {"(?C'(')a", 1, 0, NULL},
    {"(?[a])", 1, 0, NULL},
    /* Start-of-pattern settings (all of PCRE2 10.45's), and their
     * spellings PCRE2 does not take as settings. */
    {"(*UTF)a", 1, 0, NULL},
    {"(*UTF8)a", 1, 0, NULL},
    {"(*UCP)a", 1, 0, NULL},
    {"(*NO_JIT)a", 1, 0, NULL},
    {"(*NO_START_OPT)a", 1, 0, NULL},
    {"(*NO_AUTO_POSSESS)a", 1, 0, NULL},
    {"(*NO_DOTSTAR_ANCHOR)a", 1, 0, NULL},
    {"(*NOTEMPTY)a", 1, 0, NULL},
    {"(*NOTEMPTY_ATSTART)a", 1, 0, NULL},
    {"(*LIMIT_MATCH=1)a", 1, 0, NULL},
    {"(*LIMIT_HEAP=1)a", 1, 0, NULL},
    {"(*LIMIT_DEPTH=1)a", 1, 0, NULL},
    {"(*LIMIT_RECURSION=1)a", 1, 0, NULL},
    {"(*CR)a", 1, 0, NULL},
    {"(*LF)a", 1, 0, NULL},
    {"(*CRLF)a", 1, 0, NULL},
    {"(*ANY)a", 1, 0, NULL},
    {"(*ANYCRLF)a", 1, 0, NULL},
    {"(*NUL)a", 1, 0, NULL},
    {"(*BSR_ANYCRLF)a", 1, 0, NULL},
    {"(*BSR_UNICODE)a", 1, 0, NULL},
    {"(*CASELESS_RESTRICT)a", 1, 0, NULL},
    {"(*TURKISH_CASING)i", 1, 0, NULL},
    {"(*FAIL)|a", 0, 0, "a"},
    {"(*F)|a", 0, 0, "a"},
    {"(*ACCEPT)a", 0, 0, ""},
    {"(*COMMIT)a", 0, 0, "a"},
    {"a(*SKIP)b", 0, 0, "ab"},
    {"(*MARK:m)a", 0, 0, "a"},

    /* Look-alikes that are text: must load, and PCRE2 must agree they
     * change nothing. */
    {"\\Q(?-i)\\Ea", 0, 0, "(?-i)a"},
    {"\\Qab(?-i)", 0, 0, "ab(?-i)"},
    {"[(?-i)]a", 0, 0, "ia"},
    {"[\\Q]\\E(?-i)]a", 0, 0, "]a"},
    {"[[:alpha:](?-i)]a", 0, 0, "ba"},
    {"[[:^digit:](?-i)]", 0, 0, "q"},
    {"(?#(?-i)a", 0, 0, "a"},
    {"(?#[)a", 0, 0, "a"},
    {"(?x)a # (?-i)", 0, 0, "a"},
    {"(?x)(a)#(?-i)b", 0, 0, "a"},
    {"(?x)[#(?-i)a]", 0, 0, "a"},
    {"(?xx)[ ](?-i)a]", 0, 0, "a"},
    {"(?i)(?x)a#(?-i)", 0, 0, "a"},
    {"(*MARK:x(?-i)a", 0, 0, "a"},
    {"(*:[)a]", 0, 0, "a]"},
    {"(?-s)a", 0, 0, "a"},
    {"(?-x)a", 0, 0, "a"},
    {"(?-m)a", 0, 0, "a"},
    {"(?s:.*)", 0, 0, "ab"},
    {"(?n)(a)", 0, 0, "a"},
    {"(?U)a+", 0, 0, "aa"},
    {"(?J)(?<n>a)|(?<n>b)", 0, 0, "b"},
    {"(?i)a", 0, 0, "a"},
    {"(?|(a)|(b))", 0, 0, "b"},
    {"(a)(?-1)", 0, 0, "aa"},
    {"(a)(?+1)(b)", 0, 0, "abb"},
    {"(?<n>a)\\k<n>", 0, 0, "aa"},
    {"(?(DEFINE)(?<w>x))a(?&w)", 0, 0, "ax"},
    {"(*pla:a)a", 0, 0, "a"},
    {"(?=a)a", 0, 0, "a"},
    {"\\x{28}a", 0, 0, "(a"},
    {"[[:<:]]a", 0, 0, "a"},

    /* Text that ends where PCRE2 ends it, so the setting after it is
     * real and must be refused. */
    {"[]](?-i)a", 1, 3, "]a"},
    {"[^]](?-i)a", 1, 4, "xa"},
    {"[\\]](?-i)a", 1, 4, "]a"},
    {"[\\\\](?-i)a", 1, 4, "\\a"},
    {"[[:a](?-i)b", 1, 5, ":b"},
    {"[[:alpha:]](?-i)a", 1, 11, "ba"},
    {"\\[(?-i)a\\]", 1, 2, "[a]"},
    {"\\\\(?-i)a", 1, 2, "\\a"},
    {"\\E(?-i)a", 1, 2, "a"},
    {"x\\Q\\E(?-i)a", 1, 5, "xa"},
    {"\\Q(\\E(?-i)a", 1, 5, "(a"},
    {"(?#[)(?-i)a", 1, 5, "a"},
    {"(*:[)(?-i)a]", 1, 5, "a]"},
    {"(*MARK:\\)(?-i)a", 1, 9, "a"},
    {"\\c\\(?-i)a", 1, 3, "\x1c" "a"},
    {"[\\c]](?-i)a", 1, 5, "\x1d" "a"},
    {"(?x)[ ](?-i)a", 1, 7, " a"},
    {"(?x)[#](?-i)a", 1, 7, "#a"},
    {"(?x)\\#(?-i)a", 1, 6, "#a"},
    {"(?x)\\Q#\\E(?-i)a", 1, 9, "#a"},
    {"(?x)(?-x)#(?-i)a", 1, 10, "#a"},
    {"(?x:a)#(?-i)b", 1, 7, "a#b"},
    {"(a(?x))#(?-i)b", 1, 8, "a#b"},
    {"(?xx)(?x)[ ](?-i)a", 1, 12, " a"},
    {"(?x)(?xx)(?-x)[ ](?-i)a", 1, 17, " a"},
    {"(?(DEFINE)(?<w>x))(?-i)b", 1, 18, "b"},
    {"(*pla:a)(?-i)a", 1, 8, "a"},
    {"\\x{28}?(?-i)a", 1, 7, "a"},
    {"\\N{U+28}(?-i)a", 1, 8, "(a"},
    {"(?-1)(a)(?-i)b", 1, 8, NULL},
};

static void swap_case(const char *s, char *out)
{
    for (; *s; s++, out++)
        *out = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ? (char)(*s ^ 0x20) : *s;
    *out = '\0';
}

static int matches(const pcre2_code *code, const char *subject)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    int rc = pcre2_match(code, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const row *r = &rows[i];
        size_t off = 99;
        const char *why = NULL;
        int got = sw_pattern_settings_check(r->pattern, strlen(r->pattern), &off, &why);
        if (got != r->refused || (got && off != r->offset)) {
            fprintf(stderr, "row %zu '%s': refused %d at %zu (%s), expected %d at %zu\n", i,
                    r->pattern, got, off, why ? why : "-", r->refused, r->offset);
            fail();
        }
        assert_true(got ? why != NULL : why == NULL);
        if (!r->subject)
            continue;
        int err;
        PCRE2_SIZE eoff;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)r->pattern, strlen(r->pattern),
                                         OPTIONS, &err, &eoff, NULL);
        if (!code) {
            fprintf(stderr, "row %zu '%s': PCRE2 does not compile it (error %d at %zu)\n",
                    i, r->pattern, err, (size_t)eoff);
            fail();
        }
        char swapped[64];
        swap_case(r->subject, swapped);
        if (!matches(code, r->subject) || matches(code, swapped) != !r->refused) {
            fprintf(stderr, "row %zu '%s': PCRE2 disagrees on '%s' / '%s'\n", i,
                    r->pattern, r->subject, swapped);
            fail();
        }
        pcre2_code_free(code);
    }
}

/* Every refused row with a subject shows the setting is real; check the
 * table has enough of them to mean something. */
static void table_is_balanced(void **state)
{
    (void)state;
    size_t real = 0, text = 0;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        if (!rows[i].subject)
            continue;
        if (rows[i].refused)
            real++;
        else
            text++;
    }
    assert_true(real >= 30);
    assert_true(text >= 30);
}

/* The second line of defence reads what PCRE2 compiled: each start
 * setting, compiled without the scan, is caught. */
static void verify_reads_the_compiled_pattern(void **state)
{
    (void)state;
    static const char *const caught[] = {
        "(*LIMIT_MATCH=5)a", "(*LIMIT_DEPTH=5)a", "(*LIMIT_HEAP=5)a", "(*CR)a",
        "(*ANY)a",           "(*BSR_ANYCRLF)a",   "(*NO_START_OPT)a",
    };
    static const char *const clean[] = {"a", "(?x) a b", "[a-z]+\\d{2}", "(?s:.*)"};
    int err;
    PCRE2_SIZE eoff;
    for (size_t i = 0; i < sizeof caught / sizeof *caught; i++) {
        pcre2_code *c = pcre2_compile((PCRE2_SPTR)caught[i], PCRE2_ZERO_TERMINATED, OPTIONS,
                                      &err, &eoff, NULL);
        assert_non_null(c);
        if (!sw_pattern_settings_verify(c)) {
            fprintf(stderr, "not caught: %s\n", caught[i]);
            fail();
        }
        pcre2_code_free(c);
    }
    for (size_t i = 0; i < sizeof clean / sizeof *clean; i++) {
        pcre2_code *c = pcre2_compile((PCRE2_SPTR)clean[i], PCRE2_ZERO_TERMINATED, OPTIONS,
                                      &err, &eoff, NULL);
        assert_non_null(c);
        assert_null(sw_pattern_settings_verify(c));
        pcre2_code_free(c);
    }
}

/* Through the loader: the error names the field and points at the
 * setting, and a refused pattern rejects the policy. */
static void loader_reports_position(void **state)
{
    (void)state;
    static const char text[] = "version: 1\nrules:\n"
                               "  - id: r\n    action: allow\n"
                               "    match: { share: 'pub(?-i)lic' }\n";
    sw_policy *p = NULL;
    sw_diags d;
    sw_diags_init(&d);
    assert_int_equal(sw_policy_load_buffer("t.yaml", text, strlen(text), &p, &d), SW_EINVAL);
    assert_null(p);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].pos.line, 5);
    assert_int_equal(d.items[0].pos.column, 25);
    assert_string_equal(d.items[0].field, "rules[0].match.share");
    assert_string_equal(d.items[0].message,
                        "pattern refused: (?-i) turns off case-insensitive matching, "
                        "which every pattern has");
    sw_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(table_is_balanced),
        cmocka_unit_test(verify_reads_the_compiled_pattern),
        cmocka_unit_test(loader_reports_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
