/* The strict YAML policy loader: every error class with its position and
 * field, valid policies in every form, fragments (in memory and on disk),
 * limits, accessors, and cleanup on every allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy_internal.h"
#include "sharewall/sharewall.h"

#define DATA SW_TEST_DATA_DIR "/policies/"

static int load(const char *yaml, sw_policy **p, sw_diags *d)
{
    return sw_policy_load_buffer("t.yaml", yaml, strlen(yaml), p, d);
}

static void dump(const sw_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        print_message("  %s:%u:%u: [%s] %s\n", d->items[i].pos.file, d->items[i].pos.line,
                      d->items[i].pos.column, d->items[i].field, d->items[i].message);
}

static const sw_diag *find_diag(const sw_diags *d, const char *msg)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->items[i].message, msg))
            return &d->items[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Broken policies: each must be rejected with a diagnostic at the      */
/* expected line and column, naming the field.                          */
/* ------------------------------------------------------------------ */

typedef struct broken_case {
    const char *name;
    const char *yaml;
    size_t len; /* 0: strlen(yaml); else for text holding a NUL byte */
    unsigned line, column;
    const char *message; /* fragment */
    const char *field;   /* fragment ("" matches any) */
} broken_case;

#define V "version: 1\n"
#define RULE_HEAD V "rules:\n  - id: r\n    action: deny\n"

