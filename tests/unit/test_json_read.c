/* The strict one-object JSON reader behind log replay and batch input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json_read.h"
#include "utf.h"
#include "sharewall/sharewall.h"

static int read_ok(const char *text, sw_json_object *o)
{
    const char *err = NULL;
    size_t col = 0;
    int rc = sw_json_read_object(text, strlen(text), o, &err, &col);
    if (rc != SW_OK)
        print_error("unexpected error '%s' at column %lu for %s\n", err, (unsigned long)col,
                    text);
    return rc;
}

/* Asserts that text fails with msg at 1-based column col. */
static void expect_error(const char *text, const char *msg, size_t col)
{
    sw_json_object o;
    const char *err = NULL;
    size_t got_col = 0;
    int rc = sw_json_read_object(text, strlen(text), &o, &err, &got_col);
    assert_int_equal(rc, SW_EINVAL);
    assert_non_null(err);
    assert_string_equal(err, msg);
    assert_int_equal(got_col, col);
    assert_null(o.members);
    assert_int_equal(o.count, 0);
}

static void test_value_types(void **state)
{
    (void)state;
    sw_json_object o;
    assert_int_equal(read_ok(" {\"s\":\"x\", \"n\":-12.5e+3,\"t\":true,\"f\":false,"
                             "\"z\":null,\"a\":[\"p\",\"q\"],\"e\":[]}\r\n", &o), SW_OK);
    assert_int_equal(o.count, 7);
    const sw_json_member *m = sw_json_find(&o, "s");
    assert_int_equal(m->type, SW_JSON_STRING);
    assert_string_equal(m->text, "x");
    assert_int_equal(m->column, 7);
    m = sw_json_find(&o, "n");
    assert_int_equal(m->type, SW_JSON_NUMBER);
    assert_string_equal(m->text, "-12.5e+3");
    assert_int_equal(sw_json_find(&o, "t")->type, SW_JSON_TRUE);
    assert_int_equal(sw_json_find(&o, "f")->type, SW_JSON_FALSE);
    assert_int_equal(sw_json_find(&o, "z")->type, SW_JSON_NULL);
    m = sw_json_find(&o, "a");
    assert_int_equal(m->type, SW_JSON_STRING_ARRAY);
    assert_int_equal(m->count, 2);
    assert_string_equal(m->items[0], "p");
    assert_string_equal(m->items[1], "q");
    m = sw_json_find(&o, "e");
    assert_int_equal(m->type, SW_JSON_STRING_ARRAY);
    assert_int_equal(m->count, 0);
    assert_null(sw_json_find(&o, "missing"));
    sw_json_object_free(&o);

    assert_int_equal(read_ok("{}", &o), SW_OK);
    assert_int_equal(o.count, 0);
    sw_json_object_free(&o);

    /* A leading byte order mark is skipped; columns still count it. */
    assert_int_equal(read_ok("\xEF\xBB\xBF{\"a\":1}", &o), SW_OK);
    assert_int_equal(sw_json_find(&o, "a")->column, 9);
    sw_json_object_free(&o);
    expect_error("\xEF\xBB\xBF[", "expected '{'", 4);
}

static void test_escapes(void **state)
{
    (void)state;
    sw_json_object o;
    assert_int_equal(read_ok("{\"k\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC"
                             "\\ud83d\\ude00 raw \xc3\xa9\"}", &o), SW_OK);
    assert_string_equal(sw_json_find(&o, "k")->text,
                        "\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 raw \xc3\xa9");
    sw_json_object_free(&o);

    /* Escaped keys are unescaped too. */
    assert_int_equal(read_ok("{\"\\u0072aw\":\"\"}", &o), SW_OK);
    assert_non_null(sw_json_find(&o, "raw"));
    assert_string_equal(sw_json_find(&o, "raw")->text, "");
    sw_json_object_free(&o);
}

static void test_skipped_values(void **state)
{
    (void)state;
    sw_json_object o;
    assert_int_equal(read_ok("{\"obj\":{\"a\":[1,{\"b\":null}],\"c\":\"\\u00e9\"},"
                             "\"mix\":[\"a\",1],\"nums\":[1,2],\"after\":\"ok\"}", &o), SW_OK);
    assert_int_equal(sw_json_find(&o, "obj")->type, SW_JSON_SKIPPED);
    assert_int_equal(sw_json_find(&o, "mix")->type, SW_JSON_SKIPPED);
    assert_int_equal(sw_json_find(&o, "mix")->count, 0);
    assert_int_equal(sw_json_find(&o, "nums")->type, SW_JSON_SKIPPED);
    assert_string_equal(sw_json_find(&o, "after")->text, "ok");
    sw_json_object_free(&o);

    /* Skipped values are still checked: a syntax error inside is an error. */
    expect_error("{\"obj\":{\"a\":[1,}]}}", "invalid value", 16);
    expect_error("{\"mix\":[\"a\",tru]}", "invalid value", 13);
}

