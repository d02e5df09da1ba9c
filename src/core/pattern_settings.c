/* The scan behind pattern_settings.h. It walks the pattern the way
 * PCRE2's parser does (pcre2_compile.c, parse_regex, in 10.42 and 10.45),
 * but only far enough to know, at each character, whether it is pattern
 * syntax or literal text: an option setting written inside \Q...\E, a
 * character class, a comment or a verb name is text, and one written
 * anywhere else is a setting. Getting that wrong in one direction refuses
 * a harmless pattern; in the other it lets a setting through, so every
 * construct that can hold arbitrary text is handled, and those it cannot
 * bound safely (callouts with string arguments, Perl extended classes)
 * are refused outright. Only patterns PCRE2 then accepts matter: anything
 * malformed is PCRE2's to report. */
#include "pattern_settings.h"

#include <string.h>

typedef struct scan {
    const unsigned char *s;
    size_t len, i;
    int x, xx;             /* (?x) / (?xx) in force: spaces and # ignored */
    unsigned char *saved;  /* x | xx << 1 of each open group             */
    size_t depth, cap;
    size_t offset;         /* of the problem found                        */
    const char *why;
} scan;

static int at(const scan *sc, size_t k)
{
    return sc->i + k < sc->len ? sc->s[sc->i + k] : -1;
}

/* Length of the UTF-8 character at k (the text is valid UTF-8). */
static size_t char_len(const scan *sc, size_t k)
{
    size_t n = 1;
    while (k + n < sc->len && (sc->s[k + n] & 0xC0) == 0x80)
        n++;
    return n;
}

static int problem(scan *sc, size_t offset, const char *why)
{
    sc->offset = offset;
    sc->why = why;
    return 1;
}

/* An escape outside \Q...\E: \Q and \E change the literal mode (returns
 * 1 after \Q); \cX takes the next character whatever it is ("\c)" is a
 * control character, not a parenthesis); everything else is the
 * backslash and one character: the rest of a longer escape (\x{...},
 * \p{...}, \k<...>) is letters, digits and braces, which open nothing. */
static int skip_escape(scan *sc)
{
    int next = at(sc, 1);
    if (next < 0) {
        sc->i = sc->len;
        return 0;
    }
    if (next == 'Q' || next == 'E') {
        sc->i += 2;
        return next == 'Q';
    }
    if (next == 'c' && sc->i + 2 < sc->len) {
        sc->i += 2 + char_len(sc, sc->i + 2);
        return 0;
    }
    sc->i += 1 + char_len(sc, sc->i + 1);
    return 0;
}

/* Inside \Q...\E: up to and past \E, or to the end. */
static void skip_quoted(scan *sc)
{
    while (sc->i < sc->len) {
        if (at(sc, 0) == '\\' && at(sc, 1) == 'E') {
            sc->i += 2;
            return;
        }
        sc->i += char_len(sc, sc->i);
    }
}

/* PCRE2's check_posix_syntax: after "[" at p, with p[0] one of ':', '.',
 * '=' (the terminator), is there a terminator followed by ']' before any
 * ']' or a nested "[" + terminator? Returns the index of that terminator,
 * or 0 when there is none. */
static size_t posix_end(const scan *sc, size_t p)
{
    unsigned char t = sc->s[p];
    for (size_t k = p + 1; k + 2 <= sc->len; k++) {
        unsigned char c = sc->s[k], d = sc->s[k + 1];
        if (c == '\\' && (d == ']' || d == '\\'))
            k++;
        else if ((c == '[' && d == t) || c == ']')
            return 0;
        else if (c == t && d == ']')
            return k;
    }
    return 0;
}

