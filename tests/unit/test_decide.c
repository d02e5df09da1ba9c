/* The decision engine: first match, AND/OR, anchoring, case and Unicode,
 * staged rules, fail-closed on malformed names and evaluation errors, and
 * the explain trace. Policies are real YAML through the loader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "sharewall/sharewall.h"

static sw_policy *load(const char *yaml)
{
    sw_diags d;
    sw_policy *p = NULL;
    sw_diags_init(&d);
    int rc = sw_policy_load_buffer("test.yaml", yaml, strlen(yaml), &p, &d);
    for (size_t i = 0; i < d.count; i++)
        print_error("%s:%u:%u: %s: %s\n", d.items[i].pos.file, d.items[i].pos.line,
                    d.items[i].pos.column, d.items[i].field, d.items[i].message);
    sw_diags_free(&d);
    assert_int_equal(rc, SW_OK);
    assert_non_null(p);
    return p;
}

/* Decides `remote` with the other request fields given, and checks the
 * action and the deciding rule id. */
static void expect_req(const sw_policy *p, const sw_request *q, sw_action action,
                       const char *rule)
{
    sw_decision d;
    int rc = sw_decide(p, q, &d);
    if (rc != SW_OK || d.action != action || strcmp(d.rule_id, rule) != 0)
        fail_msg("%s: got rc %d %s by %s (%s), want %s by %s", q->remote, rc,
                 sw_action_name(d.action), d.rule_id, d.reason ? d.reason : "-",
                 sw_action_name(action), rule);
    sw_decision_free(&d);
}

static void expect(const sw_policy *p, const char *remote, sw_action action,
                   const char *rule)
{
    sw_request q;
    sw_request_init(&q);
    q.remote = remote;
    expect_req(p, &q, action, rule);
}

static void test_first_match_and_default(void **state)
{
    (void)state;
    sw_policy *p = load(
        "version: 1\n"
        "default: deny\n"
        "rules:\n"
        "  - { id: public, action: allow, match: { share: public } }\n"
        "  - { id: block-fs01, action: deny, match: { server: fs01 } }\n"
        "  - { id: allow-fs01, action: allow, match: { server: fs01 } }\n");
    sw_decision d;
    sw_request q;
    sw_request_init(&q);
    q.remote = "\\\\fs01\\public";
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_int_equal(d.action, SW_ALLOW);
    assert_int_equal(d.basis, SW_BASIS_RULE);
    assert_string_equal(d.rule_id, "public");
    assert_int_equal(d.rule_index, 0);
    assert_null(d.reason);
    assert_int_equal(d.enforced, 1);
    assert_int_equal(d.staged_total, 0);
    assert_string_equal(d.canon.host, "fs01");
    sw_decision_free(&d);

    /* The earlier deny wins over the later allow. */
    expect(p, "\\\\fs01\\data", SW_DENY, "block-fs01");

    q.remote = "\\\\fs02\\data";
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_int_equal(d.action, SW_DENY);
    assert_int_equal(d.basis, SW_BASIS_DEFAULT);
    assert_string_equal(d.rule_id, "default");
    assert_int_equal(d.rule_index, -1);
    sw_decision_free(&d);
    sw_policy_free(p);

    p = load("version: 1\ndefault: allow\n"
             "rules:\n  - { id: no-c, action: deny, match: { share: 'c\\$' } }\n");
    expect(p, "\\\\fs02\\data", SW_ALLOW, "default");
    expect(p, "\\\\fs02\\c$", SW_DENY, "no-c");
    sw_policy_free(p);
}

