#include "cli_policy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "platform.h"

sw_policy *cli_load_policy(const char *cmd, const char *path, int invalid_code,
                           int *exit_code)
{
    sw_diags d;
    sw_policy *p = NULL;
    sw_diags_init(&d);
    int rc = sw_policy_load_file(path, &p, &d);
    /* Warnings are check's business; here only a failure is worth
     * interrupting the answer for. */
    if (rc != SW_OK) {
        for (size_t i = 0; i < d.count; i++)
            if (d.items[i].severity == SW_SEV_ERROR)
                out_diag(stderr, &d.items[i]);
        size_t errors = sw_diags_errors(&d);
        if (errors == 0 || rc != SW_EIO) {
            fprintf(stderr, "sharewall %s: ", cmd);
            out_text(stderr, path);
        }
        if (errors == 0)
            fprintf(stderr, ": cannot load the policy (%s)\n",
                    rc == SW_EIO ? "cannot read it" :
                    rc == SW_ENOMEM ? "out of memory" :
                    rc == SW_ETOOBIG ? "too big" : "invalid");
        else if (rc != SW_EIO)
            fprintf(stderr, ": policy rejected (%lu %s; see 'sharewall check')\n",
                    (unsigned long)errors, errors == 1 ? "error" : "errors");
        *exit_code = (rc == SW_EIO || rc == SW_ENOMEM) ? CLI_EXIT_USAGE
                                                        : invalid_code;
        p = NULL;
    }
    sw_diags_free(&d);
    return p;
}

FILE *cli_open_input(const char *cmd, const char *path)
{
    const char *why;
    if (strcmp(path, "-") == 0) {
        if ((why = cli_stdin_problem()) == NULL)
            return stdin;
        fprintf(stderr, "sharewall %s: cannot read the input: %s\n", cmd, why);
        return NULL;
    }
    FILE *f = cli_open_stream(path, &why);
    if (!f) {
        fprintf(stderr, "sharewall %s: ", cmd);
        out_text(stderr, path);
        fprintf(stderr, ": cannot open: %s\n", why ? why : strerror(errno));
    }
    return f;
}

void cli_close_input(FILE *f)
{
    if (f && f != stdin)
        fclose(f);
}

void cli_encoding_error(const char *cmd, const char *file, const char *encoding)
{
    fprintf(stderr, "sharewall %s: ", cmd);
    out_text(stderr, file);
    fprintf(stderr, ": the input is %s, not UTF-8: convert it first (iconv -f "
                    "%.6s -t UTF-8, or in PowerShell: Get-Content IN | "
                    "Set-Content -Encoding utf8 OUT)\n", encoding, encoding);
}

const char *cli_stray_bom(const char *line, size_t len)
{
    if (len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3))
        return "the line starts with a byte order mark (U+FEFF); only the "
               "first line of the input may (were files joined together?)";
    return NULL;
}
