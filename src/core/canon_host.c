/* Host names: one spelling per host.
 *
 * Allowed: ASCII letters, digits, '-', '_' and '.', lower-cased; one
 * trailing dot removed; at most 255 characters, labels of 1..63. Stricter
 * than NetBIOS (which allows e.g. '!' or '~'): such rare names are refused
 * rather than risk a spelling a rule author never thought of. Non-ASCII
 * is refused outright, so a Cyrillic look-alike can never reach a rule.
 *
 * Numbers: Windows' resolver reads "10.5", "010.0.0.1", "0x7f.1" and
 * "167772165" as IPv4 addresses. Only strict dotted-decimal is accepted;
 * every other all-numeric host, and any label that reads as hex ("0x.."),
 * is malformed. IPv6 only arrives as *.ipv6-literal.net (Windows rejects
 * ':' in a UNC host) and is rewritten in RFC 5952 form; an IPv4-mapped
 * address (::ffff:a.b.c.d) becomes plain dotted IPv4 because that is the
 * host it reaches. Loopback spellings become "localhost". */
#include <string.h>

#include "canon_internal.h"

#define V6_SUFFIX ".ipv6-literal.net"
#define V6_SUFFIX_LEN (sizeof V6_SUFFIX - 1)

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

/* "0x" followed by hex digits (or none): a label inet_addr reads as hex. */
static int is_hex_label(const char *s, size_t n)
{
    if (n < 2 || s[0] != '0' || s[1] != 'x')
        return 0;
    for (size_t i = 2; i < n; i++)
        if (hexval(s[i]) < 0)
            return 0;
    return 1;
}

/* Lower-cases into out and checks characters and label lengths. */
static const char *copy_dns(const char *p, size_t n, char *out)
{
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + ('a' - 'A'));
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.'))
            return "illegal character in host";
        out[i] = c;
        if (c == '.') {
            if (label == 0)
                return "empty host label";
            label = 0;
        } else if (++label > 63) {
            return "host label too long";
        }
    }
    out[n] = '\0';
    return label ? NULL : "empty host label";
}

/* Strict dotted-decimal: four labels, each 0..255 without leading zero.
 * Applied to any host whose every label is numeric-looking. */
static const char *parse_v4(const char *s, size_t n, unsigned char a[4])
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        size_t start = i;
        unsigned v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
            v = v * 10 + (unsigned)(s[i++] - '0');
        size_t len = i - start;
        if (len == 0 || v > 255 || (len > 1 && s[start] == '0'))
            return "invalid IPv4 address";
        a[k] = (unsigned char)v;
        if (k < 3) {
            if (i >= n || s[i] != '.')
                return "invalid IPv4 address";
            i++;
        }
    }
    return i == n ? NULL : "invalid IPv4 address";
}

/* Is this host something Windows would read as a number? */
static int looks_numeric(const char *s, size_t n, int *any_hex)
{
    int all = 1;
    size_t start = 0;
    *any_hex = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        int hex = is_hex_label(s + start, i - start);
        *any_hex |= hex;
        all &= hex || is_digits(s + start, i - start);
        start = i + 1;
    }
    return all;
}

static const char *classify_v4(const unsigned char a[4], int *loopback)
{
    if (a[0] == 127)
        *loopback = 1;
    /* 0.0.0.0/8 is "this host on this network": not a server anyone
     * should name; refusing it avoids deciding what it aliases. */
    if (a[0] == 0)
        return "unspecified address";
    return NULL;
}

/* Decimal without leading zeros; returns the digits written. */
static size_t put_dec(char *out, unsigned long v)
{
    char tmp[20];
    size_t t = 0, o = 0;
    do {
        tmp[t++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (t)
        out[o++] = tmp[--t];
    return o;
}

static size_t format_v4(const unsigned char a[4], char *out)
{
    size_t o = 0;
    for (int k = 0; k < 4; k++) {
        o += put_dec(out + o, a[k]);
        if (k < 3)
            out[o++] = '.';
    }
    out[o] = '\0';
    return o;
}

/* IPv6 text with '-' in place of ':' (the ipv6-literal.net spelling). */
static int parse_v6(const char *s, size_t n, unsigned g[8])
{
    unsigned tmp[8];
    size_t count = 0, i = 0;
    long gap = -1; /* index in tmp where "::" stood */
    if (n >= 2 && s[0] == '-' && s[1] == '-') {
        gap = 0;
        i = 2;
    }
    while (i < n) {
        unsigned v = 0;
        size_t digits = 0;
        while (i < n && hexval(s[i]) >= 0 && digits < 5) {
            v = v * 16 + (unsigned)hexval(s[i++]);
            digits++;
        }
        if (digits == 0 || digits > 4 || count == 8)
            return -1;
        tmp[count++] = v;
        if (i == n)
            break;
        if (s[i++] != '-')
            return -1;
        if (i < n && s[i] == '-') {
            if (gap >= 0)
                return -1;
            gap = (long)count;
            i++;
        } else if (i == n) {
            return -1; /* a single trailing '-' */
        }
    }
    if (gap < 0 ? count != 8 : count > 7)
        return -1;
    size_t fill = 8 - count, head = gap < 0 ? count : (size_t)gap;
    for (size_t k = 0, o = 0; k < count; k++) {
        if (k == head)
            for (size_t z = 0; z < fill; z++)
                g[o++] = 0;
        g[o++] = tmp[k];
    }
    if (head == count)
        for (size_t z = 0; z < fill; z++)
            g[count + z] = 0;
    return 0;
}

static size_t put_hex(char *out, unsigned v)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[4];
    size_t t = 0, o = 0;
    do {
        tmp[t++] = digits[v & 15];
        v >>= 4;
    } while (v);
    while (t)
        out[o++] = tmp[--t];
    return o;
}

/* RFC 5952: lower case, no leading zeros, the first longest run of two or
 * more zero groups as "::". */
static size_t format_v6(const unsigned g[8], char *out)
{
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    size_t o = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            out[o++] = ':';
            out[o++] = ':';
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best + best_len)
            out[o++] = ':';
        o += put_hex(out + o, g[i]);
    }
    out[o] = '\0';
    return o;
}

