/* Allocation-failure injection across the engine (SQLite style).
 *
 * A counting allocator, installed with sw_set_allocator, refuses the Nth
 * allocation. For N = 1, 2, ... each operation is run again until one full
 * run reaches no Nth allocation — then every allocation point has failed
 * once. Each point is tried in two modes: transient (only the Nth call
 * fails, later ones succeed, as under memory pressure that passes) and
 * persistent (the Nth and every later call fail, which stresses cleanup
 * paths that themselves allocate).
 *
 * After every run: no crash, the documented error (SW_ENOMEM, or the
 * on_error decision), and zero live blocks — the allocator counts them, so
 * leaks are caught without LeakSanitizer (the asan layer double-checks).
 * A decision under failure is either the correct one or on_error; it is
 * never an allow of a name the policy denies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sharewall/sharewall.h"

/* ------------------------------------------------------------------ */
/* The counting allocator                                               */
/* ------------------------------------------------------------------ */

typedef struct counter {
    long attempts;   /* allocation calls since arm()                     */
    long fail_at;    /* the first call to refuse (1-based); 0 = none    */
    long armed;      /* fail_at as armed, kept for messages              */
    int persistent;  /* refuse every call from fail_at on               */
    long refused;    /* calls refused since arm()                        */
    long live;       /* blocks handed out and not yet freed              */
} counter;

static counter C;

static int refuse(void)
{
    C.attempts++;
    if (C.fail_at && (C.attempts == C.fail_at || (C.persistent && C.attempts > C.fail_at))) {
        C.refused++;
        return 1;
    }
    return 0;
}

static void *c_malloc(size_t n, void *ud)
{
    (void)ud;
    if (refuse())
        return NULL;
    void *p = malloc(n);
    if (p)
        C.live++;
    return p;
}

/* sw_realloc never passes NULL here (it calls malloc_fn instead). */
static void *c_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    if (refuse())
        return NULL;
    return realloc(p, n);
}

static void c_free(void *p, void *ud)
{
    (void)ud;
    C.live--;
    free(p);
}

static void arm(long fail_at, int persistent)
{
    C.attempts = 0;
    C.refused = 0;
    C.fail_at = fail_at;
    C.armed = fail_at;
    C.persistent = persistent;
}

/* Allocations succeed again; the counts of this run are kept. */
static void stop_failing(void)
{
    C.fail_at = 0;
}

static int install(void **state)
{
    static const sw_allocator counting = {c_malloc, c_realloc, c_free, NULL};
    (void)state;
    memset(&C, 0, sizeof C);
    sw_set_allocator(&counting);
    return 0;
}

static int uninstall(void **state)
{
    (void)state;
    sw_set_allocator(NULL);
    return 0;
}

/* Allocation-failure points exercised by the whole program (both modes),
 * printed at the end for the closing note. */
static long total_points;

/* One operation under test. It reads C.refused to know whether a refusal
 * happened, calls stop_failing() before checking its result (checks may
 * allocate), and releases everything it obtained before returning. */
typedef void (*operation)(void *ctx);

/* Runs op with the Nth allocation refused, N = 1, 2, ..., in both modes,
 * checking for leaks after each run. Returns the number of allocation
 * points (calls in a run with no failure). */
static long sweep(const char *what, operation op, void *ctx)
{
    long points = 0;
    long base = C.live; /* an earlier failed test may have left blocks */
    for (int persistent = 0; persistent <= 1; persistent++) {
        long n;
        for (n = 1; n < 1000000; n++) {
            arm(n, persistent);
            op(ctx);
            if (C.live != base)
                fail_msg("%s: %ld block(s) leaked when allocation %ld fails (%s)", what,
                         C.live - base, n, persistent ? "persistent" : "transient");
            if (C.refused == 0)
                break; /* the Nth allocation was never reached */
        }
        points = n - 1;
        total_points += points;
    }
    arm(0, 0);
    print_message("  %s: %ld allocation points, each failed transiently and persistently\n",
                  what, points);
    assert_true(points > 0);
    return points;
}

