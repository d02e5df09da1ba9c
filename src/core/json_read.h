/* A small strict JSON reader for ONE flat object per line: the JSON-lines
 * log records and batch requests (docs/log-format.md). Values kept are
 * strings, numbers (as text), true/false/null and arrays of strings; any
 * other value (a nested object, an array holding non-strings) is checked
 * for syntax up to a nesting bound and then skipped, so records written by
 * a newer sharewall still read. Strings must be valid UTF-8 and may not
 * contain U+0000 (they become C strings). */
#ifndef SW_CORE_JSON_READ_H
#define SW_CORE_JSON_READ_H

#include <stddef.h>
#include <stdint.h>

#define SW_JSON_MAX_LEN (1u << 20)   /* bytes per line                   */
#define SW_JSON_MAX_DEPTH 16u        /* nesting inside skipped values    */
#define SW_JSON_MAX_MEMBERS 256u     /* keys per object                  */
#define SW_JSON_MAX_ITEMS 4096u      /* strings per kept array           */

typedef enum sw_json_type {
    SW_JSON_STRING,
    SW_JSON_NUMBER,       /* text holds the number as written */
    SW_JSON_TRUE,
    SW_JSON_FALSE,
    SW_JSON_NULL,
    SW_JSON_STRING_ARRAY,
    SW_JSON_SKIPPED       /* an object, or an array not all strings */
} sw_json_type;

typedef struct sw_json_member {
    char *key;
    sw_json_type type;
    char *text;     /* STRING (unescaped) and NUMBER; else NULL */
    char **items;   /* STRING_ARRAY */
    size_t count;
    size_t column;  /* 1-based byte column where the value starts */
} sw_json_member;

typedef struct sw_json_object {
    sw_json_member *members;
    size_t count;
} sw_json_object;

/* Parse exactly one object (surrounding whitespace allowed). Duplicate keys
 * are an error: two readers could otherwise disagree on the value. Returns
 * 0, SW_EINVAL (with *err a static message and *col the 1-based byte
 * column), SW_ETOOBIG or SW_ENOMEM. err/col may be NULL. */
int sw_json_read_object(const char *text, size_t len, sw_json_object *out,
                        const char **err, size_t *col);
void sw_json_object_free(sw_json_object *o);

const sw_json_member *sw_json_find(const sw_json_object *o, const char *key);

/* A NUMBER member as a non-negative integer no larger than max; 0 on
 * success, -1 when it has a sign, fraction, exponent or is too large. */
int sw_json_to_uint(const sw_json_member *m, uint64_t max, uint64_t *out);

#endif
