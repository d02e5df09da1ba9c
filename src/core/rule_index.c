/* The host index (see rule_index.h for what and why).
 *
 * Filing a rule: every pattern of its `server` field (or, failing that, of
 * its `unc` field, after the leading `\\\\`) is split at top-level `|`, and
 * each alternative must yield a non-empty literal host or host prefix; a
 * single alternative that does not makes the rule generic. The extraction
 * is deliberately conservative: it only reads ASCII letters, digits, `-`,
 * `_` and the escapes `\.` `\-` `\_`, and stops at anything else. Stopping
 * early only shortens a prefix (a weaker filter), never a wrong one:
 *   'fs01'               exact  "fs01"
 *   'fs01\.corp\.com'    exact  "fs01.corp.com"
 *   'ext01\..*'          prefix "ext01."
 *   'fs0?1'              prefix "fs"      (a quantified char is dropped)
 *   'fs01|fs02'          exact  "fs01", exact "fs02"
 *   '.*\.corp\.com'      generic
 * Canonical hosts are lower-case ASCII and patterns are caseless, so keys
 * are lower-cased. (Caseless Unicode folding only maps non-ASCII letters
 * like U+212A onto ASCII ones; the canonical host has none.) */
#include "rule_index.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "policy_internal.h"

#define MAX_KEY 255u /* a canonical host is at most 255 bytes */

typedef struct entry {
    int prefix;      /* 0 exact host, 1 host prefix */
    char *key;
    size_t key_len;
    uint32_t rule;
} entry;

typedef struct bucket_key {
    const char *key;
    size_t key_len;
    const uint32_t *rules;
    size_t count;
} bucket_key;

typedef struct table {
    bucket_key *keys; /* unique keys */
    size_t key_count;
    uint32_t *slots;  /* open addressing: key index + 1, 0 = empty */
    size_t slot_mask;
} table;

struct sw_rule_index {
    uint32_t *generic;
    size_t generic_count;
    table exact, prefix;
    unsigned char prefix_len_used[MAX_KEY + 1]; /* prefix lengths present */
    uint32_t *rule_pool; /* the rules arrays of both tables */
    char *key_pool;
};

/* ------------------------------------------------------------------ */
/* Literal extraction                                                   */
/* ------------------------------------------------------------------ */

static int host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int quantifier(char c)
{
    return c == '?' || c == '*' || c == '+' || c == '{';
}

/* Reads the literal host text at the start of one alternative. Sets
 * *exact when the alternative is nothing but that literal (or, for unc,
 * the literal ends at an escaped backslash: the end of the host). Returns
 * the key length (0: nothing usable). */
