/* `sharewall replay POLICY LOG.jsonl`: re-decide every logged connection
 * attempt with a new policy and report what would change, so an admin can
 * check a policy against a month of real traffic before enforcing it.
 * Streams the log in constant memory; only the first N examples of each
 * kind of change are kept (--json streams every change instead). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cli_policy.h"
#include "output.h"
#include "readline.h"

static const char help[] =
    "usage: sharewall replay POLICY LOG.jsonl|- [--examples N] [--json] [--self NAME]...\n\n"
    "Read the JSON-lines records the DLL writes, re-decide every connection\n"
    "attempt with POLICY and compare with the logged action. Each attempt is\n"
    "counted once, at the record the DLL always writes for it: vetoed, error\n"
    "(naming a connection), connected (unless its rule is \"error\": then the\n"
    "error record was counted), or a line with no event but an action. Other\n"
    "records (would-veto, which a connected record follows; staged,\n"
    "disconnected, policy-*) are skipped. A record's \"suppressed\" count (the\n"
    "DLL's rate limit) adds that many identical attempts. Reports the allow ->\n"
    "deny and deny -> allow changes by (new) deciding rule and the first N\n"
    "examples of each. Malformed lines are reported as LOG:LINE: error: ... and skipped.\n"
    "A UTF-8 byte order mark on the first line is skipped; UTF-16 and UTF-32\n"
    "input is refused and named.\n\n"
    "options:\n"
    "  --examples N   examples of each kind of change to show (default 5)\n"
    "  --json         one JSON document with every change and the counts\n"
    "  --self NAME    a name of the logging machine (loopback); repeatable\n\n"
    "exit: 0 no decision would change, 1 some would, or some lines were\n"
    "malformed, or no attempt was re-decided (nothing was compared); 2 usage\n"
    "or I/O error, input that is not UTF-8 text, or an invalid policy\n";

static const cli_opt opts[] = {CLI_HELP_OPTS, {"--json", 0, OPT_JSON},
                               {"--examples", 1, OPT_EXAMPLES},
                               {"--self", 1, OPT_SELF}, CLI_OPTS_END};

enum { TO_DENY = 0, TO_ALLOW = 1 }; /* allow -> deny, deny -> allow */
static const char *const direction_names[2] = {"allow -> deny", "deny -> allow"};

typedef struct example {
    unsigned long line;
    char *time, *name, *old_rule, *new_rule;
} example;

typedef struct replay_state {
    const sw_policy *p;
    const char *log;   /* for messages */
    const sw_self_names *self; /* the logging machine's names, or NULL */
    int json;
    size_t max_examples;
    unsigned long records, attempts, skipped, errors, unchanged;
    unsigned long changed[2];
    unsigned long (*by_rule)[2]; /* rule_count + default, error, malformed */
    example *examples[2];
    size_t example_count[2];
    unsigned long json_items;
} replay_state;

static size_t rule_slot(const replay_state *s, const sw_decision *d)
{
    size_t rules = sw_policy_rule_count(s->p);
    switch (d->basis) {
    case SW_BASIS_RULE: return (size_t)d->rule_index;
    case SW_BASIS_DEFAULT: return rules;
    case SW_BASIS_ERROR: return rules + 1;
    default: return rules + 2;
    }
}

static const char *slot_name(const replay_state *s, size_t slot)
{
    size_t rules = sw_policy_rule_count(s->p);
    sw_rule_info info;
    if (slot < rules) {
        sw_policy_rule(s->p, slot, &info);
        return info.id;
    }
    return slot == rules ? "default" : slot == rules + 1 ? "error" : "malformed";
}

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void keep_example(replay_state *s, int dir, unsigned long line,
                         const sw_parsed_record *rec, const sw_decision *d)
{
    if (s->example_count[dir] >= s->max_examples)
        return;
    example *e = &s->examples[dir][s->example_count[dir]++];
    e->line = line;
    e->time = dup_or_null(rec->time);
    e->name = dup_or_null(rec->remote);
    e->old_rule = dup_or_null(rec->rule);
    e->new_rule = dup_or_null(d->rule_id);
}

