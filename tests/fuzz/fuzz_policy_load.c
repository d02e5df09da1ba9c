/* Fuzz target: the policy loader (DESIGN §3), on arbitrary bytes.
 *
 * The whole input is loaded as one policy file. If the input contains a
 * NUL byte, it is also split there and loaded as a main file plus one
 * NAME.d/ fragment, so fragment handling (only `rules` and `tests`,
 * duplicate ids across files, positions naming the right file) is
 * reached too.
 *
 * Invariants: a rejected policy comes back as NULL with at least one error
 * diagnostic (or SW_ENOMEM), an accepted one has no error diagnostics;
 * every diagnostic names a file and has a message; every accessor of an
 * accepted policy is safe; its own tests can be decided and linted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "sharewall/sharewall.h"

/* No character of s needs escaping: no control, bidi or invisible
 * character, no byte that is not UTF-8 (sw_escape_char's rule). */
static int shows_as_is(const char *s)
{
    size_t left = strlen(s);
    while (left) {
        char esc[SW_ESCAPE_MAX];
        size_t used;
        if (sw_escape_char(s, left, esc, &used) != 0)
            return 0;
        s += used;
        left -= used;
    }
    return 1;
}

static void check_diags(const sw_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        const sw_diag *g = &d->items[i];
        FUZZ_ASSERT(g->severity == SW_SEV_ERROR || g->severity == SW_SEV_WARNING);
        FUZZ_ASSERT(g->pos.file != NULL);
        FUZZ_ASSERT(g->field != NULL);
        FUZZ_ASSERT(g->message != NULL && g->message[0] != '\0');
        /* One line per diagnostic: a newline in a message would let a
         * policy author forge extra lines in `sharewall check` output. */
        FUZZ_ASSERT(strchr(g->message, '\n') == NULL);
        /* Printed as they are, they show no hidden character: every value
         * they quote was escaped ('deny-secret\u200b', never a raw U+200B). */
        FUZZ_ASSERT(shows_as_is(g->message) && shows_as_is(g->field));
    }
}

/* Walk every read-only view of an accepted policy. */
static void walk_policy(const sw_policy *p)
{
    size_t rules = sw_policy_rule_count(p);
    for (size_t i = 0; i < rules; i++) {
        sw_rule_info ri;
        sw_policy_rule(p, i, &ri);
        FUZZ_ASSERT(ri.id != NULL && ri.id[0] != '\0' && shows_as_is(ri.id));
        FUZZ_ASSERT(ri.action == SW_ALLOW || ri.action == SW_DENY);
        FUZZ_ASSERT(ri.pos.file != NULL);
        FUZZ_ASSERT((ri.fields & ~sw_policy_fields_used(p)) == 0);
        for (int f = 0; f < SW_F_COUNT; f++) {
            size_t n = sw_policy_rule_pattern_count(p, i, (sw_field)f);
            FUZZ_ASSERT((n > 0) == ((ri.fields & SW_FIELD_BIT(f)) != 0));
            for (size_t j = 0; j < n; j++) {
                sw_srcpos pos;
                const char *pat = sw_policy_rule_pattern(p, i, (sw_field)f, j, &pos);
                FUZZ_ASSERT(pat != NULL && pos.file != NULL);
                FUZZ_ASSERT(strlen(pat) <= SW_MAX_PATTERN_BYTES);
                /* What a reviewer sees is what is loaded. */
                FUZZ_ASSERT(shows_as_is(pat));
            }
        }
    }
    FUZZ_ASSERT(sw_policy_file_count(p) >= 1);
    for (size_t i = 0; i < sw_policy_file_count(p); i++)
        FUZZ_ASSERT(sw_policy_file(p, i) != NULL);

    /* The policy's own tests, decided: never a crash, always a verdict. */
    for (size_t i = 0; i < sw_policy_test_count(p); i++) {
        const sw_policy_test *t = sw_policy_test_at(p, i);
        FUZZ_ASSERT(t != NULL && t->pos.file != NULL);
        sw_decision d;
        int rc = sw_decide(p, &t->request, &d);
        FUZZ_ASSERT(rc == SW_OK || rc == SW_ENOMEM);
        FUZZ_ASSERT(d.action == SW_ALLOW || d.action == SW_DENY);
        FUZZ_ASSERT(d.rule_id != NULL);
        sw_decision_free(&d);
    }

    sw_diags lint;
    sw_diags_init(&lint);
    size_t run = 0;
    long failing = sw_policy_lint(p, &lint, &run);
    FUZZ_ASSERT(failing >= 0 || failing == SW_ENOMEM);
    if (failing >= 0) {
        FUZZ_ASSERT(run == sw_policy_test_count(p));
        FUZZ_ASSERT((size_t)failing <= run);
    }
    check_diags(&lint);
    sw_diags_free(&lint);
}

static void load_and_check(const sw_source *srcs, size_t n)
{
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = (sw_policy *)&d; /* must be overwritten with NULL on failure */
    int rc = sw_policy_load_sources(srcs, n, &p, &d);
    FUZZ_ASSERT(rc == SW_OK || rc == SW_EINVAL || rc == SW_ENOMEM || rc == SW_ETOOBIG);
    check_diags(&d);
    if (rc == SW_OK) {
        FUZZ_ASSERT(p != NULL);
        FUZZ_ASSERT(sw_diags_errors(&d) == 0);
        walk_policy(p);
        sw_policy_free(p);
    } else {
        FUZZ_ASSERT(p == NULL);
        FUZZ_ASSERT(sw_diags_errors(&d) > 0 || d.oom || rc == SW_ENOMEM);
    }
    sw_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Copies of exactly the input's length (no NUL terminator), so an
     * overread past the end is caught by AddressSanitizer. */
    char *copy = malloc(size ? size : 1);
    FUZZ_ASSERT(copy != NULL);
    if (size)
        memcpy(copy, data, size);

    sw_source whole = {"fuzz.yaml", copy, size};
    load_and_check(&whole, 1);

    const char *nul = size ? memchr(copy, '\0', size) : NULL;
    if (nul) {
        size_t main_len = (size_t)(nul - copy);
        sw_source two[2] = {
            {"fuzz.yaml", copy, main_len},
            {"fuzz.d/10-site.yaml", nul + 1, size - main_len - 1},
        };
        load_and_check(two, 2);
    }
    free(copy);
    return 0;
}
