/* Registry configuration: HKLM\SOFTWARE\Policies\sharewall (Group Policy)
 * over HKLM\SOFTWARE\sharewall (installer), value by value, and where each
 * value came from, for `sharewall status`.
 *
 * Compiled into both sharewall.dll and sharewall.exe (status). */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "config_names.h"
#include "internal.h"

/* How often running processes re-read the registry. */
#define SWD_CONFIG_TTL_MS 1000

const char *swd_origin_name(swd_origin o)
{
    switch (o) {
    case SWD_FROM_POLICIES:
        return "Policies key (Group Policy)";
    case SWD_FROM_INSTALLER:
        return "installer key";
    default:
        return "default";
    }
}

const wchar_t *swd_setting_name(swd_setting s)
{
    static const wchar_t *const names[SWD_SET_COUNT] = {
        SWD_REG_POLICY_PATH, SWD_REG_MODE, SWD_REG_LOG_PATH, SWD_REG_ENABLED,
        SWD_REG_LOG_MAX_BYTES};
    return (unsigned)s < SWD_SET_COUNT ? names[s] : L"?";
}

static void set_error(swd_config *cfg, DWORD err, const wchar_t *key,
                      const wchar_t *value, const char *what)
{
    if (cfg->error)
        return; /* the first problem is the one to fix first */
    cfg->error = err ? err : ERROR_INVALID_DATA;
    snprintf(cfg->error_text, sizeof cfg->error_text,
             "HKLM\\%ls%s%ls: %s (error %lu)", key, value ? "\\" : "",
             value ? value : L"", what, (unsigned long)cfg->error);
}

/* Both keys, opened once per read. KEY_WOW64_64KEY: the installer writes
 * the 64-bit view, and a 32-bit process must see the same values. */
typedef struct keys {
    HKEY h[2]; /* [0] Policies, [1] installer; NULL when absent */
} keys;

static const wchar_t *const key_paths[2] = {SWD_REG_POLICIES_KEY,
                                            SWD_REG_INSTALLER_KEY};
static const swd_origin key_origins[2] = {SWD_FROM_POLICIES,
                                          SWD_FROM_INSTALLER};

static void open_keys(swd_config *cfg, keys *k)
{
    for (int i = 0; i < 2; i++) {
        LSTATUS st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, key_paths[i], 0,
                                   KEY_QUERY_VALUE | KEY_WOW64_64KEY, &k->h[i]);
        if (st != ERROR_SUCCESS) {
            k->h[i] = NULL;
            if (st != ERROR_FILE_NOT_FOUND)
                set_error(cfg, (DWORD)st, key_paths[i], NULL,
                          "the key cannot be opened");
        }
    }
}

static void close_keys(keys *k)
{
    for (int i = 0; i < 2; i++)
        if (k->h[i])
            RegCloseKey(k->h[i]);
}

/* Find a value in the Policies key, else the installer key. Returns the
 * index of the key holding it (0/1) or -1 when neither has it; data is
 * NUL-terminated for string types. */
static int query(swd_config *cfg, const keys *k, const wchar_t *name,
                 DWORD *type, BYTE *data, DWORD cap)
{
    for (int i = 0; i < 2; i++) {
        DWORD size = cap - sizeof(wchar_t);
        LSTATUS st;
        if (!k->h[i])
            continue;
        st = RegQueryValueExW(k->h[i], name, NULL, type, data, &size);
        if (st == ERROR_FILE_NOT_FOUND)
            continue;
        if (st == ERROR_MORE_DATA) {
            set_error(cfg, (DWORD)st, key_paths[i], name, "the value is too long");
            return -2;
        }
        if (st != ERROR_SUCCESS) {
            set_error(cfg, (DWORD)st, key_paths[i], name, "the value cannot be read");
            return -2;
        }
        /* Registry strings need not be terminated: terminate them. */
        memset(data + size, 0, sizeof(wchar_t));
        return i;
    }
    return -1;
}

static void read_path(swd_config *cfg, const keys *k, swd_setting s,
                      wchar_t *dst, const wchar_t *fallback)
{
    wchar_t raw[SWD_PATH_CAP];
    DWORD type = 0, n;
    const wchar_t *src = fallback;
    int at = query(cfg, k, swd_setting_name(s), &type, (BYTE *)raw, sizeof raw);

    cfg->origin[s] = SWD_FROM_DEFAULT;
    if (at == -2)
        return;
    if (at >= 0) {
        if (type != REG_SZ && type != REG_EXPAND_SZ) {
            set_error(cfg, ERROR_INVALID_DATATYPE, key_paths[at],
                      swd_setting_name(s), "expected REG_SZ or REG_EXPAND_SZ");
            return;
        }
        cfg->origin[s] = key_origins[at];
        src = raw;
        if (type == REG_SZ) {
            wcsncpy(dst, raw, SWD_PATH_CAP - 1);
            dst[SWD_PATH_CAP - 1] = L'\0';
            return;
        }
    }
    if (!src) {
        dst[0] = L'\0';
        return;
    }
    n = ExpandEnvironmentStringsW(src, dst, SWD_PATH_CAP);
    if (n == 0 || n > SWD_PATH_CAP) {
        dst[0] = L'\0';
        set_error(cfg, n ? ERROR_BUFFER_OVERFLOW : GetLastError(),
                  at >= 0 ? key_paths[at] : L"(default)", swd_setting_name(s),
                  "the expanded path is too long or cannot be expanded");
    }
}

