/* The catastrophic-pattern probe of `sharewall check`: every pattern that
 * can backtrack is run, with the engine's own limits, against hostile
 * subjects built from what the pattern itself accepts. A pattern that
 * hits a limit on one of them can be made to fail by a crafted name,
 * which is then decided by on_error instead of the rule.
 *
 * The warning cannot be false: it is given only for a concrete subject
 * that really exhausts a limit. What the probe can do is miss a pattern,
 * so the subjects are built systematically rather than from a list of
 * known bad shapes. Backtracking blows up when a repeat can split the
 * same text in many ways, and that text is made of the pattern's own
 * pieces: runs of one character ((a+)+, \d+\d+), of one literal unit
 * ((?:abc|a|bc|ab|c)+ splits each "abc" three ways), of two units
 * together or overlapping ((ab|a)(bc|c)...), each followed by a character
 * that makes the match fail late. */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "diags.h"
#include "lint_probe.h"
#include "policy_internal.h"

#define PROBE_CHARS 12   /* single characters to build runs of         */
#define PROBE_UNITS 12   /* literal units of the pattern                */
#define PROBE_UNIT_MAX 16
#define PROBE_SHORT 64
#define PROBE_LONG 256
#define PROBE_PREFIX 64
#define PROBE_SUBJECT (PROBE_PREFIX + PROBE_LONG + 2 * PROBE_UNIT_MAX + 8)

typedef struct units {
    char s[PROBE_UNITS][PROBE_UNIT_MAX];
    size_t len[PROBE_UNITS];
    size_t n;
} units;

typedef struct probe {
    const sw_pattern *pt;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    char buf[PROBE_SUBJECT];
    size_t prefix; /* bytes of buf every subject starts with */
    char last;     /* a character every match must hold, or 0  */
} probe;

/* ---- what the pattern is made of ------------------------------------ */

/* The literal text a pattern starts with ('\\\\(a|aa)+b' -> "\\"): a
 * hostile subject that does not start with it fails at once, so the
 * probes are also run behind it. Reads plain characters and escaped
 * punctuation; stops at anything else, and drops a character a quantifier
 * makes optional. */
static size_t literal_prefix(const char *src, char *out)
{
    size_t n = 0;
    for (const char *s = src; *s && n < PROBE_PREFIX;) {
        char c = *s;
        size_t step = 1;
        if (c == '\\' && s[1] && strchr(".\\$^*+?()[]{}|/-_ ", s[1])) {
            c = s[1];
            step = 2;
        } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            break;
        }
        if (s[step] && strchr("?*+{", s[step]))
            break;
        out[n++] = c;
        s += step;
    }
    return n;
}

/* Characters to build runs from: a few generic ones, then the pattern's
 * own literal characters. */
static size_t probe_alphabet(const char *src, char *out)
{
    static const char generic[] = "a0.\\ ";
    size_t n = 0;
    for (const char *s = generic; *s && n < PROBE_CHARS; s++)
        out[n++] = *s;
    for (const unsigned char *s = (const unsigned char *)src; *s && n < PROBE_CHARS; s++) {
        if (*s < 0x21 || *s > 0x7e || strchr("()[]{}|*+?^$\\", *s))
            continue;
        if (!memchr(out, *s, n))
            out[n++] = (char)*s;
    }
    return n;
}

static void unit_add(units *u, const char *s, size_t len)
{
    if (len == 0 || u->n == PROBE_UNITS)
        return;
    for (size_t i = 0; i < u->n; i++)
        if (u->len[i] == len && !memcmp(u->s[i], s, len))
            return;
    memcpy(u->s[u->n], s, len);
    u->len[u->n++] = len;
}

/* One character standing for an escape: \d -> '0', \w and \p{..} -> 'a',
 * \s -> ' ', escaped punctuation -> itself; 0 for escapes that match no
 * character (\b, \A, back-references, ...). *skip gets the escape's
 * length. */
