#include "platform.h"

#ifdef _WIN32

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <shellapi.h>

#include "sharewall/sharewall.h"

/* The converted arguments live as long as the process: main() keeps
 * pointers into them to the end. */
int cli_platform_init(int *argc, char ***argv)
{
    int n = 0;
    LPWSTR *w = CommandLineToArgvW(GetCommandLineW(), &n);
    if (!w) {
        fputs("sharewall: cannot read the command line\n", stderr);
        return -1;
    }
    char **out = calloc((size_t)n + 1, sizeof *out);
    for (int i = 0; out && i < n; i++) {
        size_t units = wcslen(w[i]);
        size_t cap = units * 3 + 1; /* a UTF-16 unit is at most 3 bytes */
        out[i] = malloc(cap);
        if (!out[i]) {
            out = NULL; /* the process is about to exit: no cleanup */
            break;
        }
        if (sw_utf16_to_utf8((const uint16_t *)w[i], units, out[i], cap) < 0) {
            fprintf(stderr, "sharewall: argument %d is not valid Unicode "
                            "(an unpaired surrogate)\n", i);
            LocalFree(w);
            return -1;
        }
    }
    LocalFree(w);
    if (!out) {
        fputs("sharewall: out of memory\n", stderr);
        return -1;
    }
    *argc = n;
    *argv = out;
    SetConsoleOutputCP(CP_UTF8);
    _setmode(_fileno(stdin), _O_BINARY);
    return 0;
}

FILE *cli_fopen_read(const char *path)
{
    size_t len = strlen(path);
    size_t cap = len + 1; /* UTF-8 never needs more units in UTF-16 */
    wchar_t *wpath = malloc(cap * sizeof *wpath);
    if (!wpath)
        return NULL;
    FILE *f = NULL;
    if (sw_utf8_to_utf16(path, len, (uint16_t *)wpath, cap) >= 0)
        f = _wfopen(wpath, L"rb");
    else
        errno = EINVAL;
    free(wpath);
    return f;
}

#else /* POSIX: arguments and paths are bytes, UTF-8 by convention. */

int cli_platform_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

FILE *cli_fopen_read(const char *path)
{
    return fopen(path, "rb");
}

#endif
