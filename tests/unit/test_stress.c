/* Concurrency stress: 8 threads decide while a ninth loads a fresh policy
 * and swaps it in every millisecond — what the DLL's hot reload does while
 * MPR calls it from many threads.
 *
 * The core promises that a compiled policy is immutable and that loading
 * and deciding share no mutable state. The swap itself (a reference-counted
 * holder behind a mutex) is the caller's job, written here the way the DLL
 * does it. Every decision must be exactly the one its policy version gives
 * (the expectation table below); the tsan layer runs this under
 * ThreadSanitizer (halt_on_error=1), where any data race in the core's
 * load or decide paths fails the run.
 *
 * SW_STRESS_MS sets the duration (default 1500 ms). */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sharewall/sharewall.h"

/* ---- a minimal thread, mutex and clock layer ------------------------- */

#ifdef _WIN32
#include <process.h>
#include <windows.h>
typedef HANDLE thread_t;
typedef CRITICAL_SECTION mutex_t;
#define THREAD_FN unsigned __stdcall
#define THREAD_RETURN 0
static int thread_start(thread_t *t, unsigned(__stdcall *fn)(void *), void *arg)
{
    *t = (HANDLE)_beginthreadex(NULL, 0, fn, arg, 0, NULL);
    return *t ? 0 : -1;
}
static void thread_join(thread_t t)
{
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
}
static void mutex_init(mutex_t *m) { InitializeCriticalSection(m); }
static void mutex_lock(mutex_t *m) { EnterCriticalSection(m); }
static void mutex_unlock(mutex_t *m) { LeaveCriticalSection(m); }
static void mutex_destroy(mutex_t *m) { DeleteCriticalSection(m); }
static uint64_t now_ms(void) { return (uint64_t)GetTickCount64(); }
static void sleep_1ms(void) { Sleep(1); }
#else
#include <pthread.h>
#include <time.h>
typedef pthread_t thread_t;
typedef pthread_mutex_t mutex_t;
#define THREAD_FN void *
#define THREAD_RETURN NULL
static int thread_start(thread_t *t, void *(*fn)(void *), void *arg)
{
    return pthread_create(t, NULL, fn, arg);
}
static void thread_join(thread_t t) { pthread_join(t, NULL); }
static void mutex_init(mutex_t *m) { pthread_mutex_init(m, NULL); }
static void mutex_lock(mutex_t *m) { pthread_mutex_lock(m); }
static void mutex_unlock(mutex_t *m) { pthread_mutex_unlock(m); }
static void mutex_destroy(mutex_t *m) { pthread_mutex_destroy(m); }
static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
static void sleep_1ms(void)
{
    struct timespec ts = {0, 1000000L};
    nanosleep(&ts, NULL);
}
#endif

/* ---- the two policy versions the swapper alternates ------------------ */

#define VERSIONS 2

static const char *const policy_yaml[VERSIONS] = {
    /* version 0: a deny-list under default allow */
    "version: 1\n"
    "default: allow\n"
    "on_error: deny\n"
    "rules:\n"
    "  - { id: watch, action: deny, stage: true, match: { server: 'fs0\\d' } }\n"
    "  - { id: deny-secret, action: deny, match: { server: secret } }\n"
    "  - { id: deny-admin, action: deny, match: { share: '[a-z]\\$|admin\\$' } }\n"
    "  - { id: slow, action: allow, match: { share: '(a+)+(b|c)' } }\n",
    /* version 1: an allow-list under default deny, with caller context */
    "version: 1\n"
    "default: deny\n"
    "on_error: deny\n"
    "rules:\n"
    "  - { id: mallory, action: deny, match: { user: 'CORP\\\\mallory' } }\n"
    "  - { id: corp, action: allow, match: { server: 'fs\\d{2}', share: [public, finance] } }\n"
    "  - { id: slow, action: allow, match: { share: '(a+)+(b|c)' } }\n",
};