static const broken_case broken[] = {
    /* version */
    {"version missing", "mode: audit\n", 0, 1, 1, "version: 1", "version"},
    {"version quoted", "version: \"1\"\n", 0, 1, 10, "expected a small decimal integer, found a string", "version"},
    {"version 2", "version: 2\n", 0, 1, 10, "unsupported policy version 2", "version"},
    {"version float", "version: 1.0\n", 0, 1, 10, "found a number", "version"},
    {"version empty", "version:\nmode: audit\n", 0, 1, 9, "found null", "version"},
    /* top-level settings */
    {"mode enum", V "mode: block\n", 0, 2, 7, "expected enforce or audit, found 'block'", "mode"},
    {"default enum", V "default: maybe\n", 0, 2, 10, "expected allow or deny", "default"},
    {"on_error case", V "on_error: Deny\n", 0, 2, 11, "expected allow or deny, found 'Deny'", "on_error"},
    {"mode not string", V "mode: [audit]\n", 0, 2, 7, "expected a string, found a sequence", "mode"},
    {"log not mapping", V "log: true\n", 0, 2, 6, "expected a mapping, found a boolean", "log"},
    {"log yes is no bool", V "log: {allowed: yes}\n", 0, 2, 16, "expected true or false, found a string 'yes'", "log.allowed"},
    {"log quoted bool", V "log:\n  vetoed: \"true\"\n", 0, 3, 11, "expected true or false", "log.vetoed"},
    {"log unknown key", V "log: {denied: true}\n", 0, 2, 7, "unknown key 'denied'", "log.denied"},
    {"unknown top key", V "rule: []\n", 0, 2, 1, "unknown key 'rule' (expected one of: version, mode", "rule"},
    {"duplicate top key", V "mode: audit\nversion: 1\n", 0, 3, 1, "duplicate key 'version' (first given at line 1)", "version"},
    {"root sequence", "- version: 1\n", 0, 1, 1, "expected a mapping, found a sequence", ""},
    {"empty policy", "# nothing\n", 0, 1, 1, "the policy is empty", ""},
    {"complex key", V "? [a]\n: b\n", 0, 2, 3, "mapping keys must be plain names", ""},
    {"value with newline", V "mode: \"a\\nb\\x01\"\n", 0, 2, 7, "found 'a\\x0ab\\x01'", "mode"},
    {"key with newline", V "\"x\\ny\": 1\n", 0, 2, 1, "unknown key 'x\\x0ay'", "x\\x0ay"},
    {"key with invisible", V "\"stage\\u200b\": 1\n", 0, 2, 1, "unknown key 'stage\\u200b'", "stage\\u200b"},
    /* rules */
    {"rules mapping", V "rules: {}\n", 0, 2, 8, "expected a sequence of rules, found a mapping", "rules"},
    {"rules null", V "rules:\n", 0, 2, 7, "expected a sequence of rules, found null", "rules"},
    {"rule scalar", V "rules:\n  - foo\n", 0, 3, 5, "expected a mapping, found a string", "rules[0]"},
    {"rule without id", V "rules:\n  - action: deny\n    match: {server: x}\n", 0, 3, 5, "missing the required key 'id'", "rules[0]"},
    {"rule without action", V "rules:\n  - id: a\n    match: {server: x}\n", 0, 3, 5, "missing the required key 'action'", "rules[0]"},
    {"rule without match", V "rules:\n  - id: a\n    action: deny\n", 0, 3, 5, "missing the required key 'match'", "rules[0]"},
    {"rule unknown key", RULE_HEAD "    stages: true\n    match: {server: x}\n", 0, 5, 5, "unknown key 'stages'", "rules[0].stages"},
    {"rule duplicate key", RULE_HEAD "    action: allow\n    match: {server: x}\n", 0, 5, 5, "duplicate key 'action' (first given at line 4)", "rules[0].action"},
    {"id with space", V "rules:\n  - {id: 'a b', action: deny, match: {server: x}}\n", 0, 3, 10, "may only contain letters, digits", "rules[0].id"},
    {"id too long", V "rules:\n  - {id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, action: deny, match: {server: x}}\n",
     0, 3, 10, "129 bytes long; the limit is 128", "rules[0].id"},
    {"id reserved default", V "rules:\n  - {id: default, action: deny, match: {server: x}}\n", 0, 3, 10, "'default' is reserved", "rules[0].id"},
    {"id reserved malformed", V "rules:\n  - {id: malformed, action: deny, match: {server: x}}\n", 0, 3, 10, "'malformed' is reserved", "rules[0].id"},
    {"id number", V "rules:\n  - {id: 12, action: deny, match: {server: x}}\n", 0, 3, 10, "expected a string, found an integer (quote it", "rules[0].id"},
    {"id empty", V "rules:\n  - {id: '', action: deny, match: {server: x}}\n", 0, 3, 10, "must not be empty", "rules[0].id"},
    {"duplicate id", V "rules:\n  - {id: a, action: deny, match: {server: x}}\n  - {id: a, action: allow, match: {server: y}}\n",
     0, 4, 10, "duplicate rule id 'a' (first defined at t.yaml:3)", "rules[1].id"},
    {"action enum", V "rules:\n  - {id: a, action: block, match: {server: x}}\n", 0, 3, 21, "expected allow or deny, found 'block'", "rules[0].action"},
    {"stage quoted yes", RULE_HEAD "    stage: \"yes\"\n    match: {server: x}\n", 0, 5, 12, "expected true or false, found a string 'yes'", "rules[0].stage"},
    {"stage plain yes", RULE_HEAD "    stage: yes\n    match: {server: x}\n", 0, 5, 12, "expected true or false", "rules[0].stage"},
    {"stage True", RULE_HEAD "    stage: True\n    match: {server: x}\n", 0, 5, 12, "found a boolean 'True'", "rules[0].stage"},
    {"description list", RULE_HEAD "    description: [a]\n    match: {server: x}\n", 0, 5, 18, "expected a string, found a sequence", "rules[0].description"},
    /* match */
    {"match empty", RULE_HEAD "    match: {}\n", 0, 5, 12, "must name at least one field", "rules[0].match"},
    {"match scalar", RULE_HEAD "    match: server\n", 0, 5, 12, "expected a mapping, found a string", "rules[0].match"},
    {"match unknown field", RULE_HEAD "    match: {host: x}\n", 0, 5, 13, "unknown key 'host' (expected one of: unc, server, share", "rules[0].match.host"},
    {"match duplicate field", RULE_HEAD "    match: {server: a, server: b}\n", 0, 5, 24, "duplicate key 'server'", "rules[0].match.server"},
    {"empty pattern list", RULE_HEAD "    match: {server: []}\n", 0, 5, 21, "an empty list matches nothing", "rules[0].match.server"},
    {"empty group list", RULE_HEAD "    match: {group: []}\n", 0, 5, 20, "give at least one group", "rules[0].match.group"},
    {"pattern number", RULE_HEAD "    match: {share: 42}\n", 0, 5, 20, "expected a string, found an integer", "rules[0].match.share"},
    {"pattern null", RULE_HEAD "    match:\n      share: null\n", 0, 6, 14, "found null", "rules[0].match.share"},
    {"pattern mapping", RULE_HEAD "    match: {share: {a: b}}\n", 0, 5, 20, "expected a string or a list of strings", "rules[0].match.share"},
    {"pattern list item", RULE_HEAD "    match:\n      server: [a, [b]]\n", 0, 6, 19, "expected a string, found a sequence", "rules[0].match.server[1]"},
    {"group name empty", RULE_HEAD "    match: {group: ['admins', '']}\n", 0, 5, 31, "a group name must not be empty", "rules[0].match.group[1]"},
    /* regexes: the column points at the offending character */
    {"regex plain", RULE_HEAD "    match:\n      server: fs)01\n", 0, 6, 17, "invalid regular expression: unmatched closing parenthesis", "rules[0].match.server"},
    {"regex single quoted", RULE_HEAD "    match:\n      server: 'it''s)x'\n", 0, 6, 21, "unmatched closing parenthesis", "rules[0].match.server"},
    {"regex double quoted", RULE_HEAD "    match:\n      server: \"fs\\\\d)\"\n", 0, 6, 21, "unmatched closing parenthesis", "rules[0].match.server"},
    {"regex after non-ASCII", RULE_HEAD "    match:\n      server: '\xC3\xA9t\xC3\xA9)'\n", 0, 6, 19, "unmatched closing parenthesis", "rules[0].match.server"},
    {"regex after escapes", RULE_HEAD "    match:\n      server: \"\\u00e9\\x41)\"\n", 0, 6, 26, "unmatched closing parenthesis", "rules[0].match.server"},
    {"regex in list", RULE_HEAD "    match:\n      share: [ok, 'a[b']\n", 0, 6, 23, "missing terminating ] for character class", "rules[0].match.share[1]"},
    {"regex multi-line", RULE_HEAD "    match:\n      share: >-\n        a(\n", 0, 6, 14, "missing closing parenthesis", "rules[0].match.share"},
    {"regex backslash C", RULE_HEAD "    match: {path: 'a\\Cb'}\n", 0, 5, 23, "using \\C is disabled", "rules[0].match.path"},
    {"regex in scheme", RULE_HEAD "    match: {scheme: '*smb'}\n", 0, 5, 22, "quantifier does not follow a repeatable item", "rules[0].match.scheme"},
    /* YAML features the language forbids */
    {"anchor", V "rules:\n  - &r {id: a, action: deny, match: {server: x}}\n", 0, 3, 5, "YAML anchors are not allowed (&r)", ""},
    {"alias", V "rules:\n  - {id: a, action: deny, match: {server: &s x}}\n  - {id: b, action: deny, match: {server: *s}}\n",
     0, 4, 43, "YAML aliases are not allowed (*s)", ""},
    {"tag", "version: !!int 1\n", 0, 1, 10, "YAML tags are not allowed (tag:yaml.org,2002:int)", ""},
    {"tag on mapping", V "log: !!map {allowed: true}\n", 0, 2, 6, "YAML tags are not allowed", ""},
    {"two documents", V "---\nversion: 1\n", 0, 2, 1, "only one YAML document", ""},
    {"syntax unclosed flow", V "rules: [\n", 0, 3, 1, "YAML syntax error", ""},
    {"syntax bad indent", V "log:\n  allowed: true\n vetoed: true\n", 0, 4, 2, "YAML syntax error", ""},
    {"nesting too deep", V "log: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", 0, 2, 37, "nesting is too deep", ""},
    /* bytes */
    {"invalid utf-8", V "# caf\xC3\n", 0, 2, 6, "invalid UTF-8 (byte 0xC3)", ""},
    {"overlong utf-8", V "mode: \xC0\x80\n", 0, 2, 7, "invalid UTF-8 (byte 0xC0)", ""},
    {"surrogate utf-8", V "# \xED\xA0\x80\n", 0, 2, 3, "invalid UTF-8 (byte 0xED)", ""},
    {"utf-16 bom", "\xFF\xFEv\0", 4, 1, 1, "invalid UTF-8 (byte 0xFF)", ""},
    {"NUL byte", V "mode: a\0udit\n", 19, 2, 8, "NUL byte", ""},
    {"NUL escape", V "rules:\n  - {id: a, description: \"a\\0b\", action: deny, match: {server: x}}\n", 0, 3, 26, "must not contain a NUL character", ""},
    {"control character", V "mode: \x01\n", 0, 2, 7, "U+0001, a control character: not allowed in a policy", ""},
    {"C1 control", V "# a\xC2\x9B[31m\n", 0, 2, 4, "U+009B CONTROL SEQUENCE INTRODUCER, a control character", ""},
    {"escape character", V "# \x1B[8m hidden\n", 0, 2, 3, "U+001B ESCAPE", ""},
    {"CRLF line ends", "version: 1\r\nlog:\r\n  vetoed: 1\r\n", 0, 3, 11, "expected true or false", "log.vetoed"},
    {"BOM keeps columns", "\xEF\xBB\xBFversion: 2\n", 0, 1, 10, "unsupported policy version 2", "version"},
    /* What a reviewer sees is what is loaded: line breaks YAML takes and
     * editors do not, anywhere (docs/policy.md). */
    {"U+2028 in a comment", V "mode: audit # note\xE2\x80\xA8stage: true\n", 0, 2, 19, "U+2028 LINE SEPARATOR, a line break in YAML", ""},
    {"U+2029 in a value", V "mode: 'audit\xE2\x80\xA9'\n", 0, 2, 13, "U+2029 PARAGRAPH SEPARATOR", ""},
    {"U+0085 in a comment", V "# x\xC2\x85mode: audit\n", 0, 2, 4, "U+0085 NEXT LINE", ""},
    {"U+2028 after CRLF lines", "version: 1\r\n# a\r\n#\xE2\x80\xA8x\r\n", 0, 3, 2, "U+2028", ""},
    {"U+2028 escaped in an id", V "rules:\n  - {id: \"a\\Lb\", action: deny, match: {server: x}}\n", 0, 3, 12, "U+2028 LINE SEPARATOR, a line break in YAML: not allowed in a rule id", "rules[0].id"},
    /* bidi controls: anywhere, comments included ("Trojan Source") */
    {"RLO in a comment", V "# \xE2\x80\xAE evil\n", 0, 2, 3, "U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control", ""},
    {"isolate in a pattern", RULE_HEAD "    match: {share: 'a\xE2\x81\xA6" "b'}\n", 0, 5, 22, "U+2066 LEFT-TO-RIGHT ISOLATE", ""},
    {"bidi after non-ASCII", V "# \xC3\xA9\xC3\xA9\xE2\x80\xAB\n", 0, 2, 5, "U+202B RIGHT-TO-LEFT EMBEDDING", ""},
    {"mark in a description", RULE_HEAD "    description: 'x\xE2\x80\x8Ey'\n    match: {server: x}\n", 0, 5, 20, "U+200E LEFT-TO-RIGHT MARK, a bidirectional control", "rules[0].description"},
    {"mark escaped in a pattern", RULE_HEAD "    match: {share: \"a\\u200fb\"}\n", 0, 5, 22, "U+200F RIGHT-TO-LEFT MARK", "rules[0].match.share"},
    /* invisible characters in ids, patterns, group names, descriptions */
    {"ZWSP in an id", V "rules:\n  - {id: \"deny-secret\xE2\x80\x8B\", action: deny, match: {server: x}}\n", 0, 3, 22, "U+200B ZERO WIDTH SPACE, an invisible character", "rules[0].id"},
    {"ZWSP escaped in an id", V "rules:\n  - {id: \"deny-secret\\u200b\", action: deny, match: {server: x}}\n", 0, 3, 22, "not allowed in a rule id", "rules[0].id"},
    {"soft hyphen in a pattern", RULE_HEAD "    match: {share: 'se\xC2\xAD" "cret'}\n", 0, 5, 23, "U+00AD SOFT HYPHEN", "rules[0].match.share"},
    {"ZWJ escaped in a description", RULE_HEAD "    description: \"a\\u200db\"\n    match: {server: x}\n", 0, 5, 20, "U+200D ZERO WIDTH JOINER, an invisible character: not allowed in a description", "rules[0].description"},
    {"word joiner in a pattern list", RULE_HEAD "    match: {server: [a, \"b\\u2060\"]}\n", 0, 5, 27, "U+2060 WORD JOINER", "rules[0].match.server[1]"},
    {"variation selector in a group", RULE_HEAD "    match: {group: 'admins\xEF\xB8\x8F'}\n", 0, 5, 27, "U+FE0F, an invisible character", "rules[0].match.group"},
    {"tag character in a pattern", RULE_HEAD "    match: {provider: 'x\xF3\xA0\x81\x81'}\n", 0, 5, 25, "U+E0041, an invisible character", "rules[0].match.provider"},
    {"Hangul filler in an id", V "rules:\n  - {id: \"a\xE3\x85\xA4\", action: deny, match: {server: x}}\n", 0, 3, 12, "U+3164", "rules[0].id"},
    {"ZWNBSP inside the file", V "\xEF\xBB\xBFmode: audit\n", 0, 2, 1, "U+FEFF ZERO WIDTH NO-BREAK SPACE (a byte order mark), an invisible character: allowed only as the byte order mark", ""},
    {"invisible typed in a test", V "tests:\n  - {unc: '\\\\a\\b\xE2\x81\xA0', expect: deny}\n", 0, 3, 17, "U+2060 WORD JOINER, an invisible character: a reviewer cannot see it", "tests[0].unc"},
    {"invisible typed in an enum", V "mode: audit\xE2\x80\x8B\n", 0, 2, 12, "U+200B", "mode"},
    {"no-break space in a pattern", RULE_HEAD "    match: {share: \"my\\u00a0share\"}\n", 0, 5, 23, "U+00A0 NO-BREAK SPACE, a space other than U+0020: not allowed in a pattern (it looks like a space", "rules[0].match.share"},
    {"tab in a pattern", RULE_HEAD "    match: {share: \"a\\tb\"}\n", 0, 5, 22, "U+0009 CHARACTER TABULATION, a control character: not allowed in a pattern", "rules[0].match.share"},
    {"block pattern ends in a newline", RULE_HEAD "    match:\n      share: |\n        secret\n", 0, 6, 14, "U+000A LINE FEED, a control character: not allowed in a pattern", "rules[0].match.share"},
    /* reserved ids in any case, ids equal but for case */
    {"id reserved Malformed", V "rules:\n  - {id: Malformed, action: deny, match: {server: x}}\n", 0, 3, 10, "'Malformed' is reserved in any case", "rules[0].id"},
    {"id reserved DEFAULT", V "rules:\n  - {id: DEFAULT, action: deny, match: {server: x}}\n", 0, 3, 10, "'DEFAULT' is reserved", "rules[0].id"},
    {"id reserved Error", V "rules:\n  - {id: Error, action: deny, match: {server: x}}\n", 0, 3, 10, "'Error' is reserved", "rules[0].id"},
    {"duplicate id in another case", V "rules:\n  - {id: Fs-Allow, action: allow, match: {server: x}}\n  - {id: fs-allow, action: deny, match: {server: y}}\n",
     0, 4, 10, "duplicate rule id 'fs-allow': 'Fs-Allow' (at t.yaml:3) differs only in case", "rules[1].id"},
    {"test names a rule in another case", V "rules:\n  - {id: fs, action: allow, match: {server: x}}\ntests:\n  - {unc: '\\\\x\\y', expect: allow, rule: FS}\n",
     0, 5, 41, "test expects rule 'FS', but no rule has that id", "tests[0].rule"},
    /* inline settings that cancel the language's promises */
    {"(?-i) in a pattern", RULE_HEAD "    match: {share: 'pub(?-i)lic'}\n", 0, 5, 24, "pattern refused: (?-i) turns off case-insensitive matching", "rules[0].match.share"},
    {"(?^) in a list", RULE_HEAD "    match: {server: [a, '(?^)b']}\n", 0, 5, 26, "(?^) turns off case-insensitive matching", "rules[0].match.server[1]"},
    {"(?m) in a pattern", RULE_HEAD "    match: {user: '(?m)x'}\n", 0, 5, 20, "(?m) lets ^ and $ match", "rules[0].match.user"},
    {"match limit in a pattern", RULE_HEAD "    match: {path: '(*LIMIT_MATCH=1).*'}\n", 0, 5, 20, "start-of-pattern settings", "rules[0].match.path"},
    {"no JIT in a pattern", RULE_HEAD "    match: {process: '(*NO_JIT)x'}\n", 0, 5, 23, "start-of-pattern settings", "rules[0].match.process"},
    {"(*UTF) escaped", RULE_HEAD "    match: {unc: \"\\x28*UTF)a\"}\n", 0, 5, 19, "start-of-pattern settings", "rules[0].match.unc"},
    {"(?-i) after a class", RULE_HEAD "    match: {share: '[]](?-i)a'}\n", 0, 5, 24, "(?-i) turns off", "rules[0].match.share"},
    {"callout", RULE_HEAD "    match: {share: 'a(?C1)'}\n", 0, 5, 22, "callouts (?C...) are not allowed", "rules[0].match.share"},
    /* tests */
    {"tests mapping", V "tests: {unc: x}\n", 0, 2, 8, "expected a sequence of tests", "tests"},
    {"test without unc", V "tests:\n  - {expect: deny}\n", 0, 3, 5, "missing the required key 'unc'", "tests[0]"},
    {"test without expect", V "tests:\n  - {unc: '\\\\a\\b'}\n", 0, 3, 5, "missing the required key 'expect'", "tests[0]"},
    {"test expect enum", V "tests:\n  - {unc: x, expect: vetoed}\n", 0, 3, 22, "expected allow or deny, found 'vetoed'", "tests[0].expect"},
    {"test unknown key", V "tests:\n  - {unc: x, expect: deny, server: y}\n", 0, 3, 28, "unknown key 'server'", "tests[0].server"},
    {"test unknown rule", V "tests:\n  - {unc: x, expect: deny, rule: nope}\n", 0, 3, 34, "test expects rule 'nope', but no rule has that id", "tests[0].rule"},
    {"test group mapping", V "tests:\n  - {unc: x, expect: deny, group: {a: b}}\n", 0, 3, 35, "expected a string or a list of strings", "tests[0].group"},
    {"test user number", V "tests:\n  - {unc: x, expect: deny, user: 7}\n", 0, 3, 34, "expected a string, found an integer", "tests[0].user"},
    {"test group item", V "tests:\n  - {unc: x, expect: deny, group: [a, 1]}\n", 0, 3, 39, "found an integer", "tests[0].group[1]"},
};

