#include "output.h"

#include <stdint.h>
#include <string.h>

const char *out_plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* \uXXXX, as a surrogate pair beyond the BMP. */
static void json_escape_cp(FILE *f, uint32_t cp)
{
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        fprintf(f, "\\u%04lx\\u%04lx", (unsigned long)(0xD800 + (cp >> 10)),
                (unsigned long)(0xDC00 + (cp & 0x3FF)));
    } else {
        fprintf(f, "\\u%04lx", (unsigned long)cp);
    }
}

/* Length of the valid UTF-8 sequence at s, or 0, and its code point.
 * Strict: no overlongs, surrogates or values past U+10FFFF. */
static size_t utf8_len(const unsigned char *s, uint32_t *out)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; min = 0x80; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; min = 0x800; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; min = 0x10000; cp = c & 0x07; }
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *out = cp;
    return n;
}

void out_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    putc('"', f);
    while (*p) {
        /* Copy the longest run that needs no escaping in one call. */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), f);
        if (!*p)
            break;
        if (*p >= 0x80) {
            uint32_t cp = 0;
            size_t n = utf8_len(p, &cp);
            if (!n)
                fputs("\\ufffd", f);
            else if (sw_char_hidden(cp))
                json_escape_cp(f, cp); /* valid JSON either way; safer raw */
            else
                fwrite(p, 1, n, f);
            p += n ? n : 1;
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default: fprintf(f, "\\u%04x", *p); break;
        }
        p++;
    }
    putc('"', f);
}

void out_text(FILE *f, const char *s)
{
    out_line l;
    out_line_start(&l, f);
    out_line_text(&l, s);
    out_line_flush(&l);
}

void out_diag(FILE *f, const sw_diag *d)
{
    out_text(f, d->pos.file);
    if (d->pos.line) {
        fprintf(f, ":%u", d->pos.line);
        if (d->pos.column)
            fprintf(f, ":%u", d->pos.column);
    }
    fputs(d->severity == SW_SEV_ERROR ? ": error: " : ": warning: ", f);
    if (d->field && d->field[0]) {
        out_text(f, d->field);
        fputs(": ", f);
    }
    out_text(f, d->message);
    putc('\n', f);
}

void out_diags(FILE *f, const sw_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        out_diag(f, &d->items[i]);
    if (d->oom)
        fputs("sharewall: error: out of memory: some diagnostics were lost\n", f);
}

static const char *yes_no(int v) { return v ? "yes" : "no"; }
static const char *json_bool(int v) { return v ? "true" : "false"; }

void out_canon_json(FILE *f, const sw_canon *c)
{
    if (c->malformed) {
        fputs("{\"malformed\":true,\"reason\":", f);
        out_json_string(f, c->reason);
        putc('}', f);
        return;
    }
    fputs("{\"malformed\":false,\"scheme\":", f);
    out_json_string(f, sw_scheme_name(c->scheme));
    fputs(",\"host\":", f);
    out_json_string(f, c->host);
    fprintf(f, ",\"port\":%u,\"tls\":%s,\"loopback\":%s,\"share\":", c->port,
            json_bool(c->tls), json_bool(c->loopback));
    out_json_string(f, c->share);
    fputs(",\"path\":", f);
    out_json_string(f, c->path);
    fputs(",\"unc\":", f);
    out_json_string(f, c->unc);
    putc('}', f);
}

static void text_line(FILE *f, const char *indent, const char *key,
                      const char *value)
{
    fprintf(f, "%s%-10s ", indent, key);
    out_text(f, value);
    putc('\n', f);
}

