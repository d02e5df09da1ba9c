/* sw_canonicalise: one canonical spelling for every remote name.
 *
 * A user who may not reach \\srv\secret will try \\SRV.\secret. ,
 * \\?\UNC\srv\public\..\secret, //srv/secret, \\10.0.0.5\secret or
 * https://srv/secret. Rules only ever see the fields produced here, so
 * every such spelling must land on the same fields — and whatever cannot
 * be reduced with certainty is malformed (always denied).
 *
 * Canonical form (docs/canonicalisation.md has every rule with examples):
 *   host   lower-case ASCII, "localhost" for any loopback spelling
 *   share  case kept, trailing dots/spaces trimmed; "IPC$" for \\host,
 *          "DavWWWRoot" for a WebDAV server root
 *   path   "" or "\seg\seg", . and .. resolved and clamped at the share
 *   unc    "\\" host "\" share path — the SAME form for SMB and WebDAV:
 *          port and TLS are separate fields, so a unc or server rule
 *          written for SMB also hits the WebDAV spelling of that share.
 *
 * Storage: the four strings live in out->small_ when they fit (no
 * allocation); otherwise in one sw_malloc block in out->heap_. The exact
 * size is measured before anything is written (see canon_path.c). */
#include <string.h>

#include "alloc.h"
#include "canon_internal.h"
#include "utf.h"

#define DAV_ROOT "DavWWWRoot"

int sw_canon_ieq(const char *s, size_t n, const char *lit)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        char l = lit[i];
        if (l == '\0')
            return 0;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + ('a' - 'A'));
        if (l >= 'A' && l <= 'Z')
            l = (char)(l + ('a' - 'A'));
        if (c != l)
            return 0;
    }
    return lit[n] == '\0';
}

/* Whole-name checks before any parsing. */
static const char *check_text(const char *name, size_t len)
{
    size_t units;
    if (!name || len == 0)
        return "empty name";
    if (sw_plain_ascii(name, len))
        return len > SW_MAX_NAME_UTF16 ? "name too long" : NULL;
    /* Every UTF-16 unit takes at most three UTF-8 bytes, so a longer
     * input cannot be within the limit: no need to scan it. */
    if (len / 3 > SW_MAX_NAME_UTF16)
        return "name too long";
    if (memchr(name, '\0', len))
        return "embedded NUL";
    if (sw_utf8_utf16_units(name, len, &units) != 0)
        return "invalid UTF-8";
    if (units > SW_MAX_NAME_UTF16)
        return "name too long";
    return NULL;
}

/* `\\?\` `\\.\` `\??\` (either separator): the NT device namespaces. */
static int device_prefix(const char *s, size_t n)
{
    if (n < 3 || !SW_CANON_IS_SEP(s[0]))
        return 0;
    if (!((SW_CANON_IS_SEP(s[1]) && (s[2] == '?' || s[2] == '.')) ||
          (s[1] == '?' && s[2] == '?')))
        return 0;
    return n == 3 || SW_CANON_IS_SEP(s[3]);
}

static const char *split_unc(const char *s, size_t n, sw_canon_split *sp)
{
    size_t i = 0;
    if (device_prefix(s, n)) {
        /* Only the UNC device is a network name; \\?\C:\, \\.\pipe\x,
         * \\?\GLOBALROOT\... name local objects. */
        if (n < 8 || !sw_canon_ieq(s + 4, 3, "unc") || !SW_CANON_IS_SEP(s[7]))
            return "device namespace";
        i = 8;
        if (i < n && SW_CANON_IS_SEP(s[i]))
            return "too many leading separators";
    } else {
        while (i < n && SW_CANON_IS_SEP(s[i]))
            i++;
        if (i < 2)
            return "not a UNC name";
        if (i > 2)
            return "too many leading separators";
    }
    size_t end = i;
    while (end < n && !SW_CANON_IS_SEP(s[end]))
        end++;
    sp->host = s + i;
    sp->host_len = end - i;
    sp->rest = s + end;
    sp->rest_len = n - end;
    if (sp->host_len == 0)
        return "empty host";
    return sw_canon_split_dav_host(sp);
}

/* The share segment's rules beyond its characters. */
static const char *check_share(const sw_seg *seg)
{
    if (seg->kind == SW_SEG_DOT || seg->kind == SW_SEG_DOTDOT)
        return "share name is . or ..";
    if (seg->kind == SW_SEG_EMPTY)
        return "empty share name";
    if (seg->units > SW_MAX_SHARE_CHARS)
        return "share name too long";
    return NULL;
}

static int is_dav_root(const sw_seg *seg, int pct)
{
    char tmp[sizeof DAV_ROOT];
    if (seg->bytes != sizeof DAV_ROOT - 1)
        return 0;
    sw_seg_write(seg, pct, tmp);
    return sw_canon_ieq(tmp, seg->bytes, "davwwwroot");
}

/* Picks the share: the first segment after the host, or after a
 * DavWWWRoot marker. *literal is set instead of *share for IPC$ and a
 * WebDAV server root. *after is where the path text starts. */
