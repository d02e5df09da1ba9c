#include "grow.h"

#include <stdint.h>

#include "alloc.h"

void *sw_grow(void *items, size_t *cap, size_t count, size_t elem, size_t first)
{
    if (items && count < *cap)
        return items;
    size_t ncap = *cap ? *cap : first;
    while (ncap <= count) {
        if (ncap > SIZE_MAX / 2)
            return NULL;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return NULL;
    void *n = sw_realloc(items, ncap * elem);
    if (n)
        *cap = ncap;
    return n;
}
