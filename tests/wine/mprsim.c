/* mprsim — a stand-in for Windows' Multiple Provider Router, to drive
 * connection-notification DLLs under Wine (whose mpr.dll never calls
 * notifyees).
 *
 * Like MPR it reads every value under
 *   HKLM\SYSTEM\CurrentControlSet\Control\NetworkProvider\Notifyees,
 * expands it (REG_EXPAND_SZ), LoadLibraryW's the DLL and looks up
 * AddConnectNotify / CancelConnectNotify by name. Then it runs scenario
 * files, one command per line (tests/wine/README.md documents them):
 *
 *   # comment                      blank lines and #... are ignored
 *   include FILE                   run FILE (relative to this file) here
 *   reg-set KEY NAME sz|expand|dword VALUE
 *   reg-delete KEY [NAME]          KEY: policies | installer | HKLM\path
 *   copy SRC DST                   SRC relative to the scenario's folder
 *   remove PATH
 *   mkdir PATH
 *   sleep MS
 *   provider-result STATUS         what the simulated provider returns
 *   add REMOTE [LOCAL [PROVIDER [FLAGS]]]
 *                                  PRE (lpContext NULL), the provider if
 *                                  no PRE cancelled, POST to every DLL
 *                                  whose PRE left a non-NULL lpContext
 *   add-pre REMOTE [...]           PRE only; keep the contexts
 *   post                           POST for the kept contexts
 *   post-null                      POST with a NULL lpContext
 *   cancel NAME [force]            CancelConnectNotify PRE, provider, POST
 *   expect-return CODE             result the WNet caller would see
 *   names FILE CODE                add every name in FILE, each must give CODE
 *   expect-post yes|no             whether the last operation got a POST
 *   stress THREADS OPS TEMPLATE [rewrite MS FILE-A FILE-B DEST]
 *                                  THREADS threads x OPS "add TEMPLATE"
 *                                  ({t} thread, {i} op index), while a
 *                                  writer rewrites DEST every MS ms
 *
 * Arguments: "-" is NULL, "" is the empty string, "{U+D800}" inserts one
 * UTF-16 code unit, %VAR% is expanded, and %SW_SCN% is the folder of the
 * scenario being run. Exit status: 0 when every expectation held, 1 when
 * one failed, 2 on a usage or setup error.
 *
 * Options: --measure-load prints private memory before and after loading
 * the DLLs and after the first call. */
#include <windows.h>
#include <winnetwk.h>
#include <npapi.h>
#include <psapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "config_names.h"

#ifndef WN_CANCELLED
#define WN_CANCELLED ERROR_CANCELLED
#endif

#define MAX_DLLS 8
#define MAX_ARGS 12
#define MAX_LINE 4096

typedef struct notifyee {
    wchar_t path[MAX_PATH * 2];
    HMODULE module;
    PF_AddConnectNotify add;
    PF_CancelConnectNotify cancel;
} notifyee;

static notifyee g_dlls[MAX_DLLS];
static int g_ndlls;
static int g_failures;
static DWORD g_provider_result = WN_SUCCESS;
static int g_measure;

/* Outcome of the last operation, for expect-*. */
static DWORD g_last_return;
static int g_last_posted;
/* Contexts kept by add-pre for a later post. */
static LPVOID g_kept[MAX_DLLS];
static NETRESOURCEW g_kept_nr;

/* ---- memory measurement --------------------------------------------- */

/* Committed private memory. Wine leaves PrivateUsage at 0, so when it is
 * 0 the committed MEM_PRIVATE regions are summed instead (a DLL's own
 * heap and data). */
static SIZE_T private_bytes(void)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;
    MEMORY_BASIC_INFORMATION mbi;
    SIZE_T sum = 0;
    const char *at = NULL;

    memset(&pmc, 0, sizeof pmc);
    pmc.cb = sizeof pmc;
    if (GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc,
                             sizeof pmc) &&
        pmc.PrivateUsage)
        return pmc.PrivateUsage;
    while (VirtualQuery(at, &mbi, sizeof mbi) == sizeof mbi) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE)
            sum += mbi.RegionSize;
        at = (const char *)mbi.BaseAddress + mbi.RegionSize;
        if (at < (const char *)mbi.BaseAddress)
            break; /* wrapped: end of the address space */
    }
    return sum;
}

