/* WebDAV spellings: `\\host@SSL@port\...` suffixes and http(s) URLs.
 *
 * Windows' WebDAV redirector reaches the same host and share through
 * either spelling, so both are split into the same host / share / path
 * fields as SMB: one host rule then covers both protocols. Port and TLS
 * are separate fields (and `scheme: webdav`), never part of the host. */
#include <string.h>

#include "canon_internal.h"

int sw_canon_hex2(char hi, char lo)
{
    static const char digits[] = "0123456789abcdef";
    const char *h, *l;
    char a = (char)(hi >= 'A' && hi <= 'F' ? hi + ('a' - 'A') : hi);
    char b = (char)(lo >= 'A' && lo <= 'F' ? lo + ('a' - 'A') : lo);
    if (!a || !b || !(h = strchr(digits, a)) || !(l = strchr(digits, b)))
        return -1;
    return (int)((h - digits) * 16 + (l - digits));
}

/* 1..65535, decimal digits only, no sign, no leading zero: the port is
 * output as a number, but a strict reading keeps one spelling per port. */
static const char *parse_port(const char *p, size_t n, unsigned *port)
{
    unsigned long v = 0;
    if (n == 0 || n > 5 || p[0] == '0')
        return "bad port";
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return "bad port";
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    if (v > 65535)
        return "bad port";
    *port = (unsigned)v;
    return NULL;
}

static int all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return n > 0;
}

const char *sw_canon_split_dav_host(sw_canon_split *sp)
{
    const char *at = memchr(sp->host, '@', sp->host_len);
    if (!at)
        return NULL;
    const char *suf = at + 1;
    size_t n = sp->host_len - (size_t)(suf - sp->host);
    sp->host_len = (size_t)(at - sp->host);
    sp->scheme = SW_SCHEME_WEBDAV;
    if (n >= 3 && sw_canon_ieq(suf, 3, "ssl")) {
        sp->tls = 1;
        sp->port = 443;
        if (n == 3)
            return NULL;
        if (suf[3] != '@')
            return "bad WebDAV host suffix";
        return parse_port(suf + 4, n - 4, &sp->port);
    }
    /* "user@host" is not a WebDAV form: refuse anything but a port. */
    if (!all_digits(suf, n) && n > 0)
        return "bad WebDAV host suffix";
    sp->tls = 0;
    return parse_port(suf, n, &sp->port);
}

/* A WebDAV UNC name (\\h@SSL\..., \\h\DavWWWRoot\...) is not URL text:
 * its '%' is a literal character the redirector escapes on the way out.
 * Whether every server then sees "%2e%2e" and not ".." cannot be known
 * here, so a %XX sequence in such a name is refused rather than guessed. */
const char *sw_canon_dav_unc_check(const char *rest, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (rest[i] == '%' && sw_canon_hex2(rest[i + 1], rest[i + 2]) >= 0)
            return "percent-escape in WebDAV UNC name";
    return NULL;
}

int sw_canon_is_url(const char *s, size_t n)
{
    return (n >= 5 && sw_canon_ieq(s, 5, "http:")) ||
           (n >= 6 && sw_canon_ieq(s, 6, "https:"));
}

/* Every '%' must start an escape of two hex digits, decoded exactly once:
 * an escape that decodes to '%' (from %25) would be a second round of
 * encoding waiting for a less careful decoder, so it is refused. */
static const char *check_escapes(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '%')
            continue;
        int v = i + 2 < n ? sw_canon_hex2(p[i + 1], p[i + 2]) : -1;
        if (v < 0 || v == '%')
            return "bad percent-encoding";
        i += 2;
    }
    return NULL;
}

const char *sw_canon_split_url(const char *s, size_t n, sw_canon_split *sp)
{
    size_t i = n >= 6 && sw_canon_ieq(s, 6, "https:") ? 6 : 5, seps = 0;
    sp->scheme = SW_SCHEME_WEBDAV;
    sp->tls = i == 6;
    sp->port = sp->tls ? 443 : 80;
    sp->pct = 1;
    while (i + seps < n && SW_CANON_IS_SEP(s[i + seps]))
        seps++;
    if (seps < 2)
        return "not a UNC name";
    if (seps > 2)
        return "too many leading separators";
    i += 2;
    /* A query or fragment is not part of a share path: refusing it keeps
     * "https://h/s?x" from meaning two things. */
    if (memchr(s, '?', n) || memchr(s, '#', n))
        return "URL query or fragment";
    size_t end = i;
    while (end < n && !SW_CANON_IS_SEP(s[end]))
        end++;
    const char *auth = s + i;
    size_t alen = end - i;
    if (memchr(auth, '@', alen))
        return "URL user-info";
    if (alen && auth[0] == '[')
        return "bracketed IPv6 host";
    const char *colon = memchr(auth, ':', alen);
    sp->host = auth;
    sp->host_len = colon ? (size_t)(colon - auth) : alen;
    if (colon) {
        const char *r = parse_port(colon + 1, alen - sp->host_len - 1,
                                   &sp->port);
        if (r)
            return r;
    }
    sp->rest = s + end;
    sp->rest_len = n - end;
    return check_escapes(sp->rest, sp->rest_len);
}
