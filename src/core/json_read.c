/* Strict reader for one flat JSON object (RFC 8259 grammar). It reads log
 * lines that an attacker may have influenced (names are attacker-chosen),
 * so every loop is bounded and every byte is validated. */
#include "json_read.h"

#include <string.h>

#include "alloc.h"
#include "sharewall/sharewall.h"
#include "utf.h"

typedef struct reader {
    const unsigned char *s;
    size_t len;
    size_t pos;
    const char *err;
    size_t err_pos;
    int rc; /* SW_EINVAL or SW_ENOMEM once failed */
} reader;

/* A growable byte buffer for unescaped strings. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static int fail_at(reader *r, size_t pos, const char *msg)
{
    if (!r->rc) {
        r->rc = SW_EINVAL;
        r->err = msg;
        r->err_pos = pos;
    }
    return -1;
}

static int fail_oom(reader *r)
{
    if (!r->rc) {
        r->rc = SW_ENOMEM;
        r->err = "out of memory";
        r->err_pos = r->pos;
    }
    return -1;
}

static int sbuf_put(reader *r, sbuf *b, const char *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = sw_realloc(b->p, cap);
        if (!p)
            return fail_oom(r);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static int sbuf_put_cp(reader *r, sbuf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return sbuf_put(r, b, u, n);
}

static void skip_ws(reader *r)
{
    while (r->pos < r->len) {
        unsigned char c = r->s[r->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        r->pos++;
    }
}

static int peek(reader *r)
{
    return r->pos < r->len ? r->s[r->pos] : -1;
}

static int hex4(reader *r, uint32_t *out)
{
    uint32_t v = 0;
    if (r->len - r->pos < 4)
        return fail_at(r, r->pos, "truncated \\u escape");
    for (int i = 0; i < 4; i++) {
        unsigned char c = r->s[r->pos + (size_t)i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return fail_at(r, r->pos + (size_t)i, "invalid hex digit in \\u escape");
        v = (v << 4) | d;
    }
    r->pos += 4;
    *out = v;
    return 0;
}

/* \uXXXX, with a UTF-16 surrogate pair joined into one code point. A lone
 * surrogate has no UTF-8 form, so it is an error rather than a guess. */
