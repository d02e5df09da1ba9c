/* Printing for the CLI: JSON strings, terminal-safe text and TSV fields,
 * and the shared renderings of diagnostics, canonical names and
 * decisions. Every string that came from input (names, patterns, log
 * lines) goes through an escaping printer: a name with an escape sequence
 * or a newline in it must not forge output. */
#ifndef SW_CLI_OUTPUT_H
#define SW_CLI_OUTPUT_H

#include <stdio.h>

#include "sharewall/sharewall.h"

/* A JSON string literal ("null" for NULL). Invalid UTF-8 bytes become
 * U+FFFD so the output is always valid JSON; hidden characters
 * (sw_char_hidden: C1 controls, bidi, invisible) are written as \uXXXX,
 * which any JSON reader turns back into the same text. */
void out_json_string(FILE *f, const char *s);
/* Text for a terminal or a TSV field, escaped by the engine's one rule
 * (sw_escape_char): \xNN for C0 controls, DEL and bytes that are not
 * UTF-8, \uNNNN for C1 controls, bidi, invisible and other hidden
 * characters; everything else (backslashes, UTF-8 text) is kept. NULL
 * prints as "-". */
void out_text(FILE *f, const char *s);

/* "file:line:col: error: field: message" (line/col omitted when 0). */
void out_diag(FILE *f, const sw_diag *d);
void out_diags(FILE *f, const sw_diags *d);

/* {"malformed":..,"scheme":..,...} */
void out_canon_json(FILE *f, const sw_canon *c);
/* "key: value" lines, each starting with indent. */
void out_canon_text(FILE *f, const sw_canon *c, const char *indent);

/* One JSON object (no newline) describing a decision about name; line
 * (the batch input's line number) is included when nonzero. */
void out_decision_json(FILE *f, unsigned long line, const char *name,
                       const sw_decision *d);

/* The deciding rule as people read it: "rule-id", "default",
 * "error (reason)", "malformed (reason)". */
void out_decision_rule(FILE *f, const sw_decision *d);

/* "FILE:LINE[:COL]: error: MESSAGE" for a bad input line (batch, log). */
void out_line_error(FILE *f, const char *file, unsigned long line, size_t col,
                    const char *msg);

/* A line assembled in memory and written with one fwrite: the batch path
 * prints a million lines, and a dozen stdio calls per line were a fifth
 * of its time. Longer lines are written out in pieces as they grow. */
typedef struct out_line {
    FILE *f;
    size_t len;
    char buf[8192];
} out_line;

void out_line_start(out_line *l, FILE *f);
void out_line_put(out_line *l, const char *s, size_t n);
void out_line_str(out_line *l, const char *s);
/* out_text's escaping, into the line. */
void out_line_text(out_line *l, const char *s);
/* Writes what is buffered. */
void out_line_flush(out_line *l);

/* "1 test" / "2 tests" */
const char *out_plural(size_t n, const char *one, const char *many);

#endif
