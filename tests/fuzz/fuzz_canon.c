/* Fuzz target: the canonicaliser (DESIGN §4), fed two ways.
 *
 *  1. The bytes as a UTF-8 remote name, straight into sw_canonicalise —
 *     what the CLI does.
 *  2. The same bytes as little-endian UTF-16 code units, through
 *     sw_utf16_to_utf8 and then sw_canonicalise — exactly the DLL's path
 *     from NETRESOURCEW.
 *
 * Besides "no crash, no leak, no overread", every well-formed result must
 * satisfy the properties the rules rely on: the host is lower-case ASCII,
 * no "." or ".." segment survives in the path, and the canonical UNC is a
 * fixed point (canonicalising it again gives the same name). A result that
 * is not a fixed point would let two spellings of one share decide
 * differently. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical_name.h"
#include "fuzz_assert.h"
#include "sharewall/sharewall.h"

static void check_host(const char *host)
{
    FUZZ_ASSERT(host != NULL && host[0] != '\0');
    FUZZ_ASSERT(strlen(host) <= SW_MAX_HOST_CHARS);
    for (const char *c = host; *c; c++) {
        unsigned char u = (unsigned char)*c;
        FUZZ_ASSERT(u < 0x80);
        FUZZ_ASSERT(!(u >= 'A' && u <= 'Z'));
        FUZZ_ASSERT(u > 0x20 && u != '\\' && u != '/');
    }
}

/* The path is "" or "\seg\seg": no empty, "." or ".." segment, no ':'
 * or control characters, no trailing dot or space on a segment (Win32
 * would strip them, so a rule must never see them). */
static void check_path(const char *path)
{
    FUZZ_ASSERT(path != NULL);
    if (path[0] == '\0')
        return;
    FUZZ_ASSERT(path[0] == '\\');
    const char *seg = path + 1;
    for (;;) {
        const char *end = strchr(seg, '\\');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        FUZZ_ASSERT(n > 0);
        FUZZ_ASSERT(!(n == 1 && seg[0] == '.'));
        FUZZ_ASSERT(!(n == 2 && seg[0] == '.' && seg[1] == '.'));
        FUZZ_ASSERT(seg[n - 1] != '.' && seg[n - 1] != ' ');
        for (size_t i = 0; i < n; i++) {
            FUZZ_ASSERT((unsigned char)seg[i] >= 0x20 && seg[i] != 0x7f);
            FUZZ_ASSERT(seg[i] != ':' && seg[i] != '/');
        }
        if (!end)
            break;
        seg = end + 1;
    }
}

static void check_share(const char *share)
{
    FUZZ_ASSERT(share != NULL && share[0] != '\0');
    FUZZ_ASSERT(strchr(share, '\\') == NULL && strchr(share, '/') == NULL);
}

