/* Fixed policies for fuzz_decide.c and their oracles (see the header). */
#include "fuzz_policies.h"

#include <string.h>

#include "fuzz_assert.h"

/* ---- ASCII helpers (the oracles never use a regex engine) ------------ */

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static int caseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static int printable(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return 0;
    return 1;
}

static int ends_with_nocase(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && caseeq(s + n - m, suffix);
}

static int starts_with_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lower((unsigned char)*s) != lower((unsigned char)*prefix))
            return 0;
    return 1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static const char *nz(const char *s) { return s ? s : ""; }

static void expect(fuzz_expect *out, sw_action a, const char *rule, size_t staged)
{
    out->action = a;
    out->rule_id = rule;
    out->staged_total = staged;
}

/* ---- 0: a deny-list, default allow ----------------------------------- */

static const char DENYLIST[] =
    "version: 1\n"
    "mode: enforce\n"
    "default: allow\n"
    "on_error: deny\n"
    "rules:\n"
    "  - id: deny-secret-host\n"
    "    action: deny\n"
    "    match: { server: ['secret', 'secret\\.corp\\.example\\.com', '10\\.1\\.2\\.3'] }\n"
    "  - id: deny-loopback\n"
    "    action: deny\n"
    "    match: { server: 'localhost' }\n"
    "  - id: deny-admin-shares\n"
    "    action: deny\n"
    "    match: { share: ['admin\\$', '[a-z]\\$'] }\n"
    "  - id: deny-private-path\n"
    "    action: deny\n"
    "    match: { path: '\\\\private(\\\\.*)?' }\n";

static int denylist_oracle(const sw_request *req, const sw_canon *c, fuzz_expect *out)
{
    (void)req;
    if (!printable(c->share) || !printable(c->path))
        return 0;
    size_t sl = strlen(c->share);
    if (caseeq(c->host, "secret") || caseeq(c->host, "secret.corp.example.com") ||
        strcmp(c->host, "10.1.2.3") == 0)
        expect(out, SW_DENY, "deny-secret-host", 0);
    else if (strcmp(c->host, "localhost") == 0)
        expect(out, SW_DENY, "deny-loopback", 0);
    else if (caseeq(c->share, "admin$") ||
             (sl == 2 && lower((unsigned char)c->share[0]) >= 'a' &&
              lower((unsigned char)c->share[0]) <= 'z' && c->share[1] == '$'))
        expect(out, SW_DENY, "deny-admin-shares", 0);
    else if (starts_with_nocase(c->path, "\\private") &&
             (c->path[8] == '\0' || c->path[8] == '\\'))
        expect(out, SW_DENY, "deny-private-path", 0);
    else
        expect(out, SW_ALLOW, "default", 0);
    return 1;
}

/* ---- 1: an allow-list, default deny ---------------------------------- */

static const char ALLOWLIST[] =
    "version: 1\n"
    "mode: enforce\n"
    "default: deny\n"
    "on_error: deny\n"
    "rules:\n"
    "  - id: corp-file-servers\n"
    "    action: allow\n"
    "    match:\n"
    "      server: ['fs\\d{2}\\.corp\\.example\\.com', 'fs\\d{2}']\n"
    "      share: ['public', 'finance']\n"
    "  - id: archive-years\n"
    "    action: allow\n"
    "    match: { unc: '\\\\\\\\fs99\\\\archive\\\\20\\d\\d(\\\\.*)?' }\n";

/* fs<2 digits> with an optional .corp.example.com */
static int corp_fs(const char *h)
{
    if (!(lower(h[0]) == 'f' && lower(h[1]) == 's' && is_digit(h[2]) && is_digit(h[3])))
        return 0;
    return h[4] == '\0' || caseeq(h + 4, ".corp.example.com");
}

static int archive_year(const sw_canon *c)
{
    const char *p = c->path;
    if (!caseeq(c->host, "fs99") || !caseeq(c->share, "archive"))
        return 0;
    if (!(p[0] == '\\' && p[1] == '2' && p[2] == '0' && is_digit(p[3]) && is_digit(p[4])))
        return 0;
    return p[5] == '\0' || p[5] == '\\';
}

static int allowlist_oracle(const sw_request *req, const sw_canon *c, fuzz_expect *out)
{
    (void)req;
    if (!printable(c->share) || !printable(c->path))
        return 0;
    if (corp_fs(c->host) && (caseeq(c->share, "public") || caseeq(c->share, "finance")))
        expect(out, SW_ALLOW, "corp-file-servers", 0);
    else if (archive_year(c))
        expect(out, SW_ALLOW, "archive-years", 0);
    else
        expect(out, SW_DENY, "default", 0);
    return 1;
}

/* ---- 2: caller context and staged rules, audit mode ------------------ */

