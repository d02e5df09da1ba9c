/* The compiled policy: built once by the loader (policy_load*.c), then
 * immutable and shared by every deciding thread (decide.c, lint.c). */
#ifndef SW_CORE_POLICY_INTERNAL_H
#define SW_CORE_POLICY_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "sharewall/sharewall.h"

/* Regex resource limits: no subject can make one match run long. A hit
 * makes the decision on_error with a reason (DESIGN §5). */
#define SW_MATCH_LIMIT 100000u     /* backtracking steps per match      */
#define SW_DEPTH_LIMIT 1000u       /* nested backtracking depth          */
#define SW_HEAP_LIMIT_KIB 1024u    /* interpreter heap per match         */

typedef struct sw_pattern {
    char *source;       /* as written (regex, or group name/SID)          */
    pcre2_code *code;   /* NULL for `group` (exact, case-insensitive)     */
    char *literal;      /* lower-cased text when the pattern is a plain
                         * literal (pattern_literal.h), else NULL: matched
                         * without PCRE2 for ASCII subjects, so not JITed */
    size_t literal_len;
    sw_srcpos pos;      /* pos.file points into sw_policy.files           */
} sw_pattern;

typedef struct sw_matcher {
    sw_pattern *patterns; /* any of them may match; count 0 = field unused */
    size_t count;
    sw_srcpos pos;        /* the field's key                               */
} sw_matcher;

typedef struct sw_rule {
    char *id;
    char *description;  /* NULL when absent */
    sw_action action;
    int staged;
    unsigned fields;    /* SW_FIELD_BIT mask of the matchers present       */
    sw_matcher match[SW_F_COUNT];
    sw_srcpos pos;
    /* Loader bookkeeping, for errors found after the rule was read
     * (duplicate ids across fragments). */
    sw_srcpos id_pos;
    size_t file_index;  /* index in its own file's `rules` sequence */
} sw_rule;

typedef struct sw_test_owned {
    sw_policy_test view;  /* public view; its strings point at the below  */
    char *unc, *local, *provider, *user, *process, *rule;
    char **groups;
    size_t group_count;
    /* Loader bookkeeping: `rule` is checked once every source is read. */
    sw_srcpos rule_pos;
    size_t file_index;  /* index in its own file's `tests` sequence */
} sw_test_owned;

struct sw_policy {
    int version;
    sw_mode mode;
    sw_action default_action;
    sw_action on_error;
    int log_allowed, log_vetoed, log_disconnects;

    sw_rule *rules;
    size_t rule_count;

    sw_test_owned *tests;
    size_t test_count;

    char **files;        /* source file names; sw_srcpos.file points here */
    size_t file_count;

    unsigned fields_used;

    /* Which rules can match which host (rule_index.h): built at load so
     * deciding against 10,000 rules costs about what 10 rules cost. */
    struct sw_rule_index *index;
};

#endif
