/* Internal interface shared by the policy loader's modules (policy_*.c):
 * the YAML tree, the error reporter and the per-load state. Nothing here is
 * used outside the loader; the result of loading is struct sw_policy
 * (policy_internal.h). */
#ifndef SW_CORE_POLICY_PARSE_H
#define SW_CORE_POLICY_PARSE_H

#include <stdarg.h>
#include <stddef.h>

#include "diags.h"
#include "policy_internal.h"

/* ---- the YAML tree ---------------------------------------------------
 * libyaml's document API silently resolves aliases and drops anchors, and
 * its nodes cannot say whether a scalar was quoted in a way we can trust
 * for positions, so the loader builds its own small tree from libyaml's
 * events. Nodes live in one array and refer to their children by index,
 * which keeps freeing trivial on every path. */

typedef enum sw_ykind { SW_Y_SCALAR, SW_Y_SEQ, SW_Y_MAP } sw_ykind;

/* How a scalar was written (mirrors yaml_scalar_style_t's useful cases). */
typedef enum sw_ystyle {
    SW_YS_PLAIN,
    SW_YS_SINGLE,
    SW_YS_DOUBLE,
    SW_YS_BLOCK /* literal | or folded > */
} sw_ystyle;

typedef struct sw_ynode {
    sw_ykind kind;
    sw_ystyle style;
    int poisoned;      /* an alias/anchor/tag error was already reported */
    char *value;       /* scalars: NUL-terminated copy                   */
    size_t len;
    size_t *kids;      /* sequences: items; mappings: key, value, ...    */
    size_t count;
    size_t cap;
    unsigned line, col;         /* 1-based start                         */
    unsigned end_line, end_col; /* 1-based end (exclusive column)        */
    size_t start_off, end_off;  /* scalars: the same, as byte offsets in
                                 * the text (quotes included)            */
} sw_ynode;

typedef struct sw_ytree {
    sw_ynode *nodes;
    size_t count, cap;
    int has_root;      /* 0 for an empty document                        */
    size_t root;
    const char *text;  /* the parsed text (positions are mapped on it)   */
    size_t len;
} sw_ytree;

/* Nesting deeper than this is an error: no policy needs it, and it keeps
 * the builder's stack fixed-size. */
#define SW_YAML_MAX_DEPTH 32

/* ---- reporting ------------------------------------------------------- */

typedef struct sw_report {
    sw_diags *diags;   /* may be NULL: errors are still counted          */
    const char *file;  /* current source; points into sw_policy.files    */
    size_t errors;
} sw_report;

void sw_report_error(sw_report *r, unsigned line, unsigned col,
                     const char *field, const char *fmt, ...) SW_PRINTF(5, 6);
void sw_report_verror(sw_report *r, unsigned line, unsigned col,
                      const char *field, const char *fmt, va_list ap)
    SW_PRINTF(5, 0);

/* s made safe to quote in a message: one line, control bytes escaped,
 * long values shortened. Returns buf. cap: SW_PRINTABLE_CAP is enough. */
#define SW_PRINTABLE_CAP 96
const char *sw_printable(const char *s, char *buf, size_t cap);

/* 1-based line and column (in characters) of byte offset off in text. */
void sw_text_linecol(const char *text, size_t len, size_t off,
                     unsigned *line, unsigned *col);

/* Checks that text is UTF-8 without NUL bytes; reports the first bad byte.
 * Returns 1 when the text is acceptable. */
int sw_text_check(sw_report *r, const char *text, size_t len);

/* ---- building the tree ----------------------------------------------- */

/* Parses one YAML document. Returns SW_OK (the tree may still contain
 * poisoned nodes: check r->errors), SW_EINVAL (syntax error reported, no
 * usable tree) or SW_ENOMEM. Always free the tree with sw_ytree_free. */
int sw_ytree_parse(sw_ytree *t, const char *text, size_t len, sw_report *r);
void sw_ytree_free(sw_ytree *t);

/* ---- the per-load state ---------------------------------------------- */

typedef struct sw_loader {
    sw_policy *policy;
    sw_report rep;
    const sw_ytree *tree;        /* the source being walked              */
    int fragment;                /* the source is a fragment (srcs[1..]) */
    size_t rule_cap, test_cap;
    pcre2_general_context *gctx; /* memory from the sw_malloc hook       */
    pcre2_compile_context *cctx;
} sw_loader;

/* Reports an error at node n of the current tree. */
void sw_load_error(sw_loader *L, const sw_ynode *n, const char *field,
                   const char *fmt, ...) SW_PRINTF(4, 5);

