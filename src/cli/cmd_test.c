/* `sharewall test POLICY NAME` and `sharewall test POLICY --batch FILE`:
 * the decision the DLL would make, for one request or a stream of them.
 * The batch path is the throughput path (a later goal is a million
 * decisions a second): one fixed line buffer, fully buffered output, and
 * nothing allocated per line beyond what the engine itself needs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "cli_policy.h"
#include "output.h"
#include "readline.h"

static const char help[] =
    "usage: sharewall test POLICY NAME [CONTEXT] [--json] [--exit-code]\n"
    "       sharewall test POLICY --batch FILE|- [CONTEXT] [--json] [--exit-code]\n\n"
    "Decide a connection to NAME (a UNC path or WebDAV URL) as the DLL would:\n"
    "the action, the deciding rule (or default/error/malformed), the staged\n"
    "rules that matched, whether the decision is enforced, the canonical form.\n\n"
    "--batch reads one request per line: a bare name, or a JSON object with\n"
    "the log-record fields (\"unc\" or \"raw\", \"local\", \"provider\", \"user\",\n"
    "\"groups\", \"process\"). Empty lines and lines starting with # are skipped.\n"
    "It writes one decision per line (TSV with a header comment, or JSON lines)\n"
    "and the counts on stderr; a bad line is reported as FILE:LINE: error: ...\n"
    "and the batch goes on.\n\n"
    "context (defaults for every batch line; a JSON line's fields win):\n"
    "  --local X:          local device (omit for a deviceless connection)\n"
    "  --provider NAME     network provider\n"
    "  --user DOMAIN\\NAME  the caller\n"
    "  --group GROUP       a group (name or SID) of the caller; repeatable\n"
    "  --process PATH      the caller's image path\n"
    "  --self NAME         a name of this machine (loopback); repeatable\n"
    "options:\n"
    "  --json              JSON output\n"
    "  --exit-code         exit 3 when denied (batch: when any was denied)\n\n"
    "exit: 0 decided, 1 invalid policy or bad batch lines, 2 usage or I/O\n"
    "error, 3 denied (only with --exit-code)\n";

static const cli_opt opts[] = {
    CLI_HELP_OPTS,
    CLI_CONTEXT_OPTS,
    {"--json", 0, OPT_JSON},
    {"--exit-code", 0, OPT_EXIT_CODE},
    {"--batch", 1, OPT_BATCH},
    CLI_OPTS_END};

typedef struct test_opts {
    const char *policy, *name, *batch;
    int json, exit_code;
    cli_context ctx;
} test_opts;

static void print_single_text(const char *name, const sw_policy *p,
                              const sw_decision *d)
{
    fputs("name:      ", stdout);
    out_text(stdout, name);
    printf("\ndecision:  %s\nrule:      ", sw_action_name(d->action));
    out_decision_rule(stdout, d);
    if (d->action == SW_DENY)
        printf("\nenforced:  %s\n",
               d->enforced ? "yes: the connection is vetoed"
                           : sw_policy_mode(p) == SW_MODE_AUDIT
                                 ? "no: audit mode logs \"would veto\" only"
                                 : "no: logged \"would veto\" only");
    else
        puts("\nenforced:  -");
    fputs("staged:    ", stdout);
    if (!d->staged_total)
        fputs("none", stdout);
    for (size_t i = 0; i < d->staged_count; i++) {
        fputs(i ? ", " : "", stdout);
        out_text(stdout, d->staged[i]);
        printf(" (%s)", sw_action_name(d->staged_action[i]));
    }
    if (d->staged_total > d->staged_count)
        printf(" and %lu more", (unsigned long)(d->staged_total - d->staged_count));
    putchar('\n');
    out_canon_text(stdout, &d->canon, "");
}

static int exit_for(const test_opts *o, int denied)
{
    return (o->exit_code && denied) ? CLI_EXIT_DENY : CLI_EXIT_OK;
}

static int run_single(const test_opts *o, const sw_policy *p)
{
    sw_request req;
    sw_decision d;
    sw_request_init(&req);
    req.remote = o->name;
    cli_context_apply(&o->ctx, &req);
    sw_decide(p, &req, &d); /* out of memory still yields on_error */
    if (o->json) {
        out_decision_json(stdout, 0, o->name, &d);
        putchar('\n');
    } else {
        print_single_text(o->name, p, &d);
    }
    int code = exit_for(o, d.action == SW_DENY);
    sw_decision_free(&d);
    return code;
}