static char escape_stand_in(const char *p, size_t *skip)
{
    char e = p[1];
    *skip = e ? 2 : 1;
    if ((e == 'p' || e == 'P' || e == 'x' || e == 'o' || e == 'N' || e == 'g' ||
         e == 'k') && p[2] == '{') {
        const char *close = strchr(p + 2, '}');
        *skip = close ? (size_t)(close - p) + 1 : 2;
    }
    switch (e) {
    case 'd':
        return '0';
    case 'w':
    case 'p':
        return 'a';
    case 's':
    case 'h':
        return ' ';
    default:
        if (e && !((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
                   (e >= '0' && e <= '9')))
            return e;
        return 0;
    }
}

/* A character class from its '[': one member stands for it (the first
 * plain one, 'a' when negated or none is plain). Returns its length. */
static size_t class_stand_in(const char *p, char *out)
{
    size_t i = 1;
    int negated = p[i] == '^';
    if (negated)
        i++;
    *out = 'a';
    if (!negated && p[i] && p[i] != '\\' && p[i] != '[' && (unsigned char)p[i] < 0x80)
        *out = p[i];
    if (p[i] == ']')
        i++;
    for (; p[i] && p[i] != ']'; i++) {
        if (p[i] == '\\' && p[i + 1])
            i++;
        else if (p[i] == '[' && p[i + 1] == ':') {
            const char *end = strstr(p + i, ":]");
            if (end)
                i = (size_t)(end - p) + 1;
        }
    }
    return p[i] ? i + 1 : i;
}

/* The pattern's literal units: the text between its alternation bars and
 * parentheses, with each class or escape standing in as one character
 * and quantifiers dropped ('(\d+\.)+' gives "0."; '(?:abc|a|bc)+' gives
 * "abc", "a", "bc"). A heuristic reading, not a parser: a misread only
 * makes a subject less hostile, never a warning false. */
static void extract_units(const char *src, units *u)
{
    char cur[PROBE_UNIT_MAX];
    size_t cl = 0;
    for (const char *p = src; *p;) {
        char c = *p, one = 0;
        size_t step = 1;
        if (c == '\\') {
            one = escape_stand_in(p, &step);
        } else if (c == '[') {
            step = class_stand_in(p, &one);
        } else if (c == '|' || c == '(' || c == ')') {
            unit_add(u, cur, cl);
            cl = 0;
            if (c == '(' && p[1] == '?') { /* (?:, (?=, (?<name>, (?i), ... */
                size_t k = 2;
                while (p[k] && !strchr(":=!>)|'", p[k]))
                    k++;
                step = p[k] ? k + 1 : k;
            } else if (c == '(' && p[1] == '*') { /* (*pla:, (*COMMIT) */
                size_t k = 2;
                while (p[k] && p[k] != ':' && p[k] != ')')
                    k++;
                step = p[k] ? k + 1 : k;
            }
        } else if (c == '{' && p[1] >= '0' && p[1] <= '9') {
            const char *close = strchr(p, '}');
            step = close ? (size_t)(close - p) + 1 : 1;
        } else if (c == '.') {
            one = 'a';
        } else if (!strchr("*+?^$", c)) {
            one = c; /* a byte of a plain character (UTF-8 kept whole) */
        }
        if (one) {
            if (cl == PROBE_UNIT_MAX) {
                unit_add(u, cur, cl);
                cl = 0;
            }
            cur[cl++] = one;
        }
        p += step;
    }
    unit_add(u, cur, cl);
}

/* ---- running subjects ---------------------------------------------- */

static int hits_limit(probe *pr, size_t len)
{
    int rc = pcre2_match(pr->pt->code, (PCRE2_SPTR)pr->buf, len, 0, 0, pr->md, pr->mc);
    return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
           rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/* Fills the subject (after the prefix) with copies of unit, up to about
 * target bytes; returns the subject's length. */
static size_t repeat(probe *pr, const char *unit, size_t len, size_t target)
{
    size_t n = 0;
    char *s = pr->buf + pr->prefix;
    while (n + len <= target) {
        memcpy(s + n, unit, len);
        n += len;
    }
    return n;
}

/* The subject as built (when there is no tail), and followed by tail and
 * '!', so the match fails late ("aaaa…!"). PCRE2 rejects at once a subject
 * that lacks a character the pattern requires, so the tail brings one in,
 * and so does the character PCRE2 itself says every match holds. */
static int try_endings(probe *pr, size_t n, const char *tail, size_t tail_len)
{
    char *s = pr->buf + pr->prefix;
    if (tail_len == 0 && hits_limit(pr, pr->prefix + n))
        return 1;
    memcpy(s + n, tail, tail_len);
    s[n + tail_len] = '!';
    if (hits_limit(pr, pr->prefix + n + tail_len + 1))
        return 1;
    if (!pr->last)
        return 0;
    s[n + tail_len] = pr->last;
    s[n + tail_len + 1] = '!';
    return hits_limit(pr, pr->prefix + n + tail_len + 2);
}

/* The code unit PCRE2 requires in every match (PCRE2_INFO_LASTCODEUNIT),
 * when it is printable ASCII. */
static char required_char(const pcre2_code *code)
{
    uint32_t type = 0, unit = 0;
    if (pcre2_pattern_info(code, PCRE2_INFO_LASTCODETYPE, &type) != 0 || type != 1 ||
        pcre2_pattern_info(code, PCRE2_INFO_LASTCODEUNIT, &unit) != 0)
        return 0;
    return unit > 0x20 && unit < 0x7F ? (char)unit : 0;
}

/* Runs of each probe character, alone and followed by each other one;
 * two characters alternating. */
static int probe_runs(probe *pr, const char *alphabet, size_t n)
{
    char *s = pr->buf + pr->prefix;
    for (size_t c = 0; c < n; c++) {
        if (try_endings(pr, repeat(pr, &alphabet[c], 1, PROBE_LONG), "", 0) ||
            try_endings(pr, repeat(pr, &alphabet[c], 1, PROBE_SHORT), "", 0))
            return 1;
        for (size_t e = 0; e < n; e++)
            if (try_endings(pr, repeat(pr, &alphabet[c], 1, PROBE_SHORT), &alphabet[e], 1))
                return 1;
        if (c + 1 < n) {
            for (size_t k = 0; k < PROBE_SHORT; k++)
                s[k] = alphabet[c + (k & 1)];
            if (try_endings(pr, PROBE_SHORT, "", 0))
                return 1;
        }
    }
    return 0;
}

/* Longest k < both lengths with a's last k bytes equal to b's first k. */
static size_t overlap(const char *a, size_t al, const char *b, size_t bl)
{
    for (size_t k = (al < bl ? al : bl) - 1; k > 0; k--)
        if (!memcmp(a + al - k, b, k))
            return k;
    return 0;
}

/* Each unit repeated; each pair of units, joined and overlapped,
 * repeated; a run of one unit closed by another. */
static int probe_units(probe *pr, const units *u)
{
    char pair[2 * PROBE_UNIT_MAX];
    for (size_t i = 0; i < u->n; i++) {
        if (try_endings(pr, repeat(pr, u->s[i], u->len[i], PROBE_LONG), "", 0) ||
            try_endings(pr, repeat(pr, u->s[i], u->len[i], PROBE_SHORT), "", 0))
            return 1;
        for (size_t j = 0; j < u->n; j++) {
            if (j == i)
                continue;
            if (try_endings(pr, repeat(pr, u->s[i], u->len[i], PROBE_SHORT), u->s[j],
                            u->len[j]))
                return 1;
            memcpy(pair, u->s[i], u->len[i]);
            memcpy(pair + u->len[i], u->s[j], u->len[j]);
            if (try_endings(pr, repeat(pr, pair, u->len[i] + u->len[j], PROBE_LONG), "", 0))
                return 1;
            size_t k = overlap(u->s[i], u->len[i], u->s[j], u->len[j]);
            if (k && try_endings(pr, repeat(pr, pair, u->len[i] + u->len[j] - k, PROBE_LONG),
                                 "", 0))
                return 1;
        }
    }
    return 0;
}

/* Can the pattern backtrack at all? Without a quantifier (or a
 * recursion, whose "(?" holds a '?') every match is bounded by the
 * pattern's length. */
static int can_repeat(const char *src)
{
    return strpbrk(src, "*+?{") != NULL;
}

static int probe_pattern(probe *pr, pcre2_general_context *gc)
{
    const char *src = pr->pt->source;
    char alphabet[PROBE_CHARS];
    units u;
    u.n = 0;
    if (pr->pt->literal || !can_repeat(src))
        return 0;
    size_t n = probe_alphabet(src, alphabet);
    extract_units(src, &u);
    pr->md = pcre2_match_data_create_from_pattern(pr->pt->code, gc);
    if (!pr->md)
        return SW_ENOMEM;
    char prefix[PROBE_PREFIX];
    size_t plen = literal_prefix(src, prefix);
    pr->last = required_char(pr->pt->code);
    int hit = 0;
    for (int behind = 0; behind < 2 && !hit; behind++) {
        if (behind && plen == 0)
            break;
        pr->prefix = behind ? plen : 0;
        memcpy(pr->buf, prefix, pr->prefix);
        hit = probe_runs(pr, alphabet, n) || probe_units(pr, &u);
    }
    pcre2_match_data_free(pr->md);
    pr->md = NULL;
    return hit;
}

int sw_lint_match_limits(const sw_policy *p, sw_diags *d)
{
    pcre2_general_context *gc =
        pcre2_general_context_create(sw_pcre2_malloc, sw_pcre2_free, NULL);
    probe pr;
    memset(&pr, 0, sizeof pr);
    pr.mc = gc ? pcre2_match_context_create(gc) : NULL;
    if (!pr.mc) {
        pcre2_general_context_free(gc);
        return SW_ENOMEM;
    }
    /* The engine's own limits (decide.c), so the probe sees what a
     * decision would. */
    pcre2_set_match_limit(pr.mc, SW_MATCH_LIMIT);
    pcre2_set_depth_limit(pr.mc, SW_DEPTH_LIMIT);
    pcre2_set_heap_limit(pr.mc, SW_HEAP_LIMIT_KIB);
    int rc = SW_OK;
    char field[80];
    for (size_t i = 0; i < p->rule_count && rc == SW_OK; i++) {
        for (int f = 0; f < SW_F_COUNT && rc == SW_OK; f++) {
            const sw_matcher *m = &p->rules[i].match[f];
            for (size_t k = 0; k < m->count; k++) {
                pr.pt = &m->patterns[k];
                if (!pr.pt->code)
                    continue;
                int hit = probe_pattern(&pr, gc);
                if (hit < 0) {
                    rc = hit;
                    break;
                }
                if (!hit)
                    continue;
                snprintf(field, sizeof field, "rules[%zu].match.%s[%zu]", i,
                         sw_field_name((sw_field)f), k);
                sw_diag_add(d, SW_SEV_WARNING, pr.pt->pos.file, pr.pt->pos.line,
                            pr.pt->pos.column, field,
                            "pattern may exhaust the match limit: a name made "
                            "to backtrack it is decided by on_error instead of "
                            "this rule; avoid nested or adjacent repeats");
            }
        }
    }
    pcre2_match_context_free(pr.mc);
    pcre2_general_context_free(gc);
    return rc;
}
