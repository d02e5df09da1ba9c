/* Which characters do not show as themselves (hidden.h), and their names
 * for messages. The invisible set is Unicode's Default_Ignorable_Code_Point
 * (DerivedCoreProperties.txt, stable since Unicode 6) minus the bidi
 * controls, which get their own kind; written out here because it is
 * short and fixed, and no library on the shelf exposes it to C. */
#include "hidden.h"

#include <stdio.h>

#include "sharewall/sharewall.h"
#include "utf.h"

typedef struct range {
    uint32_t lo, hi;
} range;

static int in(const range *r, size_t n, uint32_t cp)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= r[i].lo && cp <= r[i].hi)
            return 1;
    return 0;
}

static const range bidi[] = {
    {0x061C, 0x061C}, /* ARABIC LETTER MARK                               */
    {0x200E, 0x200F}, /* LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK           */
    {0x202A, 0x202E}, /* embeddings, overrides, POP DIRECTIONAL FORMATTING */
    {0x2066, 0x2069}, /* isolates, POP DIRECTIONAL ISOLATE                */
};

/* Default_Ignorable_Code_Point without the bidi controls above. */
static const range invisible[] = {
    {0x00AD, 0x00AD},   {0x034F, 0x034F},   {0x115F, 0x1160},
    {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x200B, 0x200D},
    {0x2060, 0x2065},   {0x206A, 0x206F},   {0x3164, 0x3164},
    {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},   {0xFFA0, 0xFFA0},
    {0xFFF0, 0xFFF8},   {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
    {0xE0000, 0xE0FFF},
};

/* Space separators (Zs) other than U+0020, and U+2800 BRAILLE PATTERN
 * BLANK, which renders as a space and is a favourite stand-in for one. */
static const range spaces[] = {
    {0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200A}, {0x202F, 0x202F},
    {0x205F, 0x205F}, {0x2800, 0x2800}, {0x3000, 0x3000},
};

#define COUNT(a) (sizeof a / sizeof a[0])

sw_hidden sw_hidden_kind(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return SW_HIDDEN_NONE; /* the common case, first */
    if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
        return SW_HIDDEN_LINE_BREAK;
    if (cp < 0xA0)
        return SW_HIDDEN_CONTROL;
    if (in(bidi, COUNT(bidi), cp))
        return SW_HIDDEN_BIDI;
    if (in(invisible, COUNT(invisible), cp))
        return SW_HIDDEN_INVISIBLE;
    if (in(spaces, COUNT(spaces), cp))
        return SW_HIDDEN_SPACE;
    return SW_HIDDEN_NONE;
}

int sw_char_hidden(uint32_t cp)
{
    return sw_hidden_kind(cp) != SW_HIDDEN_NONE;
}

typedef struct named {
    uint32_t cp;
    const char *name;
} named;

/* The ones people meet; others are described by their kind alone. */
static const named names[] = {
    {0x0009, "CHARACTER TABULATION"},
    {0x000A, "LINE FEED"},
    {0x000D, "CARRIAGE RETURN"},
    {0x001B, "ESCAPE"},
    {0x0085, "NEXT LINE"},
    {0x009B, "CONTROL SEQUENCE INTRODUCER"},
    {0x00A0, "NO-BREAK SPACE"},
    {0x00AD, "SOFT HYPHEN"},
    {0x034F, "COMBINING GRAPHEME JOINER"},
    {0x061C, "ARABIC LETTER MARK"},
    {0x200B, "ZERO WIDTH SPACE"},
    {0x200C, "ZERO WIDTH NON-JOINER"},
    {0x200D, "ZERO WIDTH JOINER"},
    {0x200E, "LEFT-TO-RIGHT MARK"},
    {0x200F, "RIGHT-TO-LEFT MARK"},
    {0x2028, "LINE SEPARATOR"},
    {0x2029, "PARAGRAPH SEPARATOR"},
    {0x202A, "LEFT-TO-RIGHT EMBEDDING"},
    {0x202B, "RIGHT-TO-LEFT EMBEDDING"},
    {0x202C, "POP DIRECTIONAL FORMATTING"},
    {0x202D, "LEFT-TO-RIGHT OVERRIDE"},
    {0x202E, "RIGHT-TO-LEFT OVERRIDE"},
    {0x2060, "WORD JOINER"},
    {0x2066, "LEFT-TO-RIGHT ISOLATE"},
    {0x2067, "RIGHT-TO-LEFT ISOLATE"},
    {0x2068, "FIRST STRONG ISOLATE"},
    {0x2069, "POP DIRECTIONAL ISOLATE"},
    {0x3000, "IDEOGRAPHIC SPACE"},
    {0xFEFF, "ZERO WIDTH NO-BREAK SPACE (a byte order mark)"},
};

const char *sw_hidden_describe(uint32_t cp, char *buf)
{
    static const char *const kinds[] = {
        "a character",           "a control character",
        "a line break in YAML",  "a bidirectional control",
        "an invisible character", "a space other than U+0020"};
    const char *name = NULL;
    for (size_t i = 0; i < COUNT(names); i++)
        if (names[i].cp == cp)
            name = names[i].name;
    const char *kind = kinds[sw_hidden_kind(cp)];
    if (name)
        snprintf(buf, SW_HIDDEN_DESCRIBE_CAP, "U+%04lX %s, %s", (unsigned long)cp,
                 name, kind);
    else
        snprintf(buf, SW_HIDDEN_DESCRIBE_CAP, "U+%04lX, %s", (unsigned long)cp, kind);
    return buf;
}

const char *sw_hidden_why(uint32_t cp)
{
    switch (sw_hidden_kind(cp)) {
    case SW_HIDDEN_BIDI:
        return "it changes the order or direction of the text shown around it";
    case SW_HIDDEN_LINE_BREAK:
        return "some readers break the line there and others do not";
    case SW_HIDDEN_SPACE:
        return "it looks like a space but is another character";
    default:
        return "a reviewer cannot see it";
    }
}

size_t sw_escape_char(const char *s, size_t n, char out[SW_ESCAPE_MAX],
                      size_t *used)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp = 0;
    size_t len = n ? sw_utf8_decode(p, n, &cp) : 0;
    int w;
    if (len == 0) {
        *used = n ? 1 : 0;
        w = n ? snprintf(out, SW_ESCAPE_MAX, "\\x%02x", (unsigned)p[0]) : 0;
    } else {
        *used = len;
        if (!sw_char_hidden(cp))
            return 0;
        if (cp < 0x80)
            w = snprintf(out, SW_ESCAPE_MAX, "\\x%02x", (unsigned)cp);
        else if (cp <= 0xFFFF)
            w = snprintf(out, SW_ESCAPE_MAX, "\\u%04lx", (unsigned long)cp);
        else
            w = snprintf(out, SW_ESCAPE_MAX, "\\U%08lx", (unsigned long)cp);
    }
    if (w <= 0)
        out[0] = '\0';
    return w > 0 ? (size_t)w : 0;
}
