/* Read-only accessors of a compiled policy, for the CLI and the DLL. A NULL
 * policy reads as "nothing loaded": the fail-closed defaults, no rules. */
#include <string.h>

#include "policy_internal.h"

sw_mode sw_policy_mode(const sw_policy *p)
{
    return p ? p->mode : SW_MODE_ENFORCE;
}

sw_action sw_policy_default(const sw_policy *p)
{
    return p ? p->default_action : SW_DENY;
}

sw_action sw_policy_on_error(const sw_policy *p)
{
    return p ? p->on_error : SW_DENY;
}

int sw_policy_log_allowed(const sw_policy *p)
{
    return p ? p->log_allowed : 1;
}

int sw_policy_log_vetoed(const sw_policy *p)
{
    return p ? p->log_vetoed : 1;
}

int sw_policy_log_disconnects(const sw_policy *p)
{
    return p ? p->log_disconnects : 1;
}

unsigned sw_policy_fields_used(const sw_policy *p)
{
    return p ? p->fields_used : 0;
}

size_t sw_policy_file_count(const sw_policy *p)
{
    return p ? p->file_count : 0;
}

const char *sw_policy_file(const sw_policy *p, size_t i)
{
    return p && i < p->file_count ? p->files[i] : NULL;
}

size_t sw_policy_rule_count(const sw_policy *p)
{
    return p ? p->rule_count : 0;
}

void sw_policy_rule(const sw_policy *p, size_t i, sw_rule_info *out)
{
    memset(out, 0, sizeof *out);
    out->pos.file = "";
    if (!p || i >= p->rule_count)
        return;
    const sw_rule *r = &p->rules[i];
    out->id = r->id;
    out->description = r->description;
    out->action = r->action;
    out->staged = r->staged;
    out->fields = r->fields;
    out->pos = r->pos;
}

static const sw_matcher *matcher_of(const sw_policy *p, size_t i, sw_field f)
{
    if (!p || i >= p->rule_count || (int)f < 0 || f >= SW_F_COUNT)
        return NULL;
    return &p->rules[i].match[f];
}

size_t sw_policy_rule_pattern_count(const sw_policy *p, size_t i, sw_field f)
{
    const sw_matcher *m = matcher_of(p, i, f);
    return m ? m->count : 0;
}

const char *sw_policy_rule_pattern(const sw_policy *p, size_t i, sw_field f,
                                   size_t j, sw_srcpos *pos)
{
    const sw_matcher *m = matcher_of(p, i, f);
    if (!m || j >= m->count)
        return NULL;
    if (pos)
        *pos = m->patterns[j].pos;
    return m->patterns[j].source;
}

size_t sw_policy_test_count(const sw_policy *p)
{
    return p ? p->test_count : 0;
}

const sw_policy_test *sw_policy_test_at(const sw_policy *p, size_t i)
{
    return p && i < p->test_count ? &p->tests[i].view : NULL;
}
