/* The two exports MPR calls (DESIGN §1): AddConnectNotify before and
 * after every WNetAddConnection*, CancelConnectNotify around every
 * WNetCancelConnection*.
 *
 * PRE decides. An enforced deny leaves lpContext NULL (so MPR sends no
 * POST) and returns WN_CANCELLED; anything else returns WN_SUCCESS and,
 * when the outcome is worth logging, stores the whole call (request,
 * decision, and a reference on the policy the decision's rule ids point
 * into) in lpContext. POST logs that call with the provider's status and
 * frees it; a POST with NULL context has nothing to log.
 *
 * Every failure (out of memory, unreadable registry, unconvertible name,
 * unreadable token) becomes the policy's on_error decision, logged. */
#include <windows.h>
#include <winnetwk.h>
#include <npapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifndef WN_CANCELLED
#define WN_CANCELLED ERROR_CANCELLED /* mingw-w64 names it WN_CANCEL */
#endif

DWORD WINAPI AddConnectNotify(LPNOTIFYINFO lpNotifyInfo, LPNOTIFYADD lpAddInfo);
DWORD WINAPI CancelConnectNotify(LPNOTIFYINFO lpNotifyInfo,
                                 LPNOTIFYCANCEL lpCancelInfo);

#define SWD_CALL_MAGIC 0x31435753u /* "SWC1": a context we allocated */

typedef struct swd_call {
    uint32_t magic;      /* set only while MPR holds the pointer     */
    int on_heap;         /* 0: the out-of-memory stand-in on a stack */
    int decided;         /* decision holds storage to free           */
    int force;           /* CancelConnectNotify's fForce             */
    swd_policy_ref *policy;
    swd_caller caller;
    sw_request req;
    sw_decision decision;
    char *post_provider; /* CancelConnectNotify: provider from POST   */
    char why[384];       /* storage behind decision.reason if dynamic */
    char strings[1];     /* UTF-8 copies of the request strings       */
} swd_call;

/* ---- the call object ------------------------------------------------ */

/* A call with UTF-8 copies of the three strings. *bad gets 1 when the
 * remote name, 2 when another string is not valid UTF-16. NULL when out
 * of memory. */
static swd_call *call_new(const wchar_t *remote, const wchar_t *local,
                          const wchar_t *provider, int *bad)
{
    size_t nr = swd_utf8_size(remote), nl = swd_utf8_size(local),
           np = swd_utf8_size(provider);
    swd_call *c = (swd_call *)calloc(1, sizeof *c + nr + nl + np);
    char *at;

    *bad = 0;
    if (!c)
        return NULL;
    c->on_heap = 1;
    sw_request_init(&c->req);
    at = c->strings;
    if (swd_to_utf8(remote, at, nr, &c->req.remote) != SW_OK)
        *bad = 1;
    at += nr;
    if (swd_to_utf8(local, at, nl, &c->req.local) != SW_OK && !*bad)
        *bad = 2;
    at += nl;
    if (swd_to_utf8(provider, at, np, &c->req.provider) != SW_OK && !*bad)
        *bad = 2;
    return c;
}

static void call_free(swd_call *c)
{
    if (!c)
        return;
    c->magic = 0;
    if (c->decided)
        sw_decision_free(&c->decision);
    swd_caller_free(&c->caller);
    swd_policy_release(c->policy);
    free(c->post_provider);
    if (c->on_heap)
        free(c);
}

/* A decision the engine could not make: on_error (or, for a name that is
 * not even valid UTF-16, malformed: always deny). */
static void decide_failure(swd_call *c, const sw_policy *p, sw_basis basis,
                           const char *reason)
{
    sw_decision *d = &c->decision;
    memset(d, 0, sizeof *d);
    sw_canonicalise("", 0, NULL, &d->canon); /* an empty, malformed canon */
    d->basis = basis;
    d->action = basis == SW_BASIS_MALFORMED || !p ? SW_DENY : sw_policy_on_error(p);
    d->rule_id = basis == SW_BASIS_MALFORMED ? "malformed" : "error";
    d->rule_index = -1;
    if (reason != c->why)
        snprintf(c->why, sizeof c->why, "%s", reason);
    d->reason = c->why;
    c->decided = 1;
}

/* ---- logging helpers -------------------------------------------------- */

static void log_call(const swd_config *cfg, swd_call *c, sw_event ev,
                     const char *message, int has_status, DWORD status)
{
    sw_record r;
    swd_record_init(&r, ev);
    r.request = &c->req;
    r.decision = c->decided ? &c->decision : NULL;
    r.message = message;
    r.has_status = has_status;
    r.status = (long)status;
    swd_log(cfg, &r, NULL);
}

