/* Error reporting for the policy loader, and the checks made on the raw
 * text before libyaml sees it (UTF-8 validity, NUL bytes, characters that
 * would make a reviewer read something else than what is loaded). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hidden.h"
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

/* Characters refused anywhere in the text, comments included: what the
 * loader reads must be what an editor or a code review shows. Controls
 * other than tab and line ends; U+0085, U+2028 and U+2029, which libyaml
 * takes as line breaks where editors show one line (a comment could hide
 * "stage: true"); the bidi embeddings, overrides and isolates, which
 * reorder the text shown around them, even from a comment ("Trojan
 * Source"); and U+FEFF past the leading byte order mark (libyaml skips one
 * at the start of any line, unseen). Invisible characters and bidi marks
 * are refused where they could change a value (sw_want_string), not in
 * comments, where scripts such as Persian need them. */
static const char *refused_anywhere(uint32_t cp)
{
    switch (sw_hidden_kind(cp)) {
    case SW_HIDDEN_CONTROL:
        return cp == '\t' || cp == '\n' || cp == '\r' ? NULL
                                                      : "not allowed in a policy";
    case SW_HIDDEN_LINE_BREAK:
        return "YAML starts a new line here where editors and code review "
               "show one line; remove it";
    case SW_HIDDEN_BIDI:
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
                   ? "it reorders how the text around it is shown, so a "
                     "reviewer may not see what is loaded; remove it"
                   : NULL;
    default:
        return cp == 0xFEFF ? "allowed only as the byte order mark at the very "
                              "start of the file; remove it"
                            : NULL;
    }
}

#define SW_MAX_HIDDEN_REPORTS 16

/* Reports every refused character (up to a limit); 1 when there is none.
 * text is valid UTF-8. */
static int hidden_check(sw_report *r, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned line = 1, col = 1;
    size_t found = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = s[i];
        size_t n = utf8_seq_len(s + i, len - i);
        if (n > 1) {
            cp = s[i] & (0xFF >> (n + 1));
            for (size_t k = 1; k < n; k++)
                cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        const char *why = refused_anywhere(cp);
        if (why && found++ < SW_MAX_HIDDEN_REPORTS) {
            char what[SW_HIDDEN_DESCRIBE_CAP];
            sw_report_error(r, line, col, "", "%s: %s", sw_hidden_describe(cp, what), why);
        }
        /* Line breaks as libyaml counts them (LF, CR LF, lone CR): the
         * others are refused above, so editors count the same lines. */
        if (cp == '\n' || (cp == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += n;
    }
    if (found > SW_MAX_HIDDEN_REPORTS)
        sw_report_error(r, 0, 0, "", "%zu more such characters are not listed",
                        found - SW_MAX_HIDDEN_REPORTS);
    return found == 0;
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
    return hidden_check(r, text, len);
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
     * output, and an invisible or bidi character would let
     * 'deny-secret\u200b' pass for 'deny-secret'. Hidden characters are
     * escaped by the one rule every printer uses (sw_escape_char); a long
     * value is cut at a character boundary and marked with "...". */
    static const size_t shown = 64;
    size_t o = 0, len = strlen(s);
    if (!cap)
        return "";
    for (size_t i = 0; i < len;) {
        char esc[SW_ESCAPE_MAX];
        size_t used;
        size_t elen = sw_escape_char(s + i, len - i, esc, &used);
        size_t need = elen ? elen : used;
        if (i >= shown || o + need + 4 > cap) {
            if (o + 4 <= cap) {
                memcpy(buf + o, "...", 3);
                o += 3;
            }
            break;
        }
        memcpy(buf + o, elen ? esc : s + i, need);
        o += need;
        i += used;
    }
    buf[o < cap ? o : cap - 1] = '\0';
    return buf;
}
