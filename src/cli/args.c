#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"

void cli_args_init(cli_args *a, int argc, char **argv)
{
    a->argc = argc;
    a->argv = argv;
    a->i = 1; /* argv[0] is the subcommand */
    a->options_done = 0;
}

static const cli_opt *find_opt(const cli_opt *opts, const char *arg,
                               size_t name_len)
{
    for (const cli_opt *o = opts; o->name; o++)
        if (strlen(o->name) == name_len && strncmp(o->name, arg, name_len) == 0)
            return o;
    return NULL;
}

int cli_args_next(cli_args *a, const cli_opt *opts, const char **value)
{
    const char *cmd = a->argv[0];
    *value = NULL;
    if (a->i >= a->argc)
        return CLI_ARG_END;
    const char *arg = a->argv[a->i++];
    if (a->options_done || arg[0] != '-' || arg[1] == '\0') {
        *value = arg;
        return CLI_ARG_POSITIONAL;
    }
    if (strcmp(arg, "--") == 0) {
        a->options_done = 1;
        return cli_args_next(a, opts, value);
    }
    const char *eq = strchr(arg, '=');
    size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
    const cli_opt *o = find_opt(opts, arg, name_len);
    if (!o) {
        cli_usage_error(cmd, "unknown option '%.*s'", (int)name_len, arg);
        return CLI_ARG_ERROR;
    }
    if (!o->has_value) {
        if (eq) {
            cli_usage_error(cmd, "option '%s' takes no value", o->name);
            return CLI_ARG_ERROR;
        }
        return o->id;
    }
    if (eq) {
        *value = eq + 1;
    } else if (a->i < a->argc) {
        *value = a->argv[a->i++];
    } else {
        cli_usage_error(cmd, "option '%s' needs a value", o->name);
        return CLI_ARG_ERROR;
    }
    return o->id;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    /* The message quotes arguments as typed: escaped like any input. */
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "sharewall %s: ", cmd);
    out_text(stderr, msg);
    fprintf(stderr, " (see 'sharewall %s --help')\n", cmd);
    return CLI_EXIT_USAGE;
}

long cli_parse_count(const char *text)
{
    if (!text || text[0] < '0' || text[0] > '9')
        return -1;
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (*end != '\0' || v > 1000000000ul)
        return -1;
    return (long)v;
}

int cli_context_init(cli_context *c, int max_values)
{
    memset(c, 0, sizeof *c);
    size_t n = max_values > 0 ? (size_t)max_values : 1;
    c->groups = calloc(n, sizeof *c->groups);
    c->self = calloc(n, sizeof *c->self);
    if (!c->groups || !c->self) {
        cli_context_free(c);
        return -1;
    }
    return 0;
}

void cli_context_free(cli_context *c)
{
    free(c->groups);
    free(c->self);
    memset(c, 0, sizeof *c);
}

int cli_context_option(cli_context *c, int id, const char *value)
{
    switch (id) {
    case OPT_LOCAL: c->local = value; return 1;
    case OPT_PROVIDER: c->provider = value; return 1;
    case OPT_USER: c->user = value; return 1;
    case OPT_PROCESS: c->process = value; return 1;
    case OPT_GROUP: c->groups[c->group_count++] = value; return 1;
    case OPT_SELF:
        c->self[c->self_count++] = value;
        c->self_names.names = c->self;
        c->self_names.count = c->self_count;
        return 1;
    default: return 0;
    }
}

void cli_context_apply(const cli_context *c, sw_request *r)
{
    if (!r->local)
        r->local = c->local;
    if (!r->provider)
        r->provider = c->provider;
    if (!r->user)
        r->user = c->user;
    if (!r->process)
        r->process = c->process;
    if (!r->groups && c->group_count) {
        r->groups = c->groups;
        r->group_count = c->group_count;
    }
    if (!r->self && c->self_count)
        r->self = &c->self_names;
}