static void broken_policies_are_rejected_with_positions(void **state)
{
    (void)state;
    size_t failures = 0;
    assert_true(sizeof broken / sizeof *broken >= 40);
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        const broken_case *c = &broken[i];
        sw_diags d;
        sw_diags_init(&d);
        sw_policy *p = (sw_policy *)&d; /* must be reset to NULL */
        size_t len = c->len ? c->len : strlen(c->yaml);
        int rc = sw_policy_load_buffer("t.yaml", c->yaml, len, &p, &d);
        int found = 0;
        for (size_t j = 0; j < d.count; j++) {
            const sw_diag *g = &d.items[j];
            if (g->severity == SW_SEV_ERROR && g->pos.line == c->line &&
                g->pos.column == c->column && strstr(g->message, c->message) &&
                strstr(g->field, c->field) && !strcmp(g->pos.file, "t.yaml"))
                found = 1;
        }
        for (size_t j = 0; j < d.count; j++)
            if (strchr(d.items[j].message, '\n') || strchr(d.items[j].field, '\n'))
                found = 0; /* one line each, whatever the input held */
        if (rc != SW_EINVAL || p != NULL || !found) {
            print_message("case '%s': rc %d, want %u:%u [%s] '%s'; got:\n", c->name, rc,
                          c->line, c->column, c->field, c->message);
            dump(&d);
            failures++;
        }
        sw_diags_free(&d);
    }
    assert_int_equal(failures, 0);
}

