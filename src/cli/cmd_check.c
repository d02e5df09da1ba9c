/* `sharewall check POLICY...`: load, lint and run the tests of each
 * policy, like `nginx -t`. Diagnostics go to stderr in the compiler
 * format editors understand; one summary line per file goes to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "output.h"

static const char help[] =
    "usage: sharewall check [--strict] POLICY...\n\n"
    "Load each policy (with its NAME.d/ fragments), report every error and\n"
    "warning as FILE:LINE:COL: error|warning: [FIELD: ]MESSAGE on stderr, run\n"
    "the policy's tests: section, and print one summary line per file:\n"
    "  policy.yaml: ok, 12 rules, 9 tests passed\n"
    "  policy.yaml: FAILED, 2 errors, 1 test failed\n\n"
    "options:\n"
    "  --strict   warnings fail the check too\n\n"
    "exit: 0 valid and tests pass, 1 errors or failing tests (or warnings\n"
    "with --strict), 2 usage error or a file that cannot be read\n";

static const cli_opt opts[] = {CLI_HELP_OPTS, {"--strict", 0, OPT_STRICT},
                               CLI_OPTS_END};

/* Diagnostics in file order, then line and column, as an editor lists
 * them: the loader and the linter find them in different passes. Files
 * keep the order they first appear in (the main file, then fragments);
 * equal positions keep the order they were found in (the sort is stable).
 * Returns 0, or -1 when out of memory (then nothing was printed). */
static int print_sorted(FILE *f, const sw_diags *d)
{
    size_t n = d->count;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *file_rank = malloc((n ? n : 1) * sizeof *file_rank);
    if (!order || !file_rank) {
        free(order);
        free(file_rank);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t r = i;
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->items[j].pos.file, d->items[i].pos.file) == 0) {
                r = file_rank[j];
                break;
            }
        file_rank[i] = r;
    }
    /* Insertion sort: stable, and policies have few diagnostics. */
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        const sw_diag *x = &d->items[i];
        while (k > 0) {
            size_t prev = order[k - 1];
            const sw_diag *y = &d->items[prev];
            int after = file_rank[prev] > file_rank[i] ||
                        (file_rank[prev] == file_rank[i] &&
                         (y->pos.line > x->pos.line ||
                          (y->pos.line == x->pos.line && y->pos.column > x->pos.column)));
            if (!after)
                break;
            order[k] = prev;
            k--;
        }
        order[k] = i;
    }
    for (size_t i = 0; i < n; i++)
        out_diag(f, &d->items[order[i]]);
    if (d->oom)
        fputs("sharewall: error: out of memory: some diagnostics were lost\n", f);
    free(order);
    free(file_rank);
    return 0;
}

static size_t count_warnings(const sw_diags *d)
{
    return d->count - sw_diags_errors(d);
}

static void print_summary(const char *path, const sw_policy *p, size_t errors,
                          size_t warnings, size_t tests_run, long failed)
{
    out_text(stdout, path);
    if (!p) {
        printf(": FAILED, %lu %s", (unsigned long)errors,
               out_plural(errors, "error", "errors"));
    } else if (errors || failed) {
        printf(": FAILED, %lu %s, %ld %s failed", (unsigned long)errors,
               out_plural(errors, "error", "errors"), failed,
               out_plural((size_t)failed, "test", "tests"));
    } else {
        size_t rules = sw_policy_rule_count(p);
        printf(": ok, %lu %s, %lu %s passed", (unsigned long)rules,
               out_plural(rules, "rule", "rules"), (unsigned long)tests_run,
               out_plural(tests_run, "test", "tests"));
    }
    if (warnings)
        printf(", %lu %s", (unsigned long)warnings,
               out_plural(warnings, "warning", "warnings"));
    putchar('\n');
}

/* Returns the exit code for one file. */
static int check_one(const char *path, int strict)
{
    sw_diags d;
    sw_policy *p = NULL;
    size_t tests_run = 0;
    long failed = 0;
    int code = CLI_EXIT_OK;

    sw_diags_init(&d);
    int rc = sw_policy_load_file(path, &p, &d);
    if (rc == SW_OK) {
        failed = sw_policy_lint(p, &d, &tests_run);
        if (failed < 0) {
            out_text(stderr, path);
            fprintf(stderr, ": error: the tests could not be run (%s)\n",
                    failed == SW_ENOMEM ? "out of memory" : "internal error");
            code = CLI_EXIT_USAGE;
            failed = 0;
        }
    }
    fflush(stdout);
    if (print_sorted(stderr, &d) != 0)
        out_diags(stderr, &d); /* unsorted beats nothing */
    if (rc != SW_OK && sw_diags_errors(&d) == 0) {
        out_text(stderr, path);
        fprintf(stderr, ": error: %s\n",
                rc == SW_EIO ? "cannot read the policy" :
                rc == SW_ENOMEM ? "out of memory" :
                rc == SW_ETOOBIG ? "the policy is too big" : "invalid policy");
    }
    fflush(stderr);

    /* Failing tests are reported as errors by the linter; the summary
     * counts them once, as tests. */
    size_t errors = sw_diags_errors(&d);
    if (failed > 0 && errors >= (size_t)failed)
        errors -= (size_t)failed;
    size_t warnings = count_warnings(&d);
    print_summary(path, p, errors, warnings, tests_run, failed);

    if (rc == SW_EIO || rc == SW_ENOMEM || d.oom)
        code = CLI_EXIT_USAGE;
    else if (code == CLI_EXIT_OK &&
             (rc != SW_OK || errors || failed || (strict && warnings)))
        code = CLI_EXIT_FAIL;
    sw_policy_free(p);
    sw_diags_free(&d);
    return code;
}

int cmd_check(int argc, char **argv)
{
    cli_args a;
    const char *v;
    int id, strict = 0, files = 0, code = CLI_EXIT_OK;
    cli_args_init(&a, argc, argv);
    /* Options first, so `--strict` anywhere applies to every file. */
    while ((id = cli_args_next(&a, opts, &v)) != CLI_ARG_END) {
        if (id == CLI_ARG_ERROR)
            return CLI_EXIT_USAGE;
        if (id == OPT_HELP) {
            fputs(help, stdout);
            return CLI_EXIT_OK;
        }
        if (id == OPT_STRICT)
            strict = 1;
        else
            files++;
    }
    if (!files)
        return cli_usage_error(argv[0], "no policy file given");
    cli_args_init(&a, argc, argv);
    while ((id = cli_args_next(&a, opts, &v)) != CLI_ARG_END) {
        if (id != CLI_ARG_POSITIONAL)
            continue;
        int c = check_one(v, strict);
        if (c > code)
            code = c;
    }
    return code;
}
