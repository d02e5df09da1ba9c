/* Portable option parsing (no getopt: the CLI also builds with MSVC and
 * mingw). Long options only, as `--name value` or `--name=value`; `--`
 * ends the options; a lone `-` is a positional (stdin). */
#ifndef SW_CLI_ARGS_H
#define SW_CLI_ARGS_H

#include <stddef.h>

#include "sharewall/sharewall.h"

typedef struct cli_opt {
    const char *name; /* "--json" */
    int has_value;
    int id;           /* > 0 */
} cli_opt;

/* Option ids shared by the subcommands. */
enum {
    OPT_HELP = 1,
    OPT_JSON,
    OPT_EXIT_CODE,
    OPT_BATCH,
    OPT_STRICT,
    OPT_EXAMPLES,
    /* request context (test, explain) */
    OPT_LOCAL,
    OPT_PROVIDER,
    OPT_USER,
    OPT_GROUP,
    OPT_PROCESS,
    OPT_SELF
};

#define CLI_HELP_OPTS {"--help", 0, OPT_HELP}, {"-h", 0, OPT_HELP}
#define CLI_CONTEXT_OPTS                                                   \
    {"--local", 1, OPT_LOCAL}, {"--provider", 1, OPT_PROVIDER},            \
    {"--user", 1, OPT_USER}, {"--group", 1, OPT_GROUP},                    \
    {"--process", 1, OPT_PROCESS}, {"--self", 1, OPT_SELF}
#define CLI_OPTS_END {NULL, 0, 0}

typedef struct cli_args {
    int argc;
    char **argv;
    int i;
    int options_done; /* after "--" */
} cli_args;

enum { CLI_ARG_END = -1, CLI_ARG_ERROR = -2, CLI_ARG_POSITIONAL = 0 };

void cli_args_init(cli_args *a, int argc, char **argv);
/* Next argument: an option id (> 0, *value set when it takes one),
 * CLI_ARG_POSITIONAL (*value is the argument), CLI_ARG_END, or
 * CLI_ARG_ERROR after printing what was wrong to stderr. */
int cli_args_next(cli_args *a, const cli_opt *opts, const char **value);

/* Print "sharewall CMD: MESSAGE (see 'sharewall CMD --help')" to stderr
 * and return CLI_EXIT_USAGE. */
#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* A non-negative decimal number, or -1 when the text is not one. */
long cli_parse_count(const char *text);

/* The simulated caller of `test`, `explain` and batch requests. */
typedef struct cli_context {
    const char *local, *provider, *user, *process;
    const char **groups;
    size_t group_count;
    const char **self;
    size_t self_count;
    sw_self_names self_names;
} cli_context;

/* max_values bounds how many --group/--self may follow (argc will do). */
int cli_context_init(cli_context *c, int max_values);
void cli_context_free(cli_context *c);
/* Takes a context option; returns 1 when id was one, else 0. */
int cli_context_option(cli_context *c, int id, const char *value);
/* Fills the request fields the request leaves unset (NULL) from the
 * context: the command line gives defaults, a batch line overrides. */
void cli_context_apply(const cli_context *c, sw_request *r);

#endif