static void test_lists_and_fields(void **state)
{
    (void)state;
    sw_policy *p = load(
        "version: 1\n"
        "default: deny\n"
        "rules:\n"
        "  - id: finance\n"
        "    action: allow\n"
        "    match: { server: [fs01, 'fs0[2-3]'], share: [finance, hr] }\n"
        "  - id: docs-path\n"
        "    action: allow\n"
        "    match: { unc: '\\\\\\\\docs\\\\pub(\\\\.*)?' }\n");
    /* OR within a field, AND across fields. */
    expect(p, "\\\\fs01\\finance", SW_ALLOW, "finance");
    expect(p, "\\\\fs03\\HR", SW_ALLOW, "finance");
    expect(p, "\\\\fs04\\finance", SW_DENY, "default");
    expect(p, "\\\\fs01\\other", SW_DENY, "default");
    expect(p, "\\\\fs01", SW_DENY, "default"); /* IPC$ */
    expect(p, "\\\\docs\\pub", SW_ALLOW, "docs-path");
    expect(p, "\\\\docs\\pub\\a\\b", SW_ALLOW, "docs-path");
    expect(p, "\\\\docs\\public", SW_DENY, "default");
    sw_policy_free(p);
}

static void test_whole_value_anchoring(void **state)
{
    (void)state;
    sw_policy *p = load(
        "version: 1\n"
        "default: deny\n"
        "rules:\n"
        "  - { id: fs01, action: allow, match: { server: fs01 } }\n"
        "  - { id: alt, action: allow, match: { share: 'a|b' } }\n");
    expect(p, "\\\\fs01\\x", SW_ALLOW, "fs01");
    expect(p, "\\\\xfs01\\x", SW_DENY, "default");
    expect(p, "\\\\fs01.evil\\x", SW_DENY, "default");
    expect(p, "\\\\fs01x\\x", SW_DENY, "default");
    expect(p, "\\\\evil-fs01.net\\x", SW_DENY, "default");
    /* Alternation is anchored as a whole, not just its first branch. */
    expect(p, "\\\\h\\a", SW_ALLOW, "alt");
    expect(p, "\\\\h\\b", SW_ALLOW, "alt");
    expect(p, "\\\\h\\ab", SW_DENY, "default");
    expect(p, "\\\\h\\xb", SW_DENY, "default");
    sw_policy_free(p);
}

static void test_case_and_unicode(void **state)
{
    (void)state;
    sw_policy *p = load(
        "version: 1\n"
        "default: deny\n"
        "rules:\n"
        "  - { id: upper, action: allow, match: { server: FS01, share: DATA } }\n"
        "  - { id: dot, action: allow, match: { server: fs02, share: 'donn.es' } }\n"
        "  - { id: accent, action: allow, match: { server: fs03, share: 'DONNÉES' } }\n"
        "  - { id: path, action: allow, match: { server: fs04, path: '\\\\ärger\\\\.*' } }\n");
    expect(p, "\\\\fs01\\data", SW_ALLOW, "upper");
    expect(p, "\\\\FS01\\Data", SW_ALLOW, "upper");
    /* "." is one character (UTF mode), not one byte of "é". */
    expect(p, "\\\\fs02\\Donn\xc3\xa9" "es", SW_ALLOW, "dot");
    expect(p, "\\\\fs02\\Donn\xc3\xa9\xc3\xa9" "es", SW_DENY, "default");
    /* Caseless beyond ASCII (UCP): É matches é. */
    expect(p, "\\\\fs03\\Donn\xc3\xa9" "es", SW_ALLOW, "accent");
    expect(p, "\\\\fs03\\donnees", SW_DENY, "default");
    expect(p, "\\\\fs04\\s\\\xc3\x84rger\\x", SW_ALLOW, "path");
    sw_policy_free(p);
}

