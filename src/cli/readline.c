#include "readline.h"

#include <stdlib.h>
#include <string.h>

int cli_reader_init(cli_reader *r, FILE *f, size_t max_line)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->cap = max_line + 1; /* the line and its '\n' */
    r->buf = malloc(r->cap + 1); /* + the NUL of a last line without '\n' */
    return r->buf ? 0 : -1;
}

void cli_reader_free(cli_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Read more data after what is buffered; returns bytes read. */
static size_t fill(cli_reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    size_t n = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
    r->end += n;
    if (n == 0)
        r->eof = 1;
    return n;
}

const char *cli_reader_start(cli_reader *r)
{
    while (!r->eof && r->end < 4)
        fill(r);
    const unsigned char *b = (const unsigned char *)r->buf;
    size_t n = r->end;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        r->start = 3;
        return NULL;
    }
    if (n >= 4 && b[0] == 0xFF && b[1] == 0xFE && !b[2] && !b[3])
        return "UTF-32 (little-endian, with a byte order mark)";
    if (n >= 4 && !b[0] && !b[1] && b[2] == 0xFE && b[3] == 0xFF)
        return "UTF-32 (big-endian, with a byte order mark)";
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return "UTF-16 (little-endian, with a byte order mark)";
    if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return "UTF-16 (big-endian, with a byte order mark)";
    /* Without a mark, text in these encodings starts with NUL bytes next
     * to ASCII ones, which UTF-8 text never holds. */
    if (n >= 4 && b[0] && !b[1] && !b[2] && !b[3])
        return "UTF-32 (little-endian)";
    if (n >= 4 && !b[0] && !b[1] && !b[2] && b[3])
        return "UTF-32 (big-endian)";
    if (n >= 2 && b[0] && !b[1] && (n < 4 || !b[3]))
        return "UTF-16 (little-endian)";
    if (n >= 2 && !b[0] && b[1] && (n < 4 || !b[2]))
        return "UTF-16 (big-endian)";
    return NULL;
}

/* Drop bytes up to and including the next '\n' (the rest of a line that
 * was too long). Returns 0 at the newline or EOF, -1 on a read error. */
static int skip_rest(cli_reader *r)
{
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        if (nl) {
            r->start = (size_t)(nl - r->buf) + 1;
            return 0;
        }
        r->start = r->end = 0;
        if (fill(r) == 0)
            return ferror(r->f) ? -1 : 0;
    }
}

static char *finish(cli_reader *r, size_t from, size_t len, size_t *out_len)
{
    char *line = r->buf + from;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    line[len] = '\0';
    *out_len = len;
    r->lineno++;
    return line;
}

int cli_read_line(cli_reader *r, char **line, size_t *len)
{
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        if (nl) {
            size_t from = r->start;
            r->start = (size_t)(nl - r->buf) + 1;
            *line = finish(r, from, (size_t)(nl - r->buf) - from, len);
            return CLI_LINE_OK;
        }
        if (r->eof) {
            if (r->start == r->end)
                return ferror(r->f) ? CLI_LINE_IO : CLI_LINE_EOF;
            size_t from = r->start;
            r->start = r->end;
            *line = finish(r, from, r->end - from, len);
            return CLI_LINE_OK;
        }
        if (r->start == 0 && r->end == r->cap) {
            /* A full buffer and no newline: over the limit. */
            r->start = r->end = 0;
            r->lineno++;
            if (skip_rest(r) < 0)
                return CLI_LINE_IO;
            return CLI_LINE_TOO_LONG;
        }
        fill(r);
        if (ferror(r->f))
            return CLI_LINE_IO;
    }
}
