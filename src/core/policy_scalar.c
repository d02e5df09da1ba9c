/* Typed scalars. The policy language reads YAML 1.2's core schema, not
 * YAML 1.1's: `yes`, `on` and `off` are strings, and only `true`/`false`
 * are booleans. A plain scalar that reads as null, a boolean or a number is
 * never accepted where a string is expected, so `version: "1"` and
 * `share: 123` are both errors: the author must say what they mean. */
#include <string.h>

#include "policy_parse.h"

typedef enum plain_type { PT_STRING, PT_NULL, PT_BOOL, PT_INT, PT_FLOAT } plain_type;

static int all_digits(const char *s, const char *digits)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr(digits, *s))
            return 0;
    return 1;
}

static int is_float(const char *s)
{
    static const char *const special[] = {".inf", ".Inf", ".INF", ".nan",
                                          ".NaN", ".NAN"};
    if (*s == '+' || *s == '-')
        s++;
    for (size_t i = 0; i < sizeof special / sizeof *special; i++)
        if (strcmp(s, special[i]) == 0)
            return 1;
    /* [0-9]* ( . [0-9]* )? ( [eE] [-+]? [0-9]+ )? with at least one digit */
    size_t digits = 0;
    while (*s >= '0' && *s <= '9')
        s++, digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (!digits)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!all_digits(s, "0123456789"))
            return 0;
        return 1;
    }
    return *s == '\0';
}

static plain_type classify(const sw_ynode *n)
{
    const char *v = n->value;
    if (n->style != SW_YS_PLAIN)
        return PT_STRING;
    if (!*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
        !strcmp(v, "NULL"))
        return PT_NULL;
    if (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "TRUE") ||
        !strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "FALSE"))
        return PT_BOOL;
    const char *d = (*v == '+' || *v == '-') ? v + 1 : v;
    if (all_digits(d, "0123456789") ||
        (!strncmp(v, "0o", 2) && all_digits(v + 2, "01234567")) ||
        (!strncmp(v, "0x", 2) && all_digits(v + 2, "0123456789abcdefABCDEF")))
        return PT_INT;
    if (is_float(v))
        return PT_FLOAT;
    return PT_STRING;
}

const char *sw_ynode_describe(const sw_ynode *n)
{
    if (n->kind == SW_Y_MAP)
        return "a mapping";
    if (n->kind == SW_Y_SEQ)
        return "a sequence";
    switch (classify(n)) {
    case PT_NULL:
        return "null (an empty value)";
    case PT_BOOL:
        return "a boolean";
    case PT_INT:
        return "an integer";
    case PT_FLOAT:
        return "a number";
    default:
        return "a string";
    }
}

/* "expected X, found a string 'yes'": the value shown safely, scalars only. */
static void wrong_value(sw_loader *L, const sw_ynode *n, const char *field,
                        const char *expected)
{
    char q[SW_PRINTABLE_CAP];
    if (n->kind == SW_Y_SCALAR)
        sw_load_error(L, n, field, "expected %s, found %s '%s'", expected,
                      sw_ynode_describe(n), sw_printable(n->value, q, sizeof q));
    else
        sw_load_error(L, n, field, "expected %s, found %s", expected, sw_ynode_describe(n));
}

int sw_want_string(sw_loader *L, const sw_ynode *n, const char *field)
{
    if (n->poisoned)
        return 0;
    if (n->kind == SW_Y_SCALAR && classify(n) == PT_STRING)
        return sw_check_raw_hidden(L, n, field);
    if (n->kind == SW_Y_SCALAR) {
        char q[SW_PRINTABLE_CAP];
        sw_load_error(L, n, field, "expected a string, found %s (quote it if you mean the text '%s')",
                      sw_ynode_describe(n), sw_printable(n->value, q, sizeof q));
    } else {
        sw_load_error(L, n, field, "expected a string, found %s", sw_ynode_describe(n));
    }
    return 0;
}

int sw_want_bool(sw_loader *L, const sw_ynode *n, const char *field, int *out)
{
    if (n->poisoned)
        return 0;
    if (n->kind == SW_Y_SCALAR && n->style == SW_YS_PLAIN) {
        if (!strcmp(n->value, "true")) {
            *out = 1;
            return 1;
        }
        if (!strcmp(n->value, "false")) {
            *out = 0;
            return 1;
        }
    }
    wrong_value(L, n, field, "true or false");
    return 0;
}

int sw_want_enum(sw_loader *L, const sw_ynode *n, const char *field,
                 const char *const *names, size_t count, int *out)
{
    if (!sw_want_string(L, n, field))
        return 0;
    for (size_t i = 0; i < count; i++) {
        if (!strcmp(n->value, names[i])) {
            *out = (int)i;
            return 1;
        }
    }
    char expected[128] = "";
    for (size_t i = 0; i < count; i++) {
        strncat(expected, i ? " or " : "", sizeof expected - strlen(expected) - 1);
        strncat(expected, names[i], sizeof expected - strlen(expected) - 1);
    }
    char q[SW_PRINTABLE_CAP];
    sw_load_error(L, n, field, "expected %s, found '%s'", expected,
                  sw_printable(n->value, q, sizeof q));
    return 0;
}

int sw_want_int(sw_loader *L, const sw_ynode *n, const char *field, long *out)
{
    if (n->poisoned)
        return 0;
    if (n->kind != SW_Y_SCALAR || classify(n) != PT_INT ||
        !all_digits(n->value, "0123456789") || n->len > 9) {
        wrong_value(L, n, field, "a small decimal integer");
        return 0;
    }
    long v = 0;
    for (const char *s = n->value; *s; s++)
        v = v * 10 + (*s - '0');
    *out = v;
    return 1;
}