/* Canonicalise name and check every property of a well-formed result. */
static void canon_and_check(const char *name, size_t len)
{
    sw_canon c;
    int rc = sw_canonicalise(name, len, NULL, &c);
    FUZZ_ASSERT(rc == SW_OK || rc == SW_ENOMEM);
    if (c.malformed) {
        FUZZ_ASSERT(c.reason != NULL && c.reason[0] != '\0');
        sw_canon_free(&c);
        return;
    }
    FUZZ_ASSERT(rc == SW_OK && c.reason == NULL);
    check_host(c.host);
    check_share(c.share);
    check_path(c.path);
    FUZZ_ASSERT(c.unc != NULL && c.unc[0] == '\\' && c.unc[1] == '\\');
    FUZZ_ASSERT(c.scheme == SW_SCHEME_SMB || c.scheme == SW_SCHEME_WEBDAV);
    if (c.scheme == SW_SCHEME_SMB)
        FUZZ_ASSERT(c.port == 0 && !c.tls);
    if (c.loopback)
        FUZZ_ASSERT(strcmp(c.host, "localhost") == 0);

    /* Fixed point: the canonical UNC canonicalises to itself, with the
     * same host, share and path. (It is always an SMB-style name, so the
     * WebDAV port and TLS flag are not part of the comparison.) An IPv6
     * host is kept as "2001:db8::5", which no UNC may contain: it is
     * re-spelt the one way Windows accepts, as *.ipv6-literal.net. */
    char *input = fuzz_canonical_name(&c);
    sw_canon again;
    rc = sw_canonicalise(input, strlen(input), NULL, &again);
    FUZZ_ASSERT(rc == SW_OK);
    if (again.malformed)
        fprintf(stderr, "canonical form %s is malformed: %s\n", input,
                again.reason);
    FUZZ_ASSERT(!again.malformed);
    FUZZ_ASSERT(strcmp(again.unc, c.unc) == 0);
    FUZZ_ASSERT(strcmp(again.host, c.host) == 0);
    FUZZ_ASSERT(strcmp(again.share, c.share) == 0);
    FUZZ_ASSERT(strcmp(again.path, c.path) == 0);
    FUZZ_ASSERT(again.loopback == c.loopback);
    sw_canon_free(&again);
    free(input);

    /* This machine's own names: the same name with them given may only
     * differ by becoming loopback, and must when its host is one. */
    static const char *const mine[] = {"mypc", "mypc.corp.example.com"};
    static const sw_self_names self = {mine, 2};
    sw_canon withself;
    FUZZ_ASSERT(sw_canonicalise(name, len, &self, &withself) == SW_OK);
    FUZZ_ASSERT(!withself.malformed);
    if (c.loopback || strcmp(c.host, mine[0]) == 0 || strcmp(c.host, mine[1]) == 0) {
        FUZZ_ASSERT(withself.loopback && strcmp(withself.host, "localhost") == 0);
    } else {
        FUZZ_ASSERT(!withself.loopback && strcmp(withself.unc, c.unc) == 0);
    }
    sw_canon_free(&withself);
    sw_canon_free(&c);
}

/* The UTF-8 view: also, bytes that are not valid UTF-8 must never produce
 * a well-formed name (a rule could not match what it cannot read). */
static void fuzz_utf8(const uint8_t *data, size_t size)
{
    const char *name = (const char *)data;
    /* Every byte becomes at most one UTF-16 unit, plus the NUL. */
    uint16_t *wide = malloc((size + 1) * sizeof *wide);
    FUZZ_ASSERT(wide != NULL);
    long units = sw_utf8_to_utf16(name, size, wide, size + 1);
    free(wide);
    FUZZ_ASSERT(units >= 0 || units == SW_EINVAL);
    if (units == SW_EINVAL) {
        sw_canon c;
        (void)sw_canonicalise(name, size, NULL, &c);
        FUZZ_ASSERT(c.malformed);
        sw_canon_free(&c);
        return;
    }
    canon_and_check(name, size);
}

/* The UTF-16 view, converted exactly as the DLL converts NETRESOURCEW. */
static void fuzz_utf16(const uint8_t *data, size_t size)
{
    size_t units = size / 2;
    uint16_t *wide = malloc((units ? units : 1) * sizeof *wide);
    /* Every code unit becomes at most 3 bytes of UTF-8. */
    size_t cap = units * 3 + 1;
    char *utf8 = malloc(cap);
    FUZZ_ASSERT(wide != NULL && utf8 != NULL);
    for (size_t i = 0; i < units; i++)
        wide[i] = (uint16_t)(data[2 * i] | (data[2 * i + 1] << 8));

    long n = sw_utf16_to_utf8(wide, units, utf8, cap);
    FUZZ_ASSERT(n >= 0 || n == SW_EINVAL);
    if (n >= 0) {
        FUZZ_ASSERT((size_t)n < cap && utf8[n] == '\0');
        /* The conversion is lossless: converting back gives the units. */
        uint16_t *back = malloc((units + 1) * sizeof *back);
        FUZZ_ASSERT(back != NULL);
        long m = sw_utf8_to_utf16(utf8, (size_t)n, back, units + 1);
        FUZZ_ASSERT(m == (long)units);
        FUZZ_ASSERT(units == 0 || memcmp(back, wide, units * sizeof *back) == 0);
        free(back);
        canon_and_check(utf8, (size_t)n);
    }
    free(utf8);
    free(wide);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_utf8(data, size);
    fuzz_utf16(data, size);
    return 0;
}
