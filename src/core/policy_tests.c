/* The `tests` section: example requests with their expected decisions,
 * run by `sharewall check`. Which rule a test names is checked later
 * (sw_policy_link), once the rules of every fragment are known. */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "grow.h"
#include "policy_parse.h"

enum { TK_UNC, TK_LOCAL, TK_PROVIDER, TK_USER, TK_GROUP, TK_PROCESS,
       TK_EXPECT, TK_RULE, TK_COUNT };
static const char *const test_keys[TK_COUNT] = {
    "unc", "local", "provider", "user", "group", "process", "expect", "rule"};

static const char *const expect_names[] = {"allow", "deny"}; /* sw_action order */

static int test_append(sw_loader *L, sw_test_owned **out)
{
    sw_policy *p = L->policy;
    /* The views point into the owned strings, not into the array, so
     * moving the array does not invalidate them. */
    sw_test_owned *tests = sw_grow(p->tests, &L->test_cap, p->test_count, sizeof *tests, 16);
    if (!tests)
        return SW_ENOMEM;
    p->tests = tests;
    *out = &p->tests[p->test_count++];
    memset(*out, 0, sizeof **out);
    return SW_OK;
}

/* A string-valued key: copied into *dst when present and well-typed. */
static int take_string(sw_loader *L, const size_t *found, int k,
                       const char *field, char **dst)
{
    if (found[k] == SW_NO_NODE)
        return SW_OK;
    char path[96];
    snprintf(path, sizeof path, "%s.%s", field, test_keys[k]);
    const sw_ynode *n = sw_ynode_at(L, found[k]);
    if (!sw_want_string(L, n, path))
        return SW_OK;
    *dst = sw_strndup(n->value, n->len);
    return *dst ? SW_OK : SW_ENOMEM;
}

/* `group`: one name or a list of names. */
static int take_groups(sw_loader *L, sw_test_owned *t, const sw_ynode *n,
                       const char *field)
{
    size_t count = n->kind == SW_Y_SEQ ? n->count : 1;
    if (n->poisoned)
        return SW_OK;
    if (n->kind == SW_Y_MAP) {
        sw_load_error(L, n, field, "expected a string or a list of strings, found %s",
                      sw_ynode_describe(n));
        return SW_OK;
    }
    t->groups = sw_calloc(count, sizeof *t->groups);
    if (!t->groups)
        return SW_ENOMEM;
    for (size_t j = 0; j < count; j++) {
        const sw_ynode *g = n->kind == SW_Y_SEQ ? sw_ynode_at(L, n->kids[j]) : n;
        char path[128];
        if (n->kind == SW_Y_SEQ)
            snprintf(path, sizeof path, "%s[%zu]", field, j);
        else
            snprintf(path, sizeof path, "%s", field);
        if (!sw_want_string(L, g, path))
            continue;
        if (!(t->groups[t->group_count] = sw_strndup(g->value, g->len)))
            return SW_ENOMEM;
        t->group_count++;
    }
    return SW_OK;
}

static void fill_view(sw_test_owned *t)
{
    sw_request_init(&t->view.request);
    t->view.request.remote = t->unc;
    t->view.request.local = t->local;
    t->view.request.provider = t->provider;
    t->view.request.user = t->user;
    t->view.request.groups = (const char *const *)t->groups;
    t->view.request.group_count = t->group_count;
    t->view.request.process = t->process;
    t->view.rule = t->rule;
}

static int load_test(sw_loader *L, const sw_ynode *n, size_t index)
{
    char field[64];
    size_t found[TK_COUNT];
    snprintf(field, sizeof field, "tests[%zu]", index);
    if (!sw_map_lookup(L, n, field, test_keys, TK_COUNT, found))
        return SW_OK;
    sw_test_owned *t;
    int rc = test_append(L, &t);
    if (rc != SW_OK)
        return rc;
    t->view.pos = sw_load_pos(L, n);
    t->view.expect = SW_DENY;
    t->file_index = index;
    if (found[TK_UNC] == SW_NO_NODE)
        sw_load_error(L, n, field, "test is missing the required key 'unc'");
    if (found[TK_EXPECT] == SW_NO_NODE)
        sw_load_error(L, n, field, "test is missing the required key 'expect'");

    if ((rc = take_string(L, found, TK_UNC, field, &t->unc)) != SW_OK ||
        (rc = take_string(L, found, TK_LOCAL, field, &t->local)) != SW_OK ||
        (rc = take_string(L, found, TK_PROVIDER, field, &t->provider)) != SW_OK ||
        (rc = take_string(L, found, TK_USER, field, &t->user)) != SW_OK ||
        (rc = take_string(L, found, TK_PROCESS, field, &t->process)) != SW_OK ||
        (rc = take_string(L, found, TK_RULE, field, &t->rule)) != SW_OK)
        return rc;
    if (t->rule)
        t->rule_pos = sw_load_pos(L, sw_ynode_at(L, found[TK_RULE]));
    if (found[TK_GROUP] != SW_NO_NODE) {
        char path[96];
        snprintf(path, sizeof path, "%s.group", field);
        if ((rc = take_groups(L, t, sw_ynode_at(L, found[TK_GROUP]), path)) != SW_OK)
            return rc;
    }
    if (found[TK_EXPECT] != SW_NO_NODE) {
        char path[96];
        int a;
        snprintf(path, sizeof path, "%s.expect", field);
        if (sw_want_enum(L, sw_ynode_at(L, found[TK_EXPECT]), path, expect_names, 2, &a))
            t->view.expect = (sw_action)a;
    }
    fill_view(t);
    return SW_OK;
}

int sw_load_tests(sw_loader *L, const sw_ynode *seq)
{
    return sw_each_item(L, seq, "tests", "tests", load_test);
}
