/* UTF-8 validation and UTF-16 <-> UTF-8 conversion. The DLL converts every
 * name MPR hands it with these, so a conversion that "repairs" bad input
 * would let a rule see a name Windows never meant: every error case below
 * must fail, and every valid code point must round-trip exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sharewall/sharewall.h"
#include "utf.h"

/* Reference encoder written straight from RFC 3629 section 3, kept
 * independent of the code under test. */
static size_t ref_encode(uint32_t c, unsigned char *o)
{
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/* Every scalar value: UTF-16 -> UTF-8 equals the reference encoding, and
 * back gives the same units. */
static void test_every_code_point(void **state)
{
    (void)state;
    for (uint32_t c = 1; c <= 0x10FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        uint16_t in[2], back[3];
        size_t n = 0;
        if (c >= 0x10000) {
            in[n++] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            in[n++] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            in[n++] = (uint16_t)c;
        }
        unsigned char want[4];
        char got[5];
        size_t wl = ref_encode(c, want);
        long r = sw_utf16_to_utf8(in, n, got, sizeof got);
        if (r != (long)wl || memcmp(got, want, wl) != 0 || got[wl] != '\0')
            fail_msg("U+%04lX: 16->8 gave %ld", (unsigned long)c, r);
        r = sw_utf8_to_utf16(got, wl, back, 3);
        if (r != (long)n || memcmp(back, in, n * sizeof *in) != 0 || back[n])
            fail_msg("U+%04lX: 8->16 gave %ld", (unsigned long)c, r);
        size_t units = 99;
        assert_int_equal(sw_utf8_utf16_units(got, wl, &units), 0);
        assert_int_equal(units, n);
    }
}

/* Reference validity of a two-byte string, from the Unicode well-formed
 * byte sequence table (Table 3-7): only ASCII+ASCII or C2..DF + 80..BF. */
static int ref_valid2(unsigned a, unsigned b)
{
    if (a < 0x80)
        return b < 0x80;
    return a >= 0xC2 && a <= 0xDF && b >= 0x80 && b <= 0xBF;
}

static void test_every_two_bytes(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            char s[2] = {(char)a, (char)b};
            if (sw_utf8_valid(s, 2) != ref_valid2(a, b))
                fail_msg("%02X %02X", a, b);
        }
}

/* Three-byte leads with every second byte: the ranges Table 3-7 allows. */
static void test_three_byte_ranges(void **state)
{
    (void)state;
    for (unsigned a = 0xE0; a <= 0xEF; a++)
        for (unsigned b = 0; b < 256; b++) {
            char s[3] = {(char)a, (char)b, (char)0x80};
            unsigned lo = a == 0xE0 ? 0xA0 : 0x80; /* no overlongs   */
            unsigned hi = a == 0xED ? 0x9F : 0xBF; /* no surrogates  */
            int want = b >= lo && b <= hi;
            if (sw_utf8_valid(s, 3) != want)
                fail_msg("%02X %02X 80", a, b);
        }
    for (unsigned a = 0xF0; a <= 0xFF; a++)
        for (unsigned b = 0x80; b <= 0xBF; b++) {
            char s[4] = {(char)a, (char)b, (char)0x80, (char)0x80};
            int want = a <= 0xF4 && (a != 0xF0 || b >= 0x90) &&
                       (a != 0xF4 || b <= 0x8F);
            if (sw_utf8_valid(s, 4) != want)
                fail_msg("%02X %02X 80 80", a, b);
        }
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\x80",             /* stray continuation     */
        "a\xc3",            /* truncated              */
        "\xe2\x82",         /* truncated              */
        "\xf0\x9f\x98",     /* truncated              */
        "\xc0\xaf",         /* overlong '/'           */
        "\xe0\x80\xaf",     /* overlong '/'           */
        "\xf0\x80\x80\xaf", /* overlong '/'           */
        "\xed\xa0\x80",     /* U+D800                 */
        "\xed\xbf\xbf",     /* U+DFFF                 */
        "\xf4\x90\x80\x80", /* U+110000               */
        "\xf5\x80\x80\x80", /* no such lead byte      */
        "\xff",
        "\xc3\x28",         /* lead + non-continuation */
    };
    uint16_t out[8];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = strlen(bad[i]);
        assert_false(sw_utf8_valid(bad[i], n));
        out[0] = 0x1234;
        assert_int_equal(sw_utf8_to_utf16(bad[i], n, out, 8), SW_EINVAL);
        assert_int_equal(out[0], 0); /* nothing half-written */
    }
    assert_true(sw_utf8_valid("", 0));
    assert_true(sw_utf8_valid("\xef\xbf\xbf", 3)); /* U+FFFF is a scalar */
}

