/* NETRESOURCEW/NOTIFYCANCEL strings (UTF-16, any may be NULL) to the
 * engine's UTF-8, and back for Event Log insertion strings. The engine's
 * converters do the work: an unpaired surrogate is an error, never a
 * silently replaced character, so a name cannot change on its way to the
 * matcher. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"

size_t swd_utf8_size(const wchar_t *w)
{
    /* Three bytes per UTF-16 unit covers every case (a surrogate pair is
     * two units and four bytes); NUL included. */
    return w ? wcslen(w) * 3 + 1 : 1;
}

int swd_to_utf8(const wchar_t *w, char *dst, size_t cap, const char **out)
{
    long n;

    *out = NULL;
    if (!w)
        return SW_OK;
    n = sw_utf16_to_utf8((const uint16_t *)w, wcslen(w), dst, cap);
    if (n < 0)
        return (int)n;
    *out = dst;
    return SW_OK;
}

int swd_to_utf8_dup(const wchar_t *w, char **out)
{
    size_t cap = swd_utf8_size(w);
    const char *s = NULL;
    char *buf;
    int rc;

    *out = NULL;
    if (!w)
        return SW_OK;
    buf = (char *)malloc(cap);
    if (!buf)
        return SW_ENOMEM;
    rc = swd_to_utf8(w, buf, cap, &s);
    if (rc != SW_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    return SW_OK;
}

wchar_t *swd_to_utf16_dup(const char *s)
{
    size_t len, cap;
    wchar_t *w;
    long n;

    if (!s)
        return NULL;
    len = strlen(s);
    cap = len + 1; /* never more UTF-16 units than UTF-8 bytes */
    w = (wchar_t *)malloc(cap * sizeof(wchar_t));
    if (!w)
        return NULL;
    n = sw_utf8_to_utf16(s, len, (uint16_t *)w, cap);
    if (n < 0) {
        free(w);
        return NULL;
    }
    return w;
}
