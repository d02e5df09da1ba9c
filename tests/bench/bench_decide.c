/* bench_decide: in-process figures for one policy and request stream.
 *
 *   bench_decide POLICY REQUESTS [MAX_REQUESTS]
 *   bench_decide --verify POLICY REQUESTS
 *
 * --verify is the differential test of the host index: every request is
 * decided with the index and by the plain ordered scan of every rule, and
 * any difference (action, basis, rule, staged rules) is printed; exit 1.
 *
 * Prints one line of key=value figures: policy load+compile time (median of
 * 5 loads), decide() latency p50/p99/max in nanoseconds over every request
 * (warm: one untimed pass first; each timing includes canonicalisation),
 * decisions per second, and peak RSS. Never asserts on time: benchmarks
 * print figures, tests assert behaviour. POSIX only (clock_gettime). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "decide_internal.h"
#include "sharewall/sharewall.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Reads every line of path into one buffer; lines[] point into it. */
static char **read_lines(const char *path, size_t max, size_t *count)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1024, n = 0;
    char **lines = malloc(cap * sizeof *lines);
    char buf[4096];
    while (lines && n < max && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (n == cap) {
            char **nl = realloc(lines, (cap *= 2) * sizeof *lines);
            if (!nl)
                break;
            lines = nl;
        }
        lines[n] = strdup(buf);
        if (!lines[n])
            break;
        n++;
    }
    fclose(f);
    *count = n;
    return lines;
}

static int same_decision(const sw_decision *a, const sw_decision *b)
{
    if (a->action != b->action || a->basis != b->basis || a->enforced != b->enforced ||
        strcmp(a->rule_id, b->rule_id) != 0 || a->staged_total != b->staged_total ||
        a->staged_count != b->staged_count)
        return 0;
    for (size_t i = 0; i < a->staged_count; i++)
        if (strcmp(a->staged[i], b->staged[i]) != 0)
            return 0;
    return 1;
}

static int verify(const char *policy, const char *requests)
{
    sw_policy *p = NULL;
    if (sw_policy_load_file(policy, &p, NULL) != SW_OK) {
        fprintf(stderr, "%s: cannot load\n", policy);
        return 1;
    }
    FILE *f = fopen(requests, "rb");
    if (!f) {
        perror(requests);
        return 1;
    }
    char line[4096];
    size_t n = 0, diff = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        sw_request req;
        sw_decision a, b;
        sw_request_init(&req);
        req.remote = line;
        sw_decide(p, &req, &a);
        sw_decide_ordered_scan(p, &req, &b);
        if (!same_decision(&a, &b) && diff++ < 10)
            fprintf(stderr, "differs: %s: index %s/%s, scan %s/%s\n", line,
                    sw_action_name(a.action), a.rule_id, sw_action_name(b.action), b.rule_id);
        sw_decision_free(&a);
        sw_decision_free(&b);
        n++;
    }
    fclose(f);
    printf("verify: rules=%zu requests=%zu differences=%zu\n", sw_policy_rule_count(p), n, diff);
    sw_policy_free(p);
    return diff ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--verify") == 0)
        return verify(argv[2], argv[3]);
    if (argc < 3) {
        fprintf(stderr, "usage: bench_decide POLICY REQUESTS [MAX_REQUESTS]\n");
        return 2;
    }
    size_t max = argc > 3 ? strtoul(argv[3], NULL, 10) : (size_t)-1;

    double loads[5];
    sw_policy *p = NULL;
    for (int i = 0; i < 5; i++) {
        sw_diags d;
        sw_diags_init(&d);
        sw_policy_free(p);
        double t0 = now_ns();
        int rc = sw_policy_load_file(argv[1], &p, &d);
        loads[i] = now_ns() - t0;
        if (rc != SW_OK) {
            fprintf(stderr, "%s: cannot load (%d)", argv[1], rc);
            if (d.count)
                fprintf(stderr, ": %u:%u: %s", d.items[0].pos.line, d.items[0].pos.column,
                        d.items[0].message);
            fputc('\n', stderr);
            sw_diags_free(&d);
            return 1;
        }
        sw_diags_free(&d);
    }
    qsort(loads, 5, sizeof loads[0], cmp_double);

    size_t n = 0;
    char **names = read_lines(argv[2], max, &n);
    if (!names || n == 0) {
        fprintf(stderr, "%s: no requests\n", argv[2]);
        return 1;
    }
    double *lat = malloc(n * sizeof *lat);
    if (!lat)
        return 1;

    size_t denied = 0;
    sw_request req;
    sw_decision dec;
    for (size_t i = 0; i < n; i++) { /* warm-up pass: JIT code, caches */
        sw_request_init(&req);
        req.remote = names[i];
        sw_decide(p, &req, &dec);
        sw_decision_free(&dec);
    }
    double total0 = now_ns();
    for (size_t i = 0; i < n; i++) {
        sw_request_init(&req);
        req.remote = names[i];
        double t0 = now_ns();
        sw_decide(p, &req, &dec);
        lat[i] = now_ns() - t0;
        denied += dec.action == SW_DENY;
        sw_decision_free(&dec);
    }
    double total = now_ns() - total0;
    qsort(lat, n, sizeof *lat, cmp_double);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("rules=%zu requests=%zu denied=%zu load_ms=%.2f p50_ns=%.0f p99_ns=%.0f "
           "max_ns=%.0f decisions_per_s=%.0f peak_rss_kib=%ld\n",
           sw_policy_rule_count(p), n, denied, loads[2] / 1e6, lat[n / 2],
           lat[(size_t)((double)n * 0.99)], lat[n - 1], (double)n / (total / 1e9),
           (long)ru.ru_maxrss);

    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(lat);
    sw_policy_free(p);
    return 0;
}