static void json_change(replay_state *s, int dir, unsigned long line,
                        const sw_parsed_record *rec, const sw_decision *d)
{
    fputs(s->json_items++ ? ",\n" : "\n", stdout);
    printf("{\"line\":%lu,\"change\":", line);
    out_json_string(stdout, direction_names[dir]);
    fputs(",\"time\":", stdout);
    out_json_string(stdout, rec->time);
    fputs(",\"event\":", stdout);
    out_json_string(stdout, rec->event >= 0 ? sw_event_name((sw_event)rec->event) : NULL);
    fputs(",\"old\":{\"action\":", stdout);
    out_json_string(stdout, sw_action_name(dir == TO_DENY ? SW_ALLOW : SW_DENY));
    fputs(",\"rule\":", stdout);
    out_json_string(stdout, rec->rule);
    fputs("},\"new\":", stdout);
    out_decision_json(stdout, 0, rec->remote, d);
    putchar('}');
}

static void line_error(replay_state *s, unsigned long line, size_t col,
                       const char *msg)
{
    out_line_error(stderr, s->log, line, col, msg);
    s->errors++;
}

/* The logged decision of an attempt, or -1 when the record is not one.
 * Each attempt is counted at the one record the DLL always writes for it
 * (src/win/notify.c): an enforced deny leaves `vetoed` (or `error` when
 * evaluation failed) and no POST; everything let through leaves a POST
 * `connected` record with the PRE decision — an audited deny included,
 * whose `would-veto` is optional (log.vetoed) and so is skipped. When
 * evaluation failed, the PRE `error` record is counted and its POST
 * (rule "error") skipped. */
static int logged_action(const sw_parsed_record *rec)
{
    switch (rec->event) {
    case -1: /* batch-style line: only its action says it was decided */
        return rec->has_action ? (int)rec->action : -1;
    case SW_EV_VETOED:
        return rec->has_action ? (int)rec->action : SW_DENY;
    case SW_EV_ERROR: /* a policy-level error names no connection */
        return (rec->remote && rec->has_action) ? (int)rec->action : -1;
    case SW_EV_CONNECTED:
        if (rec->rule && strcmp(rec->rule, "error") == 0)
            return -1;
        return rec->has_action ? (int)rec->action : SW_ALLOW;
    default:
        return -1;
    }
}

static void replay_line(replay_state *s, unsigned long line, const char *text,
                        size_t len)
{
    sw_parsed_record rec;
    const char *err = NULL;
    size_t col = 0;
    s->records++;
    const char *bom = cli_stray_bom(text, len);
    if (memchr(text, '\0', len) || bom) {
        line_error(s, line, 0, bom ? bom : "the line contains a NUL byte");
        return;
    }
    if (sw_record_parse(text, len, &rec, &err, &col) != SW_OK) {
        line_error(s, line, col, err ? err : "invalid record");
        return;
    }
    int old = logged_action(&rec);
    if (rec.event == -1 && old < 0) {
        line_error(s, line, 0, "the record has no \"event\" and no \"action\"");
    } else if (old < 0) {
        s->skipped++;
    } else if (!rec.remote) {
        line_error(s, line, 0, "the record has no \"raw\" or \"unc\" name");
    } else {
        sw_decision d;
        /* A record stands for itself and for the identical attempts the
         * DLL's rate limit folded into it ("suppressed"). */
        unsigned long weight = 1 + rec.suppressed;
        s->attempts += weight;
        rec.request.self = s->self;
        sw_decide(s->p, &rec.request, &d);
        if ((int)d.action == old) {
            s->unchanged += weight;
        } else {
            int dir = d.action == SW_DENY ? TO_DENY : TO_ALLOW;
            s->changed[dir] += weight;
            s->by_rule[rule_slot(s, &d)][dir] += weight;
            if (s->json)
                json_change(s, dir, line, &rec, &d);
            else
                keep_example(s, dir, line, &rec, &d);
        }
        sw_decision_free(&d);
    }
    sw_parsed_record_free(&rec);
}

/* Why the replay does not show that nothing would change, or NULL: a log
 * that could not be read, wholly or in part, must never pass for one
 * whose traffic the new policy leaves alone. */
static const char *incomplete(const replay_state *s, char *buf, size_t cap)
{
    if (s->attempts == 0 && s->errors)
        snprintf(buf, cap, "no connection attempt was re-decided and %lu %s "
                 "malformed: nothing was compared", s->errors,
                 s->errors == 1 ? "line was" : "lines were");
    else if (s->attempts == 0)
        snprintf(buf, cap, "no connection attempt was re-decided: nothing was compared");
    else if (s->errors)
        snprintf(buf, cap, "%lu malformed %s not compared", s->errors,
                 s->errors == 1 ? "line was" : "lines were");
    else
        return NULL;
    return buf;
}

