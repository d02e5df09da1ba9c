/* Replays fuzz inputs through a target's LLVMFuzzerTestOneInput in an
 * ordinary build (no libFuzzer, any compiler), so every crash ever found
 * and the seed corpus are re-checked by CTest on every platform.
 *
 * Usage: replay FILE...   (CMake passes the files it globbed; a file list
 * keeps this portable without any directory-listing API). */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_assert.h"

/* Reads a whole file; returns NULL (and says why) when it cannot. */
static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        unsigned char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad || !buf) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return NULL;
    }
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        size_t size = 0;
        unsigned char *data = read_all(argv[i], &size);
        if (!data) {
            failed = 1;
            continue;
        }
        /* A broken invariant aborts inside; reaching the next line is the
         * pass. The copy is exactly size bytes so overreads are visible
         * to AddressSanitizer builds. */
        unsigned char *exact = malloc(size ? size : 1);
        if (!exact) {
            free(data);
            return 1;
        }
        for (size_t k = 0; k < size; k++)
            exact[k] = data[k];
        free(data);
        LLVMFuzzerTestOneInput(exact, size);
        free(exact);
    }
    printf("replayed %d input(s)\n", argc - 1);
    return failed;
}