/* The near misses of the hidden-character checks: characters a script
 * needs in a comment, escapes a reviewer can read in a test or a regex,
 * and spaces in free text all load. */
static void hidden_characters_where_they_are_harmless(void **state)
{
    (void)state;
    static const char *const ok[] = {
        /* Persian needs ZWNJ; an emoji carries a variation selector;
         * Hebrew text may carry a right-to-left mark. */
        V "# \xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85\n",
        V "# \xE2\x9A\xA0\xEF\xB8\x8F do not remove\n",
        V "# \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D\xE2\x80\x8F\n",
        /* A test may check that a name holding U+200B is denied. */
        V "rules:\n  - {id: r, action: allow, match: {share: secret}}\n"
          "tests:\n  - {unc: \"\\\\\\\\fs01\\\\se\\u200bcret\", expect: deny, rule: default}\n",
        /* A pattern matches one with the regex escape. */
        V "rules:\n  - {id: r, action: deny, match: {share: 'se\\x{200b}cret'}}\n",
        /* Free text keeps its spaces, tabs and lines. */
        V "rules:\n  - id: r\n    description: |\n      Serveurs\xC2\xA0: fichiers\n      et\tpuis\xE3\x80\x80plus\n"
          "    action: deny\n    match: {share: x}\n",
        /* A byte order mark at the very start. */
        "\xEF\xBB\xBF" V,
        /* Option settings that keep every promise. */
        V "rules:\n  - {id: r, action: deny, match: {share: ['(?s:.*)', '(?x) a b # c', '(?-s)a', '(?i)b', '[(?-i)]', '\\Q(?-i)\\E']}}\n",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        sw_policy *p = NULL;
        sw_diags d;
        sw_diags_init(&d);
        int rc = load(ok[i], &p, &d);
        if (rc != SW_OK) {
            print_message("case %zu:\n%s", i, ok[i]);
            dump(&d);
        }
        assert_int_equal(rc, SW_OK);
        sw_policy_free(p);
        sw_diags_free(&d);
    }
}

static void every_error_is_collected(void **state)
{
    (void)state;
    const char *yaml = V "mode: loud\n"
                         "rules:\n"
                         "  - {id: a, action: deny, match: {server: 'x('}}\n"
                         "  - {id: 'b c', action: allow, match: {share: y}}\n"
                         "  - {id: d, action: allow, stage: yes, match: {}}\n"
                         "tests:\n"
                         "  - {unc: x, expect: maybe}\n";
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(load(yaml, &p, &d), SW_EINVAL);
    assert_null(p);
    assert_true(sw_diags_errors(&d) >= 6);
    assert_non_null(find_diag(&d, "expected enforce or audit"));
    assert_non_null(find_diag(&d, "missing closing parenthesis"));
    assert_non_null(find_diag(&d, "may only contain"));
    assert_non_null(find_diag(&d, "expected true or false"));
    assert_non_null(find_diag(&d, "must name at least one field"));
    assert_non_null(find_diag(&d, "found 'maybe'"));
    sw_diags_free(&d);
}

static void long_values_are_shortened_in_messages(void **state)
{
    (void)state;
    char yaml[300] = V "mode: ";
    size_t l = strlen(yaml);
    memset(yaml + l, 'a', 100);
    strcpy(yaml + l + 100, "\n");
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(load(yaml, &p, &d), SW_EINVAL);
    assert_int_equal(d.count, 1);
    char want[128] = "found '";
    memset(want + 7, 'a', 64);
    strcpy(want + 71, "...'");
    assert_non_null(strstr(d.items[0].message, want));
    sw_diags_free(&d);
}

static void bad_arguments(void **state)
{
    (void)state;
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = (sw_policy *)&d;
    assert_int_equal(sw_policy_load_sources(NULL, 0, &p, &d), SW_EINVAL);
    assert_null(p);
    assert_int_equal(sw_diags_errors(&d), 1);
    p = (sw_policy *)&d;
    assert_int_equal(sw_policy_load_file(NULL, &p, &d), SW_EINVAL);
    assert_null(p);
    assert_int_equal(sw_diags_errors(&d), 2);
    assert_int_equal(sw_policy_load_buffer("x", V, 11, NULL, &d), SW_EINVAL);
    assert_int_equal(sw_policy_load_file(DATA "site.yaml", NULL, &d), SW_EINVAL);
    sw_diags_free(&d);
}