/* ---- loading the notifyees, as MPR does ------------------------------- */

static int load_notifyees(void)
{
    HKEY key;
    LSTATUS st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, SWD_REG_NOTIFYEES_KEY, 0,
                               KEY_QUERY_VALUE, &key);
    if (st != ERROR_SUCCESS) {
        fprintf(stderr, "mprsim: cannot open HKLM\\%ls (error %ld)\n",
                SWD_REG_NOTIFYEES_KEY, (long)st);
        return -1;
    }
    for (DWORD i = 0; g_ndlls < MAX_DLLS; i++) {
        wchar_t name[256], data[MAX_PATH * 2];
        DWORD nn = 256, dn = sizeof data - sizeof(wchar_t), type = 0;
        notifyee *n = &g_dlls[g_ndlls];
        st = RegEnumValueW(key, i, name, &nn, NULL, &type, (BYTE *)data, &dn);
        if (st == ERROR_NO_MORE_ITEMS)
            break;
        if (st != ERROR_SUCCESS || (type != REG_EXPAND_SZ && type != REG_SZ))
            continue;
        data[dn / sizeof(wchar_t)] = L'\0';
        if (!ExpandEnvironmentStringsW(data, n->path, MAX_PATH * 2))
            continue;
        n->module = LoadLibraryW(n->path);
        if (!n->module) {
            fprintf(stderr, "mprsim: notifyee %ls: cannot load %ls (error %lu)\n", name,
                    n->path, (unsigned long)GetLastError());
            continue;
        }
        n->add = (PF_AddConnectNotify)(void (*)(void))GetProcAddress(n->module, "AddConnectNotify");
        n->cancel = (PF_CancelConnectNotify)(void (*)(void))GetProcAddress(n->module,
                                                                        "CancelConnectNotify");
        printf("notifyee %ls: %ls (AddConnectNotify %s, CancelConnectNotify %s)\n", name,
               n->path, n->add ? "found" : "MISSING", n->cancel ? "found" : "MISSING");
        g_ndlls++;
    }
    RegCloseKey(key);
    return g_ndlls > 0 ? 0 : -1;
}

/* ---- the MPR sequences ------------------------------------------------ */

/* PRE to every notifyee; returns the first non-success code (MPR cancels
 * the operation) and the contexts each left. */
static DWORD add_pre(NETRESOURCEW *nr, DWORD flags, LPVOID ctx[MAX_DLLS])
{
    DWORD result = WN_SUCCESS;
    for (int i = 0; i < g_ndlls; i++) {
        NOTIFYINFO info = {NOTIFY_PRE, 0, NULL};
        NOTIFYADD add;
        DWORD r;
        ctx[i] = NULL;
        if (!g_dlls[i].add)
            continue;
        memset(&add, 0, sizeof add);
        add.NetResource = *nr;
        add.dwAddFlags = flags;
        r = g_dlls[i].add(&info, &add);
        ctx[i] = info.lpContext;
        if (r != WN_SUCCESS && result == WN_SUCCESS)
            result = r;
    }
    return result;
}

/* POST to every notifyee that left a context. Returns how many. */
static int add_post(NETRESOURCEW *nr, DWORD status, LPVOID ctx[MAX_DLLS])
{
    int posted = 0;
    for (int i = 0; i < g_ndlls; i++) {
        NOTIFYINFO info = {NOTIFY_POST, status, ctx[i]};
        NOTIFYADD add;
        if (!ctx[i] || !g_dlls[i].add)
            continue;
        memset(&add, 0, sizeof add);
        add.NetResource = *nr;
        g_dlls[i].add(&info, &add);
        ctx[i] = NULL;
        posted++;
    }
    return posted;
}

