/* Freeing a policy, whole or half-built: every loader error path ends here,
 * so each release tolerates fields that were never filled in. */
#include "alloc.h"
#include "rule_index.h"
#include "policy_parse.h"

void sw_rule_release(sw_rule *r)
{
    sw_free(r->id);
    sw_free(r->description);
    for (int f = 0; f < SW_F_COUNT; f++) {
        sw_matcher *m = &r->match[f];
        for (size_t j = 0; j < m->count; j++) {
            sw_free(m->patterns[j].source);
            sw_free(m->patterns[j].literal);
            pcre2_code_free(m->patterns[j].code); /* NULL-safe */
        }
        sw_free(m->patterns);
    }
}

void sw_test_release(sw_test_owned *t)
{
    sw_free(t->unc);
    sw_free(t->local);
    sw_free(t->provider);
    sw_free(t->user);
    sw_free(t->process);
    sw_free(t->rule);
    for (size_t j = 0; j < t->group_count; j++)
        sw_free(t->groups[j]);
    sw_free(t->groups);
}

void sw_policy_free(sw_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->rule_count; i++)
        sw_rule_release(&p->rules[i]);
    sw_free(p->rules);
    for (size_t i = 0; i < p->test_count; i++)
        sw_test_release(&p->tests[i]);
    sw_free(p->tests);
    for (size_t i = 0; i < p->file_count; i++)
        sw_free(p->files[i]);
    sw_free(p->files);
    sw_rule_index_free(p->index);
    sw_free(p);
}
