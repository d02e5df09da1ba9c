/* UTF-8 validation and decoding for the core.
 *
 * One strict decoder serves every caller (canonicaliser, policy loader,
 * UTF-16 conversion), so "valid UTF-8" means the same thing everywhere:
 * no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
 * U+10FFFF, no truncated sequences. NUL is a valid code point here;
 * callers that must refuse it say so themselves. */
#ifndef SW_CORE_UTF_H
#define SW_CORE_UTF_H

#include <stddef.h>
#include <stdint.h>

/* Incremental decoder: feed one byte at a time. Lets a caller validate
 * bytes it produces on the fly (e.g. percent-decoded URL text) without
 * first copying them into a buffer. */
typedef struct sw_utf8_dec {
    uint32_t cp;   /* code point being assembled                  */
    uint32_t min;  /* smallest code point the lead byte allows    */
    unsigned need; /* continuation bytes still expected           */
} sw_utf8_dec;

void sw_utf8_dec_init(sw_utf8_dec *d);
/* 1: *cp is a complete code point; 0: more bytes needed; -1: invalid. */
int sw_utf8_dec_feed(sw_utf8_dec *d, unsigned char b, uint32_t *cp);
/* Nonzero when a sequence was started but not finished. Inline: the
 * canonicaliser's ASCII fast path asks it for every byte. */
static inline int sw_utf8_dec_pending(const sw_utf8_dec *d)
{
    return d->need != 0;
}

/* 1 when s[0..n) is ASCII without NUL bytes — nearly every real name and
 * field value — checked eight bytes at a time, so the UTF-8 decoder is
 * needed only for the rest. */
int sw_plain_ascii(const char *s, size_t n);

/* Decodes one UTF-8 sequence at s[0..n) strictly. Returns its length and
 * sets *cp, or 0 when the bytes there are not a valid sequence (the record
 * writer and the printers then replace or escape them one by one). */
size_t sw_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* 1 when s[0..n) is valid UTF-8, else 0. */
int sw_utf8_valid(const char *s, size_t n);

/* Validates s[0..n) and counts the UTF-16 code units it would need (the
 * way Windows measures name lengths). Returns 0, or -1 when invalid. */
int sw_utf8_utf16_units(const char *s, size_t n, size_t *units);

#endif