static void print_diags(const sw_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        print_message("    %s:%u:%u: [%s] %s\n", d->items[i].pos.file, d->items[i].pos.line,
                      d->items[i].pos.column, d->items[i].field, d->items[i].message);
}

/* ------------------------------------------------------------------ */
/* (a) Loading: main file plus a fragment, every section in use          */
/* ------------------------------------------------------------------ */

static const char MAIN_YAML[] =
    "version: 1\n"
    "mode: enforce\n"
    "default: deny\n"
    "on_error: deny\n"
    "log: { allowed: true, vetoed: true, disconnects: false }\n"
    "rules:\n"
    "  - id: watch-external\n"
    "    description: 'Staged: would veto dotted names'\n"
    "    action: deny\n"
    "    stage: true\n"
    "    match: { server: '.*\\..*' }\n"
    "  - id: admin-shares\n"
    "    action: deny\n"
    "    match: { share: ['admin\\$', '[a-z]\\$', 'ipc\\$'] }\n"
    "  - id: corp-file-servers\n"
    "    description: Approved file servers\n"
    "    action: allow\n"
    "    match:\n"
    "      server: ['fs\\d{2}\\.corp\\.example\\.com', 'fs\\d{2}']\n"
    "      share: ['public', 'finance', 'donn\\x{e9}es']\n"
    "  - id: helpdesk\n"
    "    action: allow\n"
    "    match:\n"
    "      user: 'CORP\\\\helpdesk-.*'\n"
    "      group: [Helpdesk, 'S-1-5-21-1-2-3-1105']\n"
    "      process: '.*\\\\mstsc\\.exe'\n"
    "      local: '[H-K]:'\n"
    "      provider: 'Microsoft Windows Network'\n"
    "      scheme: smb\n"
    "tests:\n"
    "  - { unc: '\\\\fs01.corp.example.com\\finance', expect: allow, rule: corp-file-servers }\n"
    "  - { unc: '\\\\fs01\\c$', expect: deny, rule: admin-shares }\n"
    "  - { unc: '\\\\hd01\\tools', user: 'CORP\\helpdesk-ann', group: [Helpdesk],\n"
    "      process: 'C:\\Windows\\System32\\mstsc.exe', local: 'H:',\n"
    "      provider: 'Microsoft Windows Network', expect: allow, rule: helpdesk }\n"
    "  - { unc: '\\\\evil.example.net\\x', expect: deny, rule: default }\n";

static const char FRAGMENT_YAML[] =
    "rules:\n"
    "  - id: site-nas\n"
    "    action: allow\n"
    "    match: { unc: '\\\\\\\\nas01\\\\scans(\\\\.*)?' }\n"
    "tests:\n"
    "  - { unc: '\\\\nas01\\scans\\2024', expect: allow, rule: site-nas }\n";

/* An accepted policy must be the whole policy: run its own tests. */
static void expect_policy_tests_pass(const sw_policy *p)
{
    assert_int_equal(sw_policy_rule_count(p), 5);
    assert_int_equal(sw_policy_test_count(p), 5);
    for (size_t i = 0; i < sw_policy_test_count(p); i++) {
        const sw_policy_test *t = sw_policy_test_at(p, i);
        sw_decision d;
        assert_int_equal(sw_decide(p, &t->request, &d), SW_OK);
        assert_int_equal(d.action, t->expect);
        if (t->rule)
            assert_string_equal(d.rule_id, t->rule);
        sw_decision_free(&d);
    }
}

static long load_absorbed; /* refusals the loader survived (JIT only) */

