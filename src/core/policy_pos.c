/* Positions in the policy text: where a scalar's characters stand, as
 * line and column (what diagnostics report) and as byte offsets (what the
 * checks on raw text read). Scalars are walked in text order, so one
 * cursor finds them all in a single pass. */
#include "policy_parse.h"

static size_t utf8_len_of(unsigned long cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static unsigned long hex_value(const char *s, size_t n)
{
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        v = v * 16 + (unsigned long)(c >= '0' && c <= '9'   ? c - '0'
                                     : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                     : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                            : 0);
    }
    return v;
}

/* One escape sequence of a double-quoted scalar at raw (after the
 * backslash's position): its length in the source and in the value. */
static void escape_lengths(const char *raw, size_t avail, size_t *raw_len,
                           size_t *value_len)
{
    size_t hex = 0;
    *raw_len = 2;
    *value_len = 1;
    switch (avail > 1 ? raw[1] : '\0') {
    case 'x':
        hex = 2;
        break;
    case 'u':
        hex = 4;
        break;
    case 'U':
        hex = 8;
        break;
    case 'N': /* U+0085 */
    case '_': /* U+00A0 */
        *value_len = 2;
        return;
    case 'L': /* U+2028 */
    case 'P': /* U+2029 */
        *value_len = 3;
        return;
    default:
        return;
    }
    if (avail < 2 + hex)
        return;
    *raw_len = 2 + hex;
    *value_len = utf8_len_of(hex_value(raw + 2, hex));
}

size_t sw_text_advance(const sw_ytree *t, sw_text_pos *from, unsigned line,
                       unsigned col)
{
    if (line < from->line || (line == from->line && col < from->col)) {
        from->off = 0; /* behind: start again from the top */
        from->line = from->col = 1;
    }
    size_t i = from->off;
    unsigned l = from->line, c = from->col;
    for (; l < line && i < t->len; i++) {
        if (t->text[i] == '\n' ||
            (t->text[i] == '\r' && (i + 1 >= t->len || t->text[i + 1] != '\n'))) {
            l++;
            c = 1;
        }
    }
    for (; c < col && i < t->len; c++) {
        i++;
        while (i < t->len && ((unsigned char)t->text[i] & 0xC0) == 0x80)
            i++;
    }
    from->off = i;
    from->line = l;
    from->col = c;
    return i;
}

unsigned sw_scalar_column_at(const sw_ytree *t, const sw_ynode *n, size_t off)
{
    if (n->kind != SW_Y_SCALAR || n->line != n->end_line || off > n->len ||
        n->style == SW_YS_BLOCK)
        return n->col;
    size_t start = n->start_off;
    const char *raw = t->text + start;
    size_t avail = t->len - start;
    size_t r = 0, v = 0;
    unsigned col = n->col;
    if (n->style != SW_YS_PLAIN) {
        r = 1; /* the opening quote */
        col++;
    }
    while (v < off && r < avail) {
        size_t rl = 1, vl = 1;
        unsigned char c = (unsigned char)raw[r];
        if (n->style == SW_YS_DOUBLE && c == '\\')
            escape_lengths(raw + r, avail - r, &rl, &vl);
        else if (n->style == SW_YS_SINGLE && c == '\'')
            rl = 2; /* '' stands for one quote */
        else {
            while (r + rl < avail && ((unsigned char)raw[r + rl] & 0xC0) == 0x80)
                rl++;
            vl = rl;
            col++;
            r += rl;
            v += vl;
            continue;
        }
        col += (unsigned)rl; /* escapes are ASCII: one column per byte */
        r += rl;
        v += vl;
    }
    return col;
}
