/* The `sharewall` command: one entry point per subcommand, and the exit
 * codes every subcommand shares (docs/cli.md documents them). The CLI is a
 * thin front: it parses arguments and prints; every decision is the
 * engine's (include/sharewall/sharewall.h). */
#ifndef SW_CLI_H
#define SW_CLI_H

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,  /* errors found, tests failed, decisions changed */
    CLI_EXIT_USAGE = 2, /* bad arguments, unreadable files, out of memory */
    CLI_EXIT_DENY = 3   /* `test --exit-code`: the request was denied     */
};

/* argv[0] is the subcommand's name; argv[1..] its arguments. */
int cmd_check(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_canon(int argc, char **argv);
int cmd_replay(int argc, char **argv);

#endif