static size_t literal_host(const char *s, size_t n, int unc, char *key, int *exact)
{
    size_t i = 0, k = 0;
    *exact = 0;
    if (unc) {
        if (n < 4 || memcmp(s, "\\\\\\\\", 4) != 0)
            return 0;
        i = 4;
    } else if (n > 0 && s[0] == '^') {
        i = 1; /* redundant: patterns are anchored anyway */
    }
    while (i < n && k < MAX_KEY) {
        char c = s[i];
        size_t step;
        if (host_char(c)) {
            step = 1;
        } else if (c == '\\' && i + 1 < n &&
                   (s[i + 1] == '.' || s[i + 1] == '-' || s[i + 1] == '_')) {
            c = s[i + 1];
            step = 2;
        } else if (unc && c == '\\' && i + 1 < n && s[i + 1] == '\\') {
            *exact = k > 0; /* the host ends here */
            return k;
        } else {
            return k; /* a metacharacter: what we have is a prefix */
        }
        if (i + step < n && quantifier(s[i + step]))
            return k; /* this character may be absent or repeated */
        key[k++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        i += step;
    }
    *exact = !unc && i == n && k > 0;
    return i == n ? k : (k < MAX_KEY ? k : 0);
}

/* Group openers whose body is ordinary pattern text: (?: (?= (?! (?<=
 * (?<! (?> (?|. Anything else after "(?" — inline options (which could
 * turn on extended mode and make '#' start a comment), comments, named
 * groups, conditionals — or a "(*" verb is not parsed here. */
static int plain_group(const char *s, size_t n, size_t i)
{
    if (i + 1 < n && s[i + 1] == '*')
        return 0; /* a verb */
    if (i + 1 >= n || s[i + 1] != '?')
        return 1; /* a capturing group */
    if (i + 2 >= n)
        return 0;
    char c = s[i + 2];
    if (c == ':' || c == '=' || c == '!' || c == '>' || c == '|')
        return 1;
    return c == '<' && i + 3 < n && (s[i + 3] == '=' || s[i + 3] == '!');
}

/* Calls fn for each top-level alternative of a pattern. Returns 0 — the
 * rule stays generic, which is always correct — when fn refuses an
 * alternative or the pattern uses a construct this scanner does not model
 * exactly (\Q...\E quoting, POSIX classes inside [...], and the groups
 * plain_group refuses): a top-level `|` it failed to see could otherwise
 * file a rule under a key that misses some of the hosts it matches. */
typedef int (*alt_fn)(void *ctx, const char *s, size_t n);

static int each_alternative(const char *s, size_t n, alt_fn fn, void *ctx)
{
    size_t start = 0;
    int depth = 0, in_class = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\') {
            if (i + 1 < n && (s[i + 1] == 'Q' || s[i + 1] == 'E'))
                return 0;
            i++; /* the escaped character is never structure */
        } else if (in_class) {
            if (c == '[' && i + 1 < n && (s[i + 1] == ':' || s[i + 1] == '.' || s[i + 1] == '='))
                return 0;
            if (c == ']')
                in_class = 0;
        } else if (c == '[') {
            in_class = 1;
            if (i + 1 < n && s[i + 1] == '^')
                i++;
            if (i + 1 < n && s[i + 1] == ']')
                i++; /* a leading ] is a literal member */
        } else if (c == '(') {
            if (!plain_group(s, n, i))
                return 0;
            depth++;
        } else if (c == ')') {
            if (--depth < 0)
                return 0;
        } else if (c == '|' && depth == 0) {
            if (!fn(ctx, s + start, i - start))
                return 0;
            start = i + 1;
        }
    }
    if (depth != 0 || in_class)
        return 0;
    return fn(ctx, s + start, n - start);
}

/* ------------------------------------------------------------------ */
/* Building                                                             */
/* ------------------------------------------------------------------ */

typedef struct builder {
    entry *entries;
    size_t count, cap;
    int oom;
    uint32_t rule;
    int unc;
} builder;

static int add_entry(builder *b, int prefix, const char *key, size_t len)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        entry *e = sw_realloc(b->entries, cap * sizeof *e);
        if (!e) {
            b->oom = 1;
            return 0;
        }
        b->entries = e;
        b->cap = cap;
    }
    char *k = sw_strndup(key, len);
    if (!k) {
        b->oom = 1;
        return 0;
    }
    entry *e = &b->entries[b->count++];
    e->prefix = prefix;
    e->key = k;
    e->key_len = len;
    e->rule = b->rule;
    return 1;
}

/* One alternative: file it, or refuse (the rule becomes generic). */
static int file_alternative(void *ctx, const char *s, size_t n)
{
    builder *b = ctx;
    char key[MAX_KEY];
    int exact;
    size_t len = literal_host(s, n, b->unc, key, &exact);
    if (len == 0)
        return 0;
    return add_entry(b, !exact, key, len);
}

/* Files rule r under its keys; returns 0 when it must be generic. */
static int file_rule(builder *b, const sw_rule *r)
{
    const sw_matcher *m = &r->match[SW_F_SERVER];
    b->unc = 0;
    if (m->count == 0) {
        m = &r->match[SW_F_UNC];
        b->unc = 1;
    }
    if (m->count == 0)
        return 0;
    size_t mark = b->count;
    for (size_t j = 0; j < m->count; j++) {
        const char *src = m->patterns[j].source;
        if (!each_alternative(src, strlen(src), file_alternative, b)) {
            /* Take back what this rule filed: it is generic. */
            while (b->count > mark)
                sw_free(b->entries[--b->count].key);
            return 0;
        }
    }
    return 1;
}