static void errors_are_counted_without_diags(void **state)
{
    (void)state;
    sw_policy *p = NULL;
    assert_int_equal(load(V "mode: loud\n", &p, NULL), SW_EINVAL);
    assert_null(p);
}

/* ------------------------------------------------------------------ */
/* Valid policies                                                       */
/* ------------------------------------------------------------------ */

static sw_policy *load_ok(const char *yaml)
{
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    int rc = load(yaml, &p, &d);
    if (rc != SW_OK)
        dump(&d);
    assert_int_equal(rc, SW_OK);
    assert_non_null(p);
    assert_int_equal(sw_diags_errors(&d), 0);
    sw_diags_free(&d);
    return p;
}

static void defaults_of_a_minimal_policy(void **state)
{
    (void)state;
    sw_policy *p = load_ok("version: 1\n");
    assert_int_equal(sw_policy_mode(p), SW_MODE_ENFORCE);
    assert_int_equal(sw_policy_default(p), SW_DENY);
    assert_int_equal(sw_policy_on_error(p), SW_DENY);
    assert_int_equal(sw_policy_log_allowed(p), 1);
    assert_int_equal(sw_policy_log_vetoed(p), 1);
    assert_int_equal(sw_policy_log_disconnects(p), 1);
    assert_int_equal(sw_policy_rule_count(p), 0);
    assert_int_equal(sw_policy_test_count(p), 0);
    assert_int_equal(sw_policy_fields_used(p), 0);
    assert_int_equal(sw_policy_file_count(p), 1);
    assert_string_equal(sw_policy_file(p, 0), "t.yaml");
    assert_null(sw_policy_file(p, 1));
    sw_policy_free(p);
}

static void settings_and_log(void **state)
{
    (void)state;
    sw_policy *p = load_ok("# comment\nversion: 1\nmode: audit\ndefault: allow\non_error: allow\n"
                           "log: {allowed: false, vetoed: true, disconnects: false}\n");
    assert_int_equal(sw_policy_mode(p), SW_MODE_AUDIT);
    assert_int_equal(sw_policy_default(p), SW_ALLOW);
    assert_int_equal(sw_policy_on_error(p), SW_ALLOW);
    assert_int_equal(sw_policy_log_allowed(p), 0);
    assert_int_equal(sw_policy_log_vetoed(p), 1);
    assert_int_equal(sw_policy_log_disconnects(p), 0);
    sw_policy_free(p);

    /* A partial log mapping keeps the other defaults. */
    p = load_ok("version: 1\nlog:\n  vetoed: false\n");
    assert_int_equal(sw_policy_log_allowed(p), 1);
    assert_int_equal(sw_policy_log_vetoed(p), 0);
    assert_int_equal(sw_policy_log_disconnects(p), 1);
    sw_policy_free(p);
}

static const char *const full_policy =
    "\xEF\xBB\xBF" /* a UTF-8 BOM is accepted */
    "version: 1\n"
    "mode: enforce\n"
    "default: deny\n"
    "rules:\n"
    "  - id: corp-file-servers\n"
    "    description: Approved file servers\n"
    "    action: allow\n"
    "    match:\n"
    "      server: ['fs\\d{2}\\.corp\\.example\\.com', 'fs\\d{2}']\n"
    "      share: '(?!admin\\$|[a-z]\\$).*'\n"
    "  - id: external-hosts\n"
    "    action: deny\n"
    "    stage: true\n"
    "    match: { server: '.*\\..*' }\n"
    "  - id: everything.else_1\n"
    "    action: deny\n"
    "    stage: false\n"
    "    match:\n"
    "      unc: '\\\\\\\\.*'\n"
    "      path: \"\\\\\\\\secret.*\"\n"
    "      local: ''\n"
    "      provider: Microsoft Windows Network\n"
    "      scheme: [smb, webdav]\n"
    "      user: 'CORP\\\\.*'\n"
    "      group: [Domain Admins, S-1-5-32-544]\n"
    "      process: 'C:\\\\Windows\\\\.*'\n"
    "tests:\n"
    "  - { unc: '\\\\fs01.corp.example.com\\finance', expect: allow }\n"
    "  - { unc: '\\\\fs01\\c$', expect: deny, rule: default }\n"
    "  - unc: '\\\\x\\y'\n"
    "    local: 'Z:'\n"
    "    provider: Microsoft Windows Network\n"
    "    user: CORP\\bob\n"
    "    group: [Users, S-1-5-11]\n"
    "    process: C:\\tools\\net.exe\n"
    "    expect: deny\n"
    "    rule: everything.else_1\n"
    "  - { unc: x, group: Staff, expect: allow, rule: error }\n"
    "  - { unc: y, expect: deny, rule: malformed }\n";

static void every_field_in_both_forms(void **state)
{
    (void)state;
    sw_policy *p = load_ok(full_policy);
    assert_int_equal(sw_policy_rule_count(p), 3);

    sw_rule_info r;
    sw_policy_rule(p, 0, &r);
    assert_string_equal(r.id, "corp-file-servers");
    assert_string_equal(r.description, "Approved file servers");
    assert_int_equal(r.action, SW_ALLOW);
    assert_int_equal(r.staged, 0);
    assert_int_equal(r.fields, SW_FIELD_BIT(SW_F_SERVER) | SW_FIELD_BIT(SW_F_SHARE));
    assert_string_equal(r.pos.file, "t.yaml");
    assert_int_equal(r.pos.line, 5);
    assert_int_equal(r.pos.column, 5);
    assert_int_equal(sw_policy_rule_pattern_count(p, 0, SW_F_SERVER), 2);
    sw_srcpos pos;
    assert_string_equal(sw_policy_rule_pattern(p, 0, SW_F_SERVER, 1, &pos), "fs\\d{2}");
    assert_int_equal(pos.line, 9);
    assert_int_equal(pos.column, 47);
    assert_string_equal(sw_policy_rule_pattern(p, 0, SW_F_SHARE, 0, NULL), "(?!admin\\$|[a-z]\\$).*");
    assert_null(sw_policy_rule_pattern(p, 0, SW_F_SHARE, 1, NULL));
    assert_null(sw_policy_rule_pattern(p, 0, SW_F_UNC, 0, NULL));

    sw_policy_rule(p, 1, &r);
    assert_string_equal(r.id, "external-hosts");
    assert_null(r.description);
    assert_int_equal(r.action, SW_DENY);
    assert_int_equal(r.staged, 1);

    sw_policy_rule(p, 2, &r);
    assert_int_equal(r.staged, 0);
    assert_int_equal(r.fields, ((1u << SW_F_COUNT) - 1) &
                                   ~(SW_FIELD_BIT(SW_F_SERVER) | SW_FIELD_BIT(SW_F_SHARE)));
    assert_string_equal(sw_policy_rule_pattern(p, 2, SW_F_UNC, 0, NULL), "\\\\\\\\.*");
    assert_string_equal(sw_policy_rule_pattern(p, 2, SW_F_PATH, 0, NULL), "\\\\secret.*");
    assert_string_equal(sw_policy_rule_pattern(p, 2, SW_F_LOCAL, 0, NULL), "");
    assert_string_equal(sw_policy_rule_pattern(p, 2, SW_F_PROVIDER, 0, NULL), "Microsoft Windows Network");
    assert_int_equal(sw_policy_rule_pattern_count(p, 2, SW_F_SCHEME), 2);
    assert_string_equal(sw_policy_rule_pattern(p, 2, SW_F_USER, 0, NULL), "CORP\\\\.*");
    assert_string_equal(sw_policy_rule_pattern(p, 2, SW_F_GROUP, 1, NULL), "S-1-5-32-544");
    assert_string_equal(sw_policy_rule_pattern(p, 2, SW_F_PROCESS, 0, NULL), "C:\\\\Windows\\\\.*");

    /* Out of range is harmless. */
    sw_policy_rule(p, 3, &r);
    assert_null(r.id);
    assert_int_equal(sw_policy_rule_pattern_count(p, 3, SW_F_UNC), 0);
    assert_int_equal(sw_policy_rule_pattern_count(p, 0, SW_F_COUNT), 0);

    assert_int_equal(sw_policy_fields_used(p), (1u << SW_F_COUNT) - 1);
    sw_policy_free(p);
}