/* One WNetAddConnection as MPR runs it. *posted: POSTs sent. */
static DWORD add_connection(NETRESOURCEW *nr, DWORD flags, int *posted)
{
    LPVOID ctx[MAX_DLLS];
    DWORD pre = add_pre(nr, flags, ctx);
    /* A notifyee that cancels gets no POST (it must not have set a
     * context); others that did get the final status. */
    DWORD status = pre != WN_SUCCESS ? pre : g_provider_result;
    *posted = add_post(nr, status, ctx);
    return status;
}

static DWORD cancel_connection(wchar_t *name, BOOL force, int *posted)
{
    LPVOID ctx[MAX_DLLS];
    wchar_t provider[] = L"Microsoft Windows Network";
    DWORD result = WN_SUCCESS;

    *posted = 0;
    for (int i = 0; i < g_ndlls; i++) {
        NOTIFYINFO info = {NOTIFY_PRE, 0, NULL};
        NOTIFYCANCEL c = {name, NULL, 0, force}; /* lpProvider: POST only */
        ctx[i] = NULL;
        if (!g_dlls[i].cancel)
            continue;
        if (g_dlls[i].cancel(&info, &c) != WN_SUCCESS && result == WN_SUCCESS)
            result = ERROR_CANCELLED;
        ctx[i] = info.lpContext;
    }
    if (result == WN_SUCCESS)
        result = g_provider_result;
    for (int i = 0; i < g_ndlls; i++) {
        NOTIFYINFO info = {NOTIFY_POST, result, ctx[i]};
        NOTIFYCANCEL c = {name, provider, 0, force};
        if (!ctx[i])
            continue;
        g_dlls[i].cancel(&info, &c);
        (*posted)++;
    }
    return result;
}

/* ---- scenario parsing ------------------------------------------------- */

typedef struct args {
    wchar_t *v[MAX_ARGS]; /* NULL entries are "-" */
    int n;
    wchar_t storage[MAX_LINE * 2];
} args;

/* Expand %VAR% and {U+XXXX} into dst. */
static void expand_token(const wchar_t *tok, wchar_t *dst, size_t cap)
{
    wchar_t tmp[MAX_LINE];
    size_t o = 0;
    DWORD n = ExpandEnvironmentStringsW(tok, tmp, MAX_LINE);
    if (n == 0 || n > MAX_LINE)
        wcsncpy(tmp, tok, MAX_LINE - 1), tmp[MAX_LINE - 1] = L'\0';
    for (const wchar_t *p = tmp; *p && o + 1 < cap; p++) {
        unsigned v;
        int used = 0;
        if (p[0] == L'{' && p[1] == L'U' && p[2] == L'+' &&
            swscanf(p + 3, L"%4x}%n", &v, &used) == 1 && used > 0 && p[3 + used - 1] == L'}') {
            dst[o++] = (wchar_t)v;
            p += 3 + used - 1;
            continue;
        }
        dst[o++] = *p;
    }
    dst[o] = L'\0';
}

static int tokenize(const wchar_t *line, args *a)
{
    wchar_t tok[MAX_LINE];
    size_t used = 0;
    const wchar_t *p = line;

    a->n = 0;
    while (*p) {
        size_t t = 0;
        int quoted = 0;
        while (*p == L' ' || *p == L'\t')
            p++;
        if (!*p || *p == L'#')
            break;
        if (*p == L'"') {
            quoted = 1;
            p++;
            while (*p && *p != L'"' && t + 1 < MAX_LINE)
                tok[t++] = *p++;
            if (*p == L'"')
                p++;
        } else {
            while (*p && *p != L' ' && *p != L'\t' && t + 1 < MAX_LINE)
                tok[t++] = *p++;
        }
        tok[t] = L'\0';
        if (a->n == MAX_ARGS)
            return -1;
        if (!quoted && wcscmp(tok, L"-") == 0) {
            a->v[a->n++] = NULL;
            continue;
        }
        expand_token(tok, a->storage + used, MAX_LINE * 2 - used);
        a->v[a->n++] = a->storage + used;
        used += wcslen(a->storage + used) + 1;
        if (used >= MAX_LINE * 2 - 1)
            return -1;
    }
    return a->n;
}

