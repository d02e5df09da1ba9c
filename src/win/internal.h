/* The DLL's internal interfaces, one section per source file. Everything
 * here runs inside foreign processes (explorer.exe, services, 32-bit legacy
 * programs): no function may crash, block on another process, or show UI,
 * and every failure must reach a defined decision and a log line. */
#ifndef SW_WIN_INTERNAL_H
#define SW_WIN_INTERNAL_H

#include <windows.h>

#include "sharewall/sharewall.h"

/* Fixed capacity of configured paths (UTF-16 units, NUL included). Longer
 * registry values are a configuration error, not a truncation. */
#define SWD_PATH_CAP 1024

/* ---- config.c: registry configuration (DESIGN §6) ------------------ */

typedef enum swd_origin {
    SWD_FROM_DEFAULT = 0,   /* neither key sets the value           */
    SWD_FROM_INSTALLER = 1, /* HKLM\SOFTWARE\sharewall              */
    SWD_FROM_POLICIES = 2   /* HKLM\SOFTWARE\Policies\sharewall     */
} swd_origin;

typedef enum swd_setting {
    SWD_SET_POLICY_PATH = 0,
    SWD_SET_MODE,
    SWD_SET_LOG_PATH,
    SWD_SET_ENABLED,
    SWD_SET_LOG_MAX_BYTES,
    SWD_SET_COUNT
} swd_setting;

typedef struct swd_config {
    wchar_t policy_path[SWD_PATH_CAP]; /* expanded                     */
    wchar_t log_path[SWD_PATH_CAP];    /* expanded; L"" = no JSON log  */
    int mode_override;                 /* -1 none, else an sw_mode     */
    int enabled;                       /* 0: decide and log, never veto */
    DWORD log_max_bytes;               /* rotate LogPath past this size */
    swd_origin origin[SWD_SET_COUNT];
    /* Nonzero when a key or value could not be read or is invalid: the
     * DLL then decides with no policy (deny by error) and says why. */
    DWORD error;
    char error_text[384]; /* UTF-8, names the key and value            */
} swd_config;

/* Read both keys now (no caching). Never fails: problems land in
 * cfg->error / cfg->error_text. */
void swd_config_read(swd_config *cfg);
/* The configuration in force, re-read at most once a second so a Group
 * Policy change (e.g. forcing audit mode) reaches running processes. */
void swd_config_current(swd_config *out);
const char *swd_origin_name(swd_origin o); /* "Policies key", ... */
const wchar_t *swd_setting_name(swd_setting s);

/* ---- init.c: lazy, once-only initialisation ------------------------ */

typedef struct swd_host {
    char machine[256];              /* DNS host name, UTF-8            */
    char self_storage[3][256];      /* NetBIOS, DNS host, DNS FQDN     */
    const char *self_list[3];
    sw_self_names self;             /* loopback spellings of this host */
    char process[SWD_PATH_CAP * 3]; /* image path, UTF-8; "" unknown   */
    unsigned long pid;
    BYTE process_sid[SECURITY_MAX_SID_SIZE]; /* the process token's user */
    int has_process_sid;
} swd_host;

/* Initialises on the first call (InitOnceExecuteOnce), then returns the
 * same host description. Never NULL. */
const swd_host *swd_host_get(void);
int64_t swd_now_ms(void); /* Unix time in ms, UTC */

/* TOKEN_USER with room for any SID, correctly aligned. */
typedef union swd_token_user {
    TOKEN_USER tu;
    BYTE bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
} swd_token_user;

/* ---- utf16.c: NETRESOURCEW strings to UTF-8 ------------------------ */

/* Bytes of UTF-8 needed for a NUL-terminated UTF-16 string (NUL
 * included); 1 for NULL. */
size_t swd_utf8_size(const wchar_t *w);
/* Convert w (NULL-safe: *out = NULL) into dst[0..cap). Returns SW_OK or
 * SW_EINVAL (unpaired surrogate) / SW_ETOOBIG. */