/* The compiled structure decide.c reads: regexes compiled with the
 * language's options, groups kept as text. */
static void patterns_are_compiled_anchored_and_caseless(void **state)
{
    (void)state;
    sw_policy *p = load_ok(full_policy);
    const sw_pattern *fs = &p->rules[0].match[SW_F_SERVER].patterns[1];
    assert_non_null(fs->code);
    assert_string_equal(fs->source, "fs\\d{2}");
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(fs->code, NULL);
    assert_non_null(md);
    struct {
        const char *subject;
        int matches;
    } cases[] = {{"fs01", 1}, {"FS42", 1}, {"evil-fs01", 0}, {"fs01.net", 0}, {"fs1", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = pcre2_match(fs->code, (PCRE2_SPTR)cases[i].subject, strlen(cases[i].subject), 0,
                             0, md, NULL);
        assert_int_equal(rc >= 0, cases[i].matches);
    }
    /* UCP + caseless: non-ASCII letters fold too. */
    const sw_pattern *user = &p->rules[2].match[SW_F_USER].patterns[0];
    int rc = pcre2_match(user->code, (PCRE2_SPTR) "corp\\\xC3\x89LODIE", 12, 0, 0, md, NULL);
    assert_true(rc >= 0);
    pcre2_match_data_free(md);

    uint32_t opts = 0;
    assert_int_equal(pcre2_pattern_info(fs->code, PCRE2_INFO_ARGOPTIONS, &opts), 0);
    uint32_t want = PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_ANCHORED | PCRE2_ENDANCHORED |
                    PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C;
    assert_int_equal(opts, want);

    const sw_matcher *g = &p->rules[2].match[SW_F_GROUP];
    assert_int_equal(g->count, 2);
    assert_null(g->patterns[0].code);
    assert_string_equal(g->patterns[0].source, "Domain Admins");
    assert_ptr_equal(g->patterns[0].pos.file, p->files[0]);
    assert_int_equal(g->pos.line, 25);
    assert_int_equal(p->rules[2].match[SW_F_UNC].patterns[0].pos.line, 19);
    sw_policy_free(p);
}

static void tests_section(void **state)
{
    (void)state;
    sw_policy *p = load_ok(full_policy);
    assert_int_equal(sw_policy_test_count(p), 5);
    const sw_policy_test *t = sw_policy_test_at(p, 0);
    assert_string_equal(t->request.remote, "\\\\fs01.corp.example.com\\finance");
    assert_null(t->request.local);
    assert_null(t->request.user);
    assert_int_equal(t->request.group_count, 0);
    assert_int_equal(t->expect, SW_ALLOW);
    assert_null(t->rule);
    assert_int_equal(t->pos.line, 28);
    assert_ptr_equal(t->pos.file, sw_policy_file(p, 0));

    t = sw_policy_test_at(p, 1);
    assert_int_equal(t->expect, SW_DENY);
    assert_string_equal(t->rule, "default");

    t = sw_policy_test_at(p, 2);
    assert_string_equal(t->request.remote, "\\\\x\\y");
    assert_string_equal(t->request.local, "Z:");
    assert_string_equal(t->request.provider, "Microsoft Windows Network");
    assert_string_equal(t->request.user, "CORP\\bob");
    assert_int_equal(t->request.group_count, 2);
    assert_string_equal(t->request.groups[0], "Users");
    assert_string_equal(t->request.groups[1], "S-1-5-11");
    assert_string_equal(t->request.process, "C:\\tools\\net.exe");
    assert_string_equal(t->rule, "everything.else_1");
    assert_null(t->request.self);

    t = sw_policy_test_at(p, 3);
    assert_int_equal(t->request.group_count, 1);
    assert_string_equal(t->request.groups[0], "Staff");
    assert_string_equal(t->rule, "error");
    assert_string_equal(sw_policy_test_at(p, 4)->rule, "malformed");
    assert_null(sw_policy_test_at(p, 5));
    sw_policy_free(p);
}

static void strings_that_look_like_other_types_when_quoted(void **state)
{
    (void)state;
    /* Quoted, `yes`, `1` and `null` are strings; plain `yes` is a string
     * too (YAML 1.2: not a boolean). */
    sw_policy *p = load_ok(V "rules:\n  - {id: '1', description: yes, action: deny,"
                             " match: {share: ['null', 'true', '12']}}\n");
    sw_rule_info r;
    sw_policy_rule(p, 0, &r);
    assert_string_equal(r.id, "1");
    assert_string_equal(r.description, "yes");
    assert_string_equal(sw_policy_rule_pattern(p, 0, SW_F_SHARE, 2, NULL), "12");
    sw_policy_free(p);
}

static void null_policy_accessors_fail_closed(void **state)
{
    (void)state;
    assert_int_equal(sw_policy_mode(NULL), SW_MODE_ENFORCE);
    assert_int_equal(sw_policy_default(NULL), SW_DENY);
    assert_int_equal(sw_policy_on_error(NULL), SW_DENY);
    assert_int_equal(sw_policy_rule_count(NULL), 0);
    assert_int_equal(sw_policy_test_count(NULL), 0);
    assert_null(sw_policy_file(NULL, 0));
    sw_policy_free(NULL);
}

static void pattern_length_limit(void **state)
{
    (void)state;
    const char *head = RULE_HEAD "    match: {share: '";
    size_t hl = strlen(head);
    char *yaml = malloc(hl + SW_MAX_PATTERN_BYTES + 16);
    assert_non_null(yaml);
    for (unsigned extra = 0; extra < 2; extra++) {
        memcpy(yaml, head, hl);
        memset(yaml + hl, 'a', SW_MAX_PATTERN_BYTES + extra);
        strcpy(yaml + hl + SW_MAX_PATTERN_BYTES + extra, "'}\n");
        sw_diags d;
        sw_diags_init(&d);
        sw_policy *p = NULL;
        int rc = load(yaml, &p, &d);
        if (extra == 0) {
            assert_int_equal(rc, SW_OK);
            sw_policy_free(p);
        } else {
            assert_int_equal(rc, SW_EINVAL);
            const sw_diag *g = find_diag(&d, "pattern is 4097 bytes long; the limit is 4096");
            assert_non_null(g);
            assert_int_equal(g->pos.line, 5);
            assert_int_equal(g->pos.column, 20);
        }
        sw_diags_free(&d);
    }
    free(yaml);
}

static void oversized_buffer_is_too_big(void **state)
{
    (void)state;
    size_t len = SW_MAX_POLICY_BYTES + 1;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, '#', len);
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(sw_policy_load_buffer("big.yaml", big, len, &p, &d), SW_ETOOBIG);
    assert_null(p);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].pos.line, 0);
    assert_string_equal(d.items[0].pos.file, "big.yaml");
    assert_non_null(strstr(d.items[0].message, "limit"));
    sw_diags_free(&d);
    free(big);
}

