/* Line reading in constant memory for batch input and log replay: one
 * fixed buffer, no per-line allocation. A line longer than the limit is
 * skipped (its bytes are read and dropped) and reported, never buffered. */
#ifndef SW_CLI_READLINE_H
#define SW_CLI_READLINE_H

#include <stdio.h>

/* 1 MiB: the core's JSON reader takes lines up to this, and a UNC name of
 * 32767 UTF-16 units escaped as JSON fits comfortably. */
#define CLI_MAX_LINE (1u << 20)

typedef struct cli_reader {
    FILE *f;
    char *buf;
    size_t cap;          /* data bytes the buffer holds (max line + 1) */
    size_t start, end;   /* unread data is buf[start..end)              */
    int eof;
    unsigned long lineno; /* of the line last returned                  */
} cli_reader;

enum {
    CLI_LINE_OK = 1,
    CLI_LINE_EOF = 0,
    CLI_LINE_TOO_LONG = -1, /* skipped; lineno says which              */
    CLI_LINE_IO = -2        /* read error                              */
};

int cli_reader_init(cli_reader *r, FILE *f, size_t max_line);

/* Reads the start of the input: skips a UTF-8 byte order mark (Windows
 * PowerShell 5 writes one), and recognises UTF-16 and UTF-32, with or
 * without a byte order mark (its `>` writes UTF-16): returns what the
 * input is ("UTF-16 (little-endian)"), NULL for UTF-8. Call it once,
 * before the first cli_read_line. */
const char *cli_reader_start(cli_reader *r);
void cli_reader_free(cli_reader *r);
/* Next line without its "\n" (and a "\r" before it), NUL-terminated in
 * the reader's buffer until the next call. The line may contain NUL
 * bytes: *len is its true length. */
int cli_read_line(cli_reader *r, char **line, size_t *len);

#endif
