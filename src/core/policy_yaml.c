/* libyaml events -> sw_ytree. This is where the YAML features the policy
 * language forbids are caught, at their own position: aliases and anchors
 * (a rule silently reused elsewhere is a review hazard), tags, and more
 * than one document. Everything kept is copied into sw_malloc'd memory. */
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "alloc.h"
#include "grow.h"
#include "policy_parse.h"

static unsigned one_based(size_t v)
{
    return (unsigned)(v + 1);
}

/* Appends a node; *idx receives its index. */
static int tree_add(sw_ytree *t, sw_ykind kind, const yaml_mark_t *start,
                    size_t *idx)
{
    sw_ynode *nodes = sw_grow(t->nodes, &t->cap, t->count, sizeof *nodes, 64);
    if (!nodes)
        return SW_ENOMEM;
    t->nodes = nodes;
    sw_ynode *n = &t->nodes[t->count];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = n->end_line = one_based(start->line);
    n->col = n->end_col = one_based(start->column);
    *idx = t->count++;
    return SW_OK;
}

static int node_add_kid(sw_ynode *parent, size_t kid)
{
    size_t *kids = sw_grow(parent->kids, &parent->cap, parent->count, sizeof *kids, 8);
    if (!kids)
        return SW_ENOMEM;
    parent->kids = kids;
    parent->kids[parent->count++] = kid;
    return SW_OK;
}

static sw_ystyle style_of(yaml_scalar_style_t s)
{
    switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        return SW_YS_SINGLE;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        return SW_YS_DOUBLE;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        return SW_YS_BLOCK;
    default:
        return SW_YS_PLAIN;
    }
}

typedef struct builder {
    sw_ytree *t;
    sw_report *r;
    size_t stack[SW_YAML_MAX_DEPTH];
    size_t depth;
    int documents;
    sw_text_pos cursor; /* where the last scalar ended                */
} builder;

static void report_at(builder *b, const yaml_mark_t *m, const char *fmt, ...)
    SW_PRINTF(3, 4);
static void report_at(builder *b, const yaml_mark_t *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sw_report_verror(b->r, one_based(m->line), one_based(m->column), "", fmt, ap);
    va_end(ap);
}

/* Creates the node for a value event and hangs it under the open
 * container (or makes it the root). */
static int add_value(builder *b, sw_ykind kind, const yaml_event_t *ev,
                     size_t *idx)
{
    int rc = tree_add(b->t, kind, &ev->start_mark, idx);
    if (rc != SW_OK)
        return rc;
    sw_ynode *n = &b->t->nodes[*idx];
    n->end_line = one_based(ev->end_mark.line);
    n->end_col = one_based(ev->end_mark.column);
    if (b->depth == 0) {
        b->t->has_root = 1;
        b->t->root = *idx;
        return SW_OK;
    }
    return node_add_kid(&b->t->nodes[b->stack[b->depth - 1]], *idx);
}

/* Anchors and tags on scalars and collections: reported, node poisoned so
 * later checks do not pile up more errors on the same spot. */
static void check_anchor_tag(builder *b, const yaml_event_t *ev, size_t idx,
                             const yaml_char_t *anchor, const yaml_char_t *tag)
{
    char q[SW_PRINTABLE_CAP];
    if (anchor) {
        report_at(b, &ev->start_mark,
                  "YAML anchors are not allowed (&%s); write the value out",
                  sw_printable((const char *)anchor, q, sizeof q));
        b->t->nodes[idx].poisoned = 1;
    }
    if (tag) {
        report_at(b, &ev->start_mark,
                  "YAML tags are not allowed (%s); write plain values",
                  sw_printable((const char *)tag, q, sizeof q));
        b->t->nodes[idx].poisoned = 1;
    }
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
    size_t idx;
    int rc = add_value(b, SW_Y_SCALAR, ev, &idx);
    if (rc != SW_OK)
        return rc;
    sw_ynode *n = &b->t->nodes[idx];
    /* Scalars come in text order, so one cursor finds every offset. */
    n->start_off = sw_text_advance(b->t, &b->cursor, n->line, n->col);
    n->end_off = sw_text_advance(b->t, &b->cursor, n->end_line, n->end_col);
    n->style = style_of(ev->data.scalar.style);
    n->len = ev->data.scalar.length;
    n->value = sw_strndup((const char *)ev->data.scalar.value, n->len);
    if (!n->value)
        return SW_ENOMEM;
    check_anchor_tag(b, ev, idx, ev->data.scalar.anchor, ev->data.scalar.tag);
    /* "\0" in a double-quoted scalar would cut every C string short. */
    if (memchr(n->value, '\0', n->len)) {
        report_at(b, &ev->start_mark, "%s", "a string must not contain a NUL character");
        b->t->nodes[idx].poisoned = 1;
    }
    return SW_OK;
}