/* A character class, from its "[" to past its "]". */
static void skip_class(scan *sc)
{
    static const char weird_start[] = "[:<:]]", weird_end[] = "[:>:]]";
    if (sc->len - sc->i >= 7 && (!memcmp(sc->s + sc->i + 1, weird_start, 6) ||
                                 !memcmp(sc->s + sc->i + 1, weird_end, 6))) {
        sc->i += 7; /* PCRE2's spellings of word boundaries */
        return;
    }
    sc->i++;
    /* Before the first real character PCRE2 skips \E, \Q\E, one '^' and,
     * under (?xx), spaces and tabs; a ']' right after them is literal. */
    for (int negated = 0;;) {
        if (at(sc, 0) == '\\' && at(sc, 1) == 'E')
            sc->i += 2;
        else if (at(sc, 0) == '\\' && at(sc, 1) == 'Q' && at(sc, 2) == '\\' && at(sc, 3) == 'E')
            sc->i += 4;
        else if (sc->xx && (at(sc, 0) == ' ' || at(sc, 0) == '\t'))
            sc->i++;
        else if (!negated && at(sc, 0) == '^')
            negated = 1, sc->i++;
        else
            break;
    }
    if (at(sc, 0) == ']')
        sc->i++;
    while (sc->i < sc->len) {
        int c = at(sc, 0);
        if (c == '\\') {
            if (skip_escape(sc))
                skip_quoted(sc);
        } else if (c == '[' && (at(sc, 1) == ':' || at(sc, 1) == '.' || at(sc, 1) == '=') &&
                   posix_end(sc, sc->i + 1)) {
            sc->i = posix_end(sc, sc->i + 1) + 2;
        } else if (c == ']') {
            sc->i++;
            return;
        } else {
            sc->i += char_len(sc, sc->i);
        }
    }
}

static int push(scan *sc)
{
    if (sc->depth == sc->cap)
        return -1; /* deeper than the pattern is long: cannot happen */
    sc->saved[sc->depth++] = (unsigned char)(sc->x | sc->xx << 1);
    return 0;
}

static void pop(scan *sc)
{
    if (sc->depth == 0)
        return; /* an unmatched ')': PCRE2 reports it */
    unsigned char v = sc->saved[--sc->depth];
    sc->x = v & 1;
    sc->xx = v >> 1;
}

/* "(?" followed by option letters, at sc->i. Applies (?x) and friends,
 * opens a group for "(?x:", and refuses the letters that cancel a
 * promise. Returns 1 on a problem. */
static int option_setting(scan *sc)
{
    size_t start = sc->i;
    size_t k = sc->i + 2;
    int unsetting = 0, set_x = 0, set_xx = 0, unset_x = 0;
    if (k < sc->len && sc->s[k] == '^')
        return problem(sc, start, "(?^) turns off case-insensitive matching, "
                                  "which every pattern has");
    for (; k < sc->len && sc->s[k] != ')' && sc->s[k] != ':'; k++) {
        switch (sc->s[k]) {
        case '-':
            unsetting = 1;
            break;
        case 'i':
            if (unsetting)
                return problem(sc, start, "(?-i) turns off case-insensitive "
                                          "matching, which every pattern has");
            break;
        case 'm':
            if (!unsetting)
                return problem(sc, start, "(?m) lets ^ and $ match at line breaks "
                                          "inside the value; $ matches only at "
                                          "the very end of it");
            break;
        case 'a':
            return problem(sc, start, "(?a) limits \\d, \\s, \\w and POSIX classes "
                                      "to ASCII; patterns match Unicode");
        case 'r':
            return problem(sc, start, "(?r) changes which characters "
                                      "case-insensitive matching treats as equal");
        case 'x':
            if (k + 1 < sc->len && sc->s[k + 1] == 'x') {
                k++;
                if (!unsetting)
                    set_xx = 1;
            }
            if (unsetting)
                unset_x = 1;
            else
                set_x = 1;
            break;
        case 's':
        case 'n':
        case 'U':
        case 'J':
            break;
        default:
            /* Fail closed: a letter this scan does not know (a newer
             * PCRE2's) might change anything. */
            return problem(sc, k, "unknown option letter in an inline option "
                                  "setting; only i, n, s, x, xx, U and J (and "
                                  "- before all but i) are allowed");
        }
    }
    if (k >= sc->len) {
        sc->i = sc->len; /* unterminated: PCRE2's error */
        return 0;
    }
    if (sc->s[k] == ':' && push(sc) != 0) {
        sc->i = sc->len;
        return 0;
    }
    /* As PCRE2: setting x alone clears xx; unsetting either clears both. */
    if (unset_x)
        sc->x = sc->xx = 0;
    else if (set_xx)
        sc->x = sc->xx = 1;
    else if (set_x)
        sc->x = 1, sc->xx = 0;
    sc->i = k + 1;
    return 0;
}

