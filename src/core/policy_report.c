/* Error reporting for the policy loader, and the checks made on the raw
 * bytes before libyaml sees them (UTF-8 validity, NUL bytes). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_parse.h"

void sw_report_verror(sw_report *r, unsigned line, unsigned col,
                      const char *field, const char *fmt, va_list ap)
{
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* Counted even when the caller passed no diags: a policy with errors is
     * rejected whatever the caller wants to see. */
    r->errors++;
    sw_diag_add(r->diags, SW_SEV_ERROR, r->file, line, col, field, "%s", msg);
}

void sw_report_error(sw_report *r, unsigned line, unsigned col,
                     const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sw_report_verror(r, line, col, field, fmt, ap);
    va_end(ap);
}

/* Length of the UTF-8 sequence at s (at most n bytes available), or 0 when
 * it is not well-formed (overlong forms, surrogates and code points above
 * U+10FFFF included, as RFC 3629 requires). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need;
}

void sw_text_linecol(const char *text, size_t len, size_t off,
                     unsigned *line, unsigned *col)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned l = 1, c = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        /* Line breaks as libyaml counts them: LF, CR LF, lone CR. */
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((s[i] & 0xC0) != 0x80) {
            c++; /* a lead byte: columns count characters, as libyaml does */
        }
    }
    *line = l;
    *col = c;
}

int sw_text_check(sw_report *r, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        unsigned line, col;
        if (s[i] == 0) {
            sw_text_linecol(text, len, i, &line, &col);
            sw_report_error(r, line, col, "", "NUL byte in the policy text");
            return 0;
        }
        size_t n = utf8_seq_len(s + i, len - i);
        if (n == 0) {
            sw_text_linecol(text, len, i, &line, &col);
            sw_report_error(r, line, col, "",
                            "invalid UTF-8 (byte 0x%02X); the policy must be UTF-8",
                            (unsigned)s[i]);
            return 0;
        }
        i += n;
    }
    return 1;
}

void sw_load_error(sw_loader *L, const sw_ynode *n, const char *field,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sw_report_verror(&L->rep, n->line, n->col, field, fmt, ap);
    va_end(ap);
}

sw_srcpos sw_load_pos(const sw_loader *L, const sw_ynode *n)
{
    sw_srcpos pos;
    pos.file = L->rep.file;
    pos.line = n->line;
    pos.column = n->col;
    return pos;
}

const char *sw_printable(const char *s, char *buf, size_t cap)
{
    /* Enough of the value to recognise it, on one line: a newline in a
     * message would let a policy forge extra lines in `sharewall check`
     * output. Control bytes become \n, \t, \r or \xNN; a long value is cut
     * at a character boundary and marked with "...". */
    static const size_t shown = 64;
    size_t o = 0;
    if (!cap)
        return "";
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[5] = "";
        if (c == '\n' || c == '\t' || c == '\r')
            snprintf(esc, sizeof esc, "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
        else if (c < 0x20 || c == 0x7F)
            snprintf(esc, sizeof esc, "\\x%02X", (unsigned)c);
        size_t need = esc[0] ? strlen(esc) : 1;
        int boundary = (c & 0xC0) != 0x80;
        if (boundary && (i >= shown || o + need + 4 > cap)) {
            if (o + 4 <= cap) {
                memcpy(buf + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (esc[0]) {
            memcpy(buf + o, esc, need);
            o += need;
        } else if (o + 1 < cap) {
            buf[o++] = (char)c;
        }
    }
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}
