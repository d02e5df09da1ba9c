/* Loading the policy a subcommand works with (test, explain, replay):
 * errors and warnings are printed the same way `check` prints them. */
#ifndef SW_CLI_POLICY_H
#define SW_CLI_POLICY_H

#include "sharewall/sharewall.h"

/* Returns the policy, or NULL after printing why to stderr; *exit_code
 * then gets CLI_EXIT_USAGE for an I/O problem, else invalid_code. */
sw_policy *cli_load_policy(const char *cmd, const char *path, int invalid_code,
                           int *exit_code);

/* Opens path for reading ("-" is stdin). NULL after printing why. */
#include <stdio.h>
FILE *cli_open_input(const char *cmd, const char *path);
void cli_close_input(FILE *f);

/* Reports input that is not UTF-8 (cli_reader_start's answer) on stderr,
 * with how to convert it. */
void cli_encoding_error(const char *cmd, const char *file, const char *encoding);

/* A line starting with a byte order mark after the first line (files
 * joined together): the message for it, or NULL. */
const char *cli_stray_bom(const char *line, size_t len);

#endif