/* ---- AddConnectNotify --------------------------------------------------- */

/* Why a deny was not enforced, for the would-veto record. */
static const char *not_enforced_note(const swd_config *cfg)
{
    if (!cfg->enabled)
        return "Enabled is 0 in the registry";
    if (cfg->mode_override == SW_MODE_AUDIT)
        return "audit mode set in the registry";
    return "audit mode set in the policy";
}

static void decide(const swd_config *cfg, swd_call *c, const sw_policy *p,
                   int bad)
{
    if (!c->on_heap) {
        decide_failure(c, p, SW_BASIS_ERROR, "out of memory");
    } else if (cfg->error) {
        decide_failure(c, p, SW_BASIS_ERROR, cfg->error_text);
    } else if (bad == 1) {
        decide_failure(c, p, SW_BASIS_MALFORMED,
                       "the name is not valid UTF-16 (unpaired surrogate)");
    } else if (bad == 2) {
        decide_failure(c, p, SW_BASIS_ERROR,
                       "the local device or provider name is not valid UTF-16");
    } else if (swd_caller_gather(p ? sw_policy_fields_used(p) : 0, &c->caller,
                                 c->why, sizeof c->why) != SW_OK) {
        decide_failure(c, p, SW_BASIS_ERROR, c->why);
    } else {
        c->req.user = c->caller.user;
        c->req.groups = (const char *const *)c->caller.groups;
        c->req.group_count = c->caller.group_count;
        /* On SW_ENOMEM the engine has already filled in on_error. */
        sw_decide(p, &c->req, &c->decision);
        c->decided = 1;
    }
}

static DWORD add_pre(LPNOTIFYINFO info, LPNOTIFYADD add)
{
    const swd_host *host = swd_host_get();
    const NETRESOURCEW *nr = add ? &add->NetResource : NULL;
    swd_config cfg;
    swd_call *c, stand_in;
    const sw_policy *p;
    int bad = 0, mode, enforce, deny, want_post;

    info->lpContext = NULL;
    swd_config_current(&cfg);
    c = call_new(nr ? nr->lpRemoteName : NULL, nr ? nr->lpLocalName : NULL,
                 nr ? nr->lpProvider : NULL, &bad);
    if (!c) {
        memset(&stand_in, 0, sizeof stand_in);
        sw_request_init(&stand_in.req);
        c = &stand_in;
    }
    c->policy = cfg.error ? NULL : swd_policy_acquire(&cfg);
    p = swd_policy_get(c->policy);
    c->req.process = host->process[0] ? host->process : NULL;
    c->req.flags = add ? add->dwAddFlags : 0;
    c->req.self = &host->self;
    decide(&cfg, c, p, bad);

    /* The registry's Mode overrides the file's; Enabled = 0 (the kill
     * switch) never vetoes. Neither changes what is decided and logged. */
    mode = cfg.mode_override >= 0 ? cfg.mode_override
                                  : (p ? (int)sw_policy_mode(p) : SW_MODE_ENFORCE);
    enforce = mode == SW_MODE_ENFORCE && cfg.enabled;
    c->decision.enforced = enforce;
    deny = c->decision.action == SW_DENY;

    if (c->decision.staged_total > 0)
        log_call(&cfg, c, SW_EV_STAGED, NULL, 0, 0);
    if (c->decision.basis == SW_BASIS_ERROR)
        log_call(&cfg, c, SW_EV_ERROR, deny && !enforce ? not_enforced_note(&cfg) : NULL,
                 0, 0);
    else if (deny && (!p || sw_policy_log_vetoed(p)))
        log_call(&cfg, c, enforce ? SW_EV_VETOED : SW_EV_WOULD_VETO,
                 enforce ? NULL : not_enforced_note(&cfg), 0, 0);

    if (deny && enforce) {
        call_free(c);
        return WN_CANCELLED;
    }
    want_post = deny || !p || sw_policy_log_allowed(p);
    if (want_post && c->on_heap) {
        c->magic = SWD_CALL_MAGIC;
        info->lpContext = c;
    } else {
        call_free(c);
    }
    return WN_SUCCESS;
}

