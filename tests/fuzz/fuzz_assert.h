/* Invariant checks for the fuzz targets. A broken invariant must stop the
 * run with the input saved, so it aborts (libFuzzer then writes the crash
 * file); assert() would vanish under NDEBUG in release-type builds. */
#ifndef SW_FUZZ_ASSERT_H
#define SW_FUZZ_ASSERT_H

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond)                                                   \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__,      \
                    __LINE__, #cond);                                       \
            abort();                                                        \
        }                                                                   \
    } while (0)

/* The libFuzzer entry point every target defines (also called by the
 * replay driver in ordinary builds). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
