/* Recording diagnostics (errors and warnings with file:line:column). */
#ifndef SW_CORE_DIAGS_H
#define SW_CORE_DIAGS_H

#include "sharewall/sharewall.h"

#if defined(__MINGW32__) && !defined(__clang__)
/* mingw gcc checks "printf" as MSVCRT's dialect (no %zu); the mingw builds
 * use the C99 printf (__USE_MINGW_ANSI_STDIO, set by the toolchain files). */
#define SW_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__) || defined(__clang__)
#define SW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SW_PRINTF(f, a)
#endif

/* Append a diagnostic; d may be NULL (then nothing is recorded). On out of
 * memory the diagnostic is dropped and d->oom is set, so a caller can still
 * report "out of memory" instead of an incomplete list. */
void sw_diag_add(sw_diags *d, sw_severity sev, const char *file,
                 unsigned line, unsigned column, const char *field,
                 const char *fmt, ...) SW_PRINTF(7, 8);

#endif
