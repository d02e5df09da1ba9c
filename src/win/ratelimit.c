/* Rate limiting of identical records, so a program retrying a denied
 * share in a loop cannot flood the Event Log or the JSON log: a record
 * identical to one emitted less than SWD_RATE_WINDOW_MS ago is dropped and
 * counted, and the next identical record emitted after the window carries
 * the count ("suppressed").
 *
 * A small fixed table (no allocation, bounded work under one short lock):
 * 64 sets of 4 entries keyed by a 64-bit hash. When a set is full the
 * entry emitted longest ago is reused; if it still had a count, that count
 * is lost (documented in docs/events.md). */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define SETS 64
#define WAYS 4

typedef struct entry {
    uint64_t key;        /* 0: free */
    uint64_t emitted_ms; /* when the last identical record was emitted */
    unsigned long suppressed;
} entry;

static SRWLOCK g_lock = SRWLOCK_INIT;
static entry g_table[SETS][WAYS];

static uint64_t fnv_str(uint64_t h, const char *s)
{
    /* Field separator first, so ("ab","c") and ("a","bc") differ. */
    h ^= 0xff;
    h *= UINT64_C(1099511628211);
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

uint64_t swd_ratelimit_key(const sw_record *r)
{
    uint64_t h = UINT64_C(14695981039346656037);
    char num[32];

    snprintf(num, sizeof num, "%d/%ld/%d", (int)r->event,
             r->has_status ? r->status : -1L,
             r->decision ? (int)r->decision->action : -1);
    h = fnv_str(h, num);
    if (r->request) {
        h = fnv_str(h, r->request->user);
        h = fnv_str(h, r->request->remote);
        h = fnv_str(h, r->request->local);
    }
    if (r->decision) {
        h = fnv_str(h, r->decision->rule_id);
        h = fnv_str(h, r->decision->reason); /* malformed for a new reason */
        /* Staged-rule records differ by the staged rules they name. */
        for (size_t i = 0; i < r->decision->staged_count && i < SW_MAX_STAGED; i++)
            h = fnv_str(h, r->decision->staged[i]);
    }
    h = fnv_str(h, r->message);
    return h ? h : 1;
}

int swd_ratelimit_admit(uint64_t key, uint64_t now_ms,
                        unsigned long *suppressed)
{
    entry *set = g_table[key % SETS], *victim = &set[0];
    int admit = 1;

    *suppressed = 0;
    AcquireSRWLockExclusive(&g_lock);
    for (int i = 0; i < WAYS; i++) {
        entry *e = &set[i];
        if (e->key == key) {
            if (now_ms - e->emitted_ms < SWD_RATE_WINDOW_MS) {
                e->suppressed++;
                admit = 0;
            } else {
                *suppressed = e->suppressed;
                e->suppressed = 0;
                e->emitted_ms = now_ms;
            }
            ReleaseSRWLockExclusive(&g_lock);
            return admit;
        }
        if (e->key == 0 || e->emitted_ms < victim->emitted_ms)
            victim = e;
        if (e->key == 0)
            break;
    }
    victim->key = key;
    victim->emitted_ms = now_ms;
    victim->suppressed = 0;
    ReleaseSRWLockExclusive(&g_lock);
    return 1;
}