static void print_text_report(const replay_state *s, const char *policy)
{
    size_t slots = sw_policy_rule_count(s->p) + 3;
    fputs("replay of ", stdout);
    out_text(stdout, s->log);
    fputs(" with ", stdout);
    out_text(stdout, policy);
    printf("\n  %lu records: %lu connection attempts re-decided, %lu other "
           "events skipped, %lu malformed\n",
           s->records, s->attempts, s->skipped, s->errors);
    printf("  %lu unchanged, %lu allow -> deny, %lu deny -> allow\n",
           s->unchanged, s->changed[TO_DENY], s->changed[TO_ALLOW]);
    char why[160];
    if (incomplete(s, why, sizeof why))
        printf("  NOT A CLEAN REPLAY: %s\n", why);
    for (int dir = 0; dir < 2; dir++) {
        if (!s->changed[dir])
            continue;
        printf("\n%s, by the new deciding rule:\n", direction_names[dir]);
        for (size_t i = 0; i < slots; i++) {
            if (!s->by_rule[i][dir])
                continue;
            printf("  %8lu  ", s->by_rule[i][dir]);
            out_text(stdout, slot_name(s, i));
            putchar('\n');
        }
        if (!s->example_count[dir])
            continue;
        printf("first %lu %s:\n", (unsigned long)s->example_count[dir],
               out_plural(s->example_count[dir], "example", "examples"));
        for (size_t i = 0; i < s->example_count[dir]; i++) {
            const example *e = &s->examples[dir][i];
            fputs("  ", stdout);
            out_text(stdout, s->log);
            printf(":%lu  ", e->line);
            if (e->time) {
                out_text(stdout, e->time);
                fputs("  ", stdout);
            }
            out_text(stdout, e->name);
            printf("  was %s (", dir == TO_DENY ? "allow" : "deny");
            out_text(stdout, e->old_rule);
            printf("), now %s (", dir == TO_DENY ? "deny" : "allow");
            out_text(stdout, e->new_rule);
            puts(")");
        }
    }
}

static void print_json_summary(const replay_state *s)
{
    size_t slots = sw_policy_rule_count(s->p) + 3;
    char why[160];
    printf("%s],\n\"summary\":{\"records\":%lu,\"attempts\":%lu,\"skipped\":%lu,"
           "\"errors\":%lu,\"unchanged\":%lu,\"allow_to_deny\":%lu,"
           "\"deny_to_allow\":%lu,\"complete\":%s,\"by_rule\":[",
           s->json_items ? "\n" : "", s->records, s->attempts, s->skipped,
           s->errors, s->unchanged, s->changed[TO_DENY], s->changed[TO_ALLOW],
           incomplete(s, why, sizeof why) ? "false" : "true");
    int first = 1;
    for (size_t i = 0; i < slots; i++) {
        if (!s->by_rule[i][TO_DENY] && !s->by_rule[i][TO_ALLOW])
            continue;
        fputs(first ? "{\"rule\":" : ",{\"rule\":", stdout);
        first = 0;
        out_json_string(stdout, slot_name(s, i));
        printf(",\"allow_to_deny\":%lu,\"deny_to_allow\":%lu}",
               s->by_rule[i][TO_DENY], s->by_rule[i][TO_ALLOW]);
    }
    puts("]}}");
}

static void free_state(replay_state *s)
{
    for (int dir = 0; dir < 2; dir++) {
        for (size_t i = 0; s->examples[dir] && i < s->example_count[dir]; i++) {
            example *e = &s->examples[dir][i];
            free(e->time);
            free(e->name);
            free(e->old_rule);
            free(e->new_rule);
        }
        free(s->examples[dir]);
    }
    free(s->by_rule);
}

