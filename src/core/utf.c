/* Strict UTF-8 decoding and UTF-16 <-> UTF-8 conversion.
 *
 * The DLL receives UTF-16 from MPR and the engine works in UTF-8. A name
 * that cannot be converted exactly (unpaired surrogate, embedded NUL) must
 * never be "repaired" into something a rule might match: conversion fails
 * and the caller treats the name as malformed. */
#include "utf.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "sharewall/sharewall.h"

void sw_utf8_dec_init(sw_utf8_dec *d)
{
    d->cp = 0;
    d->min = 0;
    d->need = 0;
}

int sw_utf8_dec_feed(sw_utf8_dec *d, unsigned char b, uint32_t *cp)
{
    if (d->need == 0) {
        if (b < 0x80) {
            *cp = b;
            return 1;
        }
        /* C0, C1 (always overlong) and F5..FF (beyond U+10FFFF) are never
         * lead bytes; other overlongs are caught by `min` below. */
        if (b >= 0xC2 && b <= 0xDF) {
            d->cp = b & 0x1Fu;
            d->need = 1;
            d->min = 0x80;
        } else if (b >= 0xE0 && b <= 0xEF) {
            d->cp = b & 0x0Fu;
            d->need = 2;
            d->min = 0x800;
        } else if (b >= 0xF0 && b <= 0xF4) {
            d->cp = b & 0x07u;
            d->need = 3;
            d->min = 0x10000;
        } else {
            return -1;
        }
        return 0;
    }
    if ((b & 0xC0) != 0x80) {
        d->need = 0;
        return -1;
    }
    d->cp = (d->cp << 6) | (b & 0x3Fu);
    if (--d->need)
        return 0;
    if (d->cp < d->min || d->cp > 0x10FFFF ||
        (d->cp >= 0xD800 && d->cp <= 0xDFFF))
        return -1;
    *cp = d->cp;
    return 1;
}

int sw_utf8_utf16_units(const char *s, size_t n, size_t *units)
{
    sw_utf8_dec d;
    size_t count = 0;
    sw_utf8_dec_init(&d);
    for (size_t i = 0; i < n; i++) {
        uint32_t cp;
        if ((unsigned char)s[i] < 0x80 && !sw_utf8_dec_pending(&d)) {
            count++; /* ASCII: one unit, no decoder state to advance */
            continue;
        }
        int r = sw_utf8_dec_feed(&d, (unsigned char)s[i], &cp);
        if (r < 0)
            return -1;
        if (r > 0)
            count += cp >= 0x10000 ? 2 : 1;
    }
    if (sw_utf8_dec_pending(&d))
        return -1;
    if (units)
        *units = count;
    return 0;
}

int sw_plain_ascii(const char *s, size_t n)
{
    const uint64_t high = 0x8080808080808080u, ones = 0x0101010101010101u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof w);
        if ((w & high) || ((w - ones) & ~w & high)) /* non-ASCII, or a 0 byte */
            return 0;
    }
    for (; i < n; i++)
        if (s[i] == '\0' || (unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

int sw_utf8_valid(const char *s, size_t n)
{
    return sw_utf8_utf16_units(s, n, NULL) == 0;
}

/* Next code point of UTF-16 text at *i, or -1 for an unpaired surrogate or
 * a NUL unit (a NUL inside a counted name would truncate it for C code). */
static long utf16_next(const uint16_t *in, size_t n, size_t *i)
{
    uint32_t c = in[*i];
    *i += 1;
    if (c == 0 || (c >= 0xDC00 && c <= 0xDFFF))
        return -1;
    if (c >= 0xD800 && c <= 0xDBFF) {
        if (*i >= n || in[*i] < 0xDC00 || in[*i] > 0xDFFF)
            return -1;
        c = 0x10000 + ((c - 0xD800) << 10) + (in[*i] - 0xDC00u);
        *i += 1;
    }
    return (long)c;
}

static size_t utf8_len_of(uint32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static void put_utf8(char *out, uint32_t c, size_t len)
{
    static const unsigned char lead[5] = {0, 0x00, 0xC0, 0xE0, 0xF0};
    for (size_t k = len - 1; k > 0; k--) {
        out[k] = (char)(0x80 | (c & 0x3F));
        c >>= 6;
    }
    out[0] = (char)(lead[len] | c);
}

/* Both conversions: validate and measure first, then write, so nothing is
 * written to out but a complete result (or an empty string on error). */
static long fail_empty(char *out, size_t cap, long code)
{
    if (out && cap)
        out[0] = '\0';
    return code;
}

long sw_utf16_to_utf8(const uint16_t *in, size_t in_units, char *out,
                      size_t cap)
{
    size_t need = 0, i = 0;
    if (!in && in_units)
        return fail_empty(out, cap, SW_EINVAL);
    while (i < in_units) {
        long c = utf16_next(in, in_units, &i);
        if (c < 0)
            return fail_empty(out, cap, SW_EINVAL);
        need += utf8_len_of((uint32_t)c);
    }
    if (!out || need >= cap || need > (size_t)LONG_MAX)
        return fail_empty(out, cap, SW_ETOOBIG);
    size_t o = 0;
    i = 0;
    while (i < in_units) {
        uint32_t c = (uint32_t)utf16_next(in, in_units, &i);
        size_t len = utf8_len_of(c);
        put_utf8(out + o, c, len);
        o += len;
    }
    out[o] = '\0';
    return (long)o;
}

static long fail_empty16(uint16_t *out, size_t cap, long code)
{
    if (out && cap)
        out[0] = 0;
    return code;
}

long sw_utf8_to_utf16(const char *in, size_t in_len, uint16_t *out,
                      size_t cap_units)
{
    size_t need = 0;
    if (!in && in_len)
        return fail_empty16(out, cap_units, SW_EINVAL);
    for (size_t i = 0; i < in_len; i++)
        if (in[i] == '\0')
            return fail_empty16(out, cap_units, SW_EINVAL);
    if (sw_utf8_utf16_units(in, in_len, &need) != 0)
        return fail_empty16(out, cap_units, SW_EINVAL);
    if (!out || need >= cap_units || need > (size_t)LONG_MAX)
        return fail_empty16(out, cap_units, SW_ETOOBIG);
    sw_utf8_dec d;
    size_t o = 0;
    sw_utf8_dec_init(&d);
    for (size_t i = 0; i < in_len; i++) {
        uint32_t c;
        if (sw_utf8_dec_feed(&d, (unsigned char)in[i], &c) <= 0)
            continue; /* input already validated: 0 means "more bytes" */
        if (c >= 0x10000) {
            c -= 0x10000;
            out[o++] = (uint16_t)(0xD800 + (c >> 10));
            out[o++] = (uint16_t)(0xDC00 + (c & 0x3FF));
        } else {
            out[o++] = (uint16_t)c;
        }
    }
    out[o] = 0;
    return (long)o;
}

/* A one-sequence view of the decoder above, so "valid UTF-8" means the
 * same to the JSON reader, the printers and the canonicaliser. */
size_t sw_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    sw_utf8_dec d;
    sw_utf8_dec_init(&d);
    for (size_t i = 0; i < n && i < 4; i++) {
        int r = sw_utf8_dec_feed(&d, s[i], cp);
        if (r != 0)
            return r > 0 ? i + 1 : 0;
    }
    return 0;
}