/* "<addr>[s<zone>].ipv6-literal.net", already lower-cased in out. */
static const char *ipv6_literal(char *out, size_t n, size_t *out_len,
                                int *loopback)
{
    const char *bad = "invalid IPv6 literal";
    size_t plen = n - V6_SUFFIX_LEN;
    const char *zone = memchr(out, 's', plen);
    size_t alen = zone ? (size_t)(zone - out) : plen;
    unsigned g[8];
    unsigned long zv = 0;
    if (memchr(out, '.', plen) || parse_v6(out, alen, g) != 0)
        return bad;
    if (zone) {
        size_t zlen = plen - alen - 1;
        if (!is_digits(zone + 1, zlen) || zlen > 10)
            return bad;
        for (size_t i = 1; i <= zlen; i++)
            zv = zv * 10 + (unsigned long)(zone[i] - '0');
        if (zv > 0xFFFFFFFFul)
            return bad;
    }
    int zero_head = 1;
    for (int k = 0; k < 5; k++)
        zero_head &= g[k] == 0;
    if (zero_head && g[5] == 0xFFFF) {
        /* IPv4-mapped: the connection goes to the IPv4 host. A zone has
         * no meaning for it, so such a spelling is refused. */
        unsigned char a[4] = {(unsigned char)(g[6] >> 8), (unsigned char)g[6],
                              (unsigned char)(g[7] >> 8), (unsigned char)g[7]};
        if (zone)
            return bad;
        *out_len = format_v4(a, out);
        return classify_v4(a, loopback);
    }
    if (zero_head && g[5] == 0 && g[6] == 0 && g[7] <= 1) {
        if (g[7] == 0)
            return "unspecified address";
        *loopback = 1;
    }
    size_t o = format_v6(g, out);
    if (zone) {
        out[o++] = '%';
        o += put_dec(out + o, zv);
        out[o] = '\0';
    }
    *out_len = o;
    return NULL;
}

/* Numbers and literals: rewrites out in canonical form. */
static const char *classify(char *out, size_t *n, int *loopback)
{
    if (*n > V6_SUFFIX_LEN &&
        memcmp(out + *n - V6_SUFFIX_LEN, V6_SUFFIX, V6_SUFFIX_LEN) == 0)
        return ipv6_literal(out, *n, n, loopback);
    int any_hex;
    if (looks_numeric(out, *n, &any_hex)) {
        unsigned char a[4];
        const char *r = parse_v4(out, *n, a);
        return r ? r : classify_v4(a, loopback);
    }
    if (any_hex)
        return "invalid IPv4 address";
    if (strcmp(out, "localhost") == 0)
        *loopback = 1;
    return NULL;
}

/* The caller's own names (NetBIOS and DNS), compared whole, ignoring
 * case and one trailing dot. A prefix match ("pc01" for
 * "pc01.evil.example") would let an outside host pass as this one. */
static int is_self(const char *host, size_t n, const sw_self_names *self)
{
    if (!self || !self->names)
        return 0;
    for (size_t k = 0; k < self->count; k++) {
        const char *name = self->names[k];
        if (!name)
            continue;
        size_t len = strlen(name);
        if (len && name[len - 1] == '.')
            len--;
        if (len == n && sw_canon_ieq(name, len, host))
            return 1;
    }
    return 0;
}

const char *sw_canon_host(const char *p, size_t n, const sw_self_names *self,
                          char out[SW_CANON_HOST_CAP], size_t *out_len,
                          int *loopback)
{
    *loopback = 0;
    *out_len = 0;
    out[0] = '\0';
    if (n == 0)
        return "empty host";
    if (p[0] == '[')
        return "bracketed IPv6 host";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] >= 0x80)
            return "non-ASCII host";
    if (p[n - 1] == '.')
        n--;
    if (n == 0)
        return "empty host";
    if (n > SW_MAX_HOST_CHARS)
        return "host name too long";
    const char *r = copy_dns(p, n, out);
    if (!r)
        r = classify(out, &n, loopback);
    if (r) {
        out[0] = '\0';
        *loopback = 0;
        return r;
    }
    if (is_self(out, n, self))
        *loopback = 1;
    if (*loopback) {
        memcpy(out, "localhost", sizeof "localhost");
        n = sizeof "localhost" - 1;
    }
    *out_len = n;
    return NULL;
}
