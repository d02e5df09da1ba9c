#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sharewall/sharewall.h"

static void *libc_malloc(size_t n, void *ud) { (void)ud; return malloc(n); }
static void *libc_realloc(void *p, size_t n, void *ud) { (void)ud; return realloc(p, n); }
static void libc_free(void *p, void *ud) { (void)ud; free(p); }

static sw_allocator current = {libc_malloc, libc_realloc, libc_free, NULL};

void sw_set_allocator(const sw_allocator *a)
{
    static const sw_allocator libc = {libc_malloc, libc_realloc, libc_free, NULL};
    current = a ? *a : libc;
}

void *sw_malloc(size_t n)
{
    /* malloc(0) may return NULL legitimately; ask for one byte so NULL
     * always means "out of memory" to our callers. */
    return current.malloc_fn(n ? n : 1, current.ud);
}

void *sw_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    size_t n = count * size;
    void *p = sw_malloc(n);
    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

void *sw_realloc(void *p, size_t n)
{
    if (!p)
        return sw_malloc(n);
    return current.realloc_fn(p, n ? n : 1, current.ud);
}

void sw_free(void *p)
{
    if (p)
        current.free_fn(p, current.ud);
}

char *sw_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = sw_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *sw_strdup(const char *s)
{
    return s ? sw_strndup(s, strlen(s)) : NULL;
}

void *sw_pcre2_malloc(size_t n, void *ud)
{
    (void)ud;
    return sw_malloc(n);
}

void sw_pcre2_free(void *p, void *ud)
{
    (void)ud;
    sw_free(p);
}
