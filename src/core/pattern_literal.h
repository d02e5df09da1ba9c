/* Patterns that are plain literals ('fs01', 'fs01\.corp\.example\.com',
 * 'finance', 'CORP\\svc_backup') — the bulk of an enterprise policy. */
#ifndef SW_CORE_PATTERN_LITERAL_H
#define SW_CORE_PATTERN_LITERAL_H

#include <stddef.h>

/* If src is nothing but literal characters — ASCII letters, digits, '-',
 * '_', and the escapes \. \- \_ \$ \\ — writes the lower-cased literal to
 * out (room for n bytes) and returns 1; else returns 0.
 *
 * Why it is safe to match such a pattern without PCRE2: with the options
 * every pattern is compiled with (anchored at both ends, caseless, UTF +
 * UCP), a literal ASCII pattern matches an ASCII-only subject exactly when
 * the two are equal ignoring ASCII case. (Unicode caseless folding maps
 * only non-ASCII characters such as U+212A KELVIN SIGN onto ASCII
 * letters, so a subject with any non-ASCII byte still goes to PCRE2.) */
int sw_pattern_literal(const char *src, size_t n, char *out, size_t *out_len);

/* The match itself: subject must be ASCII-only (the caller checks). */
int sw_literal_equal(const char *lit, size_t lit_len, const char *subject,
                     size_t len);

#endif
