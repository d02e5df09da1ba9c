/* Windows file access for the core (see src/core/fs.h).
 *
 * Paths arrive as UTF-8 and are converted to UTF-16 for the W APIs, so a
 * policy under a non-ASCII profile or ProgramData path works whatever the
 * ANSI code page is. Files are opened with FILE_SHARE_READ | WRITE | DELETE:
 * the DLL reads the policy from inside every process that maps a drive,
 * and must never stop an admin's editor from saving or replacing it. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "fs.h"
#include "sharewall/sharewall.h"

/* UTF-8 -> NUL-terminated UTF-16 in sw_malloc'd memory. Returns SW_OK,
 * SW_ENOMEM, or SW_EINVAL for invalid UTF-8 (MB_ERR_INVALID_CHARS: a
 * malformed path must not be "repaired" into a different file). Out of
 * memory is kept apart so callers report it as such, not as a bad path. */
static int utf8_to_wide(const char *s, wchar_t **out)
{
    *out = NULL;
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0)
        return SW_EINVAL;
    wchar_t *w = sw_malloc((size_t)n * sizeof *w);
    if (!w)
        return SW_ENOMEM;
    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
        sw_free(w);
        return SW_EINVAL;
    }
    *out = w;
    return SW_OK;
}

/* UTF-16 -> NUL-terminated UTF-8 in sw_malloc'd memory; NULL on failure. */
static char *wide_to_utf8(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = sw_malloc((size_t)n);
    if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
        sw_free(s);
        return NULL;
    }
    return s;
}

static void set_text(char *errmsg, size_t cap, const char *text)
{
    if (errmsg && cap)
        snprintf(errmsg, cap, "%s", text);
}

/* The system's text for err, as UTF-8, into errmsg. Falls back to the
 * number when Windows has no message (or the conversion fails). */
static void set_err(char *errmsg, size_t cap, DWORD err)
{
    if (!errmsg || !cap)
        return;
    wchar_t text[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                             NULL, err, 0, text, (DWORD)(sizeof text / sizeof text[0]), NULL);
    /* System messages end in ".\r\n"; diagnostics are single lines. */
    while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L' '))
        n--;
    char utf8[1024];
    int len = 0;
    if (n > 0)
        len = WideCharToMultiByte(CP_UTF8, 0, text, (int)n, utf8, (int)sizeof utf8 - 1, NULL, NULL);
    if (len > 0) {
        utf8[len] = '\0';
        set_text(errmsg, cap, utf8);
    } else {
        snprintf(errmsg, cap, "Windows error %lu", (unsigned long)err);
    }
}