static int replay(replay_state *s, const char *policy, FILE *in)
{
    static char outbuf[1 << 16];
    cli_reader r;
    size_t slots = sw_policy_rule_count(s->p) + 3;
    s->by_rule = calloc(slots, sizeof *s->by_rule);
    s->examples[0] = calloc(s->max_examples + 1, sizeof(example));
    s->examples[1] = calloc(s->max_examples + 1, sizeof(example));
    if (!s->by_rule || !s->examples[0] || !s->examples[1] ||
        cli_reader_init(&r, in, CLI_MAX_LINE) != 0) {
        fputs("sharewall replay: out of memory\n", stderr);
        return CLI_EXIT_USAGE;
    }
    const char *encoding = cli_reader_start(&r);
    if (encoding) {
        cli_encoding_error("replay", s->log, encoding);
        cli_reader_free(&r);
        return CLI_EXIT_USAGE;
    }
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    if (s->json) {
        fputs("{\"policy\":", stdout);
        out_json_string(stdout, policy);
        fputs(",\"log\":", stdout);
        out_json_string(stdout, s->log);
        fputs(",\n\"changes\":[", stdout);
    }
    int rc, code = CLI_EXIT_OK;
    char *line;
    size_t len;
    while ((rc = cli_read_line(&r, &line, &len)) != CLI_LINE_EOF) {
        if (rc == CLI_LINE_IO) {
            fflush(stdout);
            fputs("sharewall replay: ", stderr);
            out_text(stderr, s->log);
            fprintf(stderr, ": read error: %s\n", strerror(errno));
            code = CLI_EXIT_USAGE;
            break;
        }
        if (rc == CLI_LINE_TOO_LONG) {
            s->records++;
            line_error(s, r.lineno, 0, "line too long (over 1 MiB), skipped");
            continue;
        }
        if (len == 0 || (len == 1 && line[0] == ' '))
            continue;
        replay_line(s, r.lineno, line, len);
    }
    cli_reader_free(&r);
    if (code != CLI_EXIT_OK)
        return code;
    if (s->json)
        print_json_summary(s);
    else
        print_text_report(s, policy);
    fflush(stdout);
    if (ferror(stdout)) {
        fputs("sharewall replay: write error on standard output\n", stderr);
        return CLI_EXIT_USAGE;
    }
    char buf[160];
    const char *why = incomplete(s, buf, sizeof buf);
    if (why) {
        fputs("sharewall replay: ", stderr);
        out_text(stderr, s->log);
        fprintf(stderr, ": not a clean replay: %s\n", why);
    }
    return (s->changed[0] || s->changed[1] || why) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

typedef struct replay_opts {
    const char *policy, *log;
    int json;
    long examples;
    cli_context ctx; /* only --self */
} replay_opts;

/* Returns CLI_EXIT_OK to go on, -1 after --help, else an exit code. */
static int parse(int argc, char **argv, replay_opts *o)
{
    cli_args a;
    const char *v;
    int id;
    cli_args_init(&a, argc, argv);
    while ((id = cli_args_next(&a, opts, &v)) != CLI_ARG_END) {
        if (cli_context_option(&o->ctx, id, v))
            continue;
        switch (id) {
        case CLI_ARG_ERROR: return CLI_EXIT_USAGE;
        case OPT_HELP: fputs(help, stdout); return -1;
        case OPT_JSON: o->json = 1; break;
        case OPT_EXAMPLES:
            o->examples = cli_parse_count(v);
            if (o->examples < 0 || o->examples > 100000)
                return cli_usage_error(argv[0], "--examples needs a number from 0 to 100000, not '%s'", v);
            break;
        default:
            if (!o->policy)
                o->policy = v;
            else if (!o->log)
                o->log = v;
            else
                return cli_usage_error(argv[0], "unexpected argument '%s'", v);
        }
    }
    if (!o->policy)
        return cli_usage_error(argv[0], "no policy file given");
    if (!o->log)
        return cli_usage_error(argv[0], "no log file given");
    return CLI_EXIT_OK;
}

static int run(const char *cmd, const replay_opts *o)
{
    int code;
    sw_policy *p = cli_load_policy(cmd, o->policy, CLI_EXIT_USAGE, &code);
    if (!p)
        return code;
    FILE *in = cli_open_input(cmd, o->log);
    if (!in) {
        sw_policy_free(p);
        return CLI_EXIT_USAGE;
    }
    replay_state s;
    memset(&s, 0, sizeof s);
    s.p = p;
    s.log = strcmp(o->log, "-") == 0 ? "<stdin>" : o->log;
    s.self = o->ctx.self_count ? &o->ctx.self_names : NULL;
    s.json = o->json;
    s.max_examples = (size_t)o->examples;
    code = replay(&s, o->policy, in);
    free_state(&s);
    cli_close_input(in);
    sw_policy_free(p);
    return code;
}

int cmd_replay(int argc, char **argv)
{
    replay_opts o;
    memset(&o, 0, sizeof o);
    o.examples = 5;
    if (cli_context_init(&o.ctx, argc) != 0) {
        fputs("sharewall replay: out of memory\n", stderr);
        return CLI_EXIT_USAGE;
    }
    int code = parse(argc, argv, &o);
    if (code == CLI_EXIT_OK)
        code = run(argv[0], &o);
    else if (code < 0)
        code = CLI_EXIT_OK; /* --help */
    cli_context_free(&o.ctx);
    return code;
}
