/* Growing an array by doubling, through the allocation hook. */
#ifndef SW_CORE_GROW_H
#define SW_CORE_GROW_H

#include <stddef.h>

/* Makes room for element number `count` in items (capacity *cap elements
 * of elem bytes; first is the capacity of a new array). Returns the array
 * to use from now on, or NULL when out of memory — items is then still
 * valid and unchanged, so the caller can free it as usual. */
void *sw_grow(void *items, size_t *cap, size_t count, size_t elem, size_t first);

#endif
