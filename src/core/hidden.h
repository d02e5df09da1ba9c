/* Characters that do not show as what they are. A policy is reviewed by
 * people reading it in an editor or a diff, and its diagnostics and the
 * CLI's output are read on terminals: a character that is invisible, that
 * reorders the text around it or that breaks a line in one reader and not
 * in another lets a reviewer see something else than what is loaded or
 * decided. The loader refuses them where they could deceive
 * (docs/policy.md, "What a reviewer sees is what is loaded"), and every
 * printer escapes them (sw_escape_char). */
#ifndef SW_CORE_HIDDEN_H
#define SW_CORE_HIDDEN_H

#include <stdint.h>

typedef enum sw_hidden {
    SW_HIDDEN_NONE = 0,
    SW_HIDDEN_CONTROL,    /* C0 and C1 controls, DEL (U+0085 excepted)     */
    SW_HIDDEN_LINE_BREAK, /* U+0085, U+2028, U+2029: YAML breaks the line
                           * there, editors and code review do not         */
    SW_HIDDEN_BIDI,       /* bidirectional controls and marks: they reorder
                           * or re-direct the text shown around them       */
    SW_HIDDEN_INVISIBLE,  /* zero-width and other default-ignorable
                           * characters (U+200B, U+00AD, U+FEFF, variation
                           * selectors, tags, ...)                          */
    SW_HIDDEN_SPACE       /* spaces other than U+0020 (U+00A0, U+3000, ...):
                           * shown as a space, compared as something else  */
} sw_hidden;

sw_hidden sw_hidden_kind(uint32_t cp);

/* A phrase for messages: "U+200B ZERO WIDTH SPACE, an invisible
 * character". buf must hold SW_HIDDEN_DESCRIBE_CAP bytes; returns buf. */
#define SW_HIDDEN_DESCRIBE_CAP 112
const char *sw_hidden_describe(uint32_t cp, char *buf);

/* Why a reviewer is misled by it: "a reviewer cannot see it", ... */
const char *sw_hidden_why(uint32_t cp);

#endif
