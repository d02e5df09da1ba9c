#include "pattern_literal.h"

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int plain(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int escapable(char c)
{
    return c == '.' || c == '-' || c == '_' || c == '$' || c == '\\';
}

int sw_pattern_literal(const char *src, size_t n, char *out, size_t *out_len)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '\\') {
            if (i + 1 >= n || !escapable(src[i + 1]))
                return 0;
            c = src[++i];
        } else if (!plain(c)) {
            return 0;
        }
        out[k++] = lower(c);
    }
    *out_len = k;
    return 1;
}

int sw_literal_equal(const char *lit, size_t lit_len, const char *subject,
                     size_t len)
{
    if (lit_len != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (lower(subject[i]) != lit[i])
            return 0;
    return 1;
}
