/* JSON lines to LogPath, for SIEM ingestion and `sharewall replay`.
 *
 * Many processes (explorer.exe, services, net.exe) append to the same
 * file: each line goes out in one WriteFile on a FILE_APPEND_DATA handle,
 * which the file system appends atomically, so lines never interleave.
 * When the file would pass LogMaxBytes (default 10 MiB) it is renamed to PATH.1 (one
 * rotation, replacing the previous PATH.1). A process whose handle still
 * points at the renamed file notices on its next write (that file is over
 * the cap) and reopens PATH. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"

static SRWLOCK g_lock = SRWLOCK_INIT;
static HANDLE g_file = INVALID_HANDLE_VALUE;
static wchar_t g_path[SWD_PATH_CAP];

static HANDLE open_log(const wchar_t *path)
{
    /* FILE_SHARE_DELETE lets another process rotate the file while we
     * hold it open. */
    return CreateFileW(path, FILE_APPEND_DATA | SYNCHRONIZE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}

static ULONGLONG size_of(HANDLE h)
{
    LARGE_INTEGER s;
    return GetFileSizeEx(h, &s) ? (ULONGLONG)s.QuadPart : 0;
}

static void close_log(void)
{
    if (g_file != INVALID_HANDLE_VALUE)
        CloseHandle(g_file);
    g_file = INVALID_HANDLE_VALUE;
}

/* Under g_lock: make g_file a handle on path with room for len bytes. */
static int ready(const wchar_t *path, size_t len, ULONGLONG cap)
{
    wchar_t rotated[SWD_PATH_CAP + 2];

    if (g_file != INVALID_HANDLE_VALUE && wcscmp(g_path, path) != 0)
        close_log(); /* LogPath changed in the registry */
    if (g_file == INVALID_HANDLE_VALUE) {
        g_file = open_log(path);
        if (g_file == INVALID_HANDLE_VALUE)
            return 0;
        wcsncpy(g_path, path, SWD_PATH_CAP - 1);
        g_path[SWD_PATH_CAP - 1] = L'\0';
    }
    if (size_of(g_file) + len <= cap)
        return 1;
    /* Over the cap: perhaps another process already rotated and our
     * handle is on PATH.1; look at PATH itself before renaming it. */
    close_log();
    g_file = open_log(path);
    if (g_file == INVALID_HANDLE_VALUE)
        return 0;
    if (size_of(g_file) + len <= cap || size_of(g_file) == 0)
        return 1;
    close_log();
    _snwprintf(rotated, SWD_PATH_CAP + 2, L"%ls.1", path);
    rotated[SWD_PATH_CAP + 1] = L'\0';
    MoveFileExW(path, rotated, MOVEFILE_REPLACE_EXISTING);
    /* Whether or not the rename worked (another writer may have won),
     * keep logging to PATH. */
    g_file = open_log(path);
    return g_file != INVALID_HANDLE_VALUE;
}

int swd_jsonlog_append(const wchar_t *path, const char *line, size_t len,
                       DWORD cap)
{
    DWORD written = 0;
    BOOL ok = FALSE;

    if (!path || !path[0] || len == 0 || len > 0x7fffffffu)
        return SW_EINVAL;
    AcquireSRWLockExclusive(&g_lock);
    if (ready(path, len, cap))
        ok = WriteFile(g_file, line, (DWORD)len, &written, NULL) && written == len;
    if (!ok)
        close_log(); /* reopen next time rather than keep a bad handle */
    ReleaseSRWLockExclusive(&g_lock);
    return ok ? SW_OK : SW_EIO;
}
