/* The `rules` section: ids, actions, staging and the match fields, with
 * every pattern compiled as it is read so a bad regex is reported at its
 * own line and column. */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "grow.h"
#include "pattern_literal.h"
#include "pattern_settings.h"
#include "policy_parse.h"

#define SW_MAX_RULE_ID 128

enum { RK_ID, RK_DESCRIPTION, RK_ACTION, RK_STAGE, RK_MATCH, RK_COUNT };
static const char *const rule_keys[RK_COUNT] = {"id", "description", "action",
                                                "stage", "match"};

/* The language's spelling of each sw_field, in enum order. */
static const char *const match_keys[SW_F_COUNT] = {
    "unc", "server", "share", "path", "local",
    "provider", "scheme", "user", "group", "process"};

static const char *const action_names[] = {"allow", "deny"}; /* sw_action order */

/* Ids that name decisions no rule made (logs, tests' `rule:`). */
static const char *const reserved_ids[] = {"default", "error", "malformed"};

static int rule_append(sw_loader *L, sw_rule **out)
{
    sw_policy *p = L->policy;
    sw_rule *rules = sw_grow(p->rules, &L->rule_cap, p->rule_count, sizeof *rules, 16);
    if (!rules)
        return SW_ENOMEM;
    p->rules = rules;
    *out = &p->rules[p->rule_count++];
    memset(*out, 0, sizeof **out);
    return SW_OK;
}

