/* The compiled policy in force: shared by every thread, immutable, and
 * reference-counted, so a reload never frees a policy a decision is still
 * using. Each PRE runs a cheap freshness check (size and last-write time
 * of NAME.yaml, of NAME.d\ and of every NAME.d\*.yaml, hashed into a
 * stamp); a changed stamp triggers a reload on the calling thread while
 * the other threads keep deciding with the policy in force.
 *
 * A version that fails to load (syntax, unsafe permissions, missing) is
 * rejected and the last good policy stays; each version is reported once.
 * Failures that may be transient (a sharing violation while an editor
 * saves, out of memory, unreadable permissions) are retried after a
 * second even if the stamp has not changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"

#define SWD_RETRY_MS 1000

struct swd_policy_ref {
    volatile LONG refs;
    sw_policy *policy;
};

static SRWLOCK g_lock = SRWLOCK_INIT;      /* guards the fields below */
static SRWLOCK g_load_lock = SRWLOCK_INIT; /* one loader at a time   */
static swd_policy_ref *g_current;          /* NULL: none loaded yet  */
static uint64_t g_seen_stamp;              /* version last tried     */
static int g_seen_transient;               /* ...and it may recover  */
static ULONGLONG g_seen_tick;
static uint64_t g_reported_stamp;          /* version last reported  */

/* ---- freshness stamp ------------------------------------------------ */

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* Mixes size and last-write time (or why they are unavailable) into h;
 * *dir_out gets whether path is an existing directory. */