static int by_key_then_rule(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->prefix != b->prefix)
        return a->prefix - b->prefix;
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, n);
    if (c)
        return c;
    if (a->key_len != b->key_len)
        return a->key_len < b->key_len ? -1 : 1;
    return (a->rule > b->rule) - (a->rule < b->rule);
}

#define FNV_OFFSET 1469598103934665603u /* FNV-1a, 64-bit */
#define FNV_PRIME 1099511628211u

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
    return h;
}

static int table_build(table *t, bucket_key *keys, size_t count)
{
    size_t slots = 16;
    while (slots < count * 2)
        slots *= 2;
    t->slots = sw_calloc(slots, sizeof *t->slots);
    if (!t->slots)
        return SW_ENOMEM;
    t->keys = keys;
    t->key_count = count;
    t->slot_mask = slots - 1;
    for (size_t i = 0; i < count; i++) {
        size_t s = (size_t)hash_bytes(keys[i].key, keys[i].key_len) & t->slot_mask;
        while (t->slots[s])
            s = (s + 1) & t->slot_mask;
        t->slots[s] = (uint32_t)(i + 1);
    }
    return SW_OK;
}

static const bucket_key *table_find(const table *t, const char *key, size_t len,
                                    uint64_t h)
{
    if (!t->slots)
        return NULL;
    for (size_t s = (size_t)h & t->slot_mask; t->slots[s]; s = (s + 1) & t->slot_mask) {
        const bucket_key *k = &t->keys[t->slots[s] - 1];
        if (k->key_len == len && memcmp(k->key, key, len) == 0)
            return k;
    }
    return NULL;
}

void sw_rule_index_free(sw_rule_index *ix)
{
    if (!ix)
        return;
    sw_free(ix->generic);
    sw_free(ix->exact.keys); /* one block holds both tables' keys */
    sw_free(ix->exact.slots);
    sw_free(ix->prefix.slots);
    sw_free(ix->rule_pool);
    sw_free(ix->key_pool);
    sw_free(ix);
}

static void free_entries(builder *b)
{
    for (size_t i = 0; i < b->count; i++)
        sw_free(b->entries[i].key);
    sw_free(b->entries);
}

static int same_key(const entry *a, const entry *b)
{
    return a->prefix == b->prefix && a->key_len == b->key_len &&
           memcmp(a->key, b->key, a->key_len) == 0;
}

/* Groups the sorted entries into unique keys with their rule lists (one
 * array: exact keys first, then prefix keys, as sorted), and builds both
 * hash tables over it. */
static int assemble(sw_rule_index *ix, builder *b)
{
    size_t key_bytes = 0, unique = 0;
    for (size_t i = 0; i < b->count; i++) {
        if (i == 0 || !same_key(&b->entries[i - 1], &b->entries[i])) {
            unique++;
            key_bytes += b->entries[i].key_len;
        }
    }
    bucket_key *keys = sw_calloc(unique ? unique : 1, sizeof *keys);
    ix->exact.keys = keys; /* owns the block; prefix.keys points inside */
    ix->rule_pool = sw_calloc(b->count ? b->count : 1, sizeof *ix->rule_pool);
    ix->key_pool = sw_malloc(key_bytes ? key_bytes : 1);
    if (!keys || !ix->rule_pool || !ix->key_pool)
        return SW_ENOMEM;
    size_t u = 0, kp = 0, nexact = 0;
    bucket_key *k = NULL;
    for (size_t i = 0; i < b->count; i++) {
        const entry *e = &b->entries[i];
        if (i == 0 || !same_key(&b->entries[i - 1], e)) {
            k = &keys[u++];
            memcpy(ix->key_pool + kp, e->key, e->key_len);
            k->key = ix->key_pool + kp;
            k->key_len = e->key_len;
            k->rules = ix->rule_pool + i;
            k->count = 0;
            kp += e->key_len;
            if (!e->prefix)
                nexact++;
            else
                ix->prefix_len_used[e->key_len] = 1;
        }
        /* A rule with two alternatives under one key is listed once. */
        if (k->count == 0 || k->rules[k->count - 1] != e->rule)
            ix->rule_pool[(size_t)(k->rules - ix->rule_pool) + k->count++] = e->rule;
    }
    int rc = table_build(&ix->exact, keys, nexact);
    if (rc == SW_OK)
        rc = table_build(&ix->prefix, keys + nexact, u - nexact);
    return rc;
}