static int read_u_escape(reader *r, sbuf *b, size_t esc_pos)
{
    uint32_t cp;
    if (hex4(r, &cp))
        return -1;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail_at(r, esc_pos, "unpaired low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        uint32_t lo;
        if (r->len - r->pos < 2 || r->s[r->pos] != '\\' || r->s[r->pos + 1] != 'u')
            return fail_at(r, esc_pos, "unpaired high surrogate in \\u escape");
        r->pos += 2;
        if (hex4(r, &lo))
            return -1;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail_at(r, esc_pos, "unpaired high surrogate in \\u escape");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (cp == 0)
        return fail_at(r, esc_pos, "\\u0000 is not allowed in strings");
    return sbuf_put_cp(r, b, cp);
}

/* Reads a string at r->pos (which is '"'). With b == NULL the string is
 * only validated (skipped values). */
static int read_string(reader *r, sbuf *b)
{
    r->pos++; /* opening quote */
    for (;;) {
        if (r->pos >= r->len)
            return fail_at(r, r->pos, "unterminated string");
        unsigned char c = r->s[r->pos];
        if (c == '"') {
            r->pos++;
            return (b && !b->p) ? sbuf_put(r, b, "", 0) : 0;
        }
        if (c < 0x20)
            return fail_at(r, r->pos, "control character in string");
        if (c == '\\') {
            size_t esc_pos = r->pos;
            if (r->pos + 1 >= r->len)
                return fail_at(r, r->pos, "unterminated string");
            unsigned char e = r->s[r->pos + 1];
            static const char from[] = "\"\\/bfnrt";
            static const char to[] = "\"\\/\b\f\n\r\t";
            const char *hit = e ? strchr(from, e) : NULL;
            r->pos += 2;
            if (hit) {
                if (b && sbuf_put(r, b, &to[hit - from], 1))
                    return -1;
            } else if (e == 'u') {
                sbuf scratch = {NULL, 0, 0};
                int rc = read_u_escape(r, b ? b : &scratch, esc_pos);
                sw_free(scratch.p);
                if (rc)
                    return -1;
            } else {
                return fail_at(r, esc_pos, "invalid escape in string");
            }
            continue;
        }
        uint32_t cp;
        size_t n = sw_utf8_decode(r->s + r->pos, r->len - r->pos, &cp);
        if (n == 0)
            return fail_at(r, r->pos, "invalid UTF-8 in string");
        if (b && sbuf_put(r, b, (const char *)r->s + r->pos, n))
            return -1;
        r->pos += n;
    }
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static int read_number(reader *r)
{
    size_t start = r->pos;
    if (peek(r) == '-')
        r->pos++;
    if (peek(r) == '0') {
        r->pos++;
    } else if (is_digit(peek(r))) {
        while (is_digit(peek(r)))
            r->pos++;
    } else {
        return fail_at(r, start, "invalid number");
    }
    if (peek(r) == '.') {
        r->pos++;
        if (!is_digit(peek(r)))
            return fail_at(r, r->pos, "invalid number: digit expected after '.'");
        while (is_digit(peek(r)))
            r->pos++;
    }
    if (peek(r) == 'e' || peek(r) == 'E') {
        r->pos++;
        if (peek(r) == '+' || peek(r) == '-')
            r->pos++;
        if (!is_digit(peek(r)))
            return fail_at(r, r->pos, "invalid number: digit expected in exponent");
        while (is_digit(peek(r)))
            r->pos++;
    }
    return 0;
}

static int read_literal(reader *r, const char *word)
{
    size_t n = strlen(word);
    if (r->len - r->pos < n || memcmp(r->s + r->pos, word, n) != 0)
        return fail_at(r, r->pos, "invalid value");
    r->pos += n;
    return 0;
}

/* After an element: the closing bracket ends the container (1), a comma
 * continues it (0), anything else is an error (-1). */
static int next_or_close(reader *r, int close)
{
    skip_ws(r);
    if (peek(r) == close) {
        r->pos++;
        return 1;
    }
    if (peek(r) != ',')
        return fail_at(r, r->pos, close == '}' ? "expected ',' or '}'"
                                               : "expected ',' or ']'");
    r->pos++;
    skip_ws(r);
    return 0;
}

/* Validates any value without keeping it (nested objects and arrays). */
static int skip_value(reader *r, unsigned depth)
{
    int c = peek(r);
    if (c == '{' || c == '[') {
        int close = c == '{' ? '}' : ']';
        if (depth >= SW_JSON_MAX_DEPTH)
            return fail_at(r, r->pos, "nesting too deep");
        r->pos++;
        skip_ws(r);
        if (peek(r) == close) {
            r->pos++;
            return 0;
        }
        for (;;) {
            if (close == '}') {
                if (peek(r) != '"')
                    return fail_at(r, r->pos, "expected a string key");
                if (read_string(r, NULL))
                    return -1;
                skip_ws(r);
                if (peek(r) != ':')
                    return fail_at(r, r->pos, "expected ':'");
                r->pos++;
                skip_ws(r);
            }
            if (skip_value(r, depth + 1))
                return -1;
            int k = next_or_close(r, close);
            if (k)
                return k < 0 ? -1 : 0;
        }
    }
    if (c == '"')
        return read_string(r, NULL);
    if (c == 't')
        return read_literal(r, "true");
    if (c == 'f')
        return read_literal(r, "false");
    if (c == 'n')
        return read_literal(r, "null");
    if (c == '-' || is_digit(c))
        return read_number(r);
    return fail_at(r, r->pos, c < 0 ? "unexpected end of input" : "invalid value");
}

static void free_items(char **items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sw_free(items[i]);
    sw_free(items);
}

/* An array: kept when every element is a string, skipped otherwise. */
static int read_array(reader *r, sw_json_member *m)
{
    size_t start = r->pos;
    size_t cap = 0;
    r->pos++;
    skip_ws(r);
    m->type = SW_JSON_STRING_ARRAY;
    if (peek(r) == ']') {
        r->pos++;
        return 0;
    }
    for (;;) {
        if (peek(r) != '"') {
            /* Not all strings: drop what we kept and validate the rest. */
            free_items(m->items, m->count);
            m->items = NULL;
            m->count = 0;
            m->type = SW_JSON_SKIPPED;
            r->pos = start;
            return skip_value(r, 0);
        }
        if (m->count == SW_JSON_MAX_ITEMS)
            return fail_at(r, r->pos, "too many array elements");
        if (m->count == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            char **p = sw_realloc(m->items, ncap * sizeof *p);
            if (!p)
                return fail_oom(r);
            m->items = p;
            cap = ncap;
        }
        sbuf b = {NULL, 0, 0};
        if (read_string(r, &b)) {
            sw_free(b.p);
            return -1;
        }
        m->items[m->count++] = b.p;
        int k = next_or_close(r, ']');
        if (k)
            return k < 0 ? -1 : 0;
    }
}

static int read_member_value(reader *r, sw_json_member *m)
{
    int c = peek(r);
    m->column = r->pos + 1;
    if (c == '"') {
        sbuf b = {NULL, 0, 0};
        m->type = SW_JSON_STRING;
        int rc = read_string(r, &b);
        m->text = b.p;
        return rc;
    }
    if (c == '-' || is_digit(c)) {
        size_t start = r->pos;
        m->type = SW_JSON_NUMBER;
        if (read_number(r))
            return -1;
        m->text = sw_strndup((const char *)r->s + start, r->pos - start);
        return m->text ? 0 : fail_oom(r);
    }
    if (c == '[')
        return read_array(r, m);
    if (c == 't') {
        m->type = SW_JSON_TRUE;
        return read_literal(r, "true");
    }
    if (c == 'f') {
        m->type = SW_JSON_FALSE;
        return read_literal(r, "false");
    }
    if (c == 'n') {
        m->type = SW_JSON_NULL;
        return read_literal(r, "null");
    }
    m->type = SW_JSON_SKIPPED;
    return skip_value(r, 0);
}

const sw_json_member *sw_json_find(const sw_json_object *o, const char *key)
{
    for (size_t i = 0; i < o->count; i++)
        if (strcmp(o->members[i].key, key) == 0)
            return &o->members[i];
    return NULL;
}

static int read_members(reader *r, sw_json_object *out)
{
    size_t cap = 0;
    r->pos++; /* '{' */
    skip_ws(r);
    if (peek(r) == '}') {
        r->pos++;
        return 0;
    }
    for (;;) {
        if (peek(r) != '"')
            return fail_at(r, r->pos, "expected a string key");
        if (out->count == SW_JSON_MAX_MEMBERS)
            return fail_at(r, r->pos, "too many keys");
        if (out->count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            sw_json_member *p = sw_realloc(out->members, ncap * sizeof *p);
            if (!p)
                return fail_oom(r);
            out->members = p;
            cap = ncap;
        }
        size_t key_pos = r->pos;
        sw_json_member *m = &out->members[out->count];
        memset(m, 0, sizeof *m);
        sbuf kb = {NULL, 0, 0};
        if (read_string(r, &kb)) {
            sw_free(kb.p);
            return -1;
        }
        m->key = kb.p;
        out->count++; /* owned from here on, freed with the object */
        if (out->count > 1) {
            out->count--;
            const sw_json_member *dup = sw_json_find(out, m->key);
            out->count++;
            if (dup)
                return fail_at(r, key_pos, "duplicate key");
        }
        skip_ws(r);
        if (peek(r) != ':')
            return fail_at(r, r->pos, "expected ':'");
        r->pos++;
        skip_ws(r);
        if (read_member_value(r, m))
            return -1;
        int k = next_or_close(r, '}');
        if (k)
            return k < 0 ? -1 : 0;
    }
}

int sw_json_read_object(const char *text, size_t len, sw_json_object *out,
                        const char **err, size_t *col)
{
    reader r = {(const unsigned char *)text, len, 0, NULL, 0, 0};
    out->members = NULL;
    out->count = 0;
    if (len > SW_JSON_MAX_LEN) {
        if (err)
            *err = "line too long";
        if (col)
            *col = SW_JSON_MAX_LEN + 1;
        return SW_ETOOBIG;
    }
    /* Notepad starts batch files with a BOM; RFC 8259 lets readers skip it. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r.pos = 3;
    skip_ws(&r);
    if (peek(&r) != '{')
        fail_at(&r, r.pos, peek(&r) < 0 ? "empty input" : "expected '{'");
    else if (read_members(&r, out) == 0) {
        skip_ws(&r);
        if (r.pos != r.len)
            fail_at(&r, r.pos, "unexpected text after the object");
    }
    if (r.rc) {
        sw_json_object_free(out);
        if (err)
            *err = r.err;
        if (col)
            *col = r.err_pos + 1;
        return r.rc;
    }
    return SW_OK;
}

void sw_json_object_free(sw_json_object *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->count; i++) {
        sw_free(o->members[i].key);
        sw_free(o->members[i].text);
        free_items(o->members[i].items, o->members[i].count);
    }
    sw_free(o->members);
    o->members = NULL;
    o->count = 0;
}

int sw_json_to_uint(const sw_json_member *m, uint64_t max, uint64_t *out)
{
    if (m->type != SW_JSON_NUMBER || !m->text)
        return -1;
    uint64_t v = 0;
    for (const char *p = m->text; *p; p++) {
        if (!is_digit((unsigned char)*p))
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}