/* ---- commands --------------------------------------------------------- */

static void fail(const char *where, int line, const char *detail)
{
    printf("FAIL %s:%d: %s\n", where, line, detail);
    g_failures++;
}

static const wchar_t *reg_path(const wchar_t *key)
{
    if (_wcsicmp(key, L"policies") == 0)
        return SWD_REG_POLICIES_KEY;
    if (_wcsicmp(key, L"installer") == 0)
        return SWD_REG_INSTALLER_KEY;
    if (_wcsnicmp(key, L"HKLM\\", 5) == 0)
        return key + 5;
    return NULL;
}

static int cmd_reg_set(const args *a)
{
    const wchar_t *path = a->n == 5 && a->v[1] ? reg_path(a->v[1]) : NULL;
    HKEY key;
    LSTATUS st;
    if (!path || !a->v[2] || !a->v[3] || !a->v[4])
        return -1;
    st = RegCreateKeyExW(HKEY_LOCAL_MACHINE, path, 0, NULL, 0,
                         KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &key, NULL);
    if (st != ERROR_SUCCESS)
        return -1;
    if (_wcsicmp(a->v[3], L"dword") == 0) {
        DWORD v = (DWORD)wcstoul(a->v[4], NULL, 0);
        st = RegSetValueExW(key, a->v[2], 0, REG_DWORD, (const BYTE *)&v, sizeof v);
    } else {
        DWORD type = _wcsicmp(a->v[3], L"expand") == 0 ? REG_EXPAND_SZ : REG_SZ;
        st = RegSetValueExW(key, a->v[2], 0, type, (const BYTE *)a->v[4],
                            (DWORD)((wcslen(a->v[4]) + 1) * sizeof(wchar_t)));
    }
    RegCloseKey(key);
    return st == ERROR_SUCCESS ? 0 : -1;
}

static int cmd_reg_delete(const args *a)
{
    const wchar_t *path = a->n >= 2 && a->v[1] ? reg_path(a->v[1]) : NULL;
    HKEY key;
    LSTATUS st;
    if (!path)
        return -1;
    if (a->n == 2) {
        st = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, path, KEY_WOW64_64KEY, 0);
        return st == ERROR_SUCCESS || st == ERROR_FILE_NOT_FOUND ? 0 : -1;
    }
    st = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, &key);
    if (st == ERROR_FILE_NOT_FOUND)
        return 0;
    if (st != ERROR_SUCCESS)
        return -1;
    st = RegDeleteValueW(key, a->v[2]);
    RegCloseKey(key);
    return st == ERROR_SUCCESS || st == ERROR_FILE_NOT_FOUND ? 0 : -1;
}

/* Copy by rewriting in place (CreateFileW + one WriteFile), as an editor
 * saving the file does; sharing violations are retried briefly. */
