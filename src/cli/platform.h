/* The little the CLI needs from the OS beyond C11, kept in one place. */
#ifndef SW_CLI_PLATFORM_H
#define SW_CLI_PLATFORM_H

#include <stdio.h>

/* On Windows, the C runtime hands main() its arguments in the ANSI code
 * page, which cannot hold every character of a share name or path: the
 * DLL sees UTF-16 and converts it to UTF-8, so the CLI must too, or its
 * decisions would differ. Replaces *argv with UTF-8 from the wide command
 * line, makes the console show UTF-8 and stdin binary (the line reader
 * handles CRLF itself). Elsewhere it does nothing. Returns 0, or -1 after
 * printing why. */
int cli_platform_init(int *argc, char ***argv);

/* fopen(path, "rb") for a UTF-8 path, on every OS. */
FILE *cli_fopen_read(const char *path);

#endif