void out_canon_text(FILE *f, const sw_canon *c, const char *indent)
{
    if (c->malformed) {
        text_line(f, indent, "malformed:", c->reason);
        return;
    }
    text_line(f, indent, "canonical:", c->unc);
    text_line(f, indent, "scheme:", sw_scheme_name(c->scheme));
    text_line(f, indent, "host:", c->host);
    if (c->port)
        fprintf(f, "%s%-10s %u\n", indent, "port:", c->port);
    else
        text_line(f, indent, "port:", "-");
    text_line(f, indent, "tls:", yes_no(c->tls));
    text_line(f, indent, "share:", c->share);
    text_line(f, indent, "path:", c->path[0] ? c->path : "-");
    text_line(f, indent, "loopback:", yes_no(c->loopback));
}

void out_decision_json(FILE *f, unsigned long line, const char *name,
                       const sw_decision *d)
{
    if (line)
        fprintf(f, "{\"line\":%lu,\"name\":", line);
    else
        fputs("{\"name\":", f);
    out_json_string(f, name);
    fputs(",\"action\":", f);
    out_json_string(f, sw_action_name(d->action));
    fputs(",\"basis\":", f);
    out_json_string(f, sw_basis_name(d->basis));
    fputs(",\"rule\":", f);
    out_json_string(f, d->rule_id);
    fprintf(f, ",\"rule_index\":%ld,\"enforced\":%s,\"reason\":",
            d->rule_index, json_bool(d->enforced));
    out_json_string(f, d->reason);
    fputs(",\"staged\":[", f);
    for (size_t i = 0; i < d->staged_count; i++) {
        fputs(i ? ",{\"rule\":" : "{\"rule\":", f);
        out_json_string(f, d->staged[i]);
        fputs(",\"action\":", f);
        out_json_string(f, sw_action_name(d->staged_action[i]));
        putc('}', f);
    }
    fprintf(f, "],\"staged_total\":%lu,\"canonical\":",
            (unsigned long)d->staged_total);
    out_canon_json(f, &d->canon);
    putc('}', f);
}

void out_decision_rule(FILE *f, const sw_decision *d)
{
    out_text(f, d->rule_id);
    if (d->reason && (d->basis == SW_BASIS_ERROR || d->basis == SW_BASIS_MALFORMED)) {
        fputs(" (", f);
        out_text(f, d->reason);
        putc(')', f);
    }
}

void out_line_error(FILE *f, const char *file, unsigned long line, size_t col,
                    const char *msg)
{
    out_text(f, file);
    if (col)
        fprintf(f, ":%lu:%lu: error: ", line, (unsigned long)col);
    else
        fprintf(f, ":%lu: error: ", line);
    out_text(f, msg);
    putc('\n', f);
}

void out_line_start(out_line *l, FILE *f)
{
    l->f = f;
    l->len = 0;
}

void out_line_flush(out_line *l)
{
    if (l->len)
        fwrite(l->buf, 1, l->len, l->f);
    l->len = 0;
}

void out_line_put(out_line *l, const char *s, size_t n)
{
    if (n > sizeof l->buf - l->len) {
        out_line_flush(l);
        if (n > sizeof l->buf) {
            fwrite(s, 1, n, l->f);
            return;
        }
    }
    memcpy(l->buf + l->len, s, n);
    l->len += n;
}

void out_line_str(out_line *l, const char *s)
{
    out_line_put(l, s, strlen(s));
}

void out_line_text(out_line *l, const char *s)
{
    if (!s) {
        out_line_put(l, "-", 1);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left) {
        /* Printable ASCII, nearly all of any name, is copied in runs. */
        const unsigned char *run = p;
        while (left && *p >= 0x20 && *p < 0x7F)
            p++, left--;
        if (p > run)
            out_line_put(l, (const char *)run, (size_t)(p - run));
        if (!left)
            break;
        /* Everything else through the engine's one escaping rule:
         * controls (C1 included: U+009B is a terminal's CSI), bidi and
         * invisible characters, bytes that are not UTF-8. */
        char esc[SW_ESCAPE_MAX];
        size_t used;
        size_t n = sw_escape_char((const char *)p, left, esc, &used);
        out_line_put(l, n ? esc : (const char *)p, n ? n : used);
        p += used;
        left -= used;
    }
}
