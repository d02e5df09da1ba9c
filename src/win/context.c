/* The caller's identity, gathered only when the policy matches on `user`
 * or `group`: LookupAccountSidW may ask a domain controller, which is too
 * slow to pay on every connection for nothing. The process image is
 * looked up once at initialisation (init.c).
 *
 * The thread token comes first: a service impersonating a client maps
 * drives on the client's behalf, and it is the client who must be judged. */
#include <windows.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static HANDLE open_token(DWORD *err)
{
    HANDLE h = NULL;
    if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &h))
        return h;
    *err = GetLastError();
    if (*err != ERROR_NO_TOKEN)
        return NULL; /* impersonating, but unreadable: do not guess */
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h))
        return h;
    *err = GetLastError();
    return NULL;
}

/* GetTokenInformation into a heap buffer (free()). */
static void *token_info(HANDLE token, TOKEN_INFORMATION_CLASS cls, DWORD *err)
{
    DWORD size = 0;
    void *buf;
    GetTokenInformation(token, cls, NULL, 0, &size);
    if (size == 0) {
        *err = GetLastError();
        return NULL;
    }
    buf = malloc(size);
    if (!buf) {
        *err = ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    if (!GetTokenInformation(token, cls, buf, size, &size)) {
        *err = GetLastError();
        free(buf);
        return NULL;
    }
    return buf;
}

/* token_info, or NULL with why[] and *rc saying what failed. */
static void *token_info_or_why(HANDLE token, TOKEN_INFORMATION_CLASS cls,
                               const char *what, char *why, size_t cap, int *rc)
{
    DWORD err = 0;
    void *info = token_info(token, cls, &err);
    if (!info) {
        snprintf(why, cap, "cannot read the caller's token %s (error %lu)", what,
                 (unsigned long)err);
        *rc = err == ERROR_NOT_ENOUGH_MEMORY ? SW_ENOMEM : SW_EIO;
    }
    return info;
}

/* "DOMAIN\name" of a SID as heap UTF-8; NULL when it has no name. */
static char *account_name(PSID sid)
{
    wchar_t name[256], domain[256], both[514];
    DWORD nn = 256, dn = 256;
    SID_NAME_USE use;
    char *out = NULL;

    if (!LookupAccountSidW(NULL, sid, name, &nn, domain, &dn, &use))
        return NULL;
    if (domain[0])
        _snwprintf(both, 514, L"%ls\\%ls", domain, name);
    else
        _snwprintf(both, 514, L"%ls", name);
    both[513] = L'\0';
    swd_to_utf8_dup(both, &out);
    return out;
}

static char *sid_string(PSID sid)
{
    wchar_t *w = NULL;
    char *out = NULL;
    if (!ConvertSidToStringSidW(sid, &w))
        return NULL;
    swd_to_utf8_dup(w, &out);
    LocalFree(w);
    return out;
}

static int gather_user(HANDLE token, swd_caller *c, char *why, size_t cap)
{
    int rc;
    TOKEN_USER *tu = (TOKEN_USER *)token_info_or_why(token, TokenUser, "user",
                                                     why, cap, &rc);
    if (!tu)
        return rc;
    c->user = account_name(tu->User.Sid);
    if (!c->user) /* a SID without a name is still an identity */
        c->user = sid_string(tu->User.Sid);
    free(tu);
    if (!c->user) {
        snprintf(why, cap, "cannot name the caller's account");
        return SW_EIO;
    }
    return SW_OK;
}

/* Groups that grant access: enabled and not deny-only. Each contributes
 * its SID string and, when it has one, its DOMAIN\name. */
static int gather_groups(HANDLE token, swd_caller *c, char *why, size_t cap)
{
    int rc;
    TOKEN_GROUPS *tg = (TOKEN_GROUPS *)token_info_or_why(token, TokenGroups, "groups",
                                                         why, cap, &rc);
    if (!tg)
        return rc;
    c->groups = (char **)calloc((size_t)tg->GroupCount * 2 + 1, sizeof(char *));
    if (!c->groups) {
        free(tg);
        snprintf(why, cap, "out of memory");
        return SW_ENOMEM;
    }
    for (DWORD i = 0; i < tg->GroupCount; i++) {
        DWORD attrs = tg->Groups[i].Attributes;
        char *s;
        if (!(attrs & SE_GROUP_ENABLED) || (attrs & SE_GROUP_USE_FOR_DENY_ONLY))
            continue;
        s = sid_string(tg->Groups[i].Sid);
        if (!s) {
            free(tg);
            snprintf(why, cap, "cannot convert a group SID");
            return SW_ENOMEM;
        }
        c->groups[c->group_count++] = s;
        s = account_name(tg->Groups[i].Sid);
        if (s) /* logon SIDs and the like have no name: SID only */
            c->groups[c->group_count++] = s;
    }
    free(tg);
    return SW_OK;
}

int swd_caller_gather(unsigned fields, swd_caller *c, char *why,
                      size_t why_cap)
{
    HANDLE token;
    DWORD err = 0;
    int rc = SW_OK;

    memset(c, 0, sizeof *c);
    if (!(fields & (SW_FIELD_BIT(SW_F_USER) | SW_FIELD_BIT(SW_F_GROUP))))
        return SW_OK;
    token = open_token(&err);
    if (!token) {
        snprintf(why, why_cap, "cannot open the caller's token (error %lu)",
                 (unsigned long)err);
        return SW_EIO;
    }
    if (fields & SW_FIELD_BIT(SW_F_USER))
        rc = gather_user(token, c, why, why_cap);
    if (rc == SW_OK && (fields & SW_FIELD_BIT(SW_F_GROUP)))
        rc = gather_groups(token, c, why, why_cap);
    CloseHandle(token);
    return rc;
}

void swd_caller_free(swd_caller *c)
{
    if (c->groups) {
        for (size_t i = 0; i < c->group_count; i++)
            free(c->groups[i]);
        free(c->groups);
    }
    free(c->user);
    memset(c, 0, sizeof *c);
}
