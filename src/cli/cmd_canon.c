/* `sharewall canon NAME...`: the canonical decomposition the engine
 * matches rules against, so an author can see why a spelling lands where
 * it does. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "output.h"

static const char help[] =
    "usage: sharewall canon [--json] [--self NAME]... NAME...\n\n"
    "Show the canonical decomposition of each remote name: scheme, host,\n"
    "port, TLS, share, path, loopback and the canonical UNC form, or why the\n"
    "name is malformed (malformed names are always denied).\n\n"
    "options:\n"
    "  --json        one JSON object per name (JSON lines)\n"
    "  --self NAME   a name of this machine (canonicalises to localhost);\n"
    "                repeatable\n\n"
    "exit: 0 every name is well-formed, 1 some name is malformed, 2 usage\n";

static const cli_opt opts[] = {CLI_HELP_OPTS, {"--json", 0, OPT_JSON},
                               {"--self", 1, OPT_SELF}, CLI_OPTS_END};

/* Returns 1 when the name is malformed. */
static int canon_one(const char *name, const sw_self_names *self, int json)
{
    sw_canon c;
    sw_canonicalise(name, strlen(name), self, &c);
    if (json) {
        fputs("{\"name\":", stdout);
        out_json_string(stdout, name);
        fputs(",\"canonical\":", stdout);
        out_canon_json(stdout, &c);
        fputs("}\n", stdout);
    } else {
        out_text(stdout, name);
        putchar('\n');
        out_canon_text(stdout, &c, "  ");
    }
    int malformed = c.malformed != 0;
    sw_canon_free(&c);
    return malformed;
}

int cmd_canon(int argc, char **argv)
{
    cli_args a;
    cli_context c;
    const char *v;
    int id, json = 0, names = 0, malformed = 0;
    if (cli_context_init(&c, argc) != 0) {
        fputs("sharewall canon: out of memory\n", stderr);
        return CLI_EXIT_USAGE;
    }
    /* Options first, wherever they are, then the names in order. */
    cli_args_init(&a, argc, argv);
    while ((id = cli_args_next(&a, opts, &v)) != CLI_ARG_END) {
        if (id == CLI_ARG_ERROR) {
            cli_context_free(&c);
            return CLI_EXIT_USAGE;
        }
        if (id == OPT_HELP) {
            fputs(help, stdout);
            cli_context_free(&c);
            return CLI_EXIT_OK;
        }
        if (id == OPT_JSON)
            json = 1;
        else if (!cli_context_option(&c, id, v))
            names++;
    }
    if (!names) {
        cli_context_free(&c);
        return cli_usage_error(argv[0], "no name given");
    }
    const sw_self_names *self = c.self_count ? &c.self_names : NULL;
    cli_args_init(&a, argc, argv);
    int first = 1;
    while ((id = cli_args_next(&a, opts, &v)) != CLI_ARG_END) {
        if (id != CLI_ARG_POSITIONAL)
            continue;
        if (!json && !first)
            putchar('\n');
        first = 0;
        malformed |= canon_one(v, self, json);
    }
    cli_context_free(&c);
    return malformed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