static int copy_file(const wchar_t *src, const wchar_t *dst)
{
    HANDLE in = CreateFileW(src, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    char buf[65536];
    DWORD got = 0, put = 0;
    HANDLE out = INVALID_HANDLE_VALUE;
    if (in == INVALID_HANDLE_VALUE)
        return -1;
    if (!ReadFile(in, buf, sizeof buf, &got, NULL)) {
        CloseHandle(in);
        return -1;
    }
    CloseHandle(in);
    for (int tries = 0; tries < 200 && out == INVALID_HANDLE_VALUE; tries++) {
        out = CreateFileW(dst, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                          CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (out == INVALID_HANDLE_VALUE)
            Sleep(1);
    }
    if (out == INVALID_HANDLE_VALUE)
        return -1;
    WriteFile(out, buf, got, &put, NULL);
    CloseHandle(out);
    return put == got ? 0 : -1;
}

static void scenario_path(const wchar_t *rel, wchar_t *out, size_t cap)
{
    wchar_t dir[MAX_PATH * 2];
    DWORD n = GetEnvironmentVariableW(L"SW_SCN", dir, MAX_PATH * 2);
    if (n == 0 || n >= MAX_PATH * 2 || rel[0] == L'\\' || (rel[0] && rel[1] == L':'))
        _snwprintf(out, cap, L"%ls", rel);
    else
        _snwprintf(out, cap, L"%ls\\%ls", dir, rel);
    out[cap - 1] = L'\0';
}

/* ---- stress ------------------------------------------------------------ */

typedef struct stress {
    const wchar_t *template_;
    int thread;
    long ops;
    long ok, cancelled, other, posted;
} stress;

typedef struct rewriter {
    DWORD interval_ms;
    wchar_t a[MAX_PATH * 2], b[MAX_PATH * 2], dest[MAX_PATH * 2];
    volatile LONG stop;
    long writes;
} rewriter;

static void fill_template(const wchar_t *tpl, int t, long i, wchar_t *out, size_t cap)
{
    size_t o = 0;
    for (const wchar_t *p = tpl; *p && o + 24 < cap; p++) {
        if (wcsncmp(p, L"{t}", 3) == 0) {
            o += (size_t)_snwprintf(out + o, cap - o, L"%d", t);
            p += 2;
        } else if (wcsncmp(p, L"{i}", 3) == 0) {
            o += (size_t)_snwprintf(out + o, cap - o, L"%ld", i);
            p += 2;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = L'\0';
}

static DWORD WINAPI stress_thread(LPVOID param)
{
    stress *s = (stress *)param;
    wchar_t name[512];
    for (long i = 0; i < s->ops; i++) {
        NETRESOURCEW nr;
        int posted = 0;
        DWORD r;
        memset(&nr, 0, sizeof nr);
        fill_template(s->template_, s->thread, i, name, 512);
        nr.dwType = RESOURCETYPE_DISK;
        nr.lpRemoteName = name;
        r = add_connection(&nr, 0, &posted);
        if (r == WN_SUCCESS)
            s->ok++;
        else if (r == WN_CANCELLED)
            s->cancelled++;
        else
            s->other++;
        s->posted += posted;
    }
    return 0;
}

static DWORD WINAPI rewrite_thread(LPVOID param)
{
    rewriter *w = (rewriter *)param;
    while (!w->stop) {
        copy_file(w->writes % 2 ? w->b : w->a, w->dest);
        w->writes++;
        Sleep(w->interval_ms);
    }
    return 0;
}

static int cmd_stress(const args *a, const char *where, int line)
{
    int threads = a->n >= 4 && a->v[1] ? _wtoi(a->v[1]) : 0;
    long ops = a->n >= 4 && a->v[2] ? _wtol(a->v[2]) : 0;
    stress *s;
    HANDLE *h, writer = NULL;
    rewriter w;
    LARGE_INTEGER f, t0, t1;
    long ok = 0, cancelled = 0, other = 0, posted = 0;
    double secs;

    if (threads <= 0 || threads > 64 || ops <= 0 || !a->v[3])
        return -1;
    memset(&w, 0, sizeof w);
    if (a->n == 9 && a->v[4] && wcscmp(a->v[4], L"rewrite") == 0) {
        w.interval_ms = (DWORD)_wtoi(a->v[5]);
        scenario_path(a->v[6], w.a, MAX_PATH * 2);
        scenario_path(a->v[7], w.b, MAX_PATH * 2);
        _snwprintf(w.dest, MAX_PATH * 2, L"%ls", a->v[8]);
        writer = CreateThread(NULL, 0, rewrite_thread, &w, 0, NULL);
    } else if (a->n != 4) {
        return -1;
    }
    s = (stress *)calloc((size_t)threads, sizeof *s);
    h = (HANDLE *)calloc((size_t)threads, sizeof *h);
    if (!s || !h)
        return -1;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t0);
    for (int i = 0; i < threads; i++) {
        s[i].template_ = a->v[3];
        s[i].thread = i;
        s[i].ops = ops;
        h[i] = CreateThread(NULL, 0, stress_thread, &s[i], 0, NULL);
    }
    for (int i = 0; i < threads; i++) {
        if (h[i]) {
            WaitForSingleObject(h[i], INFINITE);
            CloseHandle(h[i]);
        } else {
            fail(where, line, "cannot create a stress thread");
        }
        ok += s[i].ok;
        cancelled += s[i].cancelled;
        other += s[i].other;
        posted += s[i].posted;
    }
    QueryPerformanceCounter(&t1);
    if (writer) {
        InterlockedExchange(&w.stop, 1);
        WaitForSingleObject(writer, INFINITE);
        CloseHandle(writer);
    }
    secs = (double)(t1.QuadPart - t0.QuadPart) / (double)f.QuadPart;
    printf("stress: threads=%d ops=%ld ok=%ld cancelled=%ld other=%ld posted=%ld "
           "rewrites=%ld seconds=%.2f ops_per_s=%.0f\n",
           threads, (long)threads * ops, ok, cancelled, other, posted, w.writes, secs,
           secs > 0 ? (double)threads * (double)ops / secs : 0.0);
    if (other)
        fail(where, line, "stress: some operation returned neither 0 nor 1223");
    if (ok + cancelled != (long)threads * ops)
        fail(where, line, "stress: operations lost");
    if (posted != ok)
        fail(where, line, "stress: every allowed operation must get its POST");
    free(s);
    free(h);
    return 0;
}

/* ---- the interpreter ---------------------------------------------------- */

static int run_file(const wchar_t *path, int depth);

static void net_resource(const args *a, NETRESOURCEW *nr, DWORD *flags)
{
    memset(nr, 0, sizeof *nr);
    nr->dwType = RESOURCETYPE_DISK;
    nr->lpRemoteName = a->n > 1 ? a->v[1] : NULL;
    nr->lpLocalName = a->n > 2 ? a->v[2] : NULL;
    nr->lpProvider = a->n > 3 ? a->v[3] : NULL;
    *flags = a->n > 4 && a->v[4] ? (DWORD)wcstoul(a->v[4], NULL, 0) : 0;
}

/* `names FILE CODE`: every name in FILE (one per line, verbatim but for
 * the line ending; '#' lines and empty lines skipped; UTF-8 — the format
 * of tests/corpus) goes through `add` as a deviceless connection and must
 * return CODE. Each failure is reported with its line. */
static int cmd_names(const args *a, const char *where, int line)
{
    wchar_t path[MAX_PATH * 2];
    char raw[MAX_LINE], detail[MAX_LINE + 64];
    wchar_t name[MAX_LINE];
    DWORD want = (DWORD)wcstoul(a->v[2], NULL, 0);
    unsigned long count = 0, wrong = 0;
    int lineno = 0;
    FILE *f;

    scenario_path(a->v[1], path, MAX_PATH * 2);
    f = _wfopen(path, L"rb");
    if (!f)
        return -1;
    while (fgets(raw, sizeof raw, f)) {
        size_t n = strcspn(raw, "\r\n");
        NETRESOURCEW nr;
        int posted;
        DWORD got;
        lineno++;
        raw[n] = '\0';
        if (n == 0 || raw[0] == '#')
            continue;
        if (!MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, raw, -1, name, MAX_LINE)) {
            fclose(f);
            return -1;
        }
        memset(&nr, 0, sizeof nr);
        nr.dwType = RESOURCETYPE_DISK;
        nr.lpRemoteName = name;
        got = add_connection(&nr, 0, &posted);
        count++;
        if (got != want) {
            wrong++;
            snprintf(detail, sizeof detail, "line %d: %s: expected %lu, got %lu", lineno, raw,
                     (unsigned long)want, (unsigned long)got);
            fail(where, line, detail);
        }
    }
    fclose(f);
    printf("%-8s %-40ls -> %lu names, %lu as expected (%lu)\n", "names", a->v[1], count,
           count - wrong, (unsigned long)want);
    return count ? 0 : -1;
}

static int run_command(args *a, const char *where, int line, int depth)
{
    const wchar_t *c = a->v[0];
    char detail[256];
    NETRESOURCEW nr;
    DWORD flags;
    wchar_t path[MAX_PATH * 2];
    static SIZE_T before_first_call;

    if (!c)
        return -1;
    if (wcscmp(c, L"include") == 0 && a->n == 2 && a->v[1]) {
        scenario_path(a->v[1], path, MAX_PATH * 2);
        return depth < 8 ? run_file(path, depth + 1) : -1;
    }
    if (wcscmp(c, L"reg-set") == 0)
        return cmd_reg_set(a);
    if (wcscmp(c, L"reg-delete") == 0)
        return cmd_reg_delete(a);
    if (wcscmp(c, L"copy") == 0 && a->n == 3 && a->v[1] && a->v[2]) {
        scenario_path(a->v[1], path, MAX_PATH * 2);
        return copy_file(path, a->v[2]);
    }
    if (wcscmp(c, L"remove") == 0 && a->n == 2 && a->v[1]) {
        DeleteFileW(a->v[1]);
        return 0;
    }
    if (wcscmp(c, L"mkdir") == 0 && a->n == 2 && a->v[1])
        return CreateDirectoryW(a->v[1], NULL) || GetLastError() == ERROR_ALREADY_EXISTS ? 0 : -1;
    if (wcscmp(c, L"sleep") == 0 && a->n == 2 && a->v[1]) {
        Sleep((DWORD)_wtoi(a->v[1]));
        return 0;
    }
    if (wcscmp(c, L"provider-result") == 0 && a->n == 2 && a->v[1]) {
        g_provider_result = (DWORD)wcstoul(a->v[1], NULL, 0);
        return 0;
    }
    if ((wcscmp(c, L"add") == 0 || wcscmp(c, L"add-pre") == 0) && a->n >= 2 && a->n <= 5) {
        if (g_measure && !before_first_call)
            before_first_call = private_bytes();
        net_resource(a, &nr, &flags);
        if (wcscmp(c, L"add") == 0) {
            g_last_return = add_connection(&nr, flags, &g_last_posted);
        } else {
            g_last_return = add_pre(&nr, flags, g_kept);
            g_kept_nr = nr; /* names live in a->storage only for this line */
            g_kept_nr.lpRemoteName = g_kept_nr.lpLocalName = g_kept_nr.lpProvider = NULL;
            g_last_posted = 0;
        }
        printf("%-8s %-40ls -> %lu%s\n", wcscmp(c, L"add") == 0 ? "add" : "add-pre",
               nr.lpRemoteName ? nr.lpRemoteName : L"(NULL)", (unsigned long)g_last_return,
               g_last_posted ? " (POST sent)" : "");
        if (g_measure == 1) {
            printf("measure: private bytes after the first call: %lu (+%lu)\n",
                   (unsigned long)private_bytes(),
                   (unsigned long)(private_bytes() - before_first_call));
            g_measure = 2;
        }
        return 0;
    }
    if (wcscmp(c, L"post") == 0 && a->n == 1) {
        g_last_posted = add_post(&g_kept_nr, g_provider_result, g_kept);
        g_last_return = g_provider_result;
        return 0;
    }
    if (wcscmp(c, L"post-null") == 0 && a->n == 1) {
        LPVOID none[MAX_DLLS];
        for (int i = 0; i < g_ndlls; i++) {
            NOTIFYINFO info = {NOTIFY_POST, g_provider_result, NULL};
            NOTIFYADD add;
            memset(&add, 0, sizeof add);
            none[i] = NULL;
            if (g_dlls[i].add)
                g_dlls[i].add(&info, &add);
        }
        (void)none;
        return 0;
    }
    if (wcscmp(c, L"cancel") == 0 && (a->n == 2 || a->n == 3)) {
        BOOL force = a->n == 3 && a->v[2] && wcscmp(a->v[2], L"force") == 0;
        g_last_return = cancel_connection(a->v[1], force, &g_last_posted);
        printf("%-8s %-40ls -> %lu%s\n", "cancel", a->v[1] ? a->v[1] : L"(NULL)",
               (unsigned long)g_last_return, g_last_posted ? " (POST sent)" : "");
        return 0;
    }
    if (wcscmp(c, L"expect-return") == 0 && a->n == 2 && a->v[1]) {
        DWORD want = (DWORD)wcstoul(a->v[1], NULL, 0);
        if (g_last_return != want) {
            snprintf(detail, sizeof detail, "expected return %lu, got %lu",
                     (unsigned long)want, (unsigned long)g_last_return);
            fail(where, line, detail);
        }
        return 0;
    }
    if (wcscmp(c, L"expect-post") == 0 && a->n == 2 && a->v[1]) {
        int want = wcscmp(a->v[1], L"yes") == 0;
        if (!!g_last_posted != want)
            fail(where, line, want ? "expected a POST, none was sent"
                                         : "expected no POST, one was sent");
        return 0;
    }
    if (wcscmp(c, L"stress") == 0)
        return cmd_stress(a, where, line);
    if (wcscmp(c, L"names") == 0 && a->n == 3 && a->v[1] && a->v[2])
        return cmd_names(a, where, line);
    return -1;
}

static int run_file(const wchar_t *path, int depth)
{
    FILE *f = _wfopen(path, L"rb");
    char raw[MAX_LINE], where[MAX_PATH * 2];
    wchar_t line[MAX_LINE], saved[MAX_PATH * 2], dir[MAX_PATH * 2];
    const wchar_t *slash;
    int lineno = 0, rc = 0;
    args *a;

    WideCharToMultiByte(CP_UTF8, 0, path, -1, where, sizeof where, NULL, NULL);
    if (!f) {
        fprintf(stderr, "mprsim: cannot open %s\n", where);
        return -1;
    }
    a = (args *)malloc(sizeof *a);
    if (!a) {
        fclose(f);
        return -1;
    }
    /* %SW_SCN% is this file's folder while it runs. */
    if (!GetEnvironmentVariableW(L"SW_SCN", saved, MAX_PATH * 2))
        saved[0] = L'\0';
    wcsncpy(dir, path, MAX_PATH * 2 - 1);
    dir[MAX_PATH * 2 - 1] = L'\0';
    slash = wcsrchr(dir, L'\\');
    if (wcsrchr(dir, L'/') > slash)
        slash = wcsrchr(dir, L'/');
    if (slash)
        dir[slash - dir] = L'\0';
    else
        wcscpy(dir, L".");
    SetEnvironmentVariableW(L"SW_SCN", dir);

    while (rc == 0 && fgets(raw, sizeof raw, f)) {
        size_t n = strlen(raw);
        lineno++;
        while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
            raw[--n] = '\0';
        if (!MultiByteToWideChar(CP_UTF8, 0, raw, -1, line, MAX_LINE))
            line[0] = L'\0';
        if (tokenize(line, a) < 0) {
            fprintf(stderr, "%s:%d: too many or too long arguments\n", where, lineno);
            rc = -1;
        } else if (a->n > 0 && run_command(a, where, lineno, depth) != 0) {
            fprintf(stderr, "%s:%d: cannot run: %s\n", where, lineno, raw);
            rc = -1;
        }
    }
    SetEnvironmentVariableW(L"SW_SCN", saved[0] ? saved : NULL);
    free(a);
    fclose(f);
    return rc;
}

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
    SIZE_T before = 0;
    int first = 1;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && wcscmp(argv[1], L"--measure-load") == 0) {
        g_measure = 1;
        first = 2;
        before = private_bytes();
    }
    if (argc <= first) {
        fprintf(stderr, "usage: mprsim [--measure-load] SCENARIO...\n");
        return 2;
    }
    if (load_notifyees() != 0) {
        fprintf(stderr, "mprsim: no notifyee could be loaded\n");
        return 2;
    }
    if (g_measure)
        printf("measure: private bytes before loading: %lu, after: %lu (+%lu)\n",
               (unsigned long)before, (unsigned long)private_bytes(),
               (unsigned long)(private_bytes() - before));
    for (int i = first; i < argc; i++) {
        printf("== scenario %ls\n", argv[i]);
        if (run_file(argv[i], 0) != 0)
            return 2;
    }
    printf("mprsim: %d failed expectation%s\n", g_failures, g_failures == 1 ? "" : "s");
    return g_failures ? 1 : 0;
}
