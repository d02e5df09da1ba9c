/* Patterns that would take back the language's promises (docs/policy.md,
 * "Patterns"): every pattern is case-insensitive, Unicode-aware, bound by
 * the engine's match limits, and `$` matches only at the very end. PCRE2
 * lets a pattern change its own options from inside: `(?-i)`, `(?^)`,
 * `(?m)`, start-of-pattern settings such as `(*LIMIT_MATCH=1)`,
 * `(*NO_JIT)`, `(*CR)`, and in newer releases `(?r)`, `(?a)` and
 * `(*CASELESS_RESTRICT)`. A reviewer reading `share: '(?-i)Secret'` next to
 * the documented promise would be misled, so the loader refuses them.
 *
 * PCRE2 has compile options that lock out some of this (`\C` is refused by
 * PCRE2_NEVER_BACKSLASH_C in policy_compile.c), but none that lock inline
 * option letters or the other start-of-pattern settings, in 10.42 or
 * later; hence a scan of the pattern text that follows PCRE2's own parser
 * (pcre2_compile.c, parse_regex) for what can hide an option setting:
 * escapes, \Q...\E, character classes, (?#...) and (?x) comments, verb
 * names. It fails closed: an option letter it does not know is refused,
 * so a newer PCRE2 cannot slip one past it. After compiling,
 * sw_pattern_settings_verify asks PCRE2 what the compiled pattern
 * actually carries, as a second line of defence. */
#ifndef SW_CORE_PATTERN_SETTINGS_H
#define SW_CORE_PATTERN_SETTINGS_H

#include <stddef.h>

#include "policy_internal.h"

/* Scans src[0..len) (valid UTF-8 without control characters: the loader
 * refuses those first). Returns 0 when the pattern keeps every promise;
 * else 1, with *offset the byte offset of the offending construct and
 * *why a static sentence saying what it does. */
int sw_pattern_settings_check(const char *src, size_t len, size_t *offset,
                              const char **why);

/* Returns NULL when the compiled pattern carries none of the settings
 * above (no match, depth or heap limit of its own, the build's newline and
 * \R conventions, no optimisation turned off); else a static sentence. */
const char *sw_pattern_settings_verify(const pcre2_code *code);

#endif
