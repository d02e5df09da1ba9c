/* JSON-lines log records: the exact line written (golden strings), every
 * kind of hostile byte escaped, read back to the same request, and the
 * RFC 3339 timestamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sharewall/sharewall.h"

/* ---- time ---------------------------------------------------------- */

static void expect_time(int64_t ms, const char *want)
{
    char buf[25];
    memset(buf, 'x', sizeof buf);
    sw_format_time_rfc3339(ms, buf);
    assert_string_equal(buf, want);
}

static void test_time_known_instants(void **state)
{
    (void)state;
    expect_time(0, "1970-01-01T00:00:00.000Z");
    expect_time(1795290065123LL, "2026-11-21T19:41:05.123Z");
    expect_time(1709210096789LL, "2024-02-29T12:34:56.789Z");
    expect_time(951782400000LL, "2000-02-29T00:00:00.000Z");
    expect_time(4107542400000LL, "2100-03-01T00:00:00.000Z"); /* 2100: no leap day */
    expect_time(4107542400000LL - 1, "2100-02-28T23:59:59.999Z");
    /* Before the epoch: floor, not truncation. */
    expect_time(-1, "1969-12-31T23:59:59.999Z");
    expect_time(-2208988800000LL, "1900-01-01T00:00:00.000Z");
    /* Outside four-digit years: clamped, never a longer or signed year. */
    expect_time(INT64_MIN, "0000-01-01T00:00:00.000Z");
    expect_time(INT64_MAX, "9999-12-31T23:59:59.999Z");
}

