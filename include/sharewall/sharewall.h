/*
 * sharewall — the engine's public C API.
 *
 * One small header, in the libuv habit: the Windows DLL (src/win) and the
 * CLI (src/cli) are thin fronts over this engine, so every decision the DLL
 * makes can be reproduced exactly by `sharewall test` on any OS.
 *
 * Conventions
 *  - Every string is UTF-8 and NUL-terminated unless a length is given.
 *  - Functions returning int return SW_OK (0) or a negative SW_E* code.
 *  - A compiled sw_policy is immutable: any number of threads may call
 *    sw_decide() on the same policy at once.
 *  - Strings inside a sw_decision point into the policy (rule ids) or to
 *    static storage (reasons): keep the policy alive while you use them.
 */
#ifndef SHAREWALL_SHAREWALL_H
#define SHAREWALL_SHAREWALL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SW_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ */
/* Return codes                                                        */
/* ------------------------------------------------------------------ */

enum {
    SW_OK = 0,
    SW_EINVAL = -1,  /* the policy (or an argument) is invalid        */
    SW_ENOMEM = -2,  /* out of memory                                 */
    SW_EIO = -3,     /* a file could not be read                      */
    SW_ETOOBIG = -4  /* input over a size limit                       */
};

/* ------------------------------------------------------------------ */
/* Allocation: every heap allocation of the core goes through here.    */
/* ------------------------------------------------------------------ */

typedef struct sw_allocator {
    void *(*malloc_fn)(size_t size, void *ud);
    void *(*realloc_fn)(void *ptr, size_t size, void *ud);
    void (*free_fn)(void *ptr, void *ud);
    void *ud;
} sw_allocator;

/* Install an allocator (NULL restores the C library's). Not thread-safe:
 * call it before any other sw_* function. PCRE2 allocations are routed
 * through it too; libyaml's internal allocations are not (it has no hook),
 * but the loader copies everything it keeps into hooked memory. */
void sw_set_allocator(const sw_allocator *a);

/* ------------------------------------------------------------------ */
/* Diagnostics: every error and warning, with where it was found.      */
/* ------------------------------------------------------------------ */

typedef enum sw_severity { SW_SEV_ERROR = 0, SW_SEV_WARNING = 1 } sw_severity;

typedef struct sw_srcpos {
    const char *file; /* file name as given to the loader; never NULL   */
    unsigned line;    /* 1-based; 0 when unknown                        */
    unsigned column;  /* 1-based; 0 when unknown                        */
} sw_srcpos;

typedef struct sw_diag {
    sw_severity severity;
    sw_srcpos pos;
    char *field;   /* e.g. "rules[2].match.server[1]"; may be ""        */
    char *message; /* one sentence, no trailing newline                 */
    char *file_;   /* private: owned storage behind pos.file            */
} sw_diag;

typedef struct sw_diags {
    sw_diag *items;
    size_t count;
    size_t capacity;
    int oom; /* set when a diagnostic could not be recorded (out of memory) */
} sw_diags;

void sw_diags_init(sw_diags *d);
void sw_diags_free(sw_diags *d);
/* Number of entries with severity == SW_SEV_ERROR. */
size_t sw_diags_errors(const sw_diags *d);

/* ------------------------------------------------------------------ */
/* Canonicalisation (DESIGN §4)                                         */
/* ------------------------------------------------------------------ */

typedef enum sw_scheme { SW_SCHEME_SMB = 0, SW_SCHEME_WEBDAV = 1 } sw_scheme;

/* Names longer than this (in UTF-16 code units, as Windows counts) are
 * malformed. */
#define SW_MAX_NAME_UTF16 32767
#define SW_MAX_SHARE_CHARS 80
#define SW_MAX_HOST_CHARS 255

typedef struct sw_canon {
    int malformed;      /* nonzero: the name is malformed               */
    const char *reason; /* static text when malformed, else NULL        */
    sw_scheme scheme;
    unsigned port;      /* 0 for SMB; 80/443 or explicit for WebDAV     */
    int tls;            /* WebDAV over TLS (@SSL, https://)             */
    int loopback;       /* host was a loopback spelling                 */
    const char *host;   /* lower-case ASCII; "localhost" when loopback  */
    const char *share;  /* as written (case kept), "IPC$" for \\host    */
    const char *path;   /* "" or "\seg\seg"                             */
    const char *unc;    /* "\\host\share" + path                        */
    /* private: storage the pointers above point into. A sw_canon must not
     * be copied or moved while in use. */
    char *heap_;
    size_t heap_size_;
    char small_[1024];
} sw_canon;

/* Machine-specific spellings of "this host" (its NetBIOS and DNS names),
 * which canonicalise to "localhost" with the loopback flag. Optional. */