static int id_char_ok(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static int load_id(sw_loader *L, sw_rule *r, const sw_ynode *n, const char *field)
{
    if (!sw_want_string(L, n, field) || !sw_check_value_hidden(L, n, field, SW_VALUE_ID))
        return SW_OK;
    if (n->len == 0) {
        sw_load_error(L, n, field, "a rule id must not be empty");
        return SW_OK;
    }
    if (n->len > SW_MAX_RULE_ID) {
        sw_load_error(L, n, field, "rule id is %zu bytes long; the limit is %d",
                      n->len, SW_MAX_RULE_ID);
        return SW_OK;
    }
    for (size_t i = 0; i < n->len; i++) {
        if (!id_char_ok(n->value[i])) {
            char q[SW_PRINTABLE_CAP];
            sw_load_error(L, n, field,
                          "rule id '%s' may only contain letters, digits, '_', '.' and '-'",
                          sw_printable(n->value, q, sizeof q));
            return SW_OK;
        }
    }
    /* In any case: 'Default' in a log reads as the default decision. */
    for (size_t i = 0; i < sizeof reserved_ids / sizeof *reserved_ids; i++) {
        if (!sw_id_compare(n->value, reserved_ids[i])) {
            sw_load_error(L, n, field,
                          "rule id '%s' is reserved in any case (%s names a decision no rule made)",
                          n->value, reserved_ids[i]);
            return SW_OK;
        }
    }
    r->id = sw_strndup(n->value, n->len);
    r->id_pos = sw_load_pos(L, n);
    return r->id ? SW_OK : SW_ENOMEM;
}

static int load_pattern(sw_loader *L, sw_field f, const sw_ynode *n,
                        const char *field, sw_pattern *pat)
{
    if (!sw_want_string(L, n, field))
        return SW_OK;
    if (n->len > SW_MAX_PATTERN_BYTES) {
        sw_load_error(L, n, field, "pattern is %zu bytes long; the limit is %u",
                      n->len, SW_MAX_PATTERN_BYTES);
        return SW_OK;
    }
    if (f == SW_F_GROUP && n->len == 0) {
        sw_load_error(L, n, field, "a group name must not be empty");
        return SW_OK;
    }
    if (!sw_check_value_hidden(L, n, field,
                               f == SW_F_GROUP ? SW_VALUE_GROUP : SW_VALUE_PATTERN))
        return SW_OK;
    pat->source = sw_strndup(n->value, n->len);
    if (!pat->source)
        return SW_ENOMEM;
    pat->pos = sw_load_pos(L, n);
    if (f == SW_F_GROUP)
        return SW_OK; /* exact names and SIDs: no regex */
    char msg[256] = "";
    size_t off = 0;
    const char *why = NULL;
    if (sw_pattern_settings_check(n->value, n->len, &off, &why)) {
        sw_report_error(&L->rep, n->line, sw_scalar_column_at(L->tree, n, off), field,
                        "pattern refused: %s", why);
        return SW_OK;
    }
    char lit[256]; /* longer literals just take the PCRE2 path */
    int literal = n->len <= sizeof lit &&
                  sw_pattern_literal(n->value, n->len, lit, &pat->literal_len);
    if (literal && !(pat->literal = sw_strndup(lit, pat->literal_len)))
        return SW_ENOMEM;
    /* A literal is still compiled: a non-ASCII subject goes to PCRE2. */
    int rc = sw_pattern_compile(L, n->value, n->len, !literal, &pat->code, msg,
                                sizeof msg, &off);
    if (rc == SW_EINVAL)
        sw_report_error(&L->rep, n->line, sw_scalar_column_at(L->tree, n, off), field,
                        "invalid regular expression: %s", msg);
    else if (rc == SW_OK && (why = sw_pattern_settings_verify(pat->code)) != NULL)
        sw_load_error(L, n, field, "pattern refused: %s", why);
    return rc == SW_ENOMEM ? SW_ENOMEM : SW_OK;
}

/* One match field: a pattern or a non-empty list of them. */
static int load_matcher(sw_loader *L, sw_rule *r, sw_field f, const sw_ynode *key,
                        const sw_ynode *n, const char *field)
{
    sw_matcher *m = &r->match[f];
    m->pos = sw_load_pos(L, key);
    if (n->poisoned)
        return SW_OK;
    size_t count = n->kind == SW_Y_SEQ ? n->count : 1;
    if (n->kind == SW_Y_SEQ && count == 0) {
        sw_load_error(L, n, field, "an empty list matches nothing: give at least one %s",
                      f == SW_F_GROUP ? "group" : "pattern");
        return SW_OK;
    }
    if (n->kind == SW_Y_MAP) {
        sw_load_error(L, n, field, "expected a string or a list of strings, found %s",
                      sw_ynode_describe(n));
        return SW_OK;
    }
    m->patterns = sw_calloc(count, sizeof *m->patterns);
    if (!m->patterns)
        return SW_ENOMEM;
    m->count = count;
    r->fields |= SW_FIELD_BIT(f);
    if (n->kind == SW_Y_SCALAR)
        return load_pattern(L, f, n, field, &m->patterns[0]);
    for (size_t j = 0; j < count; j++) {
        char path[160];
        snprintf(path, sizeof path, "%s[%zu]", field, j);
        int rc = load_pattern(L, f, sw_ynode_at(L, n->kids[j]), path, &m->patterns[j]);
        if (rc != SW_OK)
            return rc;
    }
    return SW_OK;
}

/* The key node of the value at index v in map (keys precede values). */
static const sw_ynode *key_of(const sw_loader *L, const sw_ynode *map, size_t v)
{
    for (size_t i = 1; i < map->count; i += 2)
        if (map->kids[i] == v)
            return sw_ynode_at(L, map->kids[i - 1]);
    return map;
}

static int load_match(sw_loader *L, sw_rule *r, const sw_ynode *n, const char *field)
{
    size_t found[SW_F_COUNT];
    if (!sw_map_lookup(L, n, field, match_keys, SW_F_COUNT, found))
        return SW_OK;
    if (n->count == 0) {
        sw_load_error(L, n, field,
                      "match must name at least one field (an empty match would match everything)");
        return SW_OK;
    }
    for (int f = 0; f < SW_F_COUNT; f++) {
        if (found[f] == SW_NO_NODE)
            continue;
        char path[128];
        snprintf(path, sizeof path, "%s.%s", field, match_keys[f]);
        const sw_ynode *v = sw_ynode_at(L, found[f]);
        int rc = load_matcher(L, r, (sw_field)f, key_of(L, n, found[f]), v, path);
        if (rc != SW_OK)
            return rc;
    }
    return SW_OK;
}

static int load_rule(sw_loader *L, const sw_ynode *n, size_t index)
{
    char field[64], path[96];
    size_t found[RK_COUNT];
    snprintf(field, sizeof field, "rules[%zu]", index);
    if (!sw_map_lookup(L, n, field, rule_keys, RK_COUNT, found))
        return SW_OK;
    sw_rule *r;
    int rc = rule_append(L, &r);
    if (rc != SW_OK)
        return rc;
    r->pos = sw_load_pos(L, n);
    r->file_index = index;
    r->action = SW_DENY;

    static const char *const required[] = {"id", "action", "match"};
    static const int required_key[] = {RK_ID, RK_ACTION, RK_MATCH};
    for (size_t i = 0; i < 3; i++)
        if (found[required_key[i]] == SW_NO_NODE)
            sw_load_error(L, n, field, "rule is missing the required key '%s'", required[i]);

    if (found[RK_ID] != SW_NO_NODE) {
        snprintf(path, sizeof path, "%s.id", field);
        if ((rc = load_id(L, r, sw_ynode_at(L, found[RK_ID]), path)) != SW_OK)
            return rc;
    }
    if (found[RK_DESCRIPTION] != SW_NO_NODE) {
        const sw_ynode *d = sw_ynode_at(L, found[RK_DESCRIPTION]);
        snprintf(path, sizeof path, "%s.description", field);
        if (sw_want_string(L, d, path) && sw_check_value_hidden(L, d, path, SW_VALUE_PROSE) &&
            !(r->description = sw_strndup(d->value, d->len)))
            return SW_ENOMEM;
    }
    if (found[RK_ACTION] != SW_NO_NODE) {
        int a;
        snprintf(path, sizeof path, "%s.action", field);
        if (sw_want_enum(L, sw_ynode_at(L, found[RK_ACTION]), path, action_names, 2, &a))
            r->action = (sw_action)a;
    }
    if (found[RK_STAGE] != SW_NO_NODE) {
        snprintf(path, sizeof path, "%s.stage", field);
        (void)sw_want_bool(L, sw_ynode_at(L, found[RK_STAGE]), path, &r->staged);
    }
    if (found[RK_MATCH] != SW_NO_NODE) {
        snprintf(path, sizeof path, "%s.match", field);
        return load_match(L, r, sw_ynode_at(L, found[RK_MATCH]), path);
    }
    return SW_OK;
}

int sw_load_rules(sw_loader *L, const sw_ynode *seq)
{
    return sw_each_item(L, seq, "rules", "rules", load_rule);
}
