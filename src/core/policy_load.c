/* Loading a policy from memory: each source is checked as raw bytes,
 * parsed into a YAML tree, and walked section by section; every error is
 * collected (one bad rule does not hide the next) and any error rejects the
 * whole policy. srcs[0] is the main file, the rest are fragments. */
#include <string.h>

#include "alloc.h"
#include "rule_index.h"
#include "policy_parse.h"

enum { TOP_VERSION, TOP_MODE, TOP_DEFAULT, TOP_ON_ERROR, TOP_LOG, TOP_RULES,
       TOP_TESTS, TOP_COUNT };
static const char *const top_keys[TOP_COUNT] = {
    "version", "mode", "default", "on_error", "log", "rules", "tests"};

enum { LOG_ALLOWED, LOG_VETOED, LOG_DISCONNECTS, LOG_COUNT };
static const char *const log_keys[LOG_COUNT] = {"allowed", "vetoed", "disconnects"};

static const char *const mode_names[] = {"enforce", "audit"}; /* sw_mode order */
static const char *const action_names[] = {"allow", "deny"};  /* sw_action order */

#define SW_POLICY_VERSION 1

static void load_version(sw_loader *L, const sw_ynode *root, size_t at)
{
    long v;
    if (at == SW_NO_NODE) {
        sw_load_error(L, root, "version", "the policy must start with 'version: 1'");
        return;
    }
    if (!sw_want_int(L, sw_ynode_at(L, at), "version", &v))
        return;
    if (v != SW_POLICY_VERSION)
        sw_load_error(L, sw_ynode_at(L, at), "version",
                      "unsupported policy version %ld (this sharewall reads version %d)",
                      v, SW_POLICY_VERSION);
    else
        L->policy->version = (int)v;
}

static void load_log(sw_loader *L, const sw_ynode *n)
{
    size_t found[LOG_COUNT];
    int *dst[LOG_COUNT] = {&L->policy->log_allowed, &L->policy->log_vetoed,
                           &L->policy->log_disconnects};
    if (!sw_map_lookup(L, n, "log", log_keys, LOG_COUNT, found))
        return;
    for (int k = 0; k < LOG_COUNT; k++) {
        char field[32] = "log.";
        strncat(field, log_keys[k], sizeof field - strlen(field) - 1);
        if (found[k] != SW_NO_NODE)
            (void)sw_want_bool(L, sw_ynode_at(L, found[k]), field, dst[k]);
    }
}

/* The main file's own settings (not allowed in fragments). */
static void load_settings(sw_loader *L, const sw_ynode *root, const size_t *found)
{
    int v;
    sw_policy *p = L->policy;
    load_version(L, root, found[TOP_VERSION]);
    if (found[TOP_MODE] != SW_NO_NODE &&
        sw_want_enum(L, sw_ynode_at(L, found[TOP_MODE]), "mode", mode_names, 2, &v))
        p->mode = (sw_mode)v;
    if (found[TOP_DEFAULT] != SW_NO_NODE &&
        sw_want_enum(L, sw_ynode_at(L, found[TOP_DEFAULT]), "default", action_names, 2, &v))
        p->default_action = (sw_action)v;
    if (found[TOP_ON_ERROR] != SW_NO_NODE &&
        sw_want_enum(L, sw_ynode_at(L, found[TOP_ON_ERROR]), "on_error", action_names, 2, &v))
        p->on_error = (sw_action)v;
    if (found[TOP_LOG] != SW_NO_NODE)
        load_log(L, sw_ynode_at(L, found[TOP_LOG]));
}

static void refuse_in_fragment(sw_loader *L, const sw_ynode *root, const size_t *found)
{
    for (int k = 0; k < TOP_COUNT; k++) {
        if (k == TOP_RULES || k == TOP_TESTS || found[k] == SW_NO_NODE)
            continue;
        /* The key precedes its value; find it for the error's position. */
        const sw_ynode *key = root;
        for (size_t i = 1; i < root->count; i += 2)
            if (root->kids[i] == found[k])
                key = sw_ynode_at(L, root->kids[i - 1]);
        sw_load_error(L, key, top_keys[k],
                      "'%s' is not allowed in a fragment (%s): fragments may only add rules and tests",
                      top_keys[k], L->rep.file);
    }
}

