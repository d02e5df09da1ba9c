/* One log record as one JSON line (docs/log-format.md). Every string in a
 * record can come from an attacker (share names, process paths), so every
 * string is escaped here and nowhere else: no quote, control character,
 * line separator, bidi or invisible character (sw_char_hidden) or invalid
 * UTF-8 byte can reach a log viewer or SIEM raw. */
#include <stdio.h>
#include <string.h>

#include "sharewall/sharewall.h"
#include "utf.h"

/* snprintf-style sink: counts everything, stores what fits. */
typedef struct out {
    char *buf;
    size_t cap;
    size_t len;
    int first; /* no member written yet: no comma before the next */
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

static void put_json_escape(out *o, uint32_t cp)
{
    char e[32];
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        snprintf(e, sizeof e, "\\u%04lx\\u%04lx", (unsigned long)(0xD800 + (cp >> 10)),
                 (unsigned long)(0xDC00 + (cp & 0x3FF)));
    } else {
        snprintf(e, sizeof e, "\\u%04lx", (unsigned long)cp);
    }
    puts_(o, e);
}

static void put_escaped(out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    put(o, "\"", 1);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        uint32_t cp;
        size_t len = sw_utf8_decode(p + i, n - i, &cp);
        if (len == 0) {
            /* One U+FFFD per invalid byte: the line stays valid UTF-8 and
             * the number of bad bytes stays visible. */
            puts_(o, "\\ufffd");
            i++;
            continue;
        }
        if (c == '"') {
            puts_(o, "\\\"");
        } else if (c == '\\') {
            puts_(o, "\\\\");
        } else if (c == '\n') {
            puts_(o, "\\n");
        } else if (c == '\r') {
            puts_(o, "\\r");
        } else if (c == '\t') {
            puts_(o, "\\t");
        } else if (c < 0x20 || c == 0x7F) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(o, e, sizeof e);
        } else if (len > 1 && sw_char_hidden(cp)) {
            /* C1 controls (U+009B is a terminal's CSI), U+2028/U+2029 (a
             * JavaScript viewer would split the line), bidi and invisible
             * characters: as \uXXXX, which reads back as the same text. */
            put_json_escape(o, cp);
        } else {
            put(o, (const char *)p + i, len);
        }
        i += len;
    }
    put(o, "\"", 1);
}

static void key(out *o, const char *k)
{
    if (!o->first)
        put(o, ",", 1);
    o->first = 0;
    put(o, "\"", 1);
    puts_(o, k); /* keys are our own ASCII literals */
    put(o, "\":", 2);
}

static void kv_str(out *o, const char *k, const char *v)
{
    if (!v)
        return;
    key(o, k);
    put_escaped(o, v);
}

static void kv_ulong(out *o, const char *k, unsigned long v)
{
    char n[24];
    int len = snprintf(n, sizeof n, "%lu", v);
    key(o, k);
    put(o, n, (size_t)len);
}

static void kv_long(out *o, const char *k, long v)
{
    char n[24];
    int len = snprintf(n, sizeof n, "%ld", v);
    key(o, k);
    put(o, n, (size_t)len);
}

static void kv_bool(out *o, const char *k, int v)
{
    key(o, k);
    puts_(o, v ? "true" : "false");
}

static void put_request_context(out *o, const sw_request *q)
{
    kv_str(o, "user", q->user);
    if (q->groups && q->group_count) {
        key(o, "groups");
        put(o, "[", 1);
        for (size_t i = 0; i < q->group_count; i++) {
            if (i)
                put(o, ",", 1);
            put_escaped(o, q->groups[i] ? q->groups[i] : "");
        }
        put(o, "]", 1);
    }
    kv_str(o, "process", q->process);
    kv_str(o, "raw", q->remote);
}

static void put_canon(out *o, const sw_canon *c)
{
    if (c->malformed || !c->unc)
        return; /* nothing canonical to show; "reason" says why */
    kv_str(o, "unc", c->unc);
    kv_str(o, "scheme", sw_scheme_name(c->scheme));
    kv_str(o, "server", c->host);
    if (c->port)
        kv_ulong(o, "port", c->port);
    if (c->scheme == SW_SCHEME_WEBDAV)
        kv_bool(o, "tls", c->tls);
    kv_str(o, "share", c->share);
    kv_str(o, "path", c->path);
    kv_bool(o, "loopback", c->loopback);
}

static void put_decision(out *o, const sw_decision *d)
{
    kv_str(o, "action", sw_action_name(d->action));
    kv_bool(o, "enforced", d->enforced);
    kv_str(o, "rule", d->rule_id);
    kv_str(o, "basis", sw_basis_name(d->basis));
    kv_str(o, "reason", d->reason);
    if (d->staged_count) {
        key(o, "staged");
        put(o, "[", 1);
        for (size_t i = 0; i < d->staged_count && i < SW_MAX_STAGED; i++) {
            if (i)
                put(o, ",", 1);
            put_escaped(o, d->staged[i] ? d->staged[i] : "");
        }
        put(o, "]", 1);
    }
    if (d->staged_total > d->staged_count)
        kv_ulong(o, "staged_total", (unsigned long)d->staged_total);
}

size_t sw_record_format(char *buf, size_t cap, const sw_record *r)
{
    out o = {buf, cap ? cap - 1 : 0, 0, 1}; /* keep room for the NUL */
    char when[25];

    sw_format_time_rfc3339(r->time_ms, when);
    put(&o, "{", 1);
    kv_str(&o, "time", when);
    kv_str(&o, "event", sw_event_name(r->event));
    kv_str(&o, "machine", r->machine);
    if (r->pid)
        kv_ulong(&o, "pid", r->pid);
    if (r->request)
        put_request_context(&o, r->request);
    if (r->decision)
        put_canon(&o, &r->decision->canon);
    if (r->request) {
        kv_str(&o, "local", r->request->local);
        kv_str(&o, "provider", r->request->provider);
        kv_ulong(&o, "flags", (unsigned long)r->request->flags);
    }
    if (r->decision)
        put_decision(&o, r->decision);
    if (r->has_status)
        kv_long(&o, "status", r->status);
    kv_str(&o, "message", r->message);
    if (r->suppressed)
        kv_ulong(&o, "suppressed", r->suppressed);
    put(&o, "}\n", 2);

    if (cap)
        buf[o.len < o.cap ? o.len : o.cap] = '\0';
    return o.len;
}
