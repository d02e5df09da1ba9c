/* The Windows Event Log: source "sharewall", one event ID per kind, the
 * sentences in the DLL's own message table (messages.mc). Every
 * connection event gets the same thirteen insertion strings in the same
 * order, so each message uses what it needs and docs/events.md has one
 * table. Absent values are spelled out ("(none)") rather than left empty,
 * so a sentence never reads as if a word were missing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_names.h"
#include "internal.h"
#include "messages.h"

#define N_STRINGS 13

static INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;
static HANDLE g_source;

static BOOL CALLBACK open_source(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)param;
    (void)ctx;
    g_source = RegisterEventSourceW(NULL, SWD_EVENT_SOURCE);
    return TRUE;
}

typedef struct kind {
    DWORD id;
    WORD type;
} kind;

static kind kind_of(sw_event ev)
{
    static const kind kinds[SW_EV_COUNT] = {
        {MSG_VETOED, EVENTLOG_WARNING_TYPE},
        {MSG_WOULD_VETO, EVENTLOG_WARNING_TYPE},
        {MSG_STAGED, EVENTLOG_INFORMATION_TYPE},
        {MSG_CONNECTED, EVENTLOG_INFORMATION_TYPE},
        {MSG_DISCONNECTED, EVENTLOG_INFORMATION_TYPE},
        {MSG_POLICY_LOADED, EVENTLOG_INFORMATION_TYPE},
        {MSG_POLICY_REJECTED, EVENTLOG_ERROR_TYPE},
        {MSG_EVAL_ERROR, EVENTLOG_ERROR_TYPE},
    };
    kind none = {0, 0};
    return (unsigned)ev < SW_EV_COUNT ? kinds[ev] : none;
}

/* The insertion strings, as UTF-8 first (one place to read the order). */
static void utf8_strings(const sw_record *r, const char *policy_file,
                         char staged[512], char nums[2][24],
                         const char *s[N_STRINGS])
{
    const sw_request *q = r->request;
    const sw_decision *d = r->decision;

    for (int i = 0; i < N_STRINGS; i++)
        s[i] = NULL;
    if (r->event == SW_EV_POLICY_LOADED || r->event == SW_EV_POLICY_REJECTED) {
        s[0] = policy_file ? policy_file : "(unknown)";
        s[1] = r->message ? r->message : "";
        return;
    }
    staged[0] = '\0';
    if (d) {
        size_t len = 0;
        for (size_t i = 0; i < d->staged_count && i < SW_MAX_STAGED; i++) {
            int n = snprintf(staged + len, 512 - len, "%s%s (%s)", i ? ", " : "",
                             d->staged[i] ? d->staged[i] : "",
                             sw_action_name(d->staged_action[i]));
            if (n < 0 || (size_t)n >= 512 - len)
                break;
            len += (size_t)n;
        }
    }
    snprintf(nums[0], 24, "%ld", r->has_status ? r->status : 0L);
    snprintf(nums[1], 24, "%lu", r->suppressed);
    s[0] = q && q->user ? q->user : "(not recorded)";
    s[1] = q && q->remote ? q->remote : (q && q->local ? q->local : "(none)");
    s[2] = d && !d->canon.malformed && d->canon.unc ? d->canon.unc : "(none: the name is malformed or unknown)";
    s[3] = d && d->rule_id ? d->rule_id : "(none)";
    s[4] = d ? sw_action_name(d->action) : "(none)";
    s[5] = d && d->reason ? d->reason : "(none)";
    s[6] = q && q->local && q->local[0] ? q->local : "(none)";
    s[7] = q && q->provider ? q->provider : "(unknown)";
    s[8] = q && q->process ? q->process : "(unknown)";
    s[9] = nums[0];
    s[10] = nums[1];
    s[11] = staged[0] ? staged : "(none)";
    s[12] = r->message ? r->message : "(none)";
}

/* The caller's SID for the event's User field, so Event Viewer names the
 * user even when the policy did not need the name: the impersonation
 * token's user when the thread has one (into buf), else the process
 * user looked up at initialisation. NULL when unknown. */
static PSID caller_sid(swd_token_user *u)
{
    const swd_host *host = swd_host_get();
    HANDLE token = NULL;
    DWORD size = 0;
    PSID sid = NULL;

    if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token)) {
        if (GetTokenInformation(token, TokenUser, u, sizeof *u, &size))
            sid = u->tu.User.Sid;
        CloseHandle(token);
        return sid;
    }
    return host->has_process_sid ? (PSID)host->process_sid : NULL;
}

void swd_eventlog_report(const sw_record *r, const char *policy_file)
{
    swd_token_user sid_buf;
    const char *s8[N_STRINGS];
    LPCWSTR s16[N_STRINGS];
    wchar_t *owned[N_STRINGS];
    char staged[512], nums[2][24];
    kind k = kind_of(r->event);
    WORD n = 0;

    if (!k.id)
        return;
    InitOnceExecuteOnce(&g_once, open_source, NULL, NULL);
    if (!g_source)
        return; /* no Event Log service: the JSON log still has it */
    utf8_strings(r, policy_file, staged, nums, s8);
    for (int i = 0; i < N_STRINGS; i++) {
        owned[i] = NULL;
        if (!s8[i])
            continue;
        owned[i] = swd_to_utf16_dup(s8[i]);
        s16[n++] = owned[i] ? owned[i] : L"(unconvertible text)";
    }
    ReportEventW(g_source, k.type, 0, k.id,
                 r->request ? caller_sid(&sid_buf) : NULL, n, 0, s16, NULL);
    for (int i = 0; i < N_STRINGS; i++)
        free(owned[i]);
}