static void add_post(LPNOTIFYINFO info)
{
    swd_call *c = (swd_call *)info->lpContext;
    swd_config cfg;

    /* NULL: PRE stored nothing (MPR should not even call). A foreign
     * pointer is not ours to read or free. */
    if (!c || c->magic != SWD_CALL_MAGIC)
        return;
    info->lpContext = NULL;
    swd_config_current(&cfg);
    log_call(&cfg, c, SW_EV_CONNECTED, NULL, 1, info->dwOperationStatus);
    call_free(c);
}

/* No "insert a disk" or "cannot open file" dialog from a policy or log
 * path on removable media: the thread belongs to someone else's program,
 * and the change is undone before returning to it. */
static DWORD quiet_errors(void)
{
    DWORD old = 0;
    SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX, &old);
    return old;
}

DWORD WINAPI AddConnectNotify(LPNOTIFYINFO lpNotifyInfo, LPNOTIFYADD lpAddInfo)
{
    DWORD rc = WN_SUCCESS, old;

    if (!lpNotifyInfo)
        return WN_SUCCESS; /* nothing to decide about, nowhere to answer */
    old = quiet_errors();
    if (lpNotifyInfo->dwNotifyStatus == NOTIFY_PRE)
        rc = add_pre(lpNotifyInfo, lpAddInfo);
    else if (lpNotifyInfo->dwNotifyStatus == NOTIFY_POST)
        add_post(lpNotifyInfo);
    SetThreadErrorMode(old, NULL);
    return rc;
}

/* ---- CancelConnectNotify ----------------------------------------------- */

/* "Z:" or "LPT1" is a local device; "\\host\share" or a URL is remote. */
static int is_remote_name(const wchar_t *name)
{
    return name && (((name[0] == L'\\' || name[0] == L'/') &&
                     (name[1] == L'\\' || name[1] == L'/')) ||
                    wcsstr(name, L"://") != NULL);
}

static DWORD cancel_pre(LPNOTIFYINFO info, LPNOTIFYCANCEL cancel)
{
    const swd_host *host = swd_host_get();
    const wchar_t *name = cancel ? cancel->lpName : NULL;
    swd_policy_ref *ref;
    const sw_policy *p;
    swd_config cfg;
    swd_call *c;
    int bad = 0, wanted;

    info->lpContext = NULL;
    swd_config_current(&cfg);
    ref = cfg.error ? NULL : swd_policy_acquire(&cfg);
    p = swd_policy_get(ref);
    wanted = !p || sw_policy_log_disconnects(p);
    swd_policy_release(ref);
    if (!wanted)
        return WN_SUCCESS; /* disconnections are never vetoed */
    c = is_remote_name(name) ? call_new(name, NULL, NULL, &bad)
                             : call_new(NULL, name, NULL, &bad);
    if (!c) {
        swd_log_message(&cfg, SW_EV_ERROR, NULL,
                        "out of memory while recording a disconnection");
        return WN_SUCCESS;
    }
    c->req.process = host->process[0] ? host->process : NULL;
    c->req.flags = cancel ? cancel->dwFlags : 0;
    c->force = cancel ? cancel->fForce != FALSE : 0;
    c->magic = SWD_CALL_MAGIC;
    info->lpContext = c;
    return WN_SUCCESS;
}

static void cancel_post(LPNOTIFYINFO info, LPNOTIFYCANCEL cancel)
{
    swd_call *c = (swd_call *)info->lpContext;
    swd_config cfg;

    if (!c || c->magic != SWD_CALL_MAGIC)
        return;
    info->lpContext = NULL;
    /* lpProvider is only defined on POST. */
    if (cancel && swd_to_utf8_dup(cancel->lpProvider, &c->post_provider) == SW_OK)
        c->req.provider = c->post_provider;
    swd_config_current(&cfg);
    log_call(&cfg, c, SW_EV_DISCONNECTED, c->force ? "forced" : NULL, 1,
             info->dwOperationStatus);
    call_free(c);
}

DWORD WINAPI CancelConnectNotify(LPNOTIFYINFO lpNotifyInfo,
                                 LPNOTIFYCANCEL lpCancelInfo)
{
    DWORD rc = WN_SUCCESS, old;

    if (!lpNotifyInfo)
        return WN_SUCCESS;
    old = quiet_errors();
    if (lpNotifyInfo->dwNotifyStatus == NOTIFY_PRE)
        rc = cancel_pre(lpNotifyInfo, lpCancelInfo);
    else if (lpNotifyInfo->dwNotifyStatus == NOTIFY_POST)
        cancel_post(lpNotifyInfo, lpCancelInfo);
    SetThreadErrorMode(old, NULL);
    return rc;
}