static void read_mode(swd_config *cfg, const keys *k)
{
    wchar_t raw[64];
    DWORD type = 0;
    int at = query(cfg, k, SWD_REG_MODE, &type, (BYTE *)raw, sizeof raw);

    cfg->mode_override = -1;
    cfg->origin[SWD_SET_MODE] = SWD_FROM_DEFAULT;
    if (at < 0)
        return;
    if (type != REG_SZ && type != REG_EXPAND_SZ) {
        set_error(cfg, ERROR_INVALID_DATATYPE, key_paths[at], SWD_REG_MODE,
                  "expected REG_SZ \"enforce\" or \"audit\"");
        return;
    }
    if (raw[0] == L'\0')
        return; /* an empty value means "as the policy file says" */
    if (_wcsicmp(raw, L"enforce") == 0)
        cfg->mode_override = SW_MODE_ENFORCE;
    else if (_wcsicmp(raw, L"audit") == 0)
        cfg->mode_override = SW_MODE_AUDIT;
    else {
        set_error(cfg, ERROR_INVALID_DATA, key_paths[at], SWD_REG_MODE,
                  "expected \"enforce\" or \"audit\"");
        return;
    }
    cfg->origin[SWD_SET_MODE] = key_origins[at];
}

/* A REG_DWORD setting; *value keeps its default when neither key has it. */
static void read_dword(swd_config *cfg, const keys *k, swd_setting s,
                       DWORD *value)
{
    DWORD type = 0;
    BYTE raw[16];
    int at = query(cfg, k, swd_setting_name(s), &type, raw, sizeof raw);

    cfg->origin[s] = SWD_FROM_DEFAULT;
    if (at < 0)
        return;
    if (type != REG_DWORD) {
        set_error(cfg, ERROR_INVALID_DATATYPE, key_paths[at], swd_setting_name(s),
                  "expected REG_DWORD");
        return;
    }
    memcpy(value, raw, sizeof *value);
    cfg->origin[s] = key_origins[at];
}

void swd_config_read(swd_config *cfg)
{
    keys k;

    memset(cfg, 0, sizeof *cfg);
    cfg->mode_override = -1;
    cfg->enabled = 1;
    cfg->log_max_bytes = SWD_JSONLOG_CAP;
    open_keys(cfg, &k);
    read_path(cfg, &k, SWD_SET_POLICY_PATH, cfg->policy_path,
              SWD_DEFAULT_POLICY_PATH);
    read_mode(cfg, &k);
    read_path(cfg, &k, SWD_SET_LOG_PATH, cfg->log_path, NULL);
    {
        DWORD enabled = 1, cap = SWD_JSONLOG_CAP;
        read_dword(cfg, &k, SWD_SET_ENABLED, &enabled);
        read_dword(cfg, &k, SWD_SET_LOG_MAX_BYTES, &cap);
        cfg->enabled = enabled != 0;
        cfg->log_max_bytes = cap < SWD_JSONLOG_MIN_CAP ? SWD_JSONLOG_MIN_CAP : cap;
    }
    close_keys(&k);
    if (cfg->error) {
        /* Fail closed: an unreadable configuration never disables
         * enforcement. */
        cfg->enabled = 1;
        cfg->mode_override = -1;
    }
}

/* The cached configuration, shared by all threads. A reader whose copy
 * is stale reads the registry itself (no lock held meanwhile) and then
 * publishes what it read: at worst a few threads re-read once a second. */
static SRWLOCK g_lock = SRWLOCK_INIT;
static swd_config g_config;
static volatile LONG64 g_read_at = -1; /* tick of the last read, -1 never */

void swd_config_current(swd_config *out)
{
    LONG64 now = (LONG64)GetTickCount64();
    /* An atomic 64-bit read, also on x86. */
    LONG64 then = InterlockedCompareExchange64(&g_read_at, 0, 0);

    if (then >= 0 && now - then < SWD_CONFIG_TTL_MS) {
        AcquireSRWLockShared(&g_lock);
        *out = g_config;
        ReleaseSRWLockShared(&g_lock);
        return;
    }
    swd_config_read(out);
    AcquireSRWLockExclusive(&g_lock);
    g_config = *out;
    InterlockedExchange64(&g_read_at, now);
    ReleaseSRWLockExclusive(&g_lock);
}