/* "(*" at sc->i, not at the start: a backtracking verb, whose name after
 * ':' is literal text up to the next ')', or an alpha assertion such as
 * (*atomic: or (*pla:, which opens a group. */
static int verb_or_assertion(scan *sc)
{
    size_t k = sc->i + 2;
    int upper = 1;
    while (k < sc->len && (((sc->s[k] | 0x20) >= 'a' && (sc->s[k] | 0x20) <= 'z') ||
                           sc->s[k] == '_' || (sc->s[k] >= '0' && sc->s[k] <= '9'))) {
        if (sc->s[k] >= 'a' && sc->s[k] <= 'z')
            upper = 0;
        k++;
    }
    if (k < sc->len && sc->s[k] == ':' && upper) { /* (*MARK:NAME), (*:NAME) */
        const unsigned char *close = memchr(sc->s + k, ')', sc->len - k);
        sc->i = close ? (size_t)(close - sc->s) + 1 : sc->len;
        return 0;
    }
    if (k < sc->len && sc->s[k] == ')') { /* (*FAIL), (*COMMIT), ... */
        sc->i = k + 1;
        return 0;
    }
    if (push(sc) != 0) {
        sc->i = sc->len;
        return 0;
    }
    sc->i = k < sc->len ? k + 1 : sc->len;
    return 0;
}

/* "(" at sc->i. Returns 1 on a problem. */
static int open_paren(scan *sc)
{
    if (at(sc, 1) == '*')
        return verb_or_assertion(sc);
    if (at(sc, 1) != '?') {
        if (push(sc) != 0)
            sc->i = sc->len;
        else
            sc->i++;
        return 0;
    }
    int c = at(sc, 2);
    if (c == '#') { /* a comment, to the first ')': no escapes inside */
        const unsigned char *close = memchr(sc->s + sc->i, ')', sc->len - sc->i);
        sc->i = close ? (size_t)(close - sc->s) + 1 : sc->len;
        return 0;
    }
    if (c == 'C')
        return problem(sc, sc->i, "callouts (?C...) are not allowed: sharewall "
                                  "has no callout function, and their text "
                                  "arguments could hide the rest of the pattern");
    if (c == '[')
        return problem(sc, sc->i, "extended character classes (?[...]) are not "
                                  "allowed: PCRE2 before 10.45 does not know "
                                  "them, so the policy would load on some "
                                  "machines only");
    /* PCRE2 reads any letter here, except P (named groups), C (callouts)
     * and R (recursion), as an option letter: so does this scan, which
     * then refuses the ones it does not know. "(?-1)" is a call. */
    int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if ((letter && c != 'P' && c != 'R') || c == '^' ||
        (c == '-' && !(at(sc, 3) >= '0' && at(sc, 3) <= '9')))
        return option_setting(sc);
    /* Any other group or item ((?:, (?=, (?<name>, (?R), (?1), ...): its
     * ')' closes it like any group's. */
    if (push(sc) != 0)
        sc->i = sc->len;
    else
        sc->i++;
    return 0;
}

/* The backtracking verbs: at the start they are not settings. */
static int is_verb(const unsigned char *name, size_t n)
{
    static const char *const verbs[] = {"ACCEPT", "FAIL", "F", "COMMIT",
                                        "PRUNE", "SKIP", "THEN"};
    for (size_t v = 0; v < sizeof verbs / sizeof *verbs; v++)
        if (strlen(verbs[v]) == n && !memcmp(verbs[v], name, n))
            return 1;
    return 0;
}

