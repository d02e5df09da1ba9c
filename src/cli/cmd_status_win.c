/* `sharewall status` (Windows only): what the DLL would see right now.
 * The configuration in force and where each value came from (Policies
 * key, installer key or default), the policy path, whether it loads and
 * passes the permission check exactly as the DLL applies them, and whether
 * the DLL is registered under Notifyees. It reuses the DLL's own
 * src/win/config.c and acl_check.c, so it cannot disagree with the DLL.
 *
 * Exit status: 0 when the DLL is registered and the policy loads, 1 when
 * something needs attention, 2 on a usage error. */
#ifdef _WIN32

#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "config_names.h"
#include "internal.h"
#include "output.h"
#include "sharewall/sharewall.h"

int cmd_status(int argc, char **argv);

static void print_setting(const swd_config *cfg, swd_setting s, const char *value)
{
    printf("  %-12ls %-48s (%s)\n", swd_setting_name(s), value, swd_origin_name(cfg->origin[s]));
}

static void print_config(const swd_config *cfg, char *path8, size_t cap)
{
    const char *p = NULL;
    char log8[SWD_PATH_CAP * 3], num[32];
    const char *l = NULL;

    swd_to_utf8(cfg->policy_path, path8, cap, &p);
    if (!p)
        snprintf(path8, cap, "(not valid UTF-16)");
    swd_to_utf8(cfg->log_path, log8, sizeof log8, &l);
    printf("configuration (HKLM\\%ls over HKLM\\%ls):\n", SWD_REG_POLICIES_KEY,
           SWD_REG_INSTALLER_KEY);
    print_setting(cfg, SWD_SET_POLICY_PATH, path8);
    print_setting(cfg, SWD_SET_MODE,
                  cfg->mode_override < 0 ? "(as the policy file says)"
                                         : sw_mode_name((sw_mode)cfg->mode_override));
    print_setting(cfg, SWD_SET_LOG_PATH, l && l[0] ? l : "(no JSON log)");
    print_setting(cfg, SWD_SET_ENABLED, cfg->enabled ? "1 (vetoes enforced)"
                                                     : "0 (decide and log, never veto)");
    snprintf(num, sizeof num, "%lu bytes", (unsigned long)cfg->log_max_bytes);
    print_setting(cfg, SWD_SET_LOG_MAX_BYTES, num);
    if (cfg->error)
        printf("  ERROR: %s\n  (the DLL denies every connection until this is fixed)\n",
               cfg->error_text);
}

/* 1 when the policy loads and its permissions are safe. */
static int print_policy(const swd_config *cfg, const char *path8)
{
    char why[1024];
    sw_policy *p = NULL;
    sw_diags d;
    int rc, ok;

    printf("policy %s:\n", path8);
    rc = swd_acl_check_file(cfg->policy_path, why, sizeof why);
    if (rc != SW_OK) {
        printf("  REFUSED by the DLL: %s\n", why);
        return 0;
    }
    printf("  permissions: no broad group may modify the file or its folder\n");
    sw_diags_init(&d);
    rc = sw_policy_load_file(path8, &p, &d);
    for (size_t i = 0; i < d.count; i++) {
        fputs("  ", stdout);
        out_diag(stdout, &d.items[i]); /* escaped, like every diagnostic */
    }
    ok = rc == SW_OK && p;
    if (ok) {
        int mode = cfg->mode_override >= 0 ? cfg->mode_override : (int)sw_policy_mode(p);
        printf("  loads: %lu rules from %lu files; mode in force %s%s; default %s; on_error %s\n",
               (unsigned long)sw_policy_rule_count(p), (unsigned long)sw_policy_file_count(p),
               sw_mode_name((sw_mode)mode), cfg->mode_override >= 0 ? " (registry)" : "",
               sw_action_name(sw_policy_default(p)), sw_action_name(sw_policy_on_error(p)));
    } else {
        printf("  DOES NOT LOAD: the DLL keeps its last good policy, or denies every\n"
               "  connection (on_error) if it never loaded one\n");
    }
    sw_policy_free(p);
    sw_diags_free(&d);
    return ok;
}

/* 1 when some Notifyees value names a sharewall.dll that exists. */
static int print_registration(void)
{
    HKEY key;
    int found = 0;
    LSTATUS st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, SWD_REG_NOTIFYEES_KEY, 0, KEY_QUERY_VALUE, &key);

    printf("registration (HKLM\\%ls):\n", SWD_REG_NOTIFYEES_KEY);
    if (st != ERROR_SUCCESS) {
        printf("  NOT REGISTERED: the key cannot be opened (error %ld)\n", (long)st);
        return 0;
    }
    for (DWORD i = 0;; i++) {
        wchar_t name[256], data[SWD_PATH_CAP], path[SWD_PATH_CAP];
        DWORD nn = 256, dn = sizeof data - sizeof(wchar_t), type = 0;
        const wchar_t *base;
        st = RegEnumValueW(key, i, name, &nn, NULL, &type, (BYTE *)data, &dn);
        if (st == ERROR_NO_MORE_ITEMS)
            break;
        if (st != ERROR_SUCCESS || (type != REG_EXPAND_SZ && type != REG_SZ))
            continue;
        data[dn / sizeof(wchar_t)] = L'\0';
        if (!ExpandEnvironmentStringsW(data, path, SWD_PATH_CAP))
            continue;
        base = wcsrchr(path, L'\\');
        base = base ? base + 1 : path;
        if (_wcsicmp(base, L"sharewall.dll") != 0)
            continue;
        found |= GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
        printf("  %ls = %ls%ls -> %ls (%s)\n", name, data,
               type == REG_EXPAND_SZ ? L"" : L" [REG_SZ, expected REG_EXPAND_SZ]", path,
               GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES ? "present" : "MISSING");
    }
    RegCloseKey(key);
    if (!found)
        printf("  NOT REGISTERED: no value names an existing sharewall.dll\n");
    return found;
}

int cmd_status(int argc, char **argv)
{
    swd_config cfg;
    char path8[SWD_PATH_CAP * 3];
    int loads, registered;

    if (argc > 1) {
        int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
        fputs("usage: sharewall status\n"
              "Show the configuration sharewall.dll uses and where each value comes\n"
              "from, whether its policy loads, and whether the DLL is registered.\n",
              help ? stdout : stderr);
        return help ? 0 : 2;
    }
    swd_config_read(&cfg);
    print_config(&cfg, path8, sizeof path8);
    loads = !cfg.error && print_policy(&cfg, path8);
    registered = print_registration();
    return loads && registered ? 0 : 1;
}

#endif /* _WIN32 */