/* A position in the current source, with file pointing into the policy. */
sw_srcpos sw_load_pos(const sw_loader *L, const sw_ynode *n);

static inline const sw_ynode *sw_ynode_at(const sw_loader *L, size_t i)
{
    return &L->tree->nodes[i];
}

/* ---- typed scalars (policy_scalar.c) ----------------------------------
 * Each returns 1 when n has the wanted type (storing the value) and 0 after
 * reporting an error. Only `true`/`false` are booleans; a plain scalar that
 * reads as null, a boolean or a number is not a string (quote it). */

const char *sw_ynode_describe(const sw_ynode *n); /* "a sequence", ...   */
int sw_want_string(sw_loader *L, const sw_ynode *n, const char *field);
int sw_want_bool(sw_loader *L, const sw_ynode *n, const char *field,
                 int *out);
int sw_want_enum(sw_loader *L, const sw_ynode *n, const char *field,
                 const char *const *names, size_t count, int *out);
int sw_want_int(sw_loader *L, const sw_ynode *n, const char *field,
                long *out);

/* ---- positions in the text (policy_pos.c) ------------------------------
 * Byte offset in t->text of the 1-based line and column (in characters),
 * walking from a known position (updated), so finding a document's
 * scalars in order costs one pass over the text. */
typedef struct sw_text_pos {
    size_t off;
    unsigned line, col;
} sw_text_pos;
size_t sw_text_advance(const sw_ytree *t, sw_text_pos *from, unsigned line,
                       unsigned col);

/* Column (1-based) of the character at byte offset off of scalar n's
 * value, or the scalar's start when it cannot be mapped back exactly. */
unsigned sw_scalar_column_at(const sw_ytree *t, const sw_ynode *n,
                             size_t off);

/* ---- hidden characters (policy_hidden.c) ------------------------------
 * See hidden.h. sw_want_string already refuses hidden characters typed
 * raw in any string; these values also refuse them written as escapes. */

typedef enum sw_value_kind {
    SW_VALUE_ID,      /* a rule id                                       */
    SW_VALUE_PATTERN, /* a regex of a match field                        */
    SW_VALUE_GROUP,   /* an exact group name or SID                      */
    SW_VALUE_PROSE    /* a description: tab, line feed, any space allowed */
} sw_value_kind;

/* Each reports every hidden character at its position; 1 when none. */
int sw_check_raw_hidden(sw_loader *L, const sw_ynode *n, const char *field);
int sw_check_value_hidden(sw_loader *L, const sw_ynode *n, const char *field,
                          sw_value_kind kind);

/* ---- mappings with a fixed key set (policy_keys.c) -------------------
 * Looks up every key of map in known[0..count-1]: unknown, duplicate and
 * non-string keys are reported. found[k] receives the node index of the
 * value of known[k], or SW_NO_NODE when absent. Returns 0 when map is not
 * a mapping (reported), else 1. */
#define SW_NO_NODE ((size_t)-1)
#define SW_MAX_KNOWN_KEYS 16 /* the largest key set (match) has 10 */
int sw_map_lookup(sw_loader *L, const sw_ynode *map, const char *field,
                  const char *const *known, size_t count, size_t *found);

/* Calls fn for each item of the sequence seq (the section `field`, whose
 * items are `what`); anything but a sequence is reported. Stops at the
 * first SW_ENOMEM. */
typedef int (*sw_item_fn)(sw_loader *L, const sw_ynode *item, size_t index);
int sw_each_item(sw_loader *L, const sw_ynode *seq, const char *field,
                 const char *what, sw_item_fn fn);

/* ---- sections ---------------------------------------------------------- */

int sw_pattern_compile(sw_loader *L, const char *src, size_t len, int jit,
                       pcre2_code **code, char *err, size_t err_cap,
                       size_t *err_offset);     /* policy_compile.c */
void sw_loader_release_pcre2(sw_loader *L);
int sw_load_rules(sw_loader *L, const sw_ynode *seq); /* policy_rules.c */
int sw_load_tests(sw_loader *L, const sw_ynode *seq); /* policy_tests.c */
/* Orders rule ids ignoring ASCII case (ids are ASCII): two ids equal
 * under it are duplicates, and a reserved word in any case is refused. */
int sw_id_compare(const char *a, const char *b);
/* Cross-source checks once every source is read: duplicate rule ids,
 * tests naming unknown rules, fields_used (policy_link.c). */
int sw_policy_link(sw_loader *L);

/* Frees what a rule or test owns (policy_free.c). */
void sw_rule_release(sw_rule *r);
void sw_test_release(sw_test_owned *t);

#endif