typedef struct sw_self_names {
    const char *const *names;
    size_t count;
} sw_self_names;

/* Canonicalise a UTF-8 remote name. Always fills *out (malformed names
 * get malformed = 1 and a reason). Returns SW_OK, or SW_ENOMEM when a long
 * name needed heap storage that could not be had (out->malformed is then
 * set too, reason "out of memory"). self may be NULL. */
int sw_canonicalise(const char *name, size_t len, const sw_self_names *self,
                    sw_canon *out);
void sw_canon_free(sw_canon *c);

/* UTF-16 -> UTF-8 as the DLL converts NETRESOURCEW fields. Unpaired
 * surrogates are an error (SW_EINVAL): such a name is malformed. Writes at
 * most cap bytes including the NUL; returns the byte length (without NUL)
 * or a negative SW_E* code (SW_ETOOBIG when cap is too small). */
long sw_utf16_to_utf8(const uint16_t *in, size_t in_units, char *out,
                      size_t cap);
/* UTF-8 -> UTF-16, for the Windows front (paths, event strings). Invalid
 * UTF-8 is SW_EINVAL. Same conventions as above, counting uint16_t units. */
long sw_utf8_to_utf16(const char *in, size_t in_len, uint16_t *out,
                      size_t cap_units);

/* Characters that do not show as themselves: C0 and C1 controls and DEL,
 * line and paragraph separators, bidirectional controls and marks,
 * invisible (default-ignorable) characters and spaces other than U+0020.
 * Everything printed for people escapes them (docs/cli.md, "Output
 * safety"); JSON writers escape them as \uXXXX. */
int sw_char_hidden(uint32_t cp);

/* The one escaping rule for text meant for people (terminals, TSV,
 * diagnostics). Looks at the character at s (n bytes available): when it
 * shows as itself, returns 0 and sets *used to its length; otherwise
 * writes its escape to out (NUL-terminated) — \xNN for a C0 control, DEL
 * or a byte that is not UTF-8 (then *used is 1), \uNNNN or \UNNNNNNNN for
 * other hidden characters — and returns the escape's length. */
#define SW_ESCAPE_MAX 12
size_t sw_escape_char(const char *s, size_t n, char out[SW_ESCAPE_MAX],
                      size_t *used);

/* ------------------------------------------------------------------ */
/* Policies (DESIGN §3)                                                 */
/* ------------------------------------------------------------------ */

typedef struct sw_policy sw_policy;

typedef enum sw_action { SW_ALLOW = 0, SW_DENY = 1 } sw_action;
typedef enum sw_mode { SW_MODE_ENFORCE = 0, SW_MODE_AUDIT = 1 } sw_mode;

/* Match fields, in the order the language documents them. */
typedef enum sw_field {
    SW_F_UNC = 0,
    SW_F_SERVER,
    SW_F_SHARE,
    SW_F_PATH,
    SW_F_LOCAL,
    SW_F_PROVIDER,
    SW_F_SCHEME,
    SW_F_USER,
    SW_F_GROUP,
    SW_F_PROCESS,
    SW_F_COUNT
} sw_field;
#define SW_FIELD_BIT(f) (1u << (f))

const char *sw_field_name(sw_field f);     /* "unc", "server", ...     */
const char *sw_action_name(sw_action a);   /* "allow" / "deny"         */
const char *sw_mode_name(sw_mode m);       /* "enforce" / "audit"      */
const char *sw_scheme_name(sw_scheme s);   /* "smb" / "webdav"         */

/* Limits applied at load time. */
#define SW_MAX_POLICY_BYTES (4u * 1024u * 1024u)
#define SW_MAX_PATTERN_BYTES 4096u

/* Load NAME.yaml plus its NAME.d/ *.yaml fragments (natural sort order).
 * On success *out is the compiled policy and diags holds any warnings.
 * On failure *out is NULL and diags holds every error found (the policy
 * is rejected whole). diags may be NULL when the caller does not care. */
int sw_policy_load_file(const char *path, sw_policy **out, sw_diags *diags);

/* One source of a policy: the main file first, then fragments. */
typedef struct sw_source {
    const char *name; /* file name used in diagnostics */
    const char *data;
    size_t len;
} sw_source;

/* Load from memory. srcs[0] is the main policy; srcs[1..n-1] are
 * fragments, which may only contain `rules` and `tests`. */
int sw_policy_load_sources(const sw_source *srcs, size_t n, sw_policy **out,
                           sw_diags *diags);
/* Convenience: one buffer, no fragments. */
int sw_policy_load_buffer(const char *name, const char *data, size_t len,
                          sw_policy **out, sw_diags *diags);

void sw_policy_free(sw_policy *p);

