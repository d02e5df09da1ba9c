/* `sharewall explain POLICY NAME`: the canonical decomposition, then the
 * engine's own trace of every rule and field (sw_decide_trace), so an
 * author sees exactly which value failed against which pattern. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cli_policy.h"
#include "output.h"

static const char help[] =
    "usage: sharewall explain POLICY NAME [CONTEXT]\n\n"
    "Show how NAME is decided: its canonical decomposition, then every rule\n"
    "in order, with each field it matches on: matched, did not match (the\n"
    "value and the pattern), or skipped (after the deciding rule). Staged\n"
    "rules that match are reported and evaluation goes on past them.\n\n"
    "context: --local X: --provider NAME --user DOMAIN\\NAME --group GROUP...\n"
    "         --process PATH --self NAME...   (as for 'sharewall test')\n\n"
    "exit: 0 explained, 1 invalid policy, 2 usage or I/O error\n";

static const cli_opt opts[] = {CLI_HELP_OPTS, CLI_CONTEXT_OPTS, CLI_OPTS_END};

typedef struct trace_state {
    const sw_policy *p;
    long current;      /* rule whose header was printed last, -1 none */
    unsigned traced;   /* SW_FIELD_BITs of the current rule's tested fields */
} trace_state;

static void rule_header(trace_state *s, size_t index, const char *note)
{
    sw_rule_info info;
    if ((long)index == s->current)
        return;
    s->current = (long)index;
    s->traced = 0;
    sw_policy_rule(s->p, index, &info);
    printf("  #%lu ", (unsigned long)index + 1);
    out_text(stdout, info.id);
    printf(" (%s%s", sw_action_name(info.action), info.staged ? ", staged" : "");
    if (info.pos.line) {
        fputs(", ", stdout);
        out_text(stdout, info.pos.file);
        printf(":%u", info.pos.line);
    }
    printf(")%s\n", note);
}

/* A rule stops at its first field that does not match (or fails): name
 * the fields it never got to, so every field of the rule is accounted for. */
static void untested_fields(const trace_state *s, size_t index)
{
    sw_rule_info info;
    sw_policy_rule(s->p, index, &info);
    for (int f = 0; f < SW_F_COUNT; f++)
        if ((info.fields & SW_FIELD_BIT(f)) && !(s->traced & SW_FIELD_BIT(f)))
            printf("      %-8s not tested (an earlier field did not match)\n",
                   sw_field_name((sw_field)f));
}

static void on_trace(void *ctx, const sw_trace *t)
{
    trace_state *s = ctx;
    switch (t->kind) {
    case SW_TRACE_FIELD:
        rule_header(s, t->rule_index, "");
        s->traced |= SW_FIELD_BIT(t->field);
        printf("      %-8s ", sw_field_name(t->field));
        putchar('\'');
        out_text(stdout, t->value);
        fputs(t->matched ? "' matched '" : "' did not match '", stdout);
        out_text(stdout, t->pattern);
        putchar('\'');
        if (t->error) {
            fputs(" [error: ", stdout);
            out_text(stdout, t->error);
            putchar(']');
        }
        putchar('\n');
        break;
    case SW_TRACE_RULE:
        rule_header(s, t->rule_index, "");
        untested_fields(s, t->rule_index);
        if (t->error) {
            fputs("      => ERROR: ", stdout);
            out_text(stdout, t->error);
            puts(" (on_error decides)");
        } else if (!t->matched)
            puts("      => no match");
        else if (t->staged)
            puts("      => matched (staged: logged as \"would veto\", evaluation goes on)");
        else
            puts("      => MATCHED: this rule decides");
        break;
    case SW_TRACE_SKIPPED:
        rule_header(s, t->rule_index, ": skipped, after the deciding rule");
        break;
    }
}

static void labelled(const char *label, const char *value)
{
    fputs(label, stdout);
    out_text(stdout, value);
    putchar('\n');
}

static void print_context(const sw_request *r)
{
    if (r->local)
        labelled("local:     ", r->local);
    if (r->provider)
        labelled("provider:  ", r->provider);
    if (r->user)
        labelled("user:      ", r->user);
    for (size_t i = 0; i < r->group_count; i++)
        labelled("group:     ", r->groups[i]);
    if (r->process)
        labelled("process:   ", r->process);
}

static int explain(const sw_policy *p, const char *name, const cli_context *c)
{
    sw_request req;
    sw_decision d;
    trace_state s = {p, -1, 0};
    sw_request_init(&req);
    req.remote = name;
    cli_context_apply(c, &req);

    labelled("name:      ", name);
    print_context(&req);
    /* The trace is printed as the engine walks the rules, before the
     * decision is known; the canonical form is printed by canonicalising
     * up front, exactly as the engine does. */
    sw_canon canon;
    sw_canonicalise(name, strlen(name), req.self, &canon);
    out_canon_text(stdout, &canon, "");
    sw_canon_free(&canon);
    printf("\nrules (%s mode, default %s, on_error %s; first match wins):\n",
           sw_mode_name(sw_policy_mode(p)), sw_action_name(sw_policy_default(p)),
           sw_action_name(sw_policy_on_error(p)));
    sw_decide_trace(p, &req, &d, on_trace, &s);
    if (s.current < 0)
        puts("  (no rule was evaluated)");

    printf("\ndecision:  %s by ", sw_action_name(d.action));
    switch (d.basis) {
    case SW_BASIS_RULE:
        fputs("rule ", stdout);
        out_text(stdout, d.rule_id);
        break;
    case SW_BASIS_DEFAULT: fputs("the default (no rule matched)", stdout); break;
    case SW_BASIS_ERROR:
        fputs("on_error: ", stdout);
        out_text(stdout, d.reason);
        break;
    case SW_BASIS_MALFORMED:
        fputs("malformed name (always denied): ", stdout);
        out_text(stdout, d.reason);
        break;
    }
    if (d.action == SW_DENY)
        fputs(d.enforced ? ", enforced" : ", not enforced (would veto)", stdout);
    putchar('\n');
    sw_decision_free(&d);
    return CLI_EXIT_OK;
}

int cmd_explain(int argc, char **argv)
{
    cli_args a;
    cli_context c;
    const char *v, *policy = NULL, *name = NULL;
    int id, code = CLI_EXIT_OK;
    if (cli_context_init(&c, argc) != 0) {
        fputs("sharewall explain: out of memory\n", stderr);
        return CLI_EXIT_USAGE;
    }
    cli_args_init(&a, argc, argv);
    while (code == CLI_EXIT_OK && (id = cli_args_next(&a, opts, &v)) != CLI_ARG_END) {
        if (id == CLI_ARG_ERROR)
            code = CLI_EXIT_USAGE;
        else if (id == OPT_HELP) {
            fputs(help, stdout);
            cli_context_free(&c);
            return CLI_EXIT_OK;
        } else if (cli_context_option(&c, id, v))
            continue;
        else if (!policy)
            policy = v;
        else if (!name)
            name = v;
        else
            code = cli_usage_error(argv[0], "unexpected argument '%s'", v);
    }
    if (code == CLI_EXIT_OK && !policy)
        code = cli_usage_error(argv[0], "no policy file given");
    else if (code == CLI_EXIT_OK && !name)
        code = cli_usage_error(argv[0], "no name given");
    if (code == CLI_EXIT_OK) {
        sw_policy *p = cli_load_policy(argv[0], policy, CLI_EXIT_FAIL, &code);
        if (p)
            code = explain(p, name, &c);
        sw_policy_free(p);
    }
    cli_context_free(&c);
    return code;
}