static void test_errors_with_columns(void **state)
{
    (void)state;
    expect_error("", "empty input", 1);
    expect_error("  [1]", "expected '{'", 3);
    expect_error("{\"a\":1,}", "expected a string key", 8);
    expect_error("{\"a\" 1}", "expected ':'", 6);
    expect_error("{\"a\":1 \"b\":2}", "expected ',' or '}'", 8);
    expect_error("{\"a\":1} x", "unexpected text after the object", 9);
    expect_error("{\"a\":1,\"a\":2}", "duplicate key", 8);
    expect_error("{\"a\":01}", "expected ',' or '}'", 7);
    expect_error("{\"a\":1.}", "invalid number: digit expected after '.'", 8);
    expect_error("{\"a\":1e}", "invalid number: digit expected in exponent", 8);
    expect_error("{\"a\":-}", "invalid number", 6);
    expect_error("{\"a\":+1}", "invalid value", 6);
    expect_error("{\"a\":nul}", "invalid value", 6);
    expect_error("{\"a\":\"x", "unterminated string", 8);
    expect_error("{\"a\":\"x\ty\"}", "control character in string", 8);
    expect_error("{\"a\":\"\\x\"}", "invalid escape in string", 7);
    expect_error("{\"a\":\"\\u12G4\"}", "invalid hex digit in \\u escape", 11);
    expect_error("{\"a\":\"\\u12\"}", "invalid hex digit in \\u escape", 11);
    expect_error("{\"a\":\"\\ud800\"}", "unpaired high surrogate in \\u escape", 7);
    expect_error("{\"a\":\"\\ud800\\u0041\"}", "unpaired high surrogate in \\u escape", 7);
    expect_error("{\"a\":\"\\udc00\"}", "unpaired low surrogate in \\u escape", 7);
    expect_error("{\"a\":\"\\u0000\"}", "\\u0000 is not allowed in strings", 7);
    expect_error("{\"a\":\"\xff\"}", "invalid UTF-8 in string", 7);
    expect_error("{\"a\":\"\xc0\xaf\"}", "invalid UTF-8 in string", 7);
    expect_error("{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8 in string", 7);
    expect_error("{\"a\":\"\xe2\x82\"}", "invalid UTF-8 in string", 7);
    expect_error("{\"a\":", "unexpected end of input", 6);
}

/* {"d": followed by `levels` nested arrays. */
static void nested(char *buf, int levels)
{
    size_t n = 0;
    memcpy(buf, "{\"d\":", 5);
    n = 5;
    for (int i = 0; i < levels; i++)
        buf[n++] = '[';
    for (int i = 0; i < levels; i++)
        buf[n++] = ']';
    buf[n++] = '}';
    buf[n] = '\0';
}

static void test_bounds(void **state)
{
    (void)state;
    char buf[128];
    sw_json_object o;

    /* Depth: 16 nested levels inside a skipped value are fine, 17 are not. */
    nested(buf, 16);
    assert_int_equal(read_ok(buf, &o), SW_OK);
    assert_int_equal(sw_json_find(&o, "d")->type, SW_JSON_SKIPPED);
    sw_json_object_free(&o);
    nested(buf, 17);
    expect_error(buf, "nesting too deep", 6 + 16);

    /* Over the line limit is refused before reading anything. */
    const char *err = NULL;
    assert_int_equal(sw_json_read_object("{}", (size_t)SW_JSON_MAX_LEN + 1, &o, &err, NULL),
                     SW_ETOOBIG);
    assert_string_equal(err, "line too long");
}

static void test_to_uint(void **state)
{
    (void)state;
    sw_json_object o;
    uint64_t v = 0;
    assert_int_equal(read_ok("{\"a\":4294967295,\"b\":4294967296,\"c\":-1,\"d\":1.0,"
                             "\"e\":\"7\",\"f\":0}", &o), SW_OK);
    assert_int_equal(sw_json_to_uint(sw_json_find(&o, "a"), UINT32_MAX, &v), 0);
    assert_true(v == UINT32_MAX);
    assert_int_equal(sw_json_to_uint(sw_json_find(&o, "b"), UINT32_MAX, &v), -1);
    assert_int_equal(sw_json_to_uint(sw_json_find(&o, "c"), UINT32_MAX, &v), -1);
    assert_int_equal(sw_json_to_uint(sw_json_find(&o, "d"), UINT32_MAX, &v), -1);
    assert_int_equal(sw_json_to_uint(sw_json_find(&o, "e"), UINT32_MAX, &v), -1);
    assert_int_equal(sw_json_to_uint(sw_json_find(&o, "f"), UINT32_MAX, &v), 0);
    assert_true(v == 0);
    sw_json_object_free(&o);
}

static void test_utf8_decode(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(sw_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(sw_utf8_decode((const unsigned char *)"\xf4\x8f\xbf\xbf", 4, &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
    assert_int_equal(sw_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
    assert_int_equal(sw_utf8_decode((const unsigned char *)"\xe0\x80\xaf", 3, &cp), 0);
    assert_int_equal(sw_utf8_decode((const unsigned char *)"\xc3\xa9", 1, &cp), 0);
    assert_int_equal(sw_utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_types),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_skipped_values),
        cmocka_unit_test(test_errors_with_columns),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_to_uint),
        cmocka_unit_test(test_utf8_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
