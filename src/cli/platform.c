#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L /* open, fstat, fdopen, isatty */
#endif
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

FILE *cli_open_stream(const char *path, const char **why)
{
    *why = NULL;
    FILE *f = cli_fopen_read(path);
    if (!f)
        return NULL;
    /* Files and pipes end; the console, NUL, COM1 and the like do not
     * behave as input files. */
    DWORD type = GetFileType((HANDLE)_get_osfhandle(_fileno(f)));
    if (type == FILE_TYPE_DISK || type == FILE_TYPE_PIPE)
        return f;
    *why = type == FILE_TYPE_CHAR ? "it is a character device (such as NUL or CON), "
                                    "not a regular file or a pipe"
                                  : "it is not a regular file or a pipe";
    fclose(f);
    return NULL;
}

const char *cli_stdin_problem(void)
{
    return NULL; /* the console and NUL are both character devices */
}

#else /* POSIX: arguments and paths are bytes, UTF-8 by convention. */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m)    ? "it is a directory, not a regular file or a pipe"
           : S_ISCHR(m)  ? "it is a character device, not a regular file or a pipe"
           : S_ISBLK(m)  ? "it is a block device, not a regular file or a pipe"
           : S_ISSOCK(m) ? "it is a socket, not a regular file or a pipe"
                         : "it is not a regular file or a pipe";
}

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

FILE *cli_open_stream(const char *path, const char **why)
{
    *why = NULL;
    /* A named pipe is a stream, like "-": opened blocking, so it waits for
     * its writer as cat would (opened non-blocking, a read before the
     * writer comes would end the input at once). */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISFIFO(st.st_mode))
        return fopen(path, "rb");
    /* Anything else is opened non-blocking, so a device that waits on open
     * (a serial line) cannot hang us, and judged on that very descriptor. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        *why = kind_of(st.st_mode);
        close(fd);
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    FILE *f = NULL;
    if (flags != -1 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != -1)
        f = fdopen(fd, "rb");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

const char *cli_stdin_problem(void)
{
    struct stat st, null_dev;
    if (fstat(STDIN_FILENO, &st) != 0)
        return NULL; /* reading will say what is wrong */
    if (S_ISDIR(st.st_mode))
        return "standard input is a directory";
    if (S_ISBLK(st.st_mode))
        return "standard input is a block device";
    /* A terminal is typed into and /dev/null is empty; any other device
     * (/dev/zero, /dev/urandom) is an endless stream of bytes. */
    if (S_ISCHR(st.st_mode) && !isatty(STDIN_FILENO) &&
        !(stat("/dev/null", &null_dev) == 0 && null_dev.st_rdev == st.st_rdev))
        return "standard input is a character device (such as /dev/zero), "
               "not a file, a pipe or a terminal";
    return NULL;
}

#endif