/* PCRE2 reads option settings like (*UTF), (*UCP), (*NO_JIT),
 * (*LIMIT_MATCH=n), (*CR) or (*CASELESS_RESTRICT) only at the very start
 * of the pattern, one after the other. Any of them is refused: the
 * language sets every pattern's options itself. */
static int start_settings(scan *sc)
{
    if (at(sc, 0) != '(' || at(sc, 1) != '*')
        return 0;
    size_t k = 2;
    while (sc->i + k < sc->len && ((sc->s[sc->i + k] >= 'A' && sc->s[sc->i + k] <= 'Z') ||
                                   (sc->s[sc->i + k] >= '0' && sc->s[sc->i + k] <= '9') ||
                                   sc->s[sc->i + k] == '_'))
        k++;
    int end = at(sc, k);
    if (k == 2 || (end != ')' && end != '='))
        return 0;
    if (end == ')' && is_verb(sc->s + sc->i + 2, k - 2))
        return 0;
    return problem(sc, sc->i, "start-of-pattern settings such as (*UTF), (*UCP), "
                              "(*NO_JIT), (*LIMIT_MATCH=...) or (*CR) are not "
                              "allowed: the policy language sets the options "
                              "and limits of every pattern itself");
}

int sw_pattern_settings_check(const char *src, size_t len, size_t *offset,
                              const char **why)
{
    /* One saved state per open group: a group needs at least one byte. */
    unsigned char stack[SW_MAX_PATTERN_BYTES + 1];
    scan sc;
    memset(&sc, 0, sizeof sc);
    sc.s = (const unsigned char *)src;
    sc.len = len;
    sc.saved = stack;
    sc.cap = sizeof stack;
    *offset = 0;
    *why = NULL;
    if (len > SW_MAX_PATTERN_BYTES) { /* the loader refuses these first */
        *why = "the pattern is too long";
        return 1;
    }
    int found = start_settings(&sc);
    while (!found && sc.i < sc.len) {
        int c = at(&sc, 0);
        if (c == '\\') {
            if (skip_escape(&sc))
                skip_quoted(&sc);
        } else if (sc.x && c == '#') {
            /* An extended-mode comment runs to a newline, and patterns
             * hold none (the loader refuses control characters). */
            sc.i = sc.len;
        } else if (c == '[') {
            skip_class(&sc);
        } else if (c == '(') {
            found = open_paren(&sc);
        } else if (c == ')') {
            pop(&sc);
            sc.i++;
        } else {
            sc.i += char_len(&sc, sc.i);
        }
    }
    if (found) {
        *offset = sc.offset;
        *why = sc.why;
    }
    return found;
}

const char *sw_pattern_settings_verify(const pcre2_code *code)
{
    uint32_t v = 0, def = 0;
    static const uint32_t limits[] = {PCRE2_INFO_MATCHLIMIT, PCRE2_INFO_DEPTHLIMIT,
                                      PCRE2_INFO_HEAPLIMIT};
    for (size_t k = 0; k < sizeof limits / sizeof *limits; k++)
        if (pcre2_pattern_info(code, limits[k], &v) != PCRE2_ERROR_UNSET)
            return "the pattern sets its own match limit";
    if (pcre2_pattern_info(code, PCRE2_INFO_NEWLINE, &v) != 0 ||
        pcre2_config(PCRE2_CONFIG_NEWLINE, &def) < 0 || v != def)
        return "the pattern sets its own newline convention";
    if (pcre2_pattern_info(code, PCRE2_INFO_BSR, &v) != 0 ||
        pcre2_config(PCRE2_CONFIG_BSR, &def) < 0 || v != def)
        return "the pattern sets its own meaning of \\R";
    if (pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &v) != 0 ||
        (v & (PCRE2_NO_AUTO_POSSESS | PCRE2_NO_DOTSTAR_ANCHOR | PCRE2_NO_START_OPTIMIZE)) ||
        !(v & PCRE2_CASELESS) || !(v & PCRE2_UTF) || !(v & PCRE2_UCP))
        return "the pattern changes its own compile options";
    return NULL;
}