sw_mode sw_policy_mode(const sw_policy *p);
sw_action sw_policy_default(const sw_policy *p);
sw_action sw_policy_on_error(const sw_policy *p);
/* log: { allowed, vetoed, disconnects } */
int sw_policy_log_allowed(const sw_policy *p);
int sw_policy_log_vetoed(const sw_policy *p);
int sw_policy_log_disconnects(const sw_policy *p);
/* Bitmask of SW_FIELD_BIT(f) for every field some rule matches on: the
 * DLL gathers user, groups and process only when the policy uses them. */
unsigned sw_policy_fields_used(const sw_policy *p);
/* The files the policy was built from (main file first). */
size_t sw_policy_file_count(const sw_policy *p);
const char *sw_policy_file(const sw_policy *p, size_t i);

/* Read-only views of rules and tests, for the CLI. */
typedef struct sw_rule_info {
    const char *id;
    const char *description; /* NULL when absent */
    sw_action action;
    int staged;
    unsigned fields; /* SW_FIELD_BIT mask of the fields it matches on */
    sw_srcpos pos;   /* where the rule's mapping starts */
} sw_rule_info;

size_t sw_policy_rule_count(const sw_policy *p);
void sw_policy_rule(const sw_policy *p, size_t i, sw_rule_info *out);
/* Patterns (or group names) of rule i's field f. */
size_t sw_policy_rule_pattern_count(const sw_policy *p, size_t i, sw_field f);
const char *sw_policy_rule_pattern(const sw_policy *p, size_t i, sw_field f,
                                   size_t j, sw_srcpos *pos);

/* ------------------------------------------------------------------ */
/* Requests and decisions (DESIGN §5)                                   */
/* ------------------------------------------------------------------ */

/* What is being attempted and by whom. Zero-initialise (or call
 * sw_request_init) and set what you know; NULL means "unknown/absent". */
typedef struct sw_request {
    const char *remote;   /* remote name as given (UNC or URL)          */
    const char *local;    /* local device ("Z:") or NULL/"" deviceless  */
    const char *provider; /* network provider name                      */
    const char *user;     /* DOMAIN\name of the caller                  */
    const char *const *groups; /* group names and SIDs of the caller    */
    size_t group_count;
    const char *process;  /* full image path of the caller              */
    uint32_t flags;       /* dwAddFlags (CONNECT_*), logged only        */
    const sw_self_names *self; /* this machine's names, for loopback    */
} sw_request;

void sw_request_init(sw_request *r);

/* Policy tests (the `tests:` section). */
typedef struct sw_policy_test {
    sw_request request; /* request.remote is the test's `unc` */
    sw_action expect;
    const char *rule;   /* expected deciding rule id, "default", or NULL */
    sw_srcpos pos;
} sw_policy_test;

size_t sw_policy_test_count(const sw_policy *p);
const sw_policy_test *sw_policy_test_at(const sw_policy *p, size_t i);

/* How a decision was reached. */
typedef enum sw_basis {
    SW_BASIS_RULE = 0,  /* a rule matched                             */
    SW_BASIS_DEFAULT,   /* no rule matched: the policy's default      */
    SW_BASIS_ERROR,     /* evaluation impossible: on_error            */
    SW_BASIS_MALFORMED  /* the name is malformed: always deny         */
} sw_basis;

/* Staged rules that matched before the deciding rule; more than this are
 * counted in staged_total but not named. */
#define SW_MAX_STAGED 8

typedef struct sw_decision {
    sw_action action;
    int enforced;         /* 0 in audit mode: log "would veto" only     */
    sw_basis basis;
    const char *rule_id;  /* rule id, or "default", "error", "malformed" */
    long rule_index;      /* index of the deciding rule, -1 otherwise   */
    const char *reason;   /* why, for ERROR and MALFORMED; else NULL    */
    const char *staged[SW_MAX_STAGED]; /* ids of staged rules matched   */
    sw_action staged_action[SW_MAX_STAGED];
    size_t staged_count;  /* named in staged[]                          */
    size_t staged_total;  /* all that matched                           */
    sw_canon canon;       /* the canonical decomposition of the name    */
} sw_decision;

/* Decide. p may be NULL ("no valid policy ever loaded"): the decision is
 * then deny by error. Always fills *out; call sw_decision_free after.
 * Returns SW_OK or SW_ENOMEM (then *out is the on_error decision). */
int sw_decide(const sw_policy *p, const sw_request *req, sw_decision *out);
void sw_decision_free(sw_decision *d);

const char *sw_basis_name(sw_basis b); /* "rule", "default", "error", "malformed" */

/* Explain: sw_decide with a rule-by-rule, field-by-field trace. */
typedef enum sw_trace_kind {
    SW_TRACE_FIELD,        /* one field of one rule was tested          */
    SW_TRACE_RULE,         /* a rule's verdict                          */
    SW_TRACE_SKIPPED       /* a rule after the deciding one             */
} sw_trace_kind;

