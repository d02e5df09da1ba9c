#include "canonical_name.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"

char *fuzz_canonical_name(const sw_canon *c)
{
    static const char suffix[] = ".ipv6-literal.net";
    size_t hn = strlen(c->host);
    size_t un = strlen(c->unc);
    int ipv6 = strchr(c->host, ':') != NULL;
    char *s = malloc(un + (ipv6 ? sizeof suffix : 1));
    FUZZ_ASSERT(s != NULL);
    if (!ipv6) {
        memcpy(s, c->unc, un + 1);
        return s;
    }
    /* unc is "\\" host "\share" path */
    char *w = s;
    *w++ = '\\';
    *w++ = '\\';
    for (const char *h = c->host; *h; h++)
        *w++ = *h == ':' ? '-' : *h == '%' ? 's' : *h;
    memcpy(w, suffix, sizeof suffix - 1);
    w += sizeof suffix - 1;
    memcpy(w, c->unc + 2 + hn, un - 2 - hn + 1);
    return s;
}