static void test_staged_rules(void **state)
{
    (void)state;
    sw_policy *p = load(
        "version: 1\n"
        "default: deny\n"
        "rules:\n"
        "  - { id: try-block, action: deny, stage: true, match: { server: '.*' } }\n"
        "  - { id: try-allow, action: allow, stage: true, match: { share: nope } }\n"
        "  - { id: allow-all, action: allow, match: { server: '.*' } }\n");
    sw_request q;
    sw_decision d;
    sw_request_init(&q);
    q.remote = "\\\\fs01\\data";
    /* A staged deny before an allow still allows, and is recorded. */
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_int_equal(d.action, SW_ALLOW);
    assert_string_equal(d.rule_id, "allow-all");
    assert_int_equal(d.rule_index, 2);
    assert_int_equal(d.staged_count, 1);
    assert_int_equal(d.staged_total, 1);
    assert_string_equal(d.staged[0], "try-block");
    assert_int_equal(d.staged_action[0], SW_DENY);
    sw_decision_free(&d);
    sw_policy_free(p);

    /* More staged matches than SW_MAX_STAGED: named up to the bound, all
     * counted; the default still decides. */
    char yaml[2048];
    size_t n = (size_t)snprintf(yaml, sizeof yaml, "version: 1\ndefault: allow\nrules:\n");
    for (int i = 0; i < SW_MAX_STAGED + 3; i++)
        n += (size_t)snprintf(yaml + n, sizeof yaml - n,
                              "  - { id: s%d, action: %s, stage: true, match: { share: data } }\n",
                              i, i % 2 ? "allow" : "deny");
    p = load(yaml);
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_int_equal(d.action, SW_ALLOW);
    assert_int_equal(d.basis, SW_BASIS_DEFAULT);
    assert_int_equal(d.staged_count, SW_MAX_STAGED);
    assert_int_equal(d.staged_total, SW_MAX_STAGED + 3);
    for (int i = 0; i < SW_MAX_STAGED; i++) {
        char id[8];
        snprintf(id, sizeof id, "s%d", i);
        assert_string_equal(d.staged[i], id);
        assert_int_equal(d.staged_action[i], i % 2 ? SW_ALLOW : SW_DENY);
    }
    sw_decision_free(&d);
    sw_policy_free(p);
}

static void test_malformed_always_denied(void **state)
{
    (void)state;
    /* Everything in the policy says allow; malformed names are still denied. */
    sw_policy *p = load(
        "version: 1\n"
        "default: allow\n"
        "on_error: allow\n"
        "rules:\n"
        "  - { id: allow-all, action: allow, match: { unc: '.*' } }\n");
    static const char *const bad[] = {
        "\\\\.\\PhysicalDrive0", "C:\\Windows", "relative\\name", "",
        "\\\\fs01\\bad|share", "\\\\0x7f.1\\share", "\\\\fs01\\\xff\\x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sw_request q;
        sw_decision d;
        sw_request_init(&q);
        q.remote = bad[i];
        assert_int_equal(sw_decide(p, &q, &d), SW_OK);
        if (d.action != SW_DENY || d.basis != SW_BASIS_MALFORMED)
            fail_msg("'%s' was not denied as malformed (%s by %s)", bad[i],
                     sw_action_name(d.action), d.rule_id);
        assert_string_equal(d.rule_id, "malformed");
        assert_int_equal(d.rule_index, -1);
        assert_non_null(d.reason);
        assert_string_equal(d.reason, d.canon.reason);
        assert_int_equal(d.enforced, 1);
        sw_decision_free(&d);
    }
    /* A NULL request or remote is an empty name: malformed, not a crash. */
    sw_decision d;
    assert_int_equal(sw_decide(p, NULL, &d), SW_OK);
    assert_int_equal(d.basis, SW_BASIS_MALFORMED);
    sw_decision_free(&d);
    sw_policy_free(p);
}