typedef struct sw_trace {
    sw_trace_kind kind;
    size_t rule_index;
    const char *rule_id;
    int staged;
    /* SW_TRACE_FIELD */
    sw_field field;
    const char *value;     /* the request's value for the field ("" absent) */
    const char *pattern;   /* the pattern that matched, or the last tried */
    int matched;           /* field (or, for SW_TRACE_RULE, rule) matched */
    const char *error;     /* non-NULL: a match limit or error was hit    */
} sw_trace;

typedef void (*sw_trace_fn)(void *ctx, const sw_trace *t);

int sw_decide_trace(const sw_policy *p, const sw_request *req,
                    sw_decision *out, sw_trace_fn fn, void *ctx);

/* ------------------------------------------------------------------ */
/* Log records (DESIGN §7): one JSON object per line.                   */
/* ------------------------------------------------------------------ */

typedef enum sw_event {
    SW_EV_VETOED = 0,     /* PRE, enforced deny: connection cancelled   */
    SW_EV_WOULD_VETO,     /* PRE, deny not enforced (audit/disabled)    */
    SW_EV_STAGED,         /* a staged rule matched                      */
    SW_EV_CONNECTED,      /* POST of an allowed connection              */
    SW_EV_DISCONNECTED,   /* CancelConnectNotify                        */
    SW_EV_POLICY_LOADED,
    SW_EV_POLICY_REJECTED,
    SW_EV_ERROR,          /* evaluation error                           */
    SW_EV_COUNT
} sw_event;

const char *sw_event_name(sw_event e); /* "vetoed", "would-veto", ...  */
/* Parses an event name; returns -1 when unknown. */
int sw_event_from_name(const char *name);

typedef struct sw_record {
    sw_event event;
    int64_t time_ms;          /* Unix time in milliseconds, UTC         */
    const char *machine;      /* computer name, may be NULL             */
    unsigned long pid;        /* 0 when unknown                         */
    const sw_request *request;    /* NULL for policy events            */
    const sw_decision *decision;  /* NULL for policy/disconnect events */
    int has_status;
    long status;              /* POST: the provider's dwOperationStatus */
    const char *message;      /* free text (policy events), may be NULL */
    unsigned long suppressed; /* identical records dropped before this  */
} sw_record;

/* Format one record as a single JSON line ending in "\n", snprintf-style:
 * writes at most cap bytes (NUL-terminated when cap > 0) and returns the
 * length the full line needs (excluding the NUL). Every string is escaped. */
size_t sw_record_format(char *buf, size_t cap, const sw_record *r);

/* RFC 3339 UTC with milliseconds ("2026-11-21T19:41:05.123Z"); buf must
 * hold 25 bytes. Pure arithmetic: no gmtime, safe on any thread. */
void sw_format_time_rfc3339(int64_t time_ms, char buf[25]);

/* A record read back from a JSON line (for replay and batch input).
 * All strings are owned by the parsed record. */
typedef struct sw_parsed_record {
    int event;             /* sw_event, or -1 when absent (batch input) */
    char *remote;          /* "raw" (the name as given), else "unc"     */
    char *local;
    char *provider;
    char *user;
    char **groups;
    size_t group_count;
    char *process;
    uint32_t flags;
    int has_action;
    sw_action action;      /* the logged decision, if any                */
    char *rule;            /* the logged deciding rule id, if any        */
    char *time;            /* as logged, if any                          */
    unsigned long suppressed; /* identical records the DLL's rate limit
                               * dropped before this one (0 if absent)  */
    sw_request request;    /* points at the fields above                 */
} sw_parsed_record;

/* Parse one JSON object. Unknown keys are ignored (forward compatible).
 * On error returns SW_EINVAL and, if err is non-NULL, a static message;
 * *col receives the 1-based column of the problem when col is non-NULL. */
int sw_record_parse(const char *line, size_t len, sw_parsed_record *out,
                    const char **err, size_t *col);
void sw_parsed_record_free(sw_parsed_record *r);

/* ------------------------------------------------------------------ */
/* Lint (for `sharewall check`): warnings beyond load errors.           */
/* ------------------------------------------------------------------ */

/* Appends warnings to diags: shadowed rules, duplicate patterns, rules no
 * test exercises, on_error: allow, deny-list with default allow (aliases),
 * patterns that hit the match limits on a quick self-probe. Also runs the
 * policy's tests; failures are appended as errors. Returns the number of
 * failing tests, or a negative SW_E* code. *tests_run gets the count. */
long sw_policy_lint(const sw_policy *p, sw_diags *diags, size_t *tests_run);

#ifdef __cplusplus
}
#endif

#endif /* SHAREWALL_SHAREWALL_H */