int swd_to_utf8(const wchar_t *w, char *dst, size_t cap, const char **out);
/* Heap copy (free()) of a UTF-16 string as UTF-8; NULL in -> NULL out
 * with SW_OK. */
int swd_to_utf8_dup(const wchar_t *w, char **out);
/* UTF-8 -> UTF-16 heap copy (free()); invalid UTF-8 yields NULL. */
wchar_t *swd_to_utf16_dup(const char *s);

/* ---- acl_check.c: who may modify the policy ------------------------ */

/* SW_OK when neither the file nor its folder lets a broad group
 * (Everyone, Authenticated Users, Users, Interactive, Guests, Anonymous)
 * modify it and the file has a DACL; otherwise SW_EINVAL with why[] set.
 * SW_EIO when the security information cannot be read. */
int swd_acl_check_file(const wchar_t *path, char *why, size_t why_cap);

/* ---- policy_store.c: the compiled policy in force ------------------ */

typedef struct swd_policy_ref swd_policy_ref;

/* The policy in force after a freshness check against cfg's path (a
 * changed file is reloaded here, on the calling thread). NULL when no
 * good policy was ever loaded. Release with swd_policy_release. */
swd_policy_ref *swd_policy_acquire(const swd_config *cfg);
const sw_policy *swd_policy_get(const swd_policy_ref *r); /* NULL-safe */
void swd_policy_release(swd_policy_ref *r);

/* ---- context.c: who is calling ------------------------------------- */

typedef struct swd_caller {
    char *user;    /* DOMAIN\name, heap                               */
    char **groups; /* names and SID strings, heap                     */
    size_t group_count;
} swd_caller;

/* Fill the fields the policy uses (SW_FIELD_BIT mask). Returns SW_OK, or
 * an SW_E* code with why[] set; *c is then safe to free. */
int swd_caller_gather(unsigned fields, swd_caller *c, char *why,
                      size_t why_cap);
void swd_caller_free(swd_caller *c);

/* ---- ratelimit.c: identical records at most once per window -------- */

#define SWD_RATE_WINDOW_MS 5000

/* Key of a record: same event, user, name, decision and rule. */
uint64_t swd_ratelimit_key(const sw_record *r);
/* 1: emit now, *suppressed = identical records dropped since the last
 * one emitted; 0: drop (counted). */
int swd_ratelimit_admit(uint64_t key, uint64_t now_ms,
                        unsigned long *suppressed);

/* ---- jsonlog.c: JSON lines to LogPath ------------------------------ */

/* LogMaxBytes: default, and the floor below which a value is raised (a
 * tiny cap would let whoever sets it churn the log away). */
#define SWD_JSONLOG_CAP (10u * 1024u * 1024u)
#define SWD_JSONLOG_MIN_CAP (64u * 1024u)

/* Append one formatted line (single WriteFile, FILE_APPEND_DATA),
 * rotating to PATH.1 once the file would pass cap bytes. */
int swd_jsonlog_append(const wchar_t *path, const char *line, size_t len,
                       DWORD cap);

/* ---- eventlog.c: the Windows Event Log ----------------------------- */

/* Report one record (insertion strings documented in docs/events.md).
 * policy_file: for policy events, the file concerned (else NULL). */
void swd_eventlog_report(const sw_record *r, const char *policy_file);

/* ---- log.c: one record to every sink ------------------------------- */

/* Rate-limits request events, then writes the JSON line (if LogPath is
 * set) and the Event Log entry. r->suppressed is filled in here. */
void swd_log(const swd_config *cfg, sw_record *r, const char *policy_file);
/* A record with the common fields (time, machine, pid) filled in. */
void swd_record_init(sw_record *r, sw_event ev);
/* Convenience for policy and error events carrying only text. */
void swd_log_message(const swd_config *cfg, sw_event ev,
                     const char *policy_file, const char *message);

#endif