static int is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(long y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* An independent oracle: walk the calendar one day at a time from 1970 in
 * both directions (about 250 years each way) and compare every date. */
static void test_time_matches_day_walk(void **state)
{
    (void)state;
    /* want is larger than a timestamp so the compiler can see that no
     * year value truncates (-Wformat-truncation at -O2). */
    char buf[25], want[64];
    for (int dir = 1; dir >= -1; dir -= 2) {
        long y = 1970;
        int m = 1, d = 1;
        for (long day = 0; day < 92000; day++) {
            int64_t ms = (int64_t)dir * day * 86400000LL + 43200000LL; /* noon */
            sw_format_time_rfc3339(ms, buf);
            snprintf(want, sizeof want, "%04ld-%02d-%02dT12:00:00.000Z", y, m, d);
            if (strcmp(buf, want) != 0)
                fail_msg("day %ld: got %s want %s", dir * day, buf, want);
            if (dir > 0) {
                if (++d > month_days(y, m)) {
                    d = 1;
                    if (++m > 12) {
                        m = 1;
                        y++;
                    }
                }
            } else if (--d < 1) {
                if (--m < 1) {
                    m = 12;
                    y--;
                }
                d = month_days(y, m);
            }
        }
    }
}

/* ---- formatting ---------------------------------------------------- */

static const char *const groups[] = {"CORP\\Domain Users", "S-1-5-32-545"};

static void fill_request(sw_request *q)
{
    sw_request_init(q);
    q->remote = "\\\\FS01\\C$";
    q->local = "Z:";
    q->provider = "Microsoft Windows Network";
    q->user = "CORP\\alice";
    q->groups = groups;
    q->group_count = 2;
    q->process = "C:\\Windows\\System32\\net.exe";
    q->flags = 1;
}

/* A decision built by hand, as decide would fill it for the request above. */
static void fill_decision(sw_decision *d)
{
    memset(d, 0, sizeof *d);
    d->action = SW_DENY;
    d->enforced = 1;
    d->basis = SW_BASIS_RULE;
    d->rule_id = "block-admin";
    d->rule_index = 2;
    d->staged[0] = "external";
    d->staged_action[0] = SW_DENY;
    d->staged_count = 1;
    d->staged_total = 1;
    d->canon.scheme = SW_SCHEME_SMB;
    d->canon.host = "fs01";
    d->canon.share = "C$";
    d->canon.path = "";
    d->canon.unc = "\\\\fs01\\C$";
}

static void fill_record(sw_record *r, const sw_request *q, const sw_decision *d)
{
    memset(r, 0, sizeof *r);
    r->event = SW_EV_VETOED;
    r->time_ms = 1795290065123LL;
    r->machine = "WS01";
    r->pid = 4242;
    r->request = q;
    r->decision = d;
}

static void expect_line(const sw_record *r, const char *want)
{
    char buf[2048];
    size_t n = sw_record_format(buf, sizeof buf, r);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_format_veto_golden(void **state)
{
    (void)state;
    sw_request q;
    sw_decision d;
    sw_record r;
    fill_request(&q);
    fill_decision(&d);
    fill_record(&r, &q, &d);
    expect_line(&r,
        "{\"time\":\"2026-11-21T19:41:05.123Z\",\"event\":\"vetoed\",\"machine\":\"WS01\","
        "\"pid\":4242,\"user\":\"CORP\\\\alice\","
        "\"groups\":[\"CORP\\\\Domain Users\",\"S-1-5-32-545\"],"
        "\"process\":\"C:\\\\Windows\\\\System32\\\\net.exe\",\"raw\":\"\\\\\\\\FS01\\\\C$\","
        "\"unc\":\"\\\\\\\\fs01\\\\C$\",\"scheme\":\"smb\",\"server\":\"fs01\",\"share\":\"C$\","
        "\"path\":\"\",\"loopback\":false,\"local\":\"Z:\","
        "\"provider\":\"Microsoft Windows Network\",\"flags\":1,\"action\":\"deny\","
        "\"enforced\":true,\"rule\":\"block-admin\",\"basis\":\"rule\","
        "\"staged\":[\"external\"]}\n");
}

static void test_format_other_shapes(void **state)
{
    (void)state;
    sw_request q;
    sw_decision d;
    sw_record r;

    /* WebDAV: port and tls appear; audit mode; more staged than named. */
    sw_request_init(&q);
    q.remote = "https://dav.example.com/docs";
    fill_decision(&d);
    d.canon.scheme = SW_SCHEME_WEBDAV;
    d.canon.port = 443;
    d.canon.tls = 1;
    d.canon.host = "dav.example.com";
    d.canon.share = "docs";
    d.canon.unc = "\\\\dav.example.com@SSL@443\\docs";
    d.enforced = 0;
    d.staged_total = 12;
    d.basis = SW_BASIS_DEFAULT;
    d.rule_id = "default";
    memset(&r, 0, sizeof r);
    r.event = SW_EV_WOULD_VETO;
    r.request = &q;
    r.decision = &d;
    expect_line(&r,
        "{\"time\":\"1970-01-01T00:00:00.000Z\",\"event\":\"would-veto\","
        "\"raw\":\"https://dav.example.com/docs\","
        "\"unc\":\"\\\\\\\\dav.example.com@SSL@443\\\\docs\",\"scheme\":\"webdav\","
        "\"server\":\"dav.example.com\",\"port\":443,\"tls\":true,\"share\":\"docs\","
        "\"path\":\"\",\"loopback\":false,\"flags\":0,\"action\":\"deny\","
        "\"enforced\":false,\"rule\":\"default\",\"basis\":\"default\","
        "\"staged\":[\"external\"],\"staged_total\":12}\n");

    /* Malformed: no canonical fields, the reason instead. */
    memset(&d, 0, sizeof d);
    d.action = SW_DENY;
    d.enforced = 1;
    d.basis = SW_BASIS_MALFORMED;
    d.rule_id = "malformed";
    d.reason = "device namespace path";
    d.canon.malformed = 1;
    d.canon.reason = d.reason;
    q.remote = "\\\\.\\C:";
    r.event = SW_EV_VETOED;
    expect_line(&r,
        "{\"time\":\"1970-01-01T00:00:00.000Z\",\"event\":\"vetoed\",\"raw\":\"\\\\\\\\.\\\\C:\","
        "\"flags\":0,\"action\":\"deny\",\"enforced\":true,\"rule\":\"malformed\","
        "\"basis\":\"malformed\",\"reason\":\"device namespace path\"}\n");

    /* Policy event: no request, no decision. */
    memset(&r, 0, sizeof r);
    r.event = SW_EV_POLICY_REJECTED;
    r.time_ms = 1709210096789LL;
    r.message = "policy.yaml:3:7: rules[0].action: expected allow or deny";
    expect_line(&r,
        "{\"time\":\"2024-02-29T12:34:56.789Z\",\"event\":\"policy-rejected\","
        "\"message\":\"policy.yaml:3:7: rules[0].action: expected allow or deny\"}\n");

    /* POST with the provider's status and a rate-limit count. */
    r.event = SW_EV_CONNECTED;
    r.message = NULL;
    r.has_status = 1;
    r.status = -5;
    r.suppressed = 17;
    expect_line(&r,
        "{\"time\":\"2024-02-29T12:34:56.789Z\",\"event\":\"connected\","
        "\"status\":-5,\"suppressed\":17}\n");
}

static void test_format_escaping(void **state)
{
    (void)state;
    sw_record r;
    memset(&r, 0, sizeof r);
    r.event = SW_EV_ERROR;
    r.message = "q\"b\\c\x01\x1f\x7f\n\t\r|\xe2\x80\xa8\xe2\x80\xa9|\xc3\xa9|"
                "\xff\xc3 |\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x82|"
                "\xf0\x9f\x98\x80";
    expect_line(&r,
        "{\"time\":\"1970-01-01T00:00:00.000Z\",\"event\":\"error\","
        "\"message\":\"q\\\"b\\\\c\\u0001\\u001f\\u007f\\n\\t\\r|\\u2028\\u2029|\xc3\xa9|"
        "\\ufffd\\ufffd |\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\\ufffd|"
        "\\ufffd\\ufffd|\xf0\x9f\x98\x80\"}\n");

    /* C1 controls (U+009B is a terminal's CSI), bidi and invisible
     * characters are escaped too; JSON readers get the same text back. */
    r.message = "a\xc2\x9b" "b\xe2\x80\xae" "c\xe2\x80\x8b" "d\xf3\xa0\x81\x81" "e\xc2\xa0";
    expect_line(&r,
        "{\"time\":\"1970-01-01T00:00:00.000Z\",\"event\":\"error\","
        "\"message\":\"a\\u009bb\\u202ec\\u200bd\\udb40\\udc41e\\u00a0\"}\n");

    /* Hostile strings in every position stay inside their quotes. */
    sw_request q;
    sw_request_init(&q);
    const char *g[] = {"a\"],\"x\":[\""};
    q.user = "\"}\n{\"event\":\"connected";
    q.groups = g;
    q.group_count = 1;
    r.request = &q;
    r.message = NULL;
    expect_line(&r,
        "{\"time\":\"1970-01-01T00:00:00.000Z\",\"event\":\"error\","
        "\"user\":\"\\\"}\\n{\\\"event\\\":\\\"connected\","
        "\"groups\":[\"a\\\"],\\\"x\\\":[\\\"\"],\"flags\":0}\n");
}

static void test_format_truncates_like_snprintf(void **state)
{
    (void)state;
    sw_record r;
    char full[256], small[11];
    memset(&r, 0, sizeof r);
    r.event = SW_EV_POLICY_LOADED;
    r.message = "ok";
    size_t n = sw_record_format(full, sizeof full, &r);
    assert_int_equal(n, strlen(full));

    memset(small, 'x', sizeof small);
    assert_int_equal(sw_record_format(small, sizeof small, &r), n);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_memory_equal(small, full, sizeof small - 1);

    assert_int_equal(sw_record_format(NULL, 0, &r), n);
    small[0] = 'x';
    assert_int_equal(sw_record_format(small, 1, &r), n);
    assert_int_equal(small[0], '\0');
}

/* ---- parsing ------------------------------------------------------- */

static void test_round_trip(void **state)
{
    (void)state;
    sw_request q;
    sw_decision d;
    sw_record r;
    char line[2048];
    fill_request(&q);
    q.user = "CORP\\\xc3\xa9lodie \"x\"\x01";
    q.flags = 0x80000004u;
    fill_decision(&d);
    fill_record(&r, &q, &d);
    size_t n = sw_record_format(line, sizeof line, &r);

    sw_parsed_record p;
    const char *err = NULL;
    size_t col = 0;
    assert_int_equal(sw_record_parse(line, n, &p, &err, &col), SW_OK);
    assert_int_equal(p.event, SW_EV_VETOED);
    assert_string_equal(p.request.remote, q.remote);
    assert_string_equal(p.request.local, q.local);
    assert_string_equal(p.request.provider, q.provider);
    assert_string_equal(p.request.user, q.user);
    assert_string_equal(p.request.process, q.process);
    assert_int_equal(p.request.group_count, 2);
    assert_string_equal(p.request.groups[0], groups[0]);
    assert_string_equal(p.request.groups[1], groups[1]);
    assert_true(p.request.flags == 0x80000004u);
    assert_null(p.request.self);
    assert_true(p.has_action);
    assert_int_equal(p.action, SW_DENY);
    assert_string_equal(p.rule, "block-admin");
    assert_string_equal(p.time, "2026-11-21T19:41:05.123Z");
    sw_parsed_record_free(&p);
}

/* Hostile pieces of text and what each must read back as after a format
 * and parse round trip: itself, or one U+FFFD per invalid byte. No piece
 * starts with a byte that could complete the piece before it. */
typedef struct piece {
    const char *in, *out;
} piece;

static const piece pieces[] = {
    {"a", "a"}, {"Z", "Z"}, {"\"", "\""}, {"\\", "\\"}, {"/", "/"}, {"\x01", "\x01"},
    {"\n", "\n"}, {"\r", "\r"}, {"\t", "\t"}, {"\x1f", "\x1f"}, {"\x7f", "\x7f"},
    {"\xc3\xa9", "\xc3\xa9"}, {"\xe2\x80\xa8", "\xe2\x80\xa8"},
    {"\xe2\x80\xa9", "\xe2\x80\xa9"}, {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
    {"\xef\xbf\xbd", "\xef\xbf\xbd"}, {"\xff", "\xef\xbf\xbd"}, {"\x80", "\xef\xbf\xbd"},
    {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},
    {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
    {"\\u0041", "\\u0041"}, {"}", "}"}, {"\",\"", "\",\""},
};

static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Builds a random string from pieces into in[] and its expected reading
 * into out[]. */
static void random_text(uint32_t *seed, char *in, char *out, size_t cap)
{
    size_t n = next_random(seed) % 12, li = 0, lo = 0;
    in[0] = out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const piece *pc = &pieces[next_random(seed) % (sizeof pieces / sizeof pieces[0])];
        size_t a = strlen(pc->in), b = strlen(pc->out);
        if (li + a >= cap || lo + b >= cap)
            break;
        memcpy(in + li, pc->in, a + 1);
        memcpy(out + lo, pc->out, b + 1);
        li += a;
        lo += b;
    }
}

static void test_round_trip_hostile_strings(void **state)
{
    (void)state;
    enum { FIELDS = 7, CAP = 64 };
    char in[FIELDS][CAP], want[FIELDS][CAP], line[4096];
    uint32_t seed = 0x5eed1234u;
    for (int iter = 0; iter < 3000; iter++) {
        for (int f = 0; f < FIELDS; f++)
            random_text(&seed, in[f], want[f], CAP);
        const char *g[2] = {in[5], in[6]};
        sw_request q;
        sw_request_init(&q);
        q.remote = in[0];
        q.user = in[1];
        q.process = in[2];
        q.local = in[3];
        q.provider = in[4];
        q.groups = g;
        q.group_count = 2;
        q.flags = next_random(&seed);
        sw_record r;
        memset(&r, 0, sizeof r);
        r.event = SW_EV_CONNECTED;
        r.request = &q;
        size_t n = sw_record_format(line, sizeof line, &r);
        assert_true(n < sizeof line);
        /* One line: the only newline is the terminator. */
        assert_ptr_equal(strchr(line, '\n'), line + n - 1);

        sw_parsed_record p;
        const char *err = NULL;
        size_t col = 0;
        if (sw_record_parse(line, n, &p, &err, &col) != SW_OK)
            fail_msg("iteration %d: %s at column %lu of %s", iter, err, (unsigned long)col, line);
        assert_string_equal(p.request.remote, want[0]);
        assert_string_equal(p.request.user, want[1]);
        assert_string_equal(p.request.process, want[2]);
        assert_string_equal(p.request.local, want[3]);
        assert_string_equal(p.request.provider, want[4]);
        assert_int_equal(p.request.group_count, 2);
        assert_string_equal(p.request.groups[0], want[5]);
        assert_string_equal(p.request.groups[1], want[6]);
        assert_true(p.request.flags == q.flags);
        assert_int_equal(p.event, SW_EV_CONNECTED);
        sw_parsed_record_free(&p);
    }
}

static void test_parse_batch_input(void **state)
{
    (void)state;
    sw_parsed_record p;
    /* No raw: the canonical unc is the name. Unknown keys, nested values and
     * nulls are ignored. */
    const char *line = "{\"unc\":\"\\\\\\\\fs01\\\\data\",\"future\":{\"x\":[1,2]},"
                       "\"local\":null,\"user\":\"u\",\"tags\":[1]}";
    assert_int_equal(sw_record_parse(line, strlen(line), &p, NULL, NULL), SW_OK);
    assert_int_equal(p.event, -1);
    assert_string_equal(p.request.remote, "\\\\fs01\\data");
    assert_null(p.request.local);
    assert_null(p.request.provider);
    assert_string_equal(p.request.user, "u");
    assert_int_equal(p.request.group_count, 0);
    assert_false(p.has_action);
    assert_null(p.rule);
    sw_parsed_record_free(&p);

    /* raw wins over unc; an empty local (deviceless) stays "". */
    line = "{\"unc\":\"\\\\\\\\a\\\\b\",\"raw\":\"//A/b\",\"local\":\"\",\"groups\":[]}";
    assert_int_equal(sw_record_parse(line, strlen(line), &p, NULL, NULL), SW_OK);
    assert_string_equal(p.request.remote, "//A/b");
    assert_string_equal(p.request.local, "");
    assert_int_equal(p.request.group_count, 0);
    sw_parsed_record_free(&p);
}

static void expect_parse_error(const char *line, const char *msg, size_t want_col)
{
    sw_parsed_record p;
    const char *err = NULL;
    size_t col = 0;
    assert_int_equal(sw_record_parse(line, strlen(line), &p, &err, &col), SW_EINVAL);
    assert_non_null(err);
    assert_string_equal(err, msg);
    assert_int_equal(col, want_col);
    assert_null(p.remote);
    assert_null(p.request.remote);
    assert_null(p.groups);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_parse_error("{\"user\":5}", "\"user\" must be a string", 9);
    expect_parse_error("{\"raw\":\"x\",\"process\":[\"a\"]}", "\"process\" must be a string", 22);
    expect_parse_error("{\"raw\":true}", "\"raw\" must be a string", 8);
    expect_parse_error("{\"event\":\"exploded\"}", "unknown \"event\"", 10);
    expect_parse_error("{\"action\":\"maybe\"}", "\"action\" must be \"allow\" or \"deny\"", 11);
    expect_parse_error("{\"flags\":-1}", "\"flags\" must be an integer from 0 to 4294967295", 10);
    expect_parse_error("{\"flags\":4294967296}",
                       "\"flags\" must be an integer from 0 to 4294967295", 10);
    expect_parse_error("{\"groups\":[\"a\",2]}", "\"groups\" must be an array of strings", 11);
    expect_parse_error("{\"groups\":\"a\"}", "\"groups\" must be an array of strings", 11);
    expect_parse_error("{\"raw\":\"x\",}", "expected a string key", 12);
    expect_parse_error("not json", "expected '{'", 1);

    sw_parsed_record p;
    const char *err = NULL;
    assert_int_equal(sw_record_parse("{}", (size_t)2 << 20, &p, &err, NULL), SW_EINVAL);
    assert_string_equal(err, "line too long");
}

static void test_names(void **state)
{
    (void)state;
    static const char *const events[SW_EV_COUNT] = {
        "vetoed", "would-veto", "staged", "connected",
        "disconnected", "policy-loaded", "policy-rejected", "error"};
    for (int i = 0; i < SW_EV_COUNT; i++) {
        assert_string_equal(sw_event_name((sw_event)i), events[i]);
        assert_int_equal(sw_event_from_name(events[i]), i);
    }
    assert_int_equal(sw_event_from_name("Vetoed"), -1);
    assert_int_equal(sw_event_from_name(NULL), -1);
    assert_string_equal(sw_event_name(SW_EV_COUNT), "?");
    assert_string_equal(sw_field_name(SW_F_UNC), "unc");
    assert_string_equal(sw_field_name(SW_F_GROUP), "group");
    assert_string_equal(sw_field_name(SW_F_PROCESS), "process");
    assert_string_equal(sw_field_name(SW_F_COUNT), "?");
    assert_string_equal(sw_action_name(SW_ALLOW), "allow");
    assert_string_equal(sw_action_name(SW_DENY), "deny");
    assert_string_equal(sw_mode_name(SW_MODE_AUDIT), "audit");
    assert_string_equal(sw_mode_name(SW_MODE_ENFORCE), "enforce");
    assert_string_equal(sw_scheme_name(SW_SCHEME_WEBDAV), "webdav");
    assert_string_equal(sw_basis_name(SW_BASIS_MALFORMED), "malformed");
    assert_string_equal(sw_basis_name(SW_BASIS_DEFAULT), "default");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_known_instants),
        cmocka_unit_test(test_time_matches_day_walk),
        cmocka_unit_test(test_format_veto_golden),
        cmocka_unit_test(test_format_other_shapes),
        cmocka_unit_test(test_format_escaping),
        cmocka_unit_test(test_format_truncates_like_snprintf),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_hostile_strings),
        cmocka_unit_test(test_parse_batch_input),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
