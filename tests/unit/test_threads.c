/* One compiled policy shared by several threads deciding at once, as MPR
 * calls the DLL: every result must be the one a single thread gets. Run
 * under valgrind --tool=helgrind or -DSW_SANITIZE=thread to catch races. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sharewall/sharewall.h"

#ifdef _WIN32
#include <process.h>
#include <windows.h>
typedef HANDLE thread_t;
#define THREAD_FN unsigned __stdcall
#else
#include <pthread.h>
typedef pthread_t thread_t;
#define THREAD_FN void *
#endif

#define THREADS 4
#define ROUNDS 3000

typedef struct expectation {
    const char *remote;
    const char *user;
    sw_action action;
    const char *rule;
} expectation;

static const expectation table[] = {
    {"\\\\fs01\\finance", NULL, SW_ALLOW, "finance"},
    {"\\\\FS02\\Finance\\q4\\..\\q3", NULL, SW_ALLOW, "finance"},
    {"\\\\fs01\\c$", NULL, SW_DENY, "admin-shares"},
    {"\\\\evil.example.net\\x", NULL, SW_DENY, "default"},
    {"\\\\fs01\\Donn\xc3\xa9" "es", NULL, SW_ALLOW, "donnees"},
    {"\\\\.\\PhysicalDrive0", NULL, SW_DENY, "malformed"},
    {"\\\\fs03\\home", "CORP\\alice", SW_ALLOW, "homes"},
    {"\\\\fs03\\home", "bad\xff", SW_DENY, "error"},
    {"\\\\srv\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, SW_DENY, "error"},
};
#define TABLE_SIZE (sizeof table / sizeof table[0])

static const char policy_yaml[] =
    "version: 1\n"
    "default: deny\n"
    "on_error: deny\n"
    "rules:\n"
    "  - { id: watch, action: deny, stage: true, match: { server: 'fs0\\d' } }\n"
    "  - { id: admin-shares, action: deny, match: { share: '[a-z]\\$|admin\\$' } }\n"
    "  - { id: finance, action: allow, match: { server: [fs01, fs02], share: finance } }\n"
    "  - { id: donnees, action: allow, match: { share: 'donn.es' } }\n"
    "  - { id: homes, action: allow, match: { server: fs03, user: 'corp\\\\.*' } }\n"
    "  - { id: slow, action: allow, match: { share: '(a+)+(b|c)' } }\n";

typedef struct worker {
    const sw_policy *policy;
    unsigned seed;
    unsigned long decided;
    unsigned long wrong;
} worker;

static int decide_one(const sw_policy *p, const expectation *e)
{
    sw_request q;
    sw_decision d;
    sw_request_init(&q);
    q.remote = e->remote;
    q.user = e->user;
    int ok = sw_decide(p, &q, &d) == SW_OK && d.action == e->action &&
             strcmp(d.rule_id, e->rule) == 0;
    sw_decision_free(&d);
    return ok;
}

static THREAD_FN run_worker(void *arg)
{
    worker *w = arg;
    /* Each thread walks the table from its own offset so different
     * requests (and the error paths) overlap in time. */
    for (unsigned long i = 0; i < ROUNDS * TABLE_SIZE; i++) {
        const expectation *e = &table[(i + w->seed) % TABLE_SIZE];
        /* The catastrophic pattern costs ~100000 steps: keep it rarer. */
        if (strncmp(e->remote, "\\\\srv\\", 6) == 0 && i % 50 != 0)
            continue;
        if (!decide_one(w->policy, e))
            w->wrong++;
        w->decided++;
    }
    return 0;
}

static void test_shared_policy_many_threads(void **state)
{
    (void)state;
    sw_policy *p = NULL;
    assert_int_equal(sw_policy_load_buffer("threads.yaml", policy_yaml,
                                           strlen(policy_yaml), &p, NULL), SW_OK);
    /* Single-threaded first: the table itself must be right. */
    for (size_t i = 0; i < TABLE_SIZE; i++)
        if (!decide_one(p, &table[i]))
            fail_msg("table[%lu] %s is not decided as expected", (unsigned long)i,
                     table[i].remote);

    worker w[THREADS];
    thread_t t[THREADS];
    for (unsigned i = 0; i < THREADS; i++) {
        w[i].policy = p;
        w[i].seed = i * 2 + 1;
        w[i].decided = 0;
        w[i].wrong = 0;
#ifdef _WIN32
        t[i] = (HANDLE)_beginthreadex(NULL, 0, run_worker, &w[i], 0, NULL);
        assert_non_null(t[i]);
#else
        assert_int_equal(pthread_create(&t[i], NULL, run_worker, &w[i]), 0);
#endif
    }
    unsigned long decided = 0, wrong = 0;
    for (unsigned i = 0; i < THREADS; i++) {
#ifdef _WIN32
        WaitForSingleObject(t[i], INFINITE);
        CloseHandle(t[i]);
#else
        pthread_join(t[i], NULL);
#endif
        decided += w[i].decided;
        wrong += w[i].wrong;
    }
    assert_int_equal(wrong, 0);
    assert_true(decided > (unsigned long)THREADS * ROUNDS * (TABLE_SIZE - 1));
    sw_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_policy_many_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
