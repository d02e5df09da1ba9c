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

/* Opens a batch or log input: a regular file or a pipe (a named pipe
 * waits for its writer, as with cat). Anything else -- a directory, a
 * device such as /dev/zero that never ends, a socket -- is refused: NULL
 * with *why saying what it is. NULL with *why NULL: errno says why. */
FILE *cli_open_stream(const char *path, const char **why);

/* Standard input as batch or log input: NULL when it can be read as one,
 * else what is wrong (a directory, or a device other than a terminal or
 * the null device). */
const char *cli_stdin_problem(void);

#endif
