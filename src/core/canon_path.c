/* Share and path segments: separators, %-decoding, Win32 trimming, . and ..
 *
 * The canonical path is built right to left. Read that way, ".." simply
 * means "drop the next name you meet", and ".." left over at the start is
 * the clamp at the share root. The result is the same as the usual left to
 * right stack, but needs no stack: the exact output length is known
 * before anything is written, which is what lets sw_canonicalise stay
 * allocation-free for every name whose canonical form fits in small_,
 * however much "a\..\" noise the raw name carries. */
#include <string.h>

#include "canon_internal.h"
#include "utf.h"

/* Decoded value of an escape at p[i] (URL text only). The URL splitter
 * has checked every '%' starts a valid escape, so this cannot misread. */
static int escape_at(const char *p, size_t n, size_t i, int pct)
{
    if (!pct || p[i] != '%' || i + 2 >= n)
        return -1;
    return sw_canon_hex2(p[i + 1], p[i + 2]);
}

/* Length of a separator starting at p[i]: `\` or `/`, and in URL text
 * also %5C / %2F. Many web servers split on a decoded slash; reading it as
 * a separator here too keeps "a%2f..%2fb" from hiding a climb. */
static size_t sep_at(const char *p, size_t n, size_t i, int pct)
{
    if (SW_CANON_IS_SEP(p[i]))
        return 1;
    int v = escape_at(p, n, i, pct);
    return v == '\\' || v == '/' ? 3 : 0;
}

/* Length of a separator ending just before p[end], 0 if none. Stepping
 * back one byte at a time can land inside an escape, but in valid escaped
 * text a '%' three bytes back always starts the escape that ends here. */
static size_t sep_before(const char *p, size_t end, int pct)
{
    if (end >= 1 && SW_CANON_IS_SEP(p[end - 1]))
        return 1;
    if (end >= 3 && sep_at(p, end, end - 3, pct) == 3)
        return 3;
    return 0;
}

int sw_seg_next(const char *text, size_t len, int pct, size_t *pos,
                sw_seg *seg)
{
    size_t i = *pos, k;
    while (i < len && (k = sep_at(text, len, i, pct)) != 0)
        i += k;
    if (i >= len) {
        *pos = len;
        return 0;
    }
    size_t start = i;
    while (i < len && sep_at(text, len, i, pct) == 0)
        i++;
    seg->p = text + start;
    seg->n = i - start;
    *pos = i;
    return 1;
}

/* Backward iteration: the segment ending at or before *end. */
static int seg_prev(const char *text, int pct, size_t *end, sw_seg *seg)
{
    size_t e = *end, k;
    while (e > 0 && (k = sep_before(text, e, pct)) != 0)
        e -= k;
    if (e == 0) {
        *end = 0;
        return 0;
    }
    size_t b = e;
    while (b > 0 && sep_before(text, b, pct) == 0)
        b--;
    seg->p = text + b;
    seg->n = e - b;
    *end = b;
    return 1;
}

/* Next decoded byte of a segment. */
static unsigned char next_byte(const sw_seg *s, int pct, size_t *i)
{
    int v = escape_at(s->p, s->n, *i, pct);
    if (v >= 0) {
        *i += 3;
        return (unsigned char)v;
    }
    return (unsigned char)s->p[(*i)++];
}

/* Characters Windows refuses in share names (FSCC 2.1.6) and in path
 * components (':' would name an NTFS stream; wildcards never name a
 * file). Control characters are refused in both. */
static int illegal_char(uint32_t c, int is_share)
{
    /* A table, not strchr: this runs for every byte of every name. Bit 1:
     * illegal in a share ("*+,/:;<=>?[]|\\), bit 2: in a path segment
     * ("*:<>?|\\). */
    static const unsigned char table[128] = {
        ['"'] = 3, ['*'] = 3, ['+'] = 1, [','] = 1, ['/'] = 1, [':'] = 3,
        [';'] = 1, ['<'] = 3, ['='] = 1, ['>'] = 3, ['?'] = 3, ['['] = 1,
        [']'] = 1, ['|'] = 3, ['\\'] = 3,
    };
    if (c < 0x20 || c == 0x7F)
        return 1;
    if (c >= 0x80)
        return 0;
    return (table[c] & (is_share ? 1 : 2)) != 0;
}

const char *sw_seg_scan(sw_seg *s, int pct, int is_share)
{
    const char *bad = is_share ? "illegal character in share"
                               : "illegal character in path";
    sw_utf8_dec d;
    size_t i = 0, total = 0, dots = 0, units = 0;
    sw_utf8_dec_init(&d);
    s->bytes = 0;
    s->units = 0;
    while (i < s->n) {
        unsigned char b = next_byte(s, pct, &i);
        uint32_t cp = b;
        /* ASCII outside a multi-byte sequence is its own code point. */
        int r = (b < 0x80 && !sw_utf8_dec_pending(&d)) ? 1 : sw_utf8_dec_feed(&d, b, &cp);
        total++;
        if (r < 0)
            return "invalid UTF-8";
        if (r == 0)
            continue;
        units += cp >= 0x10000 ? 2 : 1;
        if (illegal_char(cp, is_share))
            return bad;
        if (cp == '.')
            dots++;
        /* Win32 drops trailing dots and spaces: remember where the text
         * ends once they are cut off. */
        if (cp != '.' && cp != ' ') {
            s->bytes = total;
            s->units = units;
        }
    }
    if (sw_utf8_dec_pending(&d))
        return "invalid UTF-8";
    if (dots == total && total == 1)
        s->kind = SW_SEG_DOT;
    else if (dots == total && total == 2)
        s->kind = SW_SEG_DOTDOT;
    else
        s->kind = s->bytes ? SW_SEG_NAME : SW_SEG_EMPTY;
    return NULL;
}

void sw_seg_write(const sw_seg *s, int pct, char *dst)
{
    size_t i = 0;
    for (size_t o = 0; o < s->bytes; o++)
        dst[o] = (char)next_byte(s, pct, &i);
}

/* One right-to-left walk; writes only when dst is non-NULL. */
static const char *path_walk(const char *text, size_t len, int pct,
                             char *dst, size_t *out_len)
{
    size_t end = len, pending = 0, total = 0, at = *out_len;
    sw_seg s;
    while (seg_prev(text, pct, &end, &s)) {
        const char *reason = sw_seg_scan(&s, pct, 0);
        if (reason)
            return reason;
        if (s.kind == SW_SEG_DOTDOT) {
            pending++;
        } else if (s.kind == SW_SEG_NAME) {
            if (pending) {
                pending--;
                continue;
            }
            total += 1 + s.bytes;
            if (dst) {
                at -= s.bytes;
                sw_seg_write(&s, pct, dst + at);
                dst[--at] = '\\';
            }
        }
        /* "." and segments that trim to nothing are dropped. */
    }
    /* Any ".." still pending would climb above the share: clamped. */
    *out_len = total;
    return NULL;
}

const char *sw_canon_path_measure(const char *text, size_t len, int pct,
                                  size_t *out_len)
{
    *out_len = 0;
    return path_walk(text, len, pct, NULL, out_len);
}

void sw_canon_path_write(const char *text, size_t len, int pct, char *dst,
                         size_t out_len)
{
    (void)path_walk(text, len, pct, dst, &out_len);
}