static void test_audit_mode_and_no_policy(void **state)
{
    (void)state;
    sw_policy *p = load("version: 1\nmode: audit\ndefault: deny\nrules:\n"
                        "  - { id: ok, action: allow, match: { server: fs01 } }\n"
                        "  - { id: u, action: allow, match: { user: x } }\n");
    sw_request q;
    sw_decision d;
    sw_request_init(&q);
    q.remote = "\\\\fs02\\x";
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_int_equal(d.action, SW_DENY);
    assert_int_equal(d.enforced, 0);
    sw_decision_free(&d);
    /* Evaluation errors in audit mode are logged, not enforced. */
    q.user = "\xff";
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_int_equal(d.basis, SW_BASIS_ERROR);
    assert_int_equal(d.action, SW_DENY);
    assert_int_equal(d.enforced, 0);
    sw_decision_free(&d);
    q.user = NULL;
    /* Audit never vetoes, malformed names included (they are logged). */
    q.remote = "C:\\x";
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_int_equal(d.basis, SW_BASIS_MALFORMED);
    assert_int_equal(d.enforced, 0);
    sw_decision_free(&d);
    sw_policy_free(p);

    /* No policy: deny by error, enforced. */
    q.remote = "\\\\fs01\\x";
    assert_int_equal(sw_decide(NULL, &q, &d), SW_OK);
    assert_int_equal(d.action, SW_DENY);
    assert_int_equal(d.basis, SW_BASIS_ERROR);
    assert_string_equal(d.rule_id, "error");
    assert_string_equal(d.reason, "no valid policy loaded");
    assert_int_equal(d.enforced, 1);
    assert_string_equal(d.canon.host, "fs01"); /* still shown in the log */
    sw_decision_free(&d);
}

static const char catastrophic_yaml_fmt[] =
    "version: 1\n"
    "default: allow\n"
    "on_error: %s\n"
    "rules:\n"
    "  - { id: slow, action: deny, match: { share: '(a+)+(b|c)' } }\n"
    "  - { id: later, action: deny, match: { server: srv } }\n";

static void test_catastrophic_regex_hits_limit(void **state)
{
    (void)state;
    char yaml[512];
    const char *on_error[] = {"deny", "allow"};
    for (int i = 0; i < 2; i++) {
        snprintf(yaml, sizeof yaml, catastrophic_yaml_fmt, on_error[i]);
        sw_policy *p = load(yaml);
        sw_request q;
        sw_decision d;
        sw_request_init(&q);
        q.remote = "\\\\srv\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        clock_t t0 = clock();
        assert_int_equal(sw_decide(p, &q, &d), SW_OK);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        /* Exponential backtracking would take years; the limit stops it
         * after 100000 steps. The bound is loose for valgrind. */
        assert_true(secs < 2.0);
        assert_int_equal(d.action, i == 0 ? SW_DENY : SW_ALLOW);
        assert_int_equal(d.basis, SW_BASIS_ERROR);
        assert_string_equal(d.rule_id, "error");
        assert_non_null(d.reason);
        if (strstr(d.reason, "limit") == NULL)
            fail_msg("reason does not name a limit: %s", d.reason);
        sw_decision_free(&d);

        /* A short subject matches normally. */
        q.remote = "\\\\srv2\\aab";
        assert_int_equal(sw_decide(p, &q, &d), SW_OK);
        assert_int_equal(d.basis, SW_BASIS_RULE);
        assert_string_equal(d.rule_id, "slow");
        sw_decision_free(&d);
        sw_policy_free(p);
    }
}

