/* The core's single allocation hook: every heap allocation of src/core goes
 * through these, so tests can fail the Nth allocation (SQLite style). */
#ifndef SW_CORE_ALLOC_H
#define SW_CORE_ALLOC_H

#include <stddef.h>

void *sw_malloc(size_t n);
void *sw_calloc(size_t count, size_t size); /* overflow-checked, zeroed */
void *sw_realloc(void *p, size_t n);
void sw_free(void *p);
char *sw_strdup(const char *s);             /* NULL in -> NULL out */
char *sw_strndup(const char *s, size_t n);

/* PCRE2 contexts whose memory comes from the hook (pcre2 general context
 * callbacks). Declared as void* so this header needs no pcre2.h. */
void *sw_pcre2_malloc(size_t n, void *ud);
void sw_pcre2_free(void *p, void *ud);

#endif
