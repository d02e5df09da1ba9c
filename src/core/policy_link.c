/* Checks that need every source at once: rule ids unique across the main
 * file and all fragments, tests naming rules that exist, and the set of
 * fields the policy uses (the DLL gathers user, groups and process only
 * when some rule needs them). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "policy_parse.h"

int sw_id_compare(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y || x == '\0')
            return x - y;
    }
}

/* Rules by id ignoring case, then by position in the policy (pointers
 * into one array compare in policy order), so the first of equal ids is
 * the original. Ids differing only in case are duplicates: a reviewer, a
 * SIEM search (often case-insensitive) and Windows' own names would not
 * tell 'Fs-Allow' from 'fs-allow'. */
static int by_id(const void *a, const void *b)
{
    const sw_rule *ra = *(const sw_rule *const *)a;
    const sw_rule *rb = *(const sw_rule *const *)b;
    int c = sw_id_compare(ra->id, rb->id);
    if (c)
        return c;
    return ra < rb ? -1 : ra > rb;
}

/* Reports at a position that may be in another file than the current one. */
static void error_at(sw_loader *L, const sw_srcpos *pos, const char *field,
                     const char *fmt, ...) SW_PRINTF(4, 5);
static void error_at(sw_loader *L, const sw_srcpos *pos, const char *field,
                     const char *fmt, ...)
{
    const char *saved = L->rep.file;
    va_list ap;
    va_start(ap, fmt);
    L->rep.file = pos->file;
    sw_report_verror(&L->rep, pos->line, pos->column, field, fmt, ap);
    L->rep.file = saved;
    va_end(ap);
}

/* A test's `rule` names a rule exactly as written: the id is what logs
 * and decisions carry, so 'Fs-Allow' does not name 'fs-allow'. index is
 * sorted by sw_id_compare; exact spellings sit among their case variants. */
static int test_names_rule(const char *rule, const sw_rule *const *index, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sw_id_compare(index[mid]->id, rule) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && sw_id_compare(index[lo]->id, rule) == 0; lo++)
        if (strcmp(index[lo]->id, rule) == 0)
            return 1;
    return 0;
}

static int is_reserved_decision(const char *s)
{
    return !strcmp(s, "default") || !strcmp(s, "error") || !strcmp(s, "malformed");
}

int sw_policy_link(sw_loader *L)
{
    sw_policy *p = L->policy;
    size_t n = 0;
    const sw_rule **index = sw_calloc(p->rule_count ? p->rule_count : 1, sizeof *index);
    if (!index)
        return SW_ENOMEM;
    p->fields_used = 0;
    for (size_t i = 0; i < p->rule_count; i++) {
        p->fields_used |= p->rules[i].fields;
        if (p->rules[i].id)
            index[n++] = &p->rules[i];
    }
    qsort(index, n, sizeof *index, by_id);
    for (size_t i = 1; i < n; i++) {
        size_t first = i - 1;
        while (first > 0 && !sw_id_compare(index[first - 1]->id, index[i]->id))
            first--;
        if (sw_id_compare(index[first]->id, index[i]->id) != 0)
            continue;
        char field[64];
        snprintf(field, sizeof field, "rules[%zu].id", index[i]->file_index);
        if (strcmp(index[first]->id, index[i]->id) == 0)
            error_at(L, &index[i]->id_pos, field,
                     "duplicate rule id '%s' (first defined at %s:%u)", index[i]->id,
                     index[first]->id_pos.file, index[first]->id_pos.line);
        else
            error_at(L, &index[i]->id_pos, field,
                     "duplicate rule id '%s': '%s' (at %s:%u) differs only in case",
                     index[i]->id, index[first]->id, index[first]->id_pos.file,
                     index[first]->id_pos.line);
    }
    for (size_t i = 0; i < p->test_count; i++) {
        const sw_test_owned *t = &p->tests[i];
        if (!t->rule || is_reserved_decision(t->rule) || test_names_rule(t->rule, index, n))
            continue;
        char field[64], q[SW_PRINTABLE_CAP];
        snprintf(field, sizeof field, "tests[%zu].rule", t->file_index);
        error_at(L, &t->rule_pos, field, "test expects rule '%s', but no rule has that id",
                 sw_printable(t->rule, q, sizeof q));
    }
    sw_free(index);
    return SW_OK;
}
