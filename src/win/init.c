/* Lazy, once-only initialisation. DllMain runs under the loader lock, so
 * nothing happens there; the first AddConnectNotify/CancelConnectNotify
 * call initialises through InitOnceExecuteOnce, which is thread-safe and
 * makes every later caller wait only for that first initialisation. */
#include <string.h>

#include "internal.h"

static INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;
static swd_host g_host;

static void computer_name(COMPUTER_NAME_FORMAT fmt, char *dst, size_t cap)
{
    wchar_t w[256];
    DWORD n = (DWORD)(sizeof w / sizeof w[0]);
    const char *s = NULL;

    dst[0] = '\0';
    if (GetComputerNameExW(fmt, w, &n) && n > 0)
        swd_to_utf8(w, dst, cap, &s);
    if (!s)
        dst[0] = '\0';
}

static BOOL CALLBACK init_host(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    static const COMPUTER_NAME_FORMAT fmts[3] = {
        ComputerNameNetBIOS, ComputerNameDnsHostname,
        ComputerNameDnsFullyQualified};
    wchar_t image[SWD_PATH_CAP];
    DWORD n = SWD_PATH_CAP;
    const char *s = NULL;
    size_t count = 0;

    (void)once;
    (void)param;
    (void)ctx;
    g_host.pid = GetCurrentProcessId();
    for (int i = 0; i < 3; i++) {
        computer_name(fmts[i], g_host.self_storage[i], sizeof g_host.self_storage[i]);
        if (g_host.self_storage[i][0])
            g_host.self_list[count++] = g_host.self_storage[i];
    }
    g_host.self.names = g_host.self_list;
    g_host.self.count = count;
    memcpy(g_host.machine, g_host.self_storage[1], sizeof g_host.machine);
    if (!g_host.machine[0])
        memcpy(g_host.machine, g_host.self_storage[0], sizeof g_host.machine);

    /* The process token's user, for Event Log entries made on threads
     * that are not impersonating (almost all of them). */
    {
        HANDLE token;
        swd_token_user u;
        DWORD size = 0;
        if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
            if (GetTokenInformation(token, TokenUser, &u, sizeof u, &size) &&
                CopySid(sizeof g_host.process_sid, g_host.process_sid,
                        u.tu.User.Sid))
                g_host.has_process_sid = 1;
            CloseHandle(token);
        }
    }
    /* The caller's image never changes: look it up once. */
    if (QueryFullProcessImageNameW(GetCurrentProcess(), 0, image, &n))
        swd_to_utf8(image, g_host.process, sizeof g_host.process, &s);
    if (!s)
        g_host.process[0] = '\0';
    return TRUE;
}

const swd_host *swd_host_get(void)
{
    /* init_host cannot fail; should InitOnce itself fail, the fields stay
     * zero: no self names, unknown process, which the callers handle. */
    InitOnceExecuteOnce(&g_once, init_host, NULL, NULL);
    return &g_host;
}

int64_t swd_now_ms(void)
{
    FILETIME ft;
    ULARGE_INTEGER t;

    GetSystemTimeAsFileTime(&ft);
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    /* 100 ns ticks since 1601-01-01 -> ms since 1970-01-01. */
    return (int64_t)(t.QuadPart / 10000u) - INT64_C(11644473600000);
}
