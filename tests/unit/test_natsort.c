/* Natural order of fragment file names (natsort.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "natsort.h"

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void digits_compare_by_value(void **state)
{
    (void)state;
    assert_int_equal(sign(sw_natcmp("9-site.yaml", "10-base.yaml")), -1);
    assert_int_equal(sign(sw_natcmp("10-base.yaml", "9-site.yaml")), 1);
    assert_int_equal(sign(sw_natcmp("a2b", "a10b")), -1);
    assert_int_equal(sign(sw_natcmp("rule100", "rule99")), 1);
}

static void text_compares_bytewise(void **state)
{
    (void)state;
    assert_int_equal(sign(sw_natcmp("a.yaml", "b.yaml")), -1);
    /* Byte-wise, not case-folded: 'B' (0x42) < 'a' (0x61). */
    assert_int_equal(sign(sw_natcmp("B.yaml", "a.yaml")), -1);
    assert_int_equal(sign(sw_natcmp("10-a.yaml", "10-b.yaml")), -1);
    assert_int_equal(sw_natcmp("same.yaml", "same.yaml"), 0);
}

static void digits_sort_before_letters_bytewise(void **state)
{
    (void)state;
    /* A digit meets a letter: plain byte order ('1' < 'a'). */
    assert_int_equal(sign(sw_natcmp("1.yaml", "a.yaml")), -1);
    assert_int_equal(sign(sw_natcmp("x-", "x-1")), -1);
}

static void leading_zeros_tie_broken_bytewise(void **state)
{
    (void)state;
    /* 01 and 1 are the same number; the order must still be total. */
    assert_int_equal(sign(sw_natcmp("01.yaml", "1.yaml")), -1);
    assert_int_equal(sign(sw_natcmp("1.yaml", "01.yaml")), 1);
    assert_int_equal(sign(sw_natcmp("002", "10")), -1);
    assert_int_equal(sign(sw_natcmp("0", "00")), -1);
}

static void huge_numbers_do_not_overflow(void **state)
{
    (void)state;
    assert_int_equal(sign(sw_natcmp("99999999999999999999999", "100000000000000000000000")), -1);
    assert_int_equal(sign(sw_natcmp("18446744073709551616", "18446744073709551615")), 1);
}

static int by_nat(const void *a, const void *b)
{
    return sw_natcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sorting_a_directory_listing(void **state)
{
    (void)state;
    const char *names[] = {"10-base.yaml", "9-site.yaml", "100-last.yaml", "1-first.yaml",
                           "09-nine.yaml", "a.yaml"};
    const char *want[] = {"1-first.yaml", "09-nine.yaml", "9-site.yaml", "10-base.yaml",
                          "100-last.yaml", "a.yaml"};
    qsort(names, 6, sizeof *names, by_nat);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(names[i], want[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digits_compare_by_value),
        cmocka_unit_test(text_compares_bytewise),
        cmocka_unit_test(digits_sort_before_letters_bytewise),
        cmocka_unit_test(leading_zeros_tie_broken_bytewise),
        cmocka_unit_test(huge_numbers_do_not_overflow),
        cmocka_unit_test(sorting_a_directory_listing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