static uint64_t mix_attributes(uint64_t h, const wchar_t *path, int *dir_out)
{
    WIN32_FILE_ATTRIBUTE_DATA fa;
    *dir_out = 0;
    if (GetFileAttributesExW(path, GetFileExInfoStandard, &fa)) {
        h = fnv(h, &fa.nFileSizeHigh, sizeof fa.nFileSizeHigh);
        h = fnv(h, &fa.nFileSizeLow, sizeof fa.nFileSizeLow);
        h = fnv(h, &fa.ftLastWriteTime, sizeof fa.ftLastWriteTime);
        *dir_out = (fa.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    } else {
        DWORD err = GetLastError();
        h = fnv(h, "missing", 7);
        h = fnv(h, &err, sizeof err);
    }
    return h;
}

/* NAME.yaml -> NAME.d, anything else -> PATH.d: as the engine's loader. */
static int fragment_dir(const wchar_t *path, wchar_t *dir, size_t cap)
{
    size_t n = wcslen(path);
    if (n >= 5 && wcscmp(path + n - 5, L".yaml") == 0)
        n -= 5;
    if (n + 3 > cap)
        return 0;
    wmemcpy(dir, path, n);
    wmemcpy(dir + n, L".d", 3);
    return 1;
}

typedef void (*fragment_fn)(void *ctx, const wchar_t *file,
                            const WIN32_FIND_DATAW *fd);

/* Calls fn for every NAME.d\*.yaml regular file; returns how many. */
static size_t each_fragment(const wchar_t *dir, fragment_fn fn, void *ctx)
{
    wchar_t pattern[SWD_PATH_CAP], file[SWD_PATH_CAP];
    WIN32_FIND_DATAW fd;
    HANDLE h;
    size_t count = 0;

    if (_snwprintf(pattern, SWD_PATH_CAP, L"%ls\\*.yaml", dir) < 0)
        return 0;
    pattern[SWD_PATH_CAP - 1] = L'\0';
    h = FindFirstFileExW(pattern, FindExInfoBasic, &fd, FindExSearchNameMatch,
                         NULL, 0);
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    do {
        size_t len = wcslen(fd.cFileName);
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
            continue;
        /* "*.yaml" also matches 8.3 aliases: insist on the real suffix,
         * and skip hidden dot-files as the loader does. */
        if (len <= 5 || wcscmp(fd.cFileName + len - 5, L".yaml") != 0 ||
            fd.cFileName[0] == L'.')
            continue;
        if (_snwprintf(file, SWD_PATH_CAP, L"%ls\\%ls", dir, fd.cFileName) < 0)
            continue;
        file[SWD_PATH_CAP - 1] = L'\0';
        fn(ctx, file, &fd);
        count++;
    } while (FindNextFileW(h, &fd));
    FindClose(h);
    return count;
}

static void stamp_fragment(void *ctx, const wchar_t *file,
                           const WIN32_FIND_DATAW *fd)
{
    uint64_t *sum = (uint64_t *)ctx, h = UINT64_C(14695981039346656037);
    h = fnv(h, file, wcslen(file) * sizeof(wchar_t));
    h = fnv(h, &fd->nFileSizeHigh, sizeof fd->nFileSizeHigh);
    h = fnv(h, &fd->nFileSizeLow, sizeof fd->nFileSizeLow);
    h = fnv(h, &fd->ftLastWriteTime, sizeof fd->ftLastWriteTime);
    *sum += h; /* order-independent: the listing order is not promised */
}

static uint64_t stamp_of(const wchar_t *path)
{
    wchar_t dir[SWD_PATH_CAP];
    uint64_t h = UINT64_C(14695981039346656037), sum = 0;
    size_t count;

    int is_dir;

    h = fnv(h, path, wcslen(path) * sizeof(wchar_t));
    h = mix_attributes(h, path, &is_dir);
    if (fragment_dir(path, dir, SWD_PATH_CAP)) {
        h = mix_attributes(h, dir, &is_dir);
        /* Files edited in place do not change the folder's time: list
         * them, but only when the folder exists (usually it does not, and
         * every file-system call counts on this path). */
        count = is_dir ? each_fragment(dir, stamp_fragment, &sum) : 0;
        h = fnv(h, &count, sizeof count);
        h = fnv(h, &sum, sizeof sum);
    }
    return h | 1; /* never 0, which means "nothing tried yet" */
}

/* ---- loading --------------------------------------------------------- */

typedef struct acl_walk {
    int rc;
    char *why;
    size_t why_cap;
} acl_walk;

static void acl_fragment(void *ctx, const wchar_t *file,
                         const WIN32_FIND_DATAW *fd)
{
    acl_walk *w = (acl_walk *)ctx;
    (void)fd;
    if (w->rc == SW_OK)
        w->rc = swd_acl_check_file(file, w->why, w->why_cap);
}

/* The main file, its folder, and every fragment with NAME.d itself. */
static int acl_check_all(const wchar_t *path, char *why, size_t why_cap)
{
    wchar_t dir[SWD_PATH_CAP];
    acl_walk w = {SW_OK, why, why_cap};

    w.rc = swd_acl_check_file(path, why, why_cap);
    if (w.rc == SW_OK && fragment_dir(path, dir, SWD_PATH_CAP))
        each_fragment(dir, acl_fragment, &w);
    return w.rc;
}

static void describe_errors(const sw_diags *d, char *why, size_t cap)
{
    size_t errors = sw_diags_errors(d), shown = 0;
    for (size_t i = 0; i < d->count && !shown; i++) {
        const sw_diag *g = &d->items[i];
        if (g->severity != SW_SEV_ERROR)
            continue;
        snprintf(why, cap, "%s:%u:%u: %s%s%s", g->pos.file, g->pos.line,
                 g->pos.column, g->field && g->field[0] ? g->field : "",
                 g->field && g->field[0] ? ": " : "", g->message ? g->message : "");
        shown = 1;
    }
    if (!shown)
        snprintf(why, cap, "the policy could not be loaded%s",
                 d->oom ? " (out of memory)" : "");
    if (errors > 1) {
        size_t len = strlen(why);
        snprintf(why + len, cap - len, " (and %lu more error%s)",
                 (unsigned long)(errors - 1), errors > 2 ? "s" : "");
    }
}

static void describe_policy(const sw_policy *p, const swd_config *cfg,
                            size_t warnings, char *out, size_t cap)
{
    size_t rules = sw_policy_rule_count(p), files = sw_policy_file_count(p);
    snprintf(out, cap,
             "%lu rule%s from %lu file%s, mode %s%s%s, default %s, on_error %s, "
             "%lu warning%s",
             (unsigned long)rules, rules == 1 ? "" : "s", (unsigned long)files,
             files == 1 ? "" : "s", sw_mode_name(sw_policy_mode(p)),
             cfg->mode_override >= 0 ? " (registry Mode: " : "",
             cfg->mode_override >= 0
                 ? (cfg->mode_override == SW_MODE_AUDIT ? "audit)" : "enforce)")
                 : "",
             sw_action_name(sw_policy_default(p)),
             sw_action_name(sw_policy_on_error(p)), (unsigned long)warnings,
             warnings == 1 ? "" : "s");
}

/* Try to load the version with this stamp and publish the outcome. */
static void load(const swd_config *cfg, uint64_t stamp)
{
    char path8[SWD_PATH_CAP * 3], why[1024] = "";
    const char *p8 = NULL;
    sw_policy *policy = NULL;
    swd_policy_ref *fresh = NULL, *old = NULL;
    int rc, transient = 0, report;
    sw_diags diags;

    sw_diags_init(&diags);
    if (swd_to_utf8(cfg->policy_path, path8, sizeof path8, &p8) != SW_OK || !p8) {
        snprintf(path8, sizeof path8, "(unconvertible policy path)");
        snprintf(why, sizeof why, "the policy path is not valid UTF-16");
        rc = SW_EINVAL;
    } else if (GetFileAttributesW(cfg->policy_path) == INVALID_FILE_ATTRIBUTES) {
        DWORD err = GetLastError();
        snprintf(why, sizeof why, "the policy file cannot be found (error %lu)",
                 (unsigned long)err);
        /* Missing stays missing until created, which changes the stamp. */
        rc = SW_EIO;
        transient = err != ERROR_FILE_NOT_FOUND && err != ERROR_PATH_NOT_FOUND;
    } else if ((rc = acl_check_all(cfg->policy_path, why, sizeof why)) != SW_OK) {
        /* Fixing permissions does not change the stamp: retry later. */
        transient = 1;
    } else {
        rc = sw_policy_load_file(p8, &policy, &diags);
        if (rc == SW_OK && policy) {
            fresh = (swd_policy_ref *)malloc(sizeof *fresh);
            if (fresh) {
                fresh->refs = 1; /* the store's own reference */
                fresh->policy = policy;
                describe_policy(policy, cfg, diags.count - sw_diags_errors(&diags),
                                why, sizeof why);
            } else {
                sw_policy_free(policy);
                snprintf(why, sizeof why, "out of memory");
                rc = SW_ENOMEM;
            }
        } else {
            describe_errors(&diags, why, sizeof why);
            if (rc == SW_OK)
                rc = SW_EINVAL;
        }
        transient = rc == SW_EIO || rc == SW_ENOMEM;
    }
    sw_diags_free(&diags);

    AcquireSRWLockExclusive(&g_lock);
    if (fresh) {
        old = g_current;
        g_current = fresh;
    }
    g_seen_stamp = stamp;
    g_seen_transient = !fresh && transient;
    g_seen_tick = GetTickCount64();
    report = g_reported_stamp != stamp;
    g_reported_stamp = stamp;
    ReleaseSRWLockExclusive(&g_lock);

    swd_policy_release(old);
    if (fresh)
        swd_log_message(cfg, SW_EV_POLICY_LOADED, path8, why);
    else if (report)
        swd_log_message(cfg, SW_EV_POLICY_REJECTED, path8, why);
}

static int needs_load(uint64_t stamp)
{
    int need;
    AcquireSRWLockShared(&g_lock);
    need = stamp != g_seen_stamp ||
           (g_seen_transient && GetTickCount64() - g_seen_tick >= SWD_RETRY_MS);
    ReleaseSRWLockShared(&g_lock);
    return need;
}

swd_policy_ref *swd_policy_acquire(const swd_config *cfg)
{
    swd_policy_ref *r;
    uint64_t stamp;
    int have_policy;

    stamp = stamp_of(cfg->policy_path);
    if (needs_load(stamp)) {
        AcquireSRWLockShared(&g_lock);
        have_policy = g_current != NULL;
        ReleaseSRWLockShared(&g_lock);
        /* With a policy in force, a thread that finds another one loading
         * goes on with the policy in force; with none yet, it waits for
         * the first load rather than deny by error. */
        if (have_policy ? TryAcquireSRWLockExclusive(&g_load_lock)
                        : (AcquireSRWLockExclusive(&g_load_lock), TRUE)) {
            if (needs_load(stamp))
                load(cfg, stamp);
            ReleaseSRWLockExclusive(&g_load_lock);
        }
    }
    AcquireSRWLockShared(&g_lock);
    r = g_current;
    if (r)
        InterlockedIncrement(&r->refs);
    ReleaseSRWLockShared(&g_lock);
    return r;
}

const sw_policy *swd_policy_get(const swd_policy_ref *r)
{
    return r ? r->policy : NULL;
}

void swd_policy_release(swd_policy_ref *r)
{
    if (r && InterlockedDecrement(&r->refs) == 0) {
        sw_policy_free(r->policy);
        free(r);
    }
}
