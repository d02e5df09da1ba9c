/* Mappings with a fixed set of keys: every mapping of the policy language
 * has one, so unknown keys, duplicates and non-string keys are all caught
 * here, in one place, at every level. */
#include <stdio.h>
#include <string.h>

#include "policy_parse.h"

static void join_field(char *buf, size_t cap, const char *field, const char *key)
{
    snprintf(buf, cap, "%s%s%s", field, *field ? "." : "", key);
}

int sw_map_lookup(sw_loader *L, const sw_ynode *map, const char *field,
                  const char *const *known, size_t count, size_t *found)
{
    unsigned first_line[SW_MAX_KNOWN_KEYS];
    if (count > SW_MAX_KNOWN_KEYS)
        return 0;
    for (size_t k = 0; k < count; k++) {
        found[k] = SW_NO_NODE;
        first_line[k] = 0;
    }
    if (map->poisoned)
        return 0;
    if (map->kind != SW_Y_MAP) {
        sw_load_error(L, map, field, "expected a mapping, found %s",
                      sw_ynode_describe(map));
        return 0;
    }
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const sw_ynode *key = sw_ynode_at(L, map->kids[i]);
        char path[256];
        if (key->poisoned)
            continue;
        if (key->kind != SW_Y_SCALAR || key->style == SW_YS_BLOCK) {
            sw_load_error(L, key, field, "mapping keys must be plain names, found %s",
                          sw_ynode_describe(key));
            continue;
        }
        size_t k = 0;
        while (k < count && strcmp(key->value, known[k]) != 0)
            k++;
        char q[SW_PRINTABLE_CAP];
        sw_printable(key->value, q, sizeof q);
        join_field(path, sizeof path, field, q);
        if (k == count) {
            char expected[256] = "";
            for (size_t j = 0; j < count; j++) {
                strncat(expected, j ? ", " : "", sizeof expected - strlen(expected) - 1);
                strncat(expected, known[j], sizeof expected - strlen(expected) - 1);
            }
            sw_load_error(L, key, path, "unknown key '%s' (expected one of: %s)", q,
                          expected);
        } else if (found[k] != SW_NO_NODE) {
            sw_load_error(L, key, path, "duplicate key '%s' (first given at line %u)",
                          key->value, first_line[k]);
        } else {
            found[k] = map->kids[i + 1];
            first_line[k] = key->line;
        }
    }
    return 1;
}

int sw_each_item(sw_loader *L, const sw_ynode *seq, const char *field,
                 const char *what, sw_item_fn fn)
{
    if (seq->poisoned)
        return SW_OK;
    if (seq->kind != SW_Y_SEQ) {
        sw_load_error(L, seq, field, "expected a sequence of %s, found %s", what,
                      sw_ynode_describe(seq));
        return SW_OK;
    }
    for (size_t i = 0; i < seq->count; i++) {
        int rc = fn(L, sw_ynode_at(L, seq->kids[i]), i);
        if (rc != SW_OK)
            return rc;
    }
    return SW_OK;
}