static void test_context_fields(void **state)
{
    (void)state;
    sw_policy *p = load(
        "version: 1\n"
        "default: allow\n"
        "rules:\n"
        "  - { id: admins, action: allow, match: { group: ['adm.*', Admins, 'S-1-5-32-544'] } }\n"
        "  - { id: deviceless, action: deny, match: { local: '' } }\n"
        "  - { id: dav, action: deny, match: { scheme: webdav } }\n"
        "  - { id: tool, action: deny, match: { process: '.*\\\\evil\\.exe', user: 'corp\\\\.*' } }\n"
        "  - { id: prov, action: deny, match: { provider: 'Web Client.*' } }\n");
    sw_request q;
    sw_request_init(&q);
    q.remote = "\\\\fs01\\x";
    q.local = "Z:";

    /* group: membership with ASCII case folding, never a regex. */
    const char *g1[] = {"admins-not", "ADMINS"};
    const char *g2[] = {"admins"};
    const char *g3[] = {"adm.X", "s-1-5-32-544"};
    const char *g4[] = {"adm.*"};
    q.groups = g1;
    q.group_count = 2;
    expect_req(p, &q, SW_ALLOW, "admins");
    q.groups = g2;
    q.group_count = 1;
    expect_req(p, &q, SW_ALLOW, "admins");
    q.groups = g3;
    q.group_count = 2;
    expect_req(p, &q, SW_ALLOW, "admins"); /* the SID */
    q.groups = g4;
    q.group_count = 1;
    expect_req(p, &q, SW_ALLOW, "admins"); /* literally "adm.*" */
    const char *g5[] = {"administrators", "adm"};
    q.groups = g5;
    q.group_count = 2;
    expect_req(p, &q, SW_ALLOW, "default");
    q.groups = NULL;
    q.group_count = 0;

    /* local: '' is deviceless, whether NULL or "". */
    q.local = NULL;
    expect_req(p, &q, SW_DENY, "deviceless");
    q.local = "";
    expect_req(p, &q, SW_DENY, "deviceless");
    q.local = "Z:";
    expect_req(p, &q, SW_ALLOW, "default");

    /* scheme. */
    q.remote = "\\\\dav.example.com@SSL\\docs";
    expect_req(p, &q, SW_DENY, "dav");
    q.remote = "https://dav.example.com/docs";
    expect_req(p, &q, SW_DENY, "dav");
    q.remote = "\\\\fs01\\x";

    /* process AND user. */
    q.process = "C:\\Tools\\EVIL.EXE";
    expect_req(p, &q, SW_ALLOW, "default"); /* no user: "" */
    q.user = "CORP\\bob";
    expect_req(p, &q, SW_DENY, "tool");
    q.process = "C:\\Tools\\evil.exe.txt";
    expect_req(p, &q, SW_ALLOW, "default");
    q.process = NULL;

    q.provider = "Web Client Network";
    expect_req(p, &q, SW_DENY, "prov");
    sw_policy_free(p);
}

static void test_non_utf8_context_is_error(void **state)
{
    (void)state;
    sw_policy *p = load("version: 1\ndefault: allow\non_error: deny\nrules:\n"
                        "  - { id: fs, action: allow, match: { server: fs01 } }\n"
                        "  - { id: u, action: allow, match: { user: 'x' } }\n");
    sw_request q;
    sw_decision d;
    sw_request_init(&q);
    q.remote = "\\\\fs01\\x";
    q.user = "bad\xff";
    /* The user field is never reached: the first rule decides. */
    expect_req(p, &q, SW_ALLOW, "fs");
    q.remote = "\\\\fs02\\x";
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_int_equal(d.action, SW_DENY);
    assert_int_equal(d.basis, SW_BASIS_ERROR);
    assert_string_equal(d.reason, "request field is not valid UTF-8");
    sw_decision_free(&d);
    sw_policy_free(p);
}

/* ---- trace --------------------------------------------------------- */

typedef struct seen {
    char lines[32][160];
    size_t count;
} seen;

static void collect(void *ctx, const sw_trace *t)
{
    seen *s = ctx;
    if (s->count == 32)
        fail_msg("too many trace events");
    char *l = s->lines[s->count++];
    if (t->kind == SW_TRACE_FIELD)
        snprintf(l, 160, "field %lu %s%s %s '%s' ~ '%s' %d%s%s", (unsigned long)t->rule_index, t->rule_id,
                 t->staged ? "(staged)" : "", sw_field_name(t->field), t->value,
                 t->pattern, t->matched, t->error ? " ! " : "", t->error ? t->error : "");
    else if (t->kind == SW_TRACE_RULE)
        snprintf(l, 160, "rule %lu %s%s %d%s%s", (unsigned long)t->rule_index, t->rule_id,
                 t->staged ? "(staged)" : "", t->matched, t->error ? " ! " : "",
                 t->error ? t->error : "");
    else
        snprintf(l, 160, "skipped %lu %s", (unsigned long)t->rule_index, t->rule_id);
}