static void test_utf16_errors(void **state)
{
    (void)state;
    static const uint16_t lone_high[] = {'a', 0xD800};
    static const uint16_t high_then_a[] = {0xD83D, 'a'};
    static const uint16_t lone_low[] = {0xDE00, 'a'};
    static const uint16_t two_highs[] = {0xD83D, 0xD83D, 0xDE00};
    static const uint16_t nul[] = {'\\', '\\', 0, 'x'};
    char out[16];
    assert_int_equal(sw_utf16_to_utf8(lone_high, 2, out, sizeof out), SW_EINVAL);
    assert_string_equal(out, "");
    assert_int_equal(sw_utf16_to_utf8(high_then_a, 2, out, sizeof out), SW_EINVAL);
    assert_int_equal(sw_utf16_to_utf8(lone_low, 2, out, sizeof out), SW_EINVAL);
    assert_int_equal(sw_utf16_to_utf8(two_highs, 3, out, sizeof out), SW_EINVAL);
    assert_int_equal(sw_utf16_to_utf8(nul, 4, out, sizeof out), SW_EINVAL);
    assert_int_equal(sw_utf16_to_utf8(NULL, 3, out, sizeof out), SW_EINVAL);
    assert_int_equal(sw_utf16_to_utf8(NULL, 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(sw_utf8_to_utf16("a\0b", 3, (uint16_t *)out, 8), SW_EINVAL);
    assert_int_equal(sw_utf8_to_utf16(NULL, 2, (uint16_t *)out, 8), SW_EINVAL);
}

/* cap counts the NUL: the exact size works, one less is SW_ETOOBIG. */
static void test_capacity(void **state)
{
    (void)state;
    static const uint16_t in[] = {'\\', 0xE9, 0xD83D, 0xDE00}; /* 1+2+4 */
    char out[8];
    uint16_t w[8];
    assert_int_equal(sw_utf16_to_utf8(in, 4, out, 8), 7);
    assert_string_equal(out, "\\\xc3\xa9\xf0\x9f\x98\x80");
    memset(out, 'x', sizeof out);
    assert_int_equal(sw_utf16_to_utf8(in, 4, out, 7), SW_ETOOBIG);
    assert_int_equal(out[0], '\0');
    out[0] = 'x';
    assert_int_equal(sw_utf16_to_utf8(in, 4, out, 0), SW_ETOOBIG);
    assert_int_equal(out[0], 'x'); /* cap 0: not one byte written */
    assert_int_equal(sw_utf16_to_utf8(in, 4, NULL, 0), SW_ETOOBIG);

    const char *s = "\\\xc3\xa9\xf0\x9f\x98\x80"; /* 4 units */
    assert_int_equal(sw_utf8_to_utf16(s, 7, w, 5), 4);
    assert_int_equal(w[3], 0xDE00);
    assert_int_equal(w[4], 0);
    assert_int_equal(sw_utf8_to_utf16(s, 7, w, 4), SW_ETOOBIG);
    assert_int_equal(w[0], 0);
    assert_int_equal(sw_utf8_to_utf16(s, 7, NULL, 0), SW_ETOOBIG);
}

/* A whole name as the DLL would convert it, then canonicalised. */
static void test_name_through_utf16(void **state)
{
    (void)state;
    static const uint16_t name[] = {'\\', '\\', 'S', 'R', 'V', '\\', 'D', 0xE9};
    char out[64];
    sw_canon c;
    long n = sw_utf16_to_utf8(name, 8, out, sizeof out);
    assert_int_equal(n, 9);
    assert_int_equal(sw_canonicalise(out, (size_t)n, NULL, &c), SW_OK);
    assert_false(c.malformed);
    assert_string_equal(c.unc, "\\\\srv\\D\xc3\xa9");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_point),
        cmocka_unit_test(test_every_two_bytes),
        cmocka_unit_test(test_three_byte_ranges),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_utf16_errors),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_name_through_utf16),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
