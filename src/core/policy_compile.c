/* PCRE2 compilation of rule patterns, once, at load time. The options make
 * every pattern match the whole value (anchored at both ends), caselessly,
 * over Unicode characters; \C is refused because it could split a UTF-8
 * character and desynchronise the matcher. Match limits are not set here:
 * they belong to the match context decide.c uses. */
#include "alloc.h"
#include "policy_parse.h"

#define SW_PATTERN_OPTIONS                                                  \
    (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_ANCHORED |              \
     PCRE2_ENDANCHORED | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C)

int sw_pattern_compile(sw_loader *L, const char *src, size_t len, int jit,
                       pcre2_code **code, char *err, size_t err_cap,
                       size_t *err_offset)
{
    *code = NULL;
    *err_offset = 0;
    if (!L->cctx) {
        /* Created on first use; the general context routes PCRE2's memory
         * through sw_malloc so allocation-failure tests reach it too. */
        L->gctx = pcre2_general_context_create(sw_pcre2_malloc, sw_pcre2_free, NULL);
        if (!L->gctx)
            return SW_ENOMEM;
        L->cctx = pcre2_compile_context_create(L->gctx);
        if (!L->cctx)
            return SW_ENOMEM;
    }
    int errcode = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)src, len, SW_PATTERN_OPTIONS,
                                  &errcode, &off, L->cctx);
    if (!c) {
        if (errcode == PCRE2_ERROR_HEAP_FAILED)
            return SW_ENOMEM;
        /* A message longer than err_cap comes back truncated, which is
         * fine for a diagnostic. */
        if (err && err_cap)
            (void)pcre2_get_error_message(errcode, (PCRE2_UCHAR *)err, err_cap);
        *err_offset = off;
        return SW_EINVAL;
    }
    /* JIT where the platform has it; any JIT failure (unsupported CPU, no
     * executable memory) just leaves the interpreter in charge, which gives
     * the same results under the same limits. */
    if (jit)
        (void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    *code = c;
    return SW_OK;
}

void sw_loader_release_pcre2(sw_loader *L)
{
    pcre2_compile_context_free(L->cctx);
    pcre2_general_context_free(L->gctx);
    L->cctx = NULL;
    L->gctx = NULL;
}