static const char *pick_share(sw_canon_split *sp, sw_seg *share,
                              const char **literal, size_t *after)
{
    const char *r;
    *after = 0;
    *literal = NULL;
    if (!sw_seg_next(sp->rest, sp->rest_len, sp->pct, after, share)) {
        /* \\host alone is a deviceless connection to IPC$. */
        *literal = sp->scheme == SW_SCHEME_WEBDAV ? DAV_ROOT : "IPC$";
        return NULL;
    }
    if ((r = sw_seg_scan(share, sp->pct, 1)) != NULL)
        return r;
    if (share->kind == SW_SEG_NAME && is_dav_root(share, sp->pct)) {
        /* DavWWWRoot is the WebDAV redirector's name for the server root:
         * \\h\DavWWWRoot\s is https://h/s's share s, never a share of its
         * own, so that both spellings meet the same share rule. */
        if (sp->scheme == SW_SCHEME_SMB) {
            sp->scheme = SW_SCHEME_WEBDAV;
            sp->port = 80;
        }
        if (!sw_seg_next(sp->rest, sp->rest_len, sp->pct, after, share)) {
            *literal = DAV_ROOT;
            return NULL;
        }
        if ((r = sw_seg_scan(share, sp->pct, 1)) != NULL)
            return r;
        /* Canonical \\h\DavWWWRoot\x must read back the same way. */
        if (share->kind == SW_SEG_NAME && is_dav_root(share, sp->pct))
            return "DavWWWRoot twice";
    }
    return check_share(share);
}

static void set_strings(sw_canon *out, const char *s)
{
    out->host = s;
    out->share = s;
    out->path = s;
    out->unc = s;
}

static int malformed(sw_canon *out, const char *reason)
{
    out->malformed = 1;
    out->reason = reason;
    out->scheme = SW_SCHEME_SMB;
    out->port = 0;
    out->tls = 0;
    out->loopback = 0;
    set_strings(out, "");
    return SW_OK;
}

/* Lays out host\0share\0path\0unc\0 in small_ or one heap block. */
static int assemble(sw_canon *out, const char *host, size_t hlen,
                    const sw_canon_split *sp, const sw_seg *share,
                    const char *literal, size_t after, size_t plen)
{
    size_t slen = literal ? strlen(literal) : share->bytes;
    size_t total = (hlen + 1) + (slen + 1) + (plen + 1) +
                   (2 + hlen + 1 + slen + plen + 1);
    char *buf = out->small_;
    if (total > sizeof out->small_) {
        buf = sw_malloc(total);
        if (!buf) {
            malformed(out, "out of memory");
            return SW_ENOMEM;
        }
        out->heap_ = buf;
        out->heap_size_ = total;
    }
    char *h = buf, *s = h + hlen + 1, *p = s + slen + 1, *u = p + plen + 1;
    memcpy(h, host, hlen + 1);
    if (literal)
        memcpy(s, literal, slen);
    else
        sw_seg_write(share, sp->pct, s);
    s[slen] = '\0';
    sw_canon_path_write(sp->rest + after, sp->rest_len - after, sp->pct, p,
                        plen);
    p[plen] = '\0';
    u[0] = '\\';
    u[1] = '\\';
    memcpy(u + 2, h, hlen);
    u[2 + hlen] = '\\';
    memcpy(u + 3 + hlen, s, slen);
    memcpy(u + 3 + hlen + slen, p, plen + 1);
    out->scheme = sp->scheme;
    out->port = sp->port;
    out->tls = sp->tls;
    out->host = h;
    out->share = s;
    out->path = p;
    out->unc = u;
    return SW_OK;
}

int sw_canonicalise(const char *name, size_t len, const sw_self_names *self,
                    sw_canon *out)
{
    /* out may be uninitialised memory: set every field before anything
     * can return. */
    out->heap_ = NULL;
    out->heap_size_ = 0;
    malformed(out, NULL); /* every field set, strings "" */
    out->malformed = 0;

    sw_canon_split sp;
    memset(&sp, 0, sizeof sp);
    sp.scheme = SW_SCHEME_SMB;
    const char *r = check_text(name, len);
    if (!r)
        r = sw_canon_is_url(name, len) ? sw_canon_split_url(name, len, &sp)
                                       : split_unc(name, len, &sp);
    char host[SW_CANON_HOST_CAP];
    size_t hlen = 0, after = 0, plen = 0;
    int loopback = 0;
    if (!r)
        r = sw_canon_host(sp.host, sp.host_len, self, host, &hlen, &loopback);
    sw_seg share;
    const char *literal = NULL;
    memset(&share, 0, sizeof share);
    if (!r)
        r = pick_share(&sp, &share, &literal, &after);
    if (!r && sp.scheme == SW_SCHEME_WEBDAV && !sp.pct)
        r = sw_canon_dav_unc_check(sp.rest, sp.rest_len);
    if (!r)
        r = sw_canon_path_measure(sp.rest + after, sp.rest_len - after, sp.pct,
                                  &plen);
    if (r)
        return malformed(out, r);
    out->loopback = loopback;
    return assemble(out, host, hlen, &sp, &share, literal, after, plen);
}

void sw_canon_free(sw_canon *c)
{
    if (!c || !c->heap_)
        return;
    sw_free(c->heap_);
    c->heap_ = NULL;
    c->heap_size_ = 0;
    /* The strings pointed into the block just freed. */
    set_strings(c, "");
}