static int on_open(builder *b, const yaml_event_t *ev, sw_ykind kind)
{
    if (b->depth == SW_YAML_MAX_DEPTH) {
        report_at(b, &ev->start_mark, "%s", "nesting is too deep");
        return SW_EINVAL;
    }
    size_t idx;
    int rc = add_value(b, kind, ev, &idx);
    if (rc != SW_OK)
        return rc;
    if (kind == SW_Y_MAP)
        check_anchor_tag(b, ev, idx, ev->data.mapping_start.anchor,
                         ev->data.mapping_start.tag);
    else
        check_anchor_tag(b, ev, idx, ev->data.sequence_start.anchor,
                         ev->data.sequence_start.tag);
    b->stack[b->depth++] = idx;
    return SW_OK;
}

static void on_close(builder *b, const yaml_event_t *ev)
{
    sw_ynode *n = &b->t->nodes[b->stack[--b->depth]];
    n->end_line = one_based(ev->end_mark.line);
    n->end_col = one_based(ev->end_mark.column);
}

static int on_alias(builder *b, const yaml_event_t *ev)
{
    char q[SW_PRINTABLE_CAP];
    report_at(b, &ev->start_mark,
              "YAML aliases are not allowed (*%s); write the value out",
              sw_printable((const char *)ev->data.alias.anchor, q, sizeof q));
    /* A poisoned placeholder keeps the surrounding structure walkable. */
    size_t idx;
    int rc = add_value(b, SW_Y_SCALAR, ev, &idx);
    if (rc != SW_OK)
        return rc;
    b->t->nodes[idx].poisoned = 1;
    b->t->nodes[idx].value = sw_strdup("");
    return b->t->nodes[idx].value ? SW_OK : SW_ENOMEM;
}

static void report_syntax(builder *b, const yaml_parser_t *p,
                          const char *text, size_t len)
{
    unsigned line, col;
    if (p->error == YAML_READER_ERROR) {
        /* The reader reports a byte offset, not a mark. */
        sw_text_linecol(text, len, p->problem_offset, &line, &col);
    } else {
        line = one_based(p->problem_mark.line);
        col = one_based(p->problem_mark.column);
    }
    const char *problem = p->problem ? p->problem : "unknown error";
    if (p->context)
        sw_report_error(b->r, line, col, "", "YAML syntax error: %s %s", p->context, problem);
    else
        sw_report_error(b->r, line, col, "", "YAML syntax error: %s", problem);
}

/* Handles one event; returns SW_OK to go on, 1 at the end of the stream,
 * SW_EINVAL to stop after a reported error, SW_ENOMEM. */
static int on_event(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (++b->documents > 1) {
            report_at(b, &ev->start_mark, "%s",
                      "only one YAML document is allowed in a policy file");
            return SW_EINVAL;
        }
        return SW_OK;
    case YAML_SCALAR_EVENT:
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_open(b, ev, SW_Y_SEQ);
    case YAML_MAPPING_START_EVENT:
        return on_open(b, ev, SW_Y_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        on_close(b, ev);
        return SW_OK;
    case YAML_ALIAS_EVENT:
        return on_alias(b, ev);
    default:
        return SW_OK;
    }
}

int sw_ytree_parse(sw_ytree *t, const char *text, size_t len, sw_report *r)
{
    memset(t, 0, sizeof *t);
    t->text = text;
    t->len = len;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return SW_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    builder b;
    memset(&b, 0, sizeof b);
    b.t = t;
    b.r = r;
    b.cursor.line = b.cursor.col = 1;
    int rc;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR) {
                rc = SW_ENOMEM;
            } else {
                report_syntax(&b, &parser, text, len);
                rc = SW_EINVAL;
            }
            break;
        }
        rc = on_event(&b, &ev);
        yaml_event_delete(&ev);
        if (rc != SW_OK)
            break;
    }
    yaml_parser_delete(&parser);
    return rc == 1 ? SW_OK : rc;
}

void sw_ytree_free(sw_ytree *t)
{
    for (size_t i = 0; i < t->count; i++) {
        sw_free(t->nodes[i].value);
        sw_free(t->nodes[i].kids);
    }
    sw_free(t->nodes);
    memset(t, 0, sizeof *t);
}