static void op_load_sources(void *ctx)
{
    (void)ctx;
    const sw_source srcs[2] = {
        {"policy.yaml", MAIN_YAML, sizeof MAIN_YAML - 1},
        {"policy.d/10-site.yaml", FRAGMENT_YAML, sizeof FRAGMENT_YAML - 1},
    };
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    int rc = sw_policy_load_sources(srcs, 2, &p, &d);
    if (C.refused == 0) {
        if (rc != SW_OK)
            print_diags(&d);
        assert_int_equal(rc, SW_OK);
    } else if (rc == SW_OK) {
        /* The one failure a load may survive: PCRE2's JIT compiler, which
         * the loader treats as optional (the interpreter then matches,
         * with the same results). The policy must still be complete. */
        load_absorbed++;
    } else {
        if (rc != SW_ENOMEM) {
            print_message("    allocation %ld refused: rc %d, diagnostics:\n", C.armed, rc);
            print_diags(&d);
        }
        assert_int_equal(rc, SW_ENOMEM);
        assert_null(p);
    }
    stop_failing(); /* checking the result must not itself be failed */
    if (p) {
        expect_policy_tests_pass(p);
        sw_policy_free(p);
    }
    sw_diags_free(&d);
}

static void load_fails_cleanly(void **state)
{
    (void)state;
    sweep("load main + fragment", op_load_sources, NULL);
    print_message("  (%ld refusals absorbed by the optional JIT compile)\n", load_absorbed);
}

/* The same through the file system: NAME.yaml plus NAME.d/ fragments
 * (directory listing, natural sort, reading) under failure. */
static void op_load_file(void *ctx)
{
    (void)ctx;
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    int rc = sw_policy_load_file(SW_TEST_DATA_DIR "/policies/site.yaml", &p, &d);
    long refused = C.refused;
    stop_failing();
    if (refused == 0) {
        if (rc != SW_OK)
            print_diags(&d);
        assert_int_equal(rc, SW_OK);
    } else if (rc != SW_OK) {
        if (rc != SW_ENOMEM) {
            print_message("    allocation %ld refused: rc %d, diagnostics:\n", C.armed, rc);
            print_diags(&d);
        }
        assert_int_equal(rc, SW_ENOMEM);
        assert_null(p);
    }
    if (p)
        assert_true(sw_policy_file_count(p) >= 2);
    sw_policy_free(p);
    sw_diags_free(&d);
}

static void load_file_fails_cleanly(void **state)
{
    (void)state;
    sweep("load file + NAME.d/", op_load_file, NULL);
}

/* A policy full of errors: under failure it is still rejected, and never
 * silently — errors are listed, or the list says it ran out of memory. */
static const char BROKEN_YAML[] =
    "version: 1\n"
    "colour: blue\n"
    "default: maybe\n"
    "rules:\n"
    "  - { id: a, action: allow, match: { server: '(unclosed' } }\n"
    "  - { id: a, action: deny, match: { nothing: x } }\n"
    "  - { action: deny, match: { share: [1, 2] } }\n"
    "tests:\n"
    "  - { unc: '\\\\h\\s', expect: perhaps }\n";

static void op_load_broken(void *ctx)
{
    (void)ctx;
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    int rc = sw_policy_load_buffer("broken.yaml", BROKEN_YAML, sizeof BROKEN_YAML - 1, &p, &d);
    long refused = C.refused;
    stop_failing();
    assert_null(p);
    assert_true(rc == SW_EINVAL || rc == SW_ENOMEM);
    if (refused == 0) {
        assert_int_equal(rc, SW_EINVAL);
        assert_true(sw_diags_errors(&d) >= 6);
        assert_int_equal(d.oom, 0);
    } else {
        assert_true(sw_diags_errors(&d) > 0 || d.oom || rc == SW_ENOMEM);
    }
    sw_diags_free(&d);
}

static void diagnostics_fail_cleanly(void **state)
{
    (void)state;
    sweep("reject a broken policy (diagnostics)", op_load_broken, NULL);
}

/* ------------------------------------------------------------------ */
/* (b) Deciding                                                          */
/* ------------------------------------------------------------------ */

/* `frames` never matches but makes PCRE2's interpreter grow its heap
 * frames (one per character of the process path); `deny-secret` denies
 * one share. on_error is deny and default is allow: a failure that leaked
 * through as "no rule matched" would be an allow. */