typedef struct expectation {
    const char *remote;
    const char *user;
    sw_action action[VERSIONS];
    const char *rule[VERSIONS];
} expectation;

static char long_name[1700]; /* needs sw_canon heap storage; see setup */

static expectation table[] = {
    {"\\\\fs01\\public", "CORP\\alice", {SW_ALLOW, SW_ALLOW}, {"default", "corp"}},
    {"\\\\SECRET.\\x", NULL, {SW_DENY, SW_DENY}, {"deny-secret", "default"}},
    {"//fs02/C$", NULL, {SW_DENY, SW_DENY}, {"deny-admin", "default"}},
    {"\\\\?\\UNC\\fs01\\public", "corp\\MALLORY", {SW_ALLOW, SW_DENY}, {"default", "mallory"}},
    {"\\\\.\\PhysicalDrive0", NULL, {SW_DENY, SW_DENY}, {"malformed", "malformed"}},
    {"\\\\srv\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, {SW_DENY, SW_DENY}, {"error", "error"}},
    {long_name, NULL, {SW_ALLOW, SW_ALLOW}, {"default", "corp"}},
};
#define TABLE_SIZE (sizeof table / sizeof table[0])

/* ---- the swap: a reference-counted holder behind a mutex ------------- */

typedef struct holder {
    sw_policy *policy;
    int version;
    long refs; /* one for being current, one per thread using it */
} holder;

static mutex_t lock;
static holder *current;
static int stopping;

static holder *load_version(int version)
{
    holder *h = malloc(sizeof *h);
    if (!h)
        return NULL;
    const char *yaml = policy_yaml[version];
    if (sw_policy_load_buffer("stress.yaml", yaml, strlen(yaml), &h->policy, NULL) != SW_OK) {
        free(h);
        return NULL;
    }
    h->version = version;
    h->refs = 1;
    return h;
}

static void release(holder *h)
{
    mutex_lock(&lock);
    long left = --h->refs;
    mutex_unlock(&lock);
    if (left == 0) {
        sw_policy_free(h->policy);
        free(h);
    }
}

/* The current policy with a reference taken, or NULL once stopping. */
static holder *acquire(void)
{
    mutex_lock(&lock);
    holder *h = stopping ? NULL : current;
    if (h)
        h->refs++;
    mutex_unlock(&lock);
    return h;
}

static void swap_in(holder *h)
{
    mutex_lock(&lock);
    holder *old = current;
    current = h;
    mutex_unlock(&lock);
    if (old)
        release(old);
}

/* ---- the threads ----------------------------------------------------- */

#define DECIDERS 8

typedef struct decider {
    unsigned seed;
    unsigned long decisions;
    unsigned long by_version[VERSIONS];
    char failure[256]; /* first mismatch; cmocka cannot assert off-thread */
} decider;

static THREAD_FN run_decider(void *arg)
{
    decider *w = arg;
    holder *h;
    while ((h = acquire()) != NULL) {
        /* A few decisions per reference, as a DLL call would make one. */
        for (int k = 0; k < 4; k++) {
            w->seed = w->seed * 1103515245u + 12345u;
            const expectation *e = &table[(w->seed >> 16) % TABLE_SIZE];
            sw_request r;
            sw_request_init(&r);
            r.remote = e->remote;
            r.user = e->user;
            sw_decision d;
            int rc = sw_decide(h->policy, &r, &d);
            if ((rc != SW_OK || d.action != e->action[h->version] ||
                 strcmp(d.rule_id, e->rule[h->version]) != 0) && !w->failure[0])
                snprintf(w->failure, sizeof w->failure,
                         "policy version %d, %.60s: got %s by %s (rc %d), want %s by %s",
                         h->version, e->remote, sw_action_name(d.action), d.rule_id, rc,
                         sw_action_name(e->action[h->version]), e->rule[h->version]);
            sw_decision_free(&d);
            w->decisions++;
            w->by_version[h->version]++;
        }
        release(h);
    }
    return THREAD_RETURN;
}

typedef struct swapper {
    uint64_t until_ms;
    unsigned long loads;
    int failed;
} swapper;

static THREAD_FN run_swapper(void *arg)
{
    swapper *s = arg;
    while (now_ms() < s->until_ms) {
        holder *h = load_version((int)((s->loads + 1) % VERSIONS));
        if (!h) {
            s->failed = 1;
            break;
        }
        swap_in(h);
        s->loads++;
        sleep_1ms();
    }
    mutex_lock(&lock);
    stopping = 1;
    mutex_unlock(&lock);
    return THREAD_RETURN;
}

static void build_long_name(void)
{
    size_t n = (size_t)snprintf(long_name, sizeof long_name, "\\\\fs01\\finance");
    while (n + 100 < sizeof long_name) {
        long_name[n] = '\\';
        memset(long_name + n + 1, 'q', 99);
        n += 100;
    }
    long_name[n] = '\0';
}

/* The table is right for each version decided alone, so any mismatch
 * under load is a concurrency bug, not a table typo. */
static void table_matches_single_thread(void **state)
{
    (void)state;
    build_long_name();
    mutex_init(&lock); /* release() locks it; a zeroed CRITICAL_SECTION hangs on Windows */
    for (int v = 0; v < VERSIONS; v++) {
        holder *h = load_version(v);
        assert_non_null(h);
        for (size_t i = 0; i < TABLE_SIZE; i++) {
            sw_request r;
            sw_request_init(&r);
            r.remote = table[i].remote;
            r.user = table[i].user;
            sw_decision d;
            assert_int_equal(sw_decide(h->policy, &r, &d), SW_OK);
            assert_int_equal(d.action, table[i].action[v]);
            assert_string_equal(d.rule_id, table[i].rule[v]);
            sw_decision_free(&d);
        }
        release(h);
    }
    mutex_destroy(&lock);
}

static void deciders_race_hot_reload(void **state)
{
    (void)state;
    const char *env = getenv("SW_STRESS_MS");
    long ms = env ? strtol(env, NULL, 10) : 1500;
    if (ms <= 0)
        ms = 1500;
    build_long_name();
    mutex_init(&lock);
    stopping = 0;
    current = load_version(0);
    assert_non_null(current);

    static decider w[DECIDERS];
    swapper s = {now_ms() + (uint64_t)ms, 0, 0};
    thread_t t[DECIDERS + 1];
    for (int i = 0; i < DECIDERS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].seed = 7919u * (unsigned)(i + 1);
        assert_int_equal(thread_start(&t[i], run_decider, &w[i]), 0);
    }
    assert_int_equal(thread_start(&t[DECIDERS], run_swapper, &s), 0);
    for (int i = 0; i <= DECIDERS; i++)
        thread_join(t[i]);

    swap_in(NULL); /* drops the last policy */
    mutex_destroy(&lock);

    unsigned long decisions = 0, by_version[VERSIONS] = {0};
    for (int i = 0; i < DECIDERS; i++) {
        if (w[i].failure[0])
            fail_msg("thread %d: %s", i, w[i].failure);
        decisions += w[i].decisions;
        for (int v = 0; v < VERSIONS; v++)
            by_version[v] += w[i].by_version[v];
    }
    assert_false(s.failed);
    print_message("stress: %lu decisions by %d threads and %lu policy loads+swaps in %ld ms "
                  "(%lu operations; %lu on version 0, %lu on version 1)\n",
                  decisions, DECIDERS, s.loads, ms, decisions + s.loads, by_version[0],
                  by_version[1]);
    /* Both versions were really in force while threads decided. */
    assert_true(s.loads >= 2);
    assert_true(by_version[0] > 0 && by_version[1] > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_matches_single_thread),
        cmocka_unit_test(deciders_race_hot_reload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