static const char CONTEXT[] =
    "version: 1\n"
    "mode: audit\n"
    "default: allow\n"
    "on_error: allow\n"
    "log: { allowed: false, vetoed: true, disconnects: false }\n"
    "rules:\n"
    "  - id: stage-external\n"
    "    action: deny\n"
    "    stage: true\n"
    "    match: { server: '.*\\..*' }\n"
    "  - id: deny-mallory\n"
    "    action: deny\n"
    "    match: { user: 'CORP\\\\mallory' }\n"
    "  - id: deny-guests\n"
    "    action: deny\n"
    "    match: { group: ['S-1-5-32-546', 'Guests'] }\n"
    "  - id: deny-evil-process\n"
    "    action: deny\n"
    "    match: { process: '.*\\\\evil\\.exe' }\n"
    "  - id: allow-z-drive-dav\n"
    "    action: allow\n"
    "    match: { local: 'Z:', scheme: webdav, provider: 'Web Client Network' }\n"
    "  - id: stage-webdav\n"
    "    action: deny\n"
    "    stage: true\n"
    "    match: { scheme: webdav }\n"
    "  - id: deny-deviceless-dav\n"
    "    action: deny\n"
    "    match: { scheme: webdav, local: '' }\n";

static int in_guests(const sw_request *req)
{
    for (size_t i = 0; i < req->group_count; i++)
        if (req->groups[i] &&
            (caseeq(req->groups[i], "S-1-5-32-546") || caseeq(req->groups[i], "Guests")))
            return 1;
    return 0;
}

static int context_oracle(const sw_request *req, const sw_canon *c, fuzz_expect *out)
{
    if (!printable(req->user) || !printable(req->process) ||
        !printable(req->local) || !printable(req->provider))
        return 0;
    size_t staged = strchr(c->host, '.') ? 1 : 0;
    int dav = c->scheme == SW_SCHEME_WEBDAV;
    if (caseeq(nz(req->user), "CORP\\mallory"))
        expect(out, SW_DENY, "deny-mallory", staged);
    else if (in_guests(req))
        expect(out, SW_DENY, "deny-guests", staged);
    else if (ends_with_nocase(nz(req->process), "\\evil.exe"))
        expect(out, SW_DENY, "deny-evil-process", staged);
    else if (dav && caseeq(nz(req->local), "Z:") &&
             caseeq(nz(req->provider), "Web Client Network"))
        expect(out, SW_ALLOW, "allow-z-drive-dav", staged);
    else if (dav && nz(req->local)[0] == '\0')
        expect(out, SW_DENY, "deny-deviceless-dav", staged + 1);
    else
        expect(out, SW_ALLOW, "default", staged + (size_t)dav);
    return 1;
}

/* ---- 3: catastrophic patterns, on_error deny ------------------------- */

/* Every rule allows; default and on_error deny. Whatever a fuzzed name
 * does to the backtracking engine, an error must come out as deny. */
static const char CATASTROPHIC[] =
    "version: 1\n"
    "mode: enforce\n"
    "default: deny\n"
    "on_error: deny\n"
    "rules:\n"
    "  - id: nested-plus\n"
    "    action: allow\n"
    "    match: { share: '(a+)+' }\n"
    "  - id: alternation\n"
    "    action: allow\n"
    "    match: { path: '(\\\\(a|aa)+)+b' }\n"
    "  - id: repeated-star\n"
    "    action: allow\n"
    "    match: { server: '(.*a){12}' }\n";

static fuzz_policy policies[] = {
    {"denylist", DENYLIST, denylist_oracle, 0, NULL},
    {"allowlist", ALLOWLIST, allowlist_oracle, 0, NULL},
    {"context", CONTEXT, context_oracle, 1, NULL},
    {"catastrophic", CATASTROPHIC, NULL, 0, NULL},
};

#define POLICY_COUNT (sizeof policies / sizeof policies[0])

static void compile_all(void)
{
    for (size_t i = 0; i < POLICY_COUNT; i++) {
        sw_diags d;
        sw_diags_init(&d);
        int rc = sw_policy_load_buffer(policies[i].name, policies[i].yaml,
                                       strlen(policies[i].yaml), &policies[i].policy, &d);
        for (size_t k = 0; k < d.count; k++)
            fprintf(stderr, "%s:%u:%u: %s: %s\n", d.items[k].pos.file, d.items[k].pos.line,
                    d.items[k].pos.column, d.items[k].field, d.items[k].message);
        sw_diags_free(&d);
        FUZZ_ASSERT(rc == SW_OK);
    }
}

const fuzz_policy *fuzz_policy_at(unsigned char selector)
{
    static int compiled;
    if (!compiled) {
        compile_all();
        compiled = 1;
    }
    return &policies[selector % POLICY_COUNT];
}