static const char DECIDE_YAML[] =
    "version: 1\n"
    "default: allow\n"
    "on_error: deny\n"
    "rules:\n"
    "  - { id: frames, action: allow, match: { process: '(.)*zz' } }\n"
    "  - { id: deny-secret, action: deny, match: { share: secret } }\n";

typedef struct decide_ctx {
    const sw_policy *p;
    sw_request req;
    sw_action want_action;
    const char *want_rule;
} decide_ctx;

static void op_decide(void *ctx)
{
    decide_ctx *x = ctx;
    sw_decision d;
    int rc = sw_decide(x->p, &x->req, &d);
    long refused = C.refused;
    stop_failing();
    if (refused == 0) {
        if (d.reason)
            print_message("    unexpected: %s\n", d.reason);
        assert_int_equal(rc, SW_OK);
        assert_int_equal(d.action, x->want_action);
        assert_string_equal(d.rule_id, x->want_rule);
    } else {
        /* Every allocation in decide is needed for the verdict: a refused
         * one can only end in on_error, here deny. */
        assert_int_equal(d.basis, SW_BASIS_ERROR);
        assert_int_equal(d.action, SW_DENY);
        assert_non_null(d.reason);
        assert_true(rc == SW_ENOMEM || rc == SW_OK);
    }
    sw_decision_free(&d);
}

/* With the JIT, PCRE2 backtracks on the machine stack and the interpreter
 * heap frames never come into play. Loading under failure finds a load in
 * which only the JIT compile of `frames` was refused: that policy matches
 * `frames` with the interpreter. Returns NULL if no load used the heap. */
static sw_policy *load_interpreted(const sw_request *probe)
{
    for (long n = 0; n < 100000; n++) {
        sw_policy *p = NULL;
        arm(n, 0);
        int rc = sw_policy_load_buffer("decide.yaml", DECIDE_YAML, sizeof DECIDE_YAML - 1, &p, NULL);
        long refused = C.refused;
        arm(0, 0);
        if (rc == SW_OK) {
            sw_decision d;
            long before = C.attempts;
            assert_int_equal(sw_decide(p, probe, &d), SW_OK);
            sw_decision_free(&d);
            if (C.attempts > before)
                return p; /* deciding allocated: the interpreter ran */
            sw_policy_free(p);
        }
        if (n > 0 && refused == 0)
            break; /* every load point tried */
    }
    return NULL;
}

static void decide_fails_closed(void **state)
{
    (void)state;
    /* 400 characters of process path: about 800 nested backtracking frames
     * (under SW_DEPTH_LIMIT), more than PCRE2's first 20 KiB frame block
     * holds, so it grows several times. A 1500-character path makes the canonical name outgrow sw_canon's
     * inline buffer, so the canonicaliser needs heap storage too. */
    static char process[620], remote_secret[1600], remote_public[1600];
    memcpy(process, "C:\\", 3);
    memset(process + 3, 'a', 400);
    /* One 'z': PCRE2 sees the required "z" is present, so it really
     * backtracks through every (.) before giving up on "zz". */
    process[403] = 'z';
    process[404] = '\0';
    snprintf(remote_secret, sizeof remote_secret, "\\\\fs01\\secret\\");
    snprintf(remote_public, sizeof remote_public, "\\\\fs01\\public\\");
    size_t hl = strlen(remote_secret);
    for (int seg = 0; seg < 15; seg++, hl += 100) {
        memset(remote_secret + hl, 'd', 99);
        remote_secret[hl + 99] = '\\';
    }
    remote_secret[hl - 1] = '\0';
    memcpy(remote_public, remote_secret, sizeof remote_public);
    memcpy(remote_public + 7, "public", 6);

    decide_ctx x;
    sw_request_init(&x.req);
    x.req.process = process;
    x.req.remote = "\\\\fs01\\x";
    sw_policy *p = load_interpreted(&x.req);
    assert_non_null(p); /* no way found to make a match use heap frames */
    x.p = p;

    x.req.remote = remote_secret;
    x.want_action = SW_DENY;
    x.want_rule = "deny-secret";
    long a = sweep("decide a denied name (long, interpreter frames)", op_decide, &x);

    x.req.remote = remote_public;
    x.want_action = SW_ALLOW;
    x.want_rule = "default";
    long b = sweep("decide an allowed name (long, interpreter frames)", op_decide, &x);
    /* Both the canonicaliser's heap and the frames were failed. */
    assert_true(a >= 2 && b >= 2);

    sw_policy_free(p);
}