static int walk_root(sw_loader *L, const sw_ytree *t)
{
    if (!t->has_root) {
        /* An empty fragment is a placeholder; an empty policy is a mistake. */
        if (!L->fragment)
            sw_report_error(&L->rep, 1, 1, "", "the policy is empty: it must start with 'version: 1'");
        return SW_OK;
    }
    const sw_ynode *root = sw_ynode_at(L, t->root);
    if (root->kind == SW_Y_SCALAR && !root->poisoned && root->style == SW_YS_PLAIN &&
        root->len == 0 && L->fragment)
        return SW_OK; /* a fragment holding only comments */
    size_t found[TOP_COUNT];
    if (!sw_map_lookup(L, root, "", top_keys, TOP_COUNT, found))
        return SW_OK;
    if (L->fragment)
        refuse_in_fragment(L, root, found);
    else
        load_settings(L, root, found);
    int rc = SW_OK;
    if (found[TOP_RULES] != SW_NO_NODE)
        rc = sw_load_rules(L, sw_ynode_at(L, found[TOP_RULES]));
    if (rc == SW_OK && found[TOP_TESTS] != SW_NO_NODE)
        rc = sw_load_tests(L, sw_ynode_at(L, found[TOP_TESTS]));
    return rc;
}

static int load_source(sw_loader *L, const sw_source *src)
{
    if (src->len > SW_MAX_POLICY_BYTES) {
        sw_report_error(&L->rep, 0, 0, "", "the file is %zu bytes; the limit is %u bytes",
                        src->len, SW_MAX_POLICY_BYTES);
        return SW_ETOOBIG;
    }
    const char *text = src->data ? src->data : "";
    size_t len = src->data ? src->len : 0;
    /* A UTF-8 byte order mark is harmless (Notepad writes one); others
     * fail the UTF-8 check below. */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    if (!sw_text_check(&L->rep, text, len))
        return SW_OK;
    sw_ytree tree;
    int rc = sw_ytree_parse(&tree, text, len, &L->rep);
    if (rc == SW_OK) {
        L->tree = &tree;
        rc = walk_root(L, &tree);
        L->tree = NULL;
    }
    sw_ytree_free(&tree);
    return rc == SW_EINVAL ? SW_OK : rc; /* syntax errors are reported */
}

static int new_policy(const sw_source *srcs, size_t n, sw_policy **out)
{
    sw_policy *p = sw_calloc(1, sizeof *p);
    if (!p)
        return SW_ENOMEM;
    p->version = SW_POLICY_VERSION;
    p->mode = SW_MODE_ENFORCE;
    p->default_action = SW_DENY; /* fail closed unless told otherwise */
    p->on_error = SW_DENY;
    p->log_allowed = p->log_vetoed = p->log_disconnects = 1;
    *out = p;
    p->files = sw_calloc(n, sizeof *p->files);
    if (!p->files)
        return SW_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        p->files[i] = sw_strdup(srcs[i].name ? srcs[i].name : "<memory>");
        if (!p->files[i])
            return SW_ENOMEM;
        p->file_count++;
    }
    return SW_OK;
}

int sw_policy_load_sources(const sw_source *srcs, size_t n, sw_policy **out,
                           sw_diags *diags)
{
    if (!out)
        return SW_EINVAL;
    *out = NULL;
    const char *main_name = n && srcs && srcs[0].name ? srcs[0].name : "<memory>";
    if (!srcs || n == 0) {
        sw_diag_add(diags, SW_SEV_ERROR, main_name, 0, 0, "", "no policy source given");
        return SW_EINVAL;
    }
    int oom_before = diags ? diags->oom : 0;
    sw_loader L;
    memset(&L, 0, sizeof L);
    L.rep.diags = diags;
    int rc = new_policy(srcs, n, &L.policy);
    int worst = SW_OK;
    for (size_t i = 0; rc == SW_OK && i < n; i++) {
        L.rep.file = L.policy->files[i];
        L.fragment = i > 0;
        int src_rc = load_source(&L, &srcs[i]);
        if (src_rc == SW_ENOMEM)
            rc = SW_ENOMEM;
        else if (src_rc != SW_OK)
            worst = src_rc;
    }
    if (rc == SW_OK)
        rc = sw_policy_link(&L);
    if (rc == SW_OK && worst == SW_OK && !L.rep.errors)
        rc = sw_rule_index_build(L.policy, &L.policy->index);
    sw_loader_release_pcre2(&L);
    /* A diagnostic that could not be stored leaves an incomplete list:
     * report it as what it is, out of memory. */
    if (rc == SW_OK && diags && diags->oom && !oom_before)
        rc = SW_ENOMEM;
    if (rc == SW_ENOMEM) {
        sw_policy_free(L.policy);
        sw_diag_add(diags, SW_SEV_ERROR, main_name, 0, 0, "", "out of memory");
        return SW_ENOMEM;
    }
    if (worst != SW_OK || L.rep.errors) {
        sw_policy_free(L.policy);
        return worst != SW_OK ? worst : SW_EINVAL;
    }
    *out = L.policy;
    return SW_OK;
}

int sw_policy_load_buffer(const char *name, const char *data, size_t len,
                          sw_policy **out, sw_diags *diags)
{
    sw_source src;
    src.name = name;
    src.data = data;
    src.len = len;
    return sw_policy_load_sources(&src, 1, out, diags);
}