int sw_rule_index_build(const sw_policy *p, sw_rule_index **out)
{
    *out = NULL;
    sw_rule_index *ix = sw_calloc(1, sizeof *ix);
    if (!ix)
        return SW_ENOMEM;
    ix->generic = sw_calloc(p->rule_count ? p->rule_count : 1, sizeof *ix->generic);
    builder b;
    memset(&b, 0, sizeof b);
    if (!ix->generic) {
        sw_rule_index_free(ix);
        return SW_ENOMEM;
    }
    for (size_t i = 0; i < p->rule_count && !b.oom; i++) {
        b.rule = (uint32_t)i;
        if (!file_rule(&b, &p->rules[i]) && !b.oom)
            ix->generic[ix->generic_count++] = (uint32_t)i;
    }
    int rc = b.oom ? SW_ENOMEM : SW_OK;
    if (rc == SW_OK) {
        if (b.count)
            qsort(b.entries, b.count, sizeof *b.entries, by_key_then_rule);
        rc = assemble(ix, &b);
    }
    free_entries(&b);
    if (rc != SW_OK) {
        sw_rule_index_free(ix);
        return rc;
    }
    *out = ix;
    return SW_OK;
}

size_t sw_rule_index_generic_count(const sw_rule_index *ix)
{
    return ix ? ix->generic_count : 0;
}

/* ------------------------------------------------------------------ */
/* Lookup                                                               */
/* ------------------------------------------------------------------ */

static void add_list(sw_candidates *c, const uint32_t *list, size_t len)
{
    if (len == 0 || c->count == SW_IX_MAX_LISTS)
        return;
    c->list[c->count] = list;
    c->len[c->count] = len;
    c->pos[c->count] = 0;
    c->count++;
}

void sw_rule_index_candidates(const sw_rule_index *ix, const char *host,
                              size_t host_len, sw_candidates *c)
{
    const bucket_key *k;
    c->count = 0;
    add_list(c, ix->generic, ix->generic_count);
    if (host_len > MAX_KEY)
        return; /* no key is that long; canonical hosts never are */
    /* One FNV-1a pass over the host: the hash of each prefix length in use
     * on the way, the exact key's at the end (the list order does not
     * matter: sw_candidates_next merges them). */
    uint64_t h = FNV_OFFSET;
    for (size_t l = 1; l <= host_len; l++) {
        h = (h ^ (unsigned char)host[l - 1]) * FNV_PRIME;
        if (ix->prefix_len_used[l] && (k = table_find(&ix->prefix, host, l, h)) != NULL)
            add_list(c, k->rules, k->count);
    }
    if ((k = table_find(&ix->exact, host, host_len, h)) != NULL)
        add_list(c, k->rules, k->count);
}

long sw_candidates_next(sw_candidates *c)
{
    size_t best = SW_IX_MAX_LISTS;
    uint32_t min = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (c->pos[i] < c->len[i] && (best == SW_IX_MAX_LISTS || c->list[i][c->pos[i]] < min)) {
            best = i;
            min = c->list[i][c->pos[i]];
        }
    }
    if (best == SW_IX_MAX_LISTS)
        return -1;
    /* A rule filed under several matching keys comes out once. */
    for (size_t i = 0; i < c->count; i++)
        while (c->pos[i] < c->len[i] && c->list[i][c->pos[i]] == min)
            c->pos[i]++;
    return (long)min;
}