static void expect_trace(const seen *s, const char *const *want, size_t n)
{
    for (size_t i = 0; i < s->count || i < n; i++) {
        const char *got = i < s->count ? s->lines[i] : "(none)";
        const char *exp = i < n ? want[i] : "(none)";
        if (strcmp(got, exp) != 0)
            fail_msg("trace[%lu]: got \"%s\", want \"%s\"", (unsigned long)i, got, exp);
    }
}

static void test_trace(void **state)
{
    (void)state;
    sw_policy *p = load(
        "version: 1\n"
        "default: deny\n"
        "rules:\n"
        "  - { id: r1, action: allow, match: { server: [fs02, fs03] } }\n"
        "  - { id: r2, action: deny, stage: true, match: { server: '.*' } }\n"
        "  - { id: r3, action: allow, match: { server: fs01, share: data, group: [g1, G2] } }\n"
        "  - { id: r4, action: deny, match: { unc: '.*' } }\n"
        "  - { id: r5, action: deny, match: { share: '(a+)+(b|c)' } }\n");
    sw_request q;
    sw_decision d;
    const char *groups[] = {"x", "g2"};
    sw_request_init(&q);
    q.remote = "\\\\fs01\\data";
    q.groups = groups;
    q.group_count = 2;

    seen s = {{{0}}, 0};
    assert_int_equal(sw_decide_trace(p, &q, &d, collect, &s), SW_OK);
    assert_string_equal(d.rule_id, "r3");
    static const char *const want[] = {
        "field 0 r1 server 'fs01' ~ 'fs03' 0",
        "rule 0 r1 0",
        "field 1 r2(staged) server 'fs01' ~ '.*' 1",
        "rule 1 r2(staged) 1",
        "field 2 r3 server 'fs01' ~ 'fs01' 1",
        "field 2 r3 share 'data' ~ 'data' 1",
        "field 2 r3 group 'g2' ~ 'G2' 1",
        "rule 2 r3 1",
        "skipped 3 r4",
        "skipped 4 r5",
    };
    expect_trace(&s, want, sizeof want / sizeof want[0]);
    sw_decision_free(&d);

    /* An error names the field and the pattern, then the rest is skipped. */
    memset(&s, 0, sizeof s);
    q.remote = "\\\\fs09\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    sw_policy_free(p);
    p = load("version: 1\nrules:\n"
             "  - { id: r5, action: deny, match: { share: '(a+)+(b|c)' } }\n"
             "  - { id: r6, action: deny, match: { server: x } }\n");
    assert_int_equal(sw_decide_trace(p, &q, &d, collect, &s), SW_OK);
    assert_int_equal(d.basis, SW_BASIS_ERROR);
    static const char field_err[] =
        "field 0 r5 share 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' ~ '(a+)+(b|c)' 0 ! "
        "regex match limit exceeded";
    static const char *const want_err[] = {
        field_err,
        "rule 0 r5 0 ! regex match limit exceeded",
        "skipped 1 r6",
    };
    expect_trace(&s, want_err, sizeof want_err / sizeof want_err[0]);
    sw_decision_free(&d);
    sw_policy_free(p);
}

/* ---- allocation ---------------------------------------------------- */

static size_t allocations;

static void *counting_malloc(size_t n, void *ud)
{
    (void)ud;
    allocations++;
    return test_malloc(n);
}

static void *counting_realloc(void *ptr, size_t n, void *ud)
{
    (void)ud;
    allocations++;
    return test_realloc(ptr, n);
}