/* ------------------------------------------------------------------ */
/* Fragments                                                            */
/* ------------------------------------------------------------------ */

static int load_srcs(const char *const *names, const char *const *texts, size_t n,
                     sw_policy **p, sw_diags *d)
{
    sw_source srcs[4];
    for (size_t i = 0; i < n; i++) {
        srcs[i].name = names[i];
        srcs[i].data = texts[i];
        srcs[i].len = strlen(texts[i]);
    }
    return sw_policy_load_sources(srcs, n, p, d);
}

static void fragments_from_memory(void **state)
{
    (void)state;
    const char *names[] = {"main.yaml", "main.d/1.yaml", "main.d/2.yaml"};
    const char *texts[] = {
        (V "default: allow\nrules:\n  - {id: m, action: deny, match: {share: a}}\n"
           "tests:\n  - {unc: x, expect: deny, rule: f2}\n"),
        "# only comments: an empty fragment is fine\n",
        ("rules:\n  - {id: f2, action: deny, stage: true, match: {process: b}}\n"
         "tests:\n  - {unc: y, expect: allow, rule: m}\n")};
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(load_srcs(names, texts, 3, &p, &d), SW_OK);
    assert_int_equal(sw_policy_default(p), SW_ALLOW);
    assert_int_equal(sw_policy_file_count(p), 3);
    assert_string_equal(sw_policy_file(p, 2), "main.d/2.yaml");
    assert_int_equal(sw_policy_rule_count(p), 2);
    sw_rule_info r;
    sw_policy_rule(p, 1, &r);
    assert_string_equal(r.id, "f2");
    assert_ptr_equal(r.pos.file, sw_policy_file(p, 2));
    assert_int_equal(r.pos.line, 2);
    assert_int_equal(sw_policy_fields_used(p), SW_FIELD_BIT(SW_F_SHARE) | SW_FIELD_BIT(SW_F_PROCESS));
    assert_int_equal(sw_policy_test_count(p), 2);
    assert_ptr_equal(sw_policy_test_at(p, 1)->pos.file, sw_policy_file(p, 2));
    sw_policy_free(p);
    sw_diags_free(&d);
}

static void fragment_settings_are_errors_naming_the_fragment(void **state)
{
    (void)state;
    const char *names[] = {"main.yaml", "main.d/1.yaml"};
    const char *texts[] = {V, V "mode: audit\nrules: []\n"};
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(load_srcs(names, texts, 2, &p, &d), SW_EINVAL);
    assert_null(p);
    assert_int_equal(sw_diags_errors(&d), 2);
    const sw_diag *g = find_diag(&d, "'version' is not allowed in a fragment (main.d/1.yaml)");
    assert_non_null(g);
    assert_string_equal(g->pos.file, "main.d/1.yaml");
    assert_int_equal(g->pos.line, 1);
    assert_int_equal(g->pos.column, 1);
    g = find_diag(&d, "'mode' is not allowed in a fragment");
    assert_non_null(g);
    assert_int_equal(g->pos.line, 2);
    sw_diags_free(&d);
}

static void fragment_errors_and_duplicates_across_files(void **state)
{
    (void)state;
    const char *names[] = {"main.yaml", "a.d/1.yaml", "a.d/2.yaml"};
    const char *texts[] = {V "rules:\n  - {id: x, action: deny, match: {share: a}}\n",
                           "rules:\n  - {id: y, action: deny, match: {share: 'b('}}\n",
                           ("rules:\n  - {id: q, action: deny, match: {share: c}}\n"
                            "  - {id: x, action: allow, match: {share: d}}\n")};
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(load_srcs(names, texts, 3, &p, &d), SW_EINVAL);
    const sw_diag *g = find_diag(&d, "missing closing parenthesis");
    assert_non_null(g);
    assert_string_equal(g->pos.file, "a.d/1.yaml");
    assert_int_equal(g->pos.line, 2);
    assert_string_equal(g->field, "rules[0].match.share");
    g = find_diag(&d, "duplicate rule id 'x' (first defined at main.yaml:3)");
    assert_non_null(g);
    assert_string_equal(g->pos.file, "a.d/2.yaml");
    assert_int_equal(g->pos.line, 3);
    assert_string_equal(g->field, "rules[1].id");
    sw_diags_free(&d);
}

static void fragment_problems_do_not_stop_other_files(void **state)
{
    (void)state;
    const char *names[] = {"main.yaml", "1.yaml", "2.yaml"};
    const char *texts[] = {V "mode: [\n", "rules: {\n", "rules: 5\n"};
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(load_srcs(names, texts, 3, &p, &d), SW_EINVAL);
    assert_int_equal(sw_diags_errors(&d), 3);
    assert_string_equal(d.items[0].pos.file, "main.yaml");
    assert_string_equal(d.items[1].pos.file, "1.yaml");
    assert_string_equal(d.items[2].pos.file, "2.yaml");
    assert_non_null(strstr(d.items[2].message, "expected a sequence of rules, found an integer"));
    sw_diags_free(&d);
}

static void files_with_fragments_in_natural_order(void **state)
{
    (void)state;
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    int rc = sw_policy_load_file(DATA "site.yaml", &p, &d);
    if (rc != SW_OK)
        dump(&d);
    assert_int_equal(rc, SW_OK);
    assert_int_equal(sw_policy_file_count(p), 3); /* README.txt, old.yml ignored */
    assert_string_equal(sw_policy_file(p, 0), DATA "site.yaml");
    assert_string_equal(sw_policy_file(p, 1), DATA "site.d/9-a.yaml");
    assert_string_equal(sw_policy_file(p, 2), DATA "site.d/10-b.yaml");
    const char *ids[] = {"main-allow", "nine-deny", "ten-allow"};
    assert_int_equal(sw_policy_rule_count(p), 3);
    for (size_t i = 0; i < 3; i++) {
        sw_rule_info r;
        sw_policy_rule(p, i, &r);
        assert_string_equal(r.id, ids[i]);
        assert_ptr_equal(r.pos.file, sw_policy_file(p, i));
    }
    assert_int_equal(sw_policy_test_count(p), 3);
    assert_string_equal(sw_policy_test_at(p, 2)->request.user, "CORP\\alice");
    assert_int_equal(sw_policy_fields_used(p), SW_FIELD_BIT(SW_F_SERVER) | SW_FIELD_BIT(SW_F_USER));
    sw_policy_free(p);
    sw_diags_free(&d);
}

static void file_without_yaml_extension(void **state)
{
    (void)state;
    sw_policy *p = NULL;
    assert_int_equal(sw_policy_load_file(DATA "noext", &p, NULL), SW_OK);
    assert_int_equal(sw_policy_rule_count(p), 2);
    assert_string_equal(sw_policy_file(p, 1), DATA "noext.d/1.yaml");
    sw_policy_free(p);
}