static int read_handle(HANDLE h, size_t max, char **data, size_t *len,
                       char *errmsg, size_t errmsg_cap)
{
    LARGE_INTEGER size;
    if (!GetFileSizeEx(h, &size)) {
        set_err(errmsg, errmsg_cap, GetLastError());
        return SW_EIO;
    }
    if ((unsigned long long)size.QuadPart > max)
        return SW_ETOOBIG;
    /* Read up to max+1 bytes whatever the size said: the file may grow
     * between GetFileSizeEx and ReadFile (an editor saving it). */
    size_t cap = (size_t)size.QuadPart + 1;
    char *buf = sw_malloc(cap + 1);
    if (!buf)
        return SW_ENOMEM;
    size_t n = 0;
    for (;;) {
        size_t want = cap - n;
        DWORD chunk = want > 0x40000000u ? 0x40000000u : (DWORD)want;
        DWORD got = 0;
        if (!ReadFile(h, buf + n, chunk, &got, NULL)) {
            set_err(errmsg, errmsg_cap, GetLastError());
            sw_free(buf);
            return SW_EIO;
        }
        n += got;
        if (n > max) {
            sw_free(buf);
            return SW_ETOOBIG;
        }
        if (got == 0)
            break;
        if (n == cap) {
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = sw_realloc(buf, ncap + 1);
            if (!nb) {
                sw_free(buf);
                return SW_ENOMEM;
            }
            buf = nb;
            cap = ncap;
        }
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return SW_OK;
}

int sw_fs_read_file(const char *path, size_t max, char **data, size_t *len,
                    char *errmsg, size_t errmsg_cap)
{
    *data = NULL;
    *len = 0;
    wchar_t *wpath;
    int conv = utf8_to_wide(path, &wpath);
    if (conv == SW_ENOMEM)
        return SW_ENOMEM;
    if (conv != SW_OK) {
        set_text(errmsg, errmsg_cap, "path is not valid UTF-8");
        return SW_EIO;
    }
    HANDLE h = CreateFileW(wpath, GENERIC_READ,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    DWORD open_err = GetLastError();
    /* Opening a directory fails with "Access is denied", which would send
     * an admin hunting for a permission problem: say what it is. */
    DWORD attrs = h == INVALID_HANDLE_VALUE && open_err == ERROR_ACCESS_DENIED
                      ? GetFileAttributesW(wpath) : INVALID_FILE_ATTRIBUTES;
    int is_dir = attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY);
    sw_free(wpath);
    if (h == INVALID_HANDLE_VALUE) {
        if (is_dir)
            set_text(errmsg, errmsg_cap, "is a directory");
        else
            set_err(errmsg, errmsg_cap, open_err);
        return SW_EIO;
    }
    /* A device or pipe name (CON, \\.\pipe\x) opens too: accept files on
     * disk only. */
    if (GetFileType(h) != FILE_TYPE_DISK) {
        set_text(errmsg, errmsg_cap, "not a regular file");
        CloseHandle(h);
        return SW_EIO;
    }
    int rc = read_handle(h, max, data, len, errmsg, errmsg_cap);
    CloseHandle(h);
    return rc;
}

static int has_yaml_suffix(const wchar_t *name)
{
    size_t l = wcslen(name);
    /* The same rule as fs_posix.c, case-sensitive and skipping dot-files,
     * so `sharewall check` on a copy of the directory on Linux loads
     * exactly the fragments the DLL loads. */
    return l > 5 && name[0] != L'.' && wcscmp(name + l - 5, L".yaml") == 0;
}

int sw_fs_list_yaml(const char *dir, char ***names, size_t *count)
{
    *names = NULL;
    *count = 0;
    size_t dl = strlen(dir);
    char *pattern = sw_malloc(dl + sizeof "\\*");
    if (!pattern)
        return SW_ENOMEM;
    memcpy(pattern, dir, dl);
    memcpy(pattern + dl, "\\*", sizeof "\\*");
    wchar_t *wpattern;
    int conv = utf8_to_wide(pattern, &wpattern);
    sw_free(pattern);
    if (conv != SW_OK)
        return conv == SW_ENOMEM ? SW_ENOMEM : SW_EIO;

    WIN32_FIND_DATAW fd;
    HANDLE find = FindFirstFileW(wpattern, &fd);
    DWORD first_err = GetLastError();
    sw_free(wpattern);
    if (find == INVALID_HANDLE_VALUE) {
        /* A missing fragments directory is normal (fs.h contract); an
         * empty one reports ERROR_FILE_NOT_FOUND on some file systems. */
        if (first_err == ERROR_FILE_NOT_FOUND || first_err == ERROR_PATH_NOT_FOUND ||
            first_err == ERROR_DIRECTORY)
            return SW_OK;
        return SW_EIO;
    }

    char **list = NULL;
    size_t n = 0, cap = 0;
    int rc = SW_OK;
    do {
        /* Regular files only: no directories and no reparse points (a
         * symlinked fragment could point anywhere an attacker likes). */
        if (fd.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT |
                                   FILE_ATTRIBUTE_DEVICE))
            continue;
        if (!has_yaml_suffix(fd.cFileName))
            continue;
        if ((rc = sw_fs_list_append(&list, &n, &cap, wide_to_utf8(fd.cFileName))) != SW_OK)
            break;
    } while (FindNextFileW(find, &fd));
    if (rc == SW_OK && GetLastError() != ERROR_NO_MORE_FILES)
        rc = SW_EIO;
    FindClose(find);
    if (rc != SW_OK) {
        sw_fs_free_list(list, n);
        return rc;
    }
    *names = list;
    *count = n;
    return SW_OK;
}