static void counting_free(void *ptr, void *ud)
{
    (void)ud;
    test_free(ptr);
}

static void test_common_case_allocates_nothing(void **state)
{
    (void)state;
    uint32_t jit = 0;
    sw_policy *p = load("version: 1\ndefault: deny\nrules:\n"
                        "  - { id: a, action: allow, match: { server: 'fs\\d+', share: [x, data] } }\n"
                        "  - { id: b, action: allow, match: { group: [g] } }\n");
    static const sw_allocator counting = {counting_malloc, counting_realloc, counting_free, NULL};
    sw_set_allocator(&counting);
    allocations = 0;
    sw_request q;
    sw_decision d;
    sw_request_init(&q);
    q.remote = "\\\\fs01\\data\\sub\\dir";
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_string_equal(d.rule_id, "a");
    sw_decision_free(&d);
    q.remote = "\\\\other\\data";
    assert_int_equal(sw_decide(p, &q, &d), SW_OK);
    assert_string_equal(d.rule_id, "default");
    sw_decision_free(&d);
    sw_set_allocator(NULL);
    /* With JIT, PCRE2 runs on the machine stack and our arena holds its
     * contexts. The interpreter needs heap frames, so only assert with JIT. */
    if (pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 && jit)
        assert_int_equal(allocations, 0);
    else
        print_message("no JIT: %lu allocations\n", (unsigned long)allocations);
    sw_policy_free(p);
}

static void *failing_malloc(size_t n, void *ud)
{
    (void)n;
    (void)ud;
    allocations++;
    return NULL;
}

static void *failing_realloc(void *ptr, size_t n, void *ud)
{
    (void)ptr;
    (void)n;
    (void)ud;
    allocations++;
    return NULL;
}

/* A name too long for sw_canon's inline storage needs the heap; without it
 * the decision is on_error with the reason, and SW_ENOMEM is returned. */
static void test_out_of_memory_is_on_error(void **state)
{
    (void)state;
    char name[3000];
    sw_policy *p = load("version: 1\ndefault: allow\non_error: deny\nrules: []\n");
    memcpy(name, "\\\\fs01\\share\\", 13);
    memset(name + 13, 'a', sizeof name - 14);
    name[sizeof name - 1] = '\0';

    sw_request q;
    sw_decision d;
    sw_request_init(&q);
    q.remote = name;
    assert_int_equal(sw_decide(p, &q, &d), SW_OK); /* with memory: allowed */
    assert_int_equal(d.action, SW_ALLOW);
    sw_decision_free(&d);

    static const sw_allocator failing = {failing_malloc, failing_realloc, counting_free, NULL};
    allocations = 0;
    sw_set_allocator(&failing);
    int rc = sw_decide(p, &q, &d);
    sw_set_allocator(NULL);
    assert_true(allocations > 0);
    assert_int_equal(rc, SW_ENOMEM);
    assert_int_equal(d.action, SW_DENY);
    assert_int_equal(d.basis, SW_BASIS_ERROR);
    assert_string_equal(d.rule_id, "error");
    assert_string_equal(d.reason, "out of memory");
    sw_decision_free(&d);
    sw_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_match_and_default),
        cmocka_unit_test(test_lists_and_fields),
        cmocka_unit_test(test_whole_value_anchoring),
        cmocka_unit_test(test_case_and_unicode),
        cmocka_unit_test(test_staged_rules),
        cmocka_unit_test(test_malformed_always_denied),
        cmocka_unit_test(test_audit_mode_and_no_policy),
        cmocka_unit_test(test_catastrophic_regex_hits_limit),
        cmocka_unit_test(test_context_fields),
        cmocka_unit_test(test_non_utf8_context_is_error),
        cmocka_unit_test(test_trace),
        cmocka_unit_test(test_common_case_allocates_nothing),
        cmocka_unit_test(test_out_of_memory_is_on_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
