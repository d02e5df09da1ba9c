/* Every registry and Event Log name the DLL, `sharewall status`, the MPR
 * simulator and the installer's ADMX template must agree on, in one place:
 * installer tests cross-check the ADMX value names against this file, so a
 * renamed value cannot silently stop Group Policy from taking effect.
 * Keep one name per line in the form  #define NAME L"text". */
#ifndef SW_WIN_CONFIG_NAMES_H
#define SW_WIN_CONFIG_NAMES_H

/* Group Policy (ADMX) key: overrides the installer key value by value. */
#define SWD_REG_POLICIES_KEY L"SOFTWARE\\Policies\\sharewall"
/* Installer key. */
#define SWD_REG_INSTALLER_KEY L"SOFTWARE\\sharewall"

/* Values, under either key. */
#define SWD_REG_POLICY_PATH L"PolicyPath" /* REG_EXPAND_SZ */
#define SWD_REG_MODE L"Mode"              /* REG_SZ: enforce | audit */
#define SWD_REG_LOG_PATH L"LogPath"       /* REG_SZ or REG_EXPAND_SZ */
#define SWD_REG_ENABLED L"Enabled"        /* REG_DWORD: 0 = never veto */
#define SWD_REG_LOG_MAX_BYTES L"LogMaxBytes" /* REG_DWORD: rotation size */

#define SWD_DEFAULT_POLICY_PATH L"%ProgramData%\\sharewall\\policy.yaml"

/* Where MPR finds connection-notification DLLs (DESIGN §1). */
#define SWD_REG_NOTIFYEES_KEY L"SYSTEM\\CurrentControlSet\\Control\\NetworkProvider\\Notifyees"

/* Event Log source name (Application log). */
#define SWD_EVENT_SOURCE L"sharewall"

#endif
