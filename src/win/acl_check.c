/* Who may modify the policy? A user who can edit the policy file, or
 * replace it through its folder, decides which shares the whole machine
 * may reach, so such a policy is refused (the last good one stays).
 *
 * Under Wine, file DACLs are synthesised from Unix permission bits (the
 * "other" bits become an Everyone ACE), so `chmod o+w` on the policy is
 * exactly "Everyone may write" here. */
#include <windows.h>
#include <aclapi.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"

/* Rights that let a holder change what the file says. FILE_WRITE_EA is
 * included: extended attributes are data too. GENERIC_* appear only in
 * inheritable ACEs, but cost nothing to check. */
#define SWD_MODIFYING_RIGHTS                                                  \
    (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_ATTRIBUTES |             \
     FILE_WRITE_EA | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE |       \
     GENERIC_ALL)

typedef struct broad_group {
    WELL_KNOWN_SID_TYPE type;
    const char *name;
} broad_group;

static const broad_group broad_groups[] = {
    {WinWorldSid, "Everyone"},
    {WinAuthenticatedUserSid, "Authenticated Users"},
    {WinBuiltinUsersSid, "Users"},
    {WinInteractiveSid, "Interactive"},
    {WinBuiltinGuestsSid, "Guests"},
    {WinAnonymousSid, "Anonymous"},
};
#define N_BROAD (sizeof broad_groups / sizeof broad_groups[0])

/* Which broad group, if any, the SID is; NULL otherwise. */
static const char *broad_group_name(PSID sid)
{
    for (size_t i = 0; i < N_BROAD; i++) {
        BYTE buf[SECURITY_MAX_SID_SIZE];
        DWORD size = sizeof buf;
        if (CreateWellKnownSid(broad_groups[i].type, NULL, buf, &size) &&
            EqualSid(sid, buf))
            return broad_groups[i].name;
    }
    return NULL;
}

/* SW_OK, SW_EINVAL (why set) or SW_EIO (why set). */
static int check_object(const wchar_t *path, const char *what, char *why,
                        size_t why_cap)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    PACL dacl = NULL;
    DWORD rc = GetNamedSecurityInfoW(path, SE_FILE_OBJECT,
                                     DACL_SECURITY_INFORMATION, NULL, NULL,
                                     &dacl, NULL, &sd);
    int result = SW_OK;

    if (rc != ERROR_SUCCESS) {
        snprintf(why, why_cap, "cannot read the security of the policy %s (error %lu)",
                 what, (unsigned long)rc);
        return SW_EIO;
    }
    if (!dacl) {
        snprintf(why, why_cap, "the policy %s has a NULL DACL: anyone may modify it", what);
        LocalFree(sd);
        return SW_EINVAL;
    }
    for (DWORD i = 0; i < dacl->AceCount && result == SW_OK; i++) {
        ACE_HEADER *ace = NULL;
        ACCESS_ALLOWED_ACE *allowed;
        const char *group;
        if (!GetAce(dacl, i, (LPVOID *)&ace) || !ace)
            continue;
        if (ace->AceType != ACCESS_ALLOWED_ACE_TYPE)
            continue; /* deny ACEs only take rights away */
        if (ace->AceFlags & INHERIT_ONLY_ACE)
            continue; /* applies to children, not to this object */
        allowed = (ACCESS_ALLOWED_ACE *)ace;
        if (!(allowed->Mask & SWD_MODIFYING_RIGHTS))
            continue;
        group = broad_group_name((PSID)&allowed->SidStart);
        if (group) {
            snprintf(why, why_cap,
                     "the policy %s grants %s modifying rights (mask 0x%08lx)",
                     what, group, (unsigned long)allowed->Mask);
            result = SW_EINVAL;
        }
    }
    LocalFree(sd);
    return result;
}

int swd_acl_check_file(const wchar_t *path, char *why, size_t why_cap)
{
    wchar_t folder[SWD_PATH_CAP];
    size_t n = wcslen(path);
    int rc;

    why[0] = '\0';
    rc = check_object(path, "file", why, why_cap);
    if (rc != SW_OK)
        return rc;
    if (n >= SWD_PATH_CAP) {
        snprintf(why, why_cap, "the policy path is too long");
        return SW_EINVAL;
    }
    wmemcpy(folder, path, n + 1);
    while (n > 0 && folder[n - 1] != L'\\' && folder[n - 1] != L'/')
        n--;
    /* Keep "C:\" a root rather than "C:"; drop the separator otherwise. */
    if (n > 0 && !(n == 3 && folder[1] == L':'))
        n--;
    if (n == 0) {
        /* A relative path would name a different file in every process. */
        snprintf(why, why_cap, "the policy path is not absolute");
        return SW_EINVAL;
    }
    folder[n] = L'\0';
    return check_object(folder, "folder", why, why_cap);
}