static void error_in_fragment_file_names_it(void **state)
{
    (void)state;
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(sw_policy_load_file(DATA "badfrag.yaml", &p, &d), SW_EINVAL);
    assert_null(p);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].pos.file, DATA "badfrag.d/1-bad.yaml");
    assert_int_equal(d.items[0].pos.line, 4);
    assert_int_equal(d.items[0].pos.column, 29); /* the end: ')' is missing */
    assert_string_equal(d.items[0].field, "rules[0].match.share");
    sw_diags_free(&d);

    sw_diags_init(&d);
    assert_int_equal(sw_policy_load_file(DATA "dupid.yaml", &p, &d), SW_EINVAL);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].pos.file, DATA "dupid.d/50-dup.yaml");
    assert_int_equal(d.items[0].pos.line, 3);
    assert_non_null(strstr(d.items[0].message, "first defined at " DATA "dupid.yaml:3"));
    sw_diags_free(&d);
}

static void missing_file_is_an_io_error_with_the_reason(void **state)
{
    (void)state;
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = (sw_policy *)&d;
    assert_int_equal(sw_policy_load_file(DATA "no-such-policy.yaml", &p, &d), SW_EIO);
    assert_null(p);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].pos.file, DATA "no-such-policy.yaml");
    assert_int_equal(d.items[0].pos.line, 0);
    const char *prefix = "cannot read the policy file: ";
    assert_memory_equal(d.items[0].message, prefix, strlen(prefix));
    assert_true(strlen(d.items[0].message) > strlen(prefix) + 3); /* the OS reason */
    sw_diags_free(&d);
}

static void oversized_file_is_too_big(void **state)
{
    (void)state;
    const char *path = "test_policy_load-big.yaml"; /* in the test's working directory */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    static char chunk[4096];
    memset(chunk, '#', sizeof chunk);
    for (size_t i = 0; i <= SW_MAX_POLICY_BYTES / sizeof chunk; i++)
        assert_int_equal(fwrite(chunk, 1, sizeof chunk, f), sizeof chunk);
    fclose(f);
    sw_diags d;
    sw_diags_init(&d);
    sw_policy *p = NULL;
    assert_int_equal(sw_policy_load_file(path, &p, &d), SW_ETOOBIG);
    assert_null(p);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].pos.line, 0);
    assert_string_equal(d.items[0].pos.file, path);
    sw_diags_free(&d);
    remove(path);
}

/* ------------------------------------------------------------------ */
/* Allocation failure at every point: SW_ENOMEM, nothing leaked.        */
/* ------------------------------------------------------------------ */

static long fail_at;   /* fail the Nth allocation (1-based); 0 = never */
static long allocs;    /* allocations so far                           */
static long live;      /* blocks allocated and not freed               */

static void *t_malloc(size_t n, void *ud)
{
    (void)ud;
    if (++allocs == fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        live++;
    return p;
}

static void *t_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    if (++allocs == fail_at)
        return NULL;
    void *q = realloc(p, n);
    if (q && !p)
        live++;
    return q;
}

static void t_free(void *p, void *ud)
{
    (void)ud;
    if (p)
        live--;
    free(p);
}

static void run_with_failures(int (*fn)(sw_policy **, sw_diags *))
{
    static const sw_allocator counting = {t_malloc, t_realloc, t_free, NULL};
    sw_set_allocator(&counting);
    long n, saw_enomem = 0;
    for (n = 1;; n++) {
        fail_at = n;
        allocs = 0;
        live = 0;
        sw_diags d;
        sw_diags_init(&d);
        sw_policy *p = NULL;
        int rc = fn(&p, &d);
        if (rc == SW_ENOMEM) {
            saw_enomem++;
            assert_null(p);
        } else {
            assert_int_equal(rc, SW_OK);
            assert_non_null(p);
        }
        sw_policy_free(p);
        sw_diags_free(&d);
        if (live != 0)
            print_message("leak of %ld blocks when allocation %ld fails\n", live, n);
        assert_int_equal(live, 0);
        if (allocs < n)
            break; /* the Nth allocation was never reached: all covered */
    }
    sw_set_allocator(NULL);
    print_message("  %ld allocation points failed in turn, %ld gave SW_ENOMEM\n", n - 1, saw_enomem);
    assert_true(saw_enomem > 10);
}

static int load_full(sw_policy **p, sw_diags *d)
{
    return load(full_policy, p, d);
}

static int load_site(sw_policy **p, sw_diags *d)
{
    return sw_policy_load_file(DATA "site.yaml", p, d);
}

static void every_allocation_failure_is_clean(void **state)
{
    (void)state;
    run_with_failures(load_full);
    run_with_failures(load_site);
}

static int load_bad(sw_policy **p, sw_diags *d)
{
    int rc = load(V "mode: x\nrules:\n  - {id: a, action: deny, match: {share: 'b('}}\n"
                    "  - {id: a, action: deny, match: {}}\n", p, d);
    return rc == SW_EINVAL ? SW_OK : rc;
}

static void allocation_failures_while_collecting_errors(void **state)
{
    (void)state;
    static const sw_allocator counting = {t_malloc, t_realloc, t_free, NULL};
    sw_set_allocator(&counting);
    for (long n = 1;; n++) {
        fail_at = n;
        allocs = 0;
        live = 0;
        sw_diags d;
        sw_diags_init(&d);
        sw_policy *p = NULL;
        int rc = load_bad(&p, &d);
        assert_null(p);
        assert_true(rc == SW_OK || rc == SW_ENOMEM);
        sw_diags_free(&d);
        assert_int_equal(live, 0);
        if (allocs < n)
            break;
    }
    sw_set_allocator(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(broken_policies_are_rejected_with_positions),
        cmocka_unit_test(hidden_characters_where_they_are_harmless),
        cmocka_unit_test(every_error_is_collected),
        cmocka_unit_test(long_values_are_shortened_in_messages),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(errors_are_counted_without_diags),
        cmocka_unit_test(defaults_of_a_minimal_policy),
        cmocka_unit_test(settings_and_log),
        cmocka_unit_test(every_field_in_both_forms),
        cmocka_unit_test(patterns_are_compiled_anchored_and_caseless),
        cmocka_unit_test(tests_section),
        cmocka_unit_test(strings_that_look_like_other_types_when_quoted),
        cmocka_unit_test(null_policy_accessors_fail_closed),
        cmocka_unit_test(pattern_length_limit),
        cmocka_unit_test(oversized_buffer_is_too_big),
        cmocka_unit_test(fragments_from_memory),
        cmocka_unit_test(fragment_settings_are_errors_naming_the_fragment),
        cmocka_unit_test(fragment_errors_and_duplicates_across_files),
        cmocka_unit_test(fragment_problems_do_not_stop_other_files),
        cmocka_unit_test(files_with_fragments_in_natural_order),
        cmocka_unit_test(file_without_yaml_extension),
        cmocka_unit_test(error_in_fragment_file_names_it),
        cmocka_unit_test(missing_file_is_an_io_error_with_the_reason),
        cmocka_unit_test(oversized_file_is_too_big),
        cmocka_unit_test(every_allocation_failure_is_clean),
        cmocka_unit_test(allocation_failures_while_collecting_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