/* A NULL policy (none ever loaded) must deny even when the name needs
 * heap storage that is refused. */
static void op_decide_no_policy(void *ctx)
{
    const char *remote = ctx;
    sw_request r;
    sw_request_init(&r);
    r.remote = remote;
    sw_decision d;
    int rc = sw_decide(NULL, &r, &d);
    stop_failing();
    assert_true(rc == SW_OK || rc == SW_ENOMEM);
    assert_int_equal(d.action, SW_DENY);
    assert_int_equal(d.basis, SW_BASIS_ERROR);
    sw_decision_free(&d);
}

static void decide_without_policy_fails_closed(void **state)
{
    (void)state;
    static char remote[2100];
    size_t n = 0;
    memcpy(remote, "\\\\fs01\\share", 12);
    for (n = 12; n + 100 < sizeof remote; n += 100) {
        remote[n] = '\\';
        memset(remote + n + 1, 'p', 99);
    }
    remote[n] = '\0';
    sweep("decide without a policy (long name)", op_decide_no_policy, remote);
}

/* ------------------------------------------------------------------ */
/* (c) Reading log records back                                          */
/* ------------------------------------------------------------------ */

static const char RECORD[] =
    "{\"time\":\"2026-11-21T19:41:05.123Z\",\"event\":\"vetoed\",\"machine\":\"PC1\","
    "\"raw\":\"\\\\\\\\FS01\\\\c$\",\"unc\":\"\\\\\\\\fs01\\\\c$\",\"local\":\"Z:\","
    "\"provider\":\"Microsoft Windows Network\",\"user\":\"CORP\\\\alice\","
    "\"groups\":[\"CORP\\\\Domain Users\",\"S-1-5-32-545\",\"Helpdesk\"],"
    "\"process\":\"C:\\\\Windows\\\\explorer.exe\",\"flags\":1,\"action\":\"deny\","
    "\"rule\":\"admin-shares\",\"unknown\":{\"nested\":[1,2,{\"x\":null}]}}";

static void op_record_parse(void *ctx)
{
    (void)ctx;
    sw_parsed_record r;
    const char *err = NULL;
    size_t col = 0;
    int rc = sw_record_parse(RECORD, sizeof RECORD - 1, &r, &err, &col);
    long refused = C.refused;
    stop_failing();
    if (refused == 0) {
        if (rc != SW_OK)
            print_message("    parse error at column %zu: %s\n", col, err ? err : "?");
        assert_int_equal(rc, SW_OK);
        assert_string_equal(r.remote, "\\\\FS01\\c$");
        assert_int_equal(r.group_count, 3);
        assert_string_equal(r.groups[2], "Helpdesk");
        assert_string_equal(r.rule, "admin-shares");
    } else {
        assert_int_equal(rc, SW_ENOMEM);
        assert_null(r.remote);
        assert_int_equal(r.group_count, 0);
    }
    sw_parsed_record_free(&r);
}

static void record_parse_fails_cleanly(void **state)
{
    (void)state;
    sweep("parse a log record", op_record_parse, NULL);
}

static void report_total(void **state)
{
    (void)state;
    print_message("allocation-failure points exercised in all: %ld (x2 modes)\n", total_points / 2);
    assert_true(total_points > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_fails_cleanly),
        cmocka_unit_test(load_file_fails_cleanly),
        cmocka_unit_test(diagnostics_fail_cleanly),
        cmocka_unit_test(decide_fails_closed),
        cmocka_unit_test(decide_without_policy_fails_closed),
        cmocka_unit_test(record_parse_fails_cleanly),
        cmocka_unit_test(report_total),
    };
    return cmocka_run_group_tests(tests, install, uninstall);
}
