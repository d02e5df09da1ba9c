/* `sharewall`: dispatch to a subcommand. Exit codes are in cli.h. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "platform.h"
#include "sharewall/sharewall.h"

#ifdef _WIN32
int cmd_status(int argc, char **argv); /* cmd_status_win.c */
#endif

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"check", cmd_check, "validate policies, lint them and run their tests"},
    {"test", cmd_test, "decide one request, or a batch of them"},
    {"explain", cmd_explain, "show rule by rule how a request is decided"},
    {"canon", cmd_canon, "show the canonical form of remote names"},
    {"replay", cmd_replay, "re-decide a JSON-lines log with a policy"},
#ifdef _WIN32
    {"status", cmd_status, "show the DLL's configuration, policy and registration"},
#endif
};

static void usage(FILE *f)
{
    fputs("usage: sharewall COMMAND [ARGS...]\n"
          "       sharewall --help | --version\n\n"
          "Author, lint, test and dry-run sharewall policies: every decision\n"
          "the Windows DLL makes can be reproduced here.\n\ncommands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'sharewall COMMAND --help' describes a command.\n"
          "exit codes: 0 ok, 1 errors/failed tests/changes, 2 usage or I/O "
          "error,\n            3 denied (test --exit-code)\n", f);
}

int main(int argc, char **argv)
{
    if (cli_platform_init(&argc, &argv) != 0)
        return CLI_EXIT_USAGE;
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            /* `sharewall help CMD` is `sharewall CMD --help`. */
            char help[] = "--help";
            char *sub[2];
            sub[0] = argv[2];
            sub[1] = help;
            for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                if (strcmp(commands[i].name, argv[2]) == 0)
                    return commands[i].run(2, sub);
            fprintf(stderr, "sharewall: unknown command '%s' (see 'sharewall --help')\n",
                    argv[2]);
            return CLI_EXIT_USAGE;
        }
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("sharewall %s\n", SW_VERSION_STRING);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (name[0] == '-')
        fprintf(stderr, "sharewall: unknown option '%s' (see 'sharewall --help')\n", name);
    else
        fprintf(stderr, "sharewall: unknown command '%s' (see 'sharewall --help')\n", name);
    return CLI_EXIT_USAGE;
}
