/* Hidden characters in policy values (hidden.h): what a reviewer sees must
 * be what is loaded. Two checks, because a double-quoted YAML string can
 * write a character as an escape ("\u200b") that a reviewer does see:
 *  - typed raw in any string value, an invisible character, a bidi mark or
 *    a control other than tab and line end is refused where it stands;
 *  - in rule ids, patterns, group names and descriptions, it is refused
 *    however it was written: nothing legitimate needs one there (a pattern
 *    matches one with the regex escape \x{200b}), and these are the values
 *    logs, traces and reviews quote. Tests keep escapes: a test may well
 *    check that a name holding U+200B is denied.
 * The characters refused anywhere, comments included, are caught earlier,
 * on the raw text (sw_text_check). */
#include "hidden.h"
#include "policy_parse.h"
#include "utf.h"

/* The code point at s (valid UTF-8: the text was checked) and its length. */
static size_t next_char(const char *s, size_t n, uint32_t *cp)
{
    size_t len = sw_utf8_decode((const unsigned char *)s, n, cp);
    if (len == 0) { /* not reached on checked text; step one byte */
        *cp = (unsigned char)s[0];
        len = 1;
    }
    return len;
}

static int raw_refused(uint32_t cp)
{
    switch (sw_hidden_kind(cp)) {
    case SW_HIDDEN_CONTROL:
        return cp != '\t' && cp != '\n' && cp != '\r';
    case SW_HIDDEN_BIDI:
    case SW_HIDDEN_INVISIBLE:
    case SW_HIDDEN_LINE_BREAK:
        return 1;
    default:
        return 0;
    }
}

int sw_check_raw_hidden(sw_loader *L, const sw_ynode *n, const char *field)
{
    const sw_ytree *t = L->tree;
    if (!t || n->kind != SW_Y_SCALAR)
        return 1;
    size_t i = n->start_off, end = n->end_off;
    unsigned line = n->line, col = n->col;
    int ok = 1;
    while (i < end) {
        uint32_t cp;
        size_t len = next_char(t->text + i, t->len - i, &cp);
        if (raw_refused(cp)) {
            char what[SW_HIDDEN_DESCRIBE_CAP];
            sw_report_error(&L->rep, line, col, field, "%s: %s; remove it",
                            sw_hidden_describe(cp, what), sw_hidden_why(cp));
            ok = 0;
        }
        if (cp == '\n' || (cp == '\r' && (i + 1 >= t->len || t->text[i + 1] != '\n'))) {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += len;
    }
    return ok;
}

static int value_refused(uint32_t cp, sw_value_kind kind)
{
    switch (sw_hidden_kind(cp)) {
    case SW_HIDDEN_NONE:
        return 0;
    case SW_HIDDEN_CONTROL:
        return kind != SW_VALUE_PROSE || (cp != '\t' && cp != '\n');
    case SW_HIDDEN_SPACE:
        return kind != SW_VALUE_PROSE; /* a space that matches no space */
    default:
        return 1;
    }
}

int sw_check_value_hidden(sw_loader *L, const sw_ynode *n, const char *field,
                          sw_value_kind kind)
{
    static const char *const what[] = {"a rule id", "a pattern", "a group name",
                                       "a description"};
    int ok = 1;
    for (size_t i = 0; i < n->len;) {
        uint32_t cp;
        size_t len = next_char(n->value + i, n->len - i, &cp);
        if (value_refused(cp, kind)) {
            char desc[SW_HIDDEN_DESCRIBE_CAP];
            sw_hidden_describe(cp, desc);
            unsigned col = sw_scalar_column_at(L->tree, n, i);
            if (kind == SW_VALUE_PATTERN)
                sw_report_error(&L->rep, n->line, col, field,
                                "%s: not allowed in %s (%s); to match it, write "
                                "the regex escape \\x{%02lx}",
                                desc, what[kind], sw_hidden_why(cp), (unsigned long)cp);
            else
                sw_report_error(&L->rep, n->line, col, field, "%s: not allowed in %s (%s)",
                                desc, what[kind], sw_hidden_why(cp));
            ok = 0;
        }
        i += len;
    }
    return ok;
}
