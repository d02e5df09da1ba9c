#include "natsort.h"

#include <string.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Compares the digit runs at *pa and *pb by value (no overflow: the runs
 * are compared as strings once leading zeros are skipped) and advances
 * both pointers past them. */
static int compare_numbers(const char **pa, const char **pb)
{
    const char *a = *pa, *b = *pb;
    while (*a == '0' && is_digit(a[1]))
        a++;
    while (*b == '0' && is_digit(b[1]))
        b++;
    size_t la = 0, lb = 0;
    while (is_digit(a[la]))
        la++;
    while (is_digit(b[lb]))
        lb++;
    int c = la != lb ? (la < lb ? -1 : 1) : memcmp(a, b, la);
    *pa = a + la;
    *pb = b + lb;
    return c;
}

int sw_natcmp(const char *a, const char *b)
{
    const char *pa = a, *pb = b;
    while (*pa && *pb) {
        if (is_digit(*pa) && is_digit(*pb)) {
            int c = compare_numbers(&pa, &pb);
            if (c)
                return c;
            continue;
        }
        if (*pa != *pb)
            return (unsigned char)*pa < (unsigned char)*pb ? -1 : 1;
        pa++;
        pb++;
    }
    if (*pa || *pb)
        return *pa ? 1 : -1;
    /* Equal in natural order ("a01" vs "a1"): fall back to bytes. */
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}