/* ---- batch ---------------------------------------------------------- */

typedef struct batch_counts {
    unsigned long allow, deny, errors;
} batch_counts;

static void batch_error(const char *file, unsigned long line, size_t col,
                        const char *msg)
{
    fflush(stdout); /* keep decisions and errors in order on a terminal */
    out_line_error(stderr, file, line, col, msg);
}

static void print_batch_tsv(const char *name, const sw_decision *d)
{
    out_line l;
    out_line_start(&l, stdout);
    out_line_text(&l, name);
    out_line_put(&l, "\t", 1);
    out_line_str(&l, sw_action_name(d->action));
    out_line_put(&l, "\t", 1);
    out_line_text(&l, d->rule_id);
    out_line_put(&l, "\t", 1);
    out_line_str(&l, d->action == SW_DENY ? (d->enforced ? "yes" : "no") : "-");
    out_line_put(&l, "\t", 1);
    if (!d->staged_count)
        out_line_put(&l, "-", 1);
    for (size_t i = 0; i < d->staged_count; i++) {
        if (i)
            out_line_put(&l, ",", 1);
        out_line_text(&l, d->staged[i]);
    }
    out_line_put(&l, "\t", 1);
    out_line_text(&l, d->canon.malformed ? NULL : d->canon.unc);
    out_line_put(&l, "\t", 1);
    out_line_text(&l, d->reason);
    out_line_put(&l, "\n", 1);
    out_line_flush(&l);
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Decide one batch line; 0 when decided, -1 when the line was bad. */
static int batch_line(const test_opts *o, const sw_policy *p, const char *file,
                      unsigned long lineno, char *line, size_t len,
                      batch_counts *n)
{
    sw_parsed_record rec;
    sw_request req;
    sw_decision d;
    int parsed = 0;

    const char *bom = cli_stray_bom(line, len);
    if (memchr(line, '\0', len) || bom) {
        batch_error(file, lineno, 0, bom ? bom : "the line contains a NUL byte");
        return -1;
    }
    if (line[0] == '{') {
        const char *err = NULL;
        size_t col = 0;
        if (sw_record_parse(line, len, &rec, &err, &col) != SW_OK) {
            batch_error(file, lineno, col, err ? err : "invalid JSON request");
            return -1;
        }
        parsed = 1;
        if (!rec.remote) {
            batch_error(file, lineno, 0, "the request has no \"unc\" or \"raw\" name");
            sw_parsed_record_free(&rec);
            return -1;
        }
        req = rec.request;
    } else {
        sw_request_init(&req);
        req.remote = line;
    }
    cli_context_apply(&o->ctx, &req);
    sw_decide(p, &req, &d);
    if (o->json) {
        out_decision_json(stdout, lineno, req.remote, &d);
        putchar('\n');
    } else {
        print_batch_tsv(req.remote, &d);
    }
    if (d.action == SW_DENY)
        n->deny++;
    else
        n->allow++;
    sw_decision_free(&d);
    if (parsed)
        sw_parsed_record_free(&rec);
    return 0;
}

static int run_batch(const test_opts *o, const sw_policy *p)
{
    static char outbuf[1 << 16];
    const char *file = strcmp(o->batch, "-") == 0 ? "<stdin>" : o->batch;
    FILE *in = cli_open_input("test", o->batch);
    if (!in)
        return CLI_EXIT_USAGE;
    cli_reader r;
    if (cli_reader_init(&r, in, CLI_MAX_LINE) != 0) {
        cli_close_input(in);
        fputs("sharewall test: out of memory\n", stderr);
        return CLI_EXIT_USAGE;
    }
    const char *encoding = cli_reader_start(&r);
    if (encoding) {
        cli_encoding_error("test", file, encoding);
        cli_reader_free(&r);
        cli_close_input(in);
        return CLI_EXIT_USAGE;
    }
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    if (!o->json)
        puts("# name\taction\trule\tenforced\tstaged\tcanonical\treason");

    batch_counts n = {0, 0, 0};
    int code = CLI_EXIT_OK, rc;
    char *line;
    size_t len;
    while ((rc = cli_read_line(&r, &line, &len)) != CLI_LINE_EOF) {
        if (rc == CLI_LINE_IO) {
            fputs("sharewall test: ", stderr);
            out_text(stderr, file);
            fprintf(stderr, ": read error: %s\n", strerror(errno));
            code = CLI_EXIT_USAGE;
            break;
        }
        if (rc == CLI_LINE_TOO_LONG) {
            batch_error(file, r.lineno, 0, "line too long (over 1 MiB), skipped");
            n.errors++;
            continue;
        }
        while (len && is_blank(line[len - 1]))
            line[--len] = '\0';
        while (is_blank(*line)) {
            line++;
            len--;
        }
        if (len == 0 || line[0] == '#')
            continue;
        if (batch_line(o, p, file, r.lineno, line, len, &n) != 0)
            n.errors++;
    }
    fflush(stdout);
    if (ferror(stdout)) {
        fputs("sharewall test: write error on standard output\n", stderr);
        code = CLI_EXIT_USAGE;
    }
    fprintf(stderr, "%lu requests: %lu allow, %lu deny, %lu %s\n",
            n.allow + n.deny + n.errors, n.allow, n.deny, n.errors,
            out_plural(n.errors, "error", "errors"));
    cli_reader_free(&r);
    cli_close_input(in);
    if (code != CLI_EXIT_OK)
        return code;
    if (n.errors)
        return CLI_EXIT_FAIL;
    return exit_for(o, n.deny > 0);
}

static int parse(int argc, char **argv, test_opts *o)
{
    cli_args a;
    const char *v;
    int id;
    memset(o, 0, sizeof *o);
    if (cli_context_init(&o->ctx, argc) != 0) {
        fputs("sharewall test: out of memory\n", stderr);
        return CLI_EXIT_USAGE;
    }
    cli_args_init(&a, argc, argv);
    while ((id = cli_args_next(&a, opts, &v)) != CLI_ARG_END) {
        if (id == CLI_ARG_ERROR)
            return CLI_EXIT_USAGE;
        if (cli_context_option(&o->ctx, id, v))
            continue;
        switch (id) {
        case OPT_HELP: fputs(help, stdout); return -1;
        case OPT_JSON: o->json = 1; break;
        case OPT_EXIT_CODE: o->exit_code = 1; break;
        case OPT_BATCH: o->batch = v; break;
        default:
            if (!o->policy)
                o->policy = v;
            else if (!o->name)
                o->name = v;
            else
                return cli_usage_error(argv[0], "unexpected argument '%s'", v);
        }
    }
    if (!o->policy)
        return cli_usage_error(argv[0], "no policy file given");
    if (o->batch && o->name)
        return cli_usage_error(argv[0], "give a NAME or --batch, not both");
    if (!o->batch && !o->name)
        return cli_usage_error(argv[0], "no name given (or --batch FILE)");
    return CLI_EXIT_OK;
}

int cmd_test(int argc, char **argv)
{
    test_opts o;
    int code = parse(argc, argv, &o);
    if (code == CLI_EXIT_OK) {
        sw_policy *p = cli_load_policy(argv[0], o.policy, CLI_EXIT_FAIL, &code);
        if (p)
            code = o.batch ? run_batch(&o, p) : run_single(&o, p);
        sw_policy_free(p);
    } else if (code < 0) {
        code = CLI_EXIT_OK; /* --help */
    }
    cli_context_free(&o.ctx);
    return code;
}
