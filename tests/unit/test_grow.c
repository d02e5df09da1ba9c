/* Array growth (grow.c): doubling, first capacity, overflow refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "alloc.h"
#include "grow.h"

static void doubles_from_the_first_capacity(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    for (size_t count = 0; count < 100; count++) {
        int *n = sw_grow(a, &cap, count, sizeof *n, 4);
        assert_non_null(n);
        a = n;
        a[count] = (int)count;
        assert_true(cap > count);
    }
    assert_int_equal(cap, 128); /* 4, 8, ..., 128 */
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(a[i], (int)i);
    /* Room left: the same array comes back. */
    assert_ptr_equal(sw_grow(a, &cap, 100, sizeof *a, 4), a);
    sw_free(a);
}

static void overflow_is_refused_and_the_array_kept(void **state)
{
    (void)state;
    size_t cap = 0;
    char *a = sw_grow(NULL, &cap, 0, 1, 8);
    assert_non_null(a);
    size_t before = cap;
    assert_null(sw_grow(a, &cap, SIZE_MAX - 1, 1, 8));
    assert_int_equal(cap, before);
    cap = before;
    assert_null(sw_grow(a, &cap, before, SIZE_MAX / 4, 8));
    assert_int_equal(cap, before);
    sw_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doubles_from_the_first_capacity),
        cmocka_unit_test(overflow_is_refused_and_the_array_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
