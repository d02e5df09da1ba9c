/* Stable spellings of the engine's enums: the policy language, the CLI and
 * the JSON log all use these exact words, so they live in one place. */
#include <string.h>

#include "sharewall/sharewall.h"

static const char *const field_names[SW_F_COUNT] = {
    "unc", "server", "share", "path", "local",
    "provider", "scheme", "user", "group", "process"};

static const char *const event_names[SW_EV_COUNT] = {
    "vetoed", "would-veto", "staged", "connected",
    "disconnected", "policy-loaded", "policy-rejected", "error"};

static const char *const basis_names[] = {"rule", "default", "error",
                                          "malformed"};

/* Out-of-range values come from a caller's bug or corrupt input; "?" keeps
 * a log line readable instead of crashing the notifyee. */
const char *sw_field_name(sw_field f)
{
    return ((unsigned)f < SW_F_COUNT) ? field_names[f] : "?";
}

const char *sw_action_name(sw_action a)
{
    return a == SW_ALLOW ? "allow" : a == SW_DENY ? "deny" : "?";
}

const char *sw_mode_name(sw_mode m)
{
    return m == SW_MODE_ENFORCE ? "enforce" : m == SW_MODE_AUDIT ? "audit" : "?";
}

const char *sw_scheme_name(sw_scheme s)
{
    return s == SW_SCHEME_SMB ? "smb" : s == SW_SCHEME_WEBDAV ? "webdav" : "?";
}

const char *sw_basis_name(sw_basis b)
{
    return ((unsigned)b < sizeof basis_names / sizeof basis_names[0])
               ? basis_names[b]
               : "?";
}

const char *sw_event_name(sw_event e)
{
    return ((unsigned)e < SW_EV_COUNT) ? event_names[e] : "?";
}

int sw_event_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < SW_EV_COUNT; i++)
        if (strcmp(name, event_names[i]) == 0)
            return i;
    return -1;
}
