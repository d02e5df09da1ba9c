/* The Event Log message table is real: load sharewall.dll as a data file,
 * as Event Viewer does, and format every event ID with sample insertion
 * strings. Wine's ReportEventW keeps no log to read back, so this is the
 * check that the sentences an admin will read exist and come out whole.
 *
 * usage: msgtable PATH\sharewall.dll   (exit 0: every sentence matched) */
#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "messages.h"

/* The thirteen connection-event strings (docs/events.md). */
static const wchar_t *const conn[13] = {
    L"CORP\\alice",           L"\\\\FS01\\C$",          L"\\\\fs01\\C$",
    L"no-admin-shares",       L"deny",                  L"(none)",
    L"Z:",                    L"Microsoft Windows Network",
    L"C:\\Windows\\explorer.exe", L"53",                L"4",
    L"new-block (deny)",      L"audit mode set in the registry",
};
static const wchar_t *const pol[2] = {
    L"C:\\ProgramData\\sharewall\\policy.yaml",
    L"3 rules from 1 file, mode enforce, default deny, on_error deny, 0 warnings",
};

typedef struct expectation {
    DWORD id;
    const wchar_t *const *strings;
    const wchar_t *text;
} expectation;

static const expectation expected[] = {
    {MSG_VETOED, conn,
     L"sharewall blocked the connection to \\\\FS01\\C$ by CORP\\alice (process "
     L"C:\\Windows\\explorer.exe). Rule no-admin-shares decided deny (reason: (none)). "
     L"Canonical name: \\\\fs01\\C$. Local device: Z:. Provider: Microsoft Windows "
     L"Network. Identical events suppressed before this one: 4."},
    {MSG_WOULD_VETO, conn,
     L"sharewall would have blocked the connection to \\\\FS01\\C$ by CORP\\alice "
     L"(process C:\\Windows\\explorer.exe) but let it through because enforcement is "
     L"off (audit mode set in the registry). Rule no-admin-shares decided deny (reason: "
     L"(none)). Canonical name: \\\\fs01\\C$. Local device: Z:. Provider: Microsoft "
     L"Windows Network. Identical events suppressed before this one: 4."},
    {MSG_STAGED, conn,
     L"Staged sharewall rules matched the connection to \\\\FS01\\C$ by CORP\\alice "
     L"(process C:\\Windows\\explorer.exe) and were not enforced: new-block (deny). The "
     L"rule in force, no-admin-shares, decided deny. Canonical name: \\\\fs01\\C$. "
     L"Identical events suppressed before this one: 4."},
    {MSG_CONNECTED, conn,
     L"The connection to \\\\FS01\\C$ by CORP\\alice (process C:\\Windows\\explorer.exe), "
     L"decided deny by sharewall rule no-admin-shares, completed with status 53. "
     L"Canonical name: \\\\fs01\\C$. Local device: Z:. Provider: Microsoft Windows "
     L"Network. Identical events suppressed before this one: 4."},
    {MSG_DISCONNECTED, conn,
     L"The disconnection of \\\\FS01\\C$ by CORP\\alice (process "
     L"C:\\Windows\\explorer.exe) completed with status 53. Provider: Microsoft Windows "
     L"Network. Identical events suppressed before this one: 4."},
    {MSG_POLICY_LOADED, pol,
     L"sharewall loaded the policy C:\\ProgramData\\sharewall\\policy.yaml, which is now "
     L"in force: 3 rules from 1 file, mode enforce, default deny, on_error deny, 0 "
     L"warnings."},
    {MSG_POLICY_REJECTED, pol,
     L"sharewall rejected the policy C:\\ProgramData\\sharewall\\policy.yaml and keeps "
     L"the last good policy in force (with none, every connection gets the on_error "
     L"decision, deny): 3 rules from 1 file, mode enforce, default deny, on_error deny, "
     L"0 warnings."},
    {MSG_EVAL_ERROR, conn,
     L"sharewall could not evaluate the connection to \\\\FS01\\C$ by CORP\\alice "
     L"(process C:\\Windows\\explorer.exe): (none). The on_error decision, deny, was "
     L"applied (rule no-admin-shares). Canonical name: \\\\fs01\\C$. Identical events "
     L"suppressed before this one: 4."},
};

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
    HMODULE dll;
    int failures = 0;
    size_t n = sizeof expected / sizeof expected[0];

    if (argc != 2) {
        fprintf(stderr, "usage: msgtable PATH\\sharewall.dll\n");
        return 2;
    }
    dll = LoadLibraryExW(argv[1], NULL, LOAD_LIBRARY_AS_DATAFILE);
    if (!dll) {
        fprintf(stderr, "msgtable: cannot load %ls (error %lu)\n", argv[1],
                (unsigned long)GetLastError());
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        wchar_t *text = NULL;
        DWORD len = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ALLOCATE_BUFFER |
                                       FORMAT_MESSAGE_ARGUMENT_ARRAY,
                                   dll, expected[i].id, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US),
                                   (LPWSTR)&text, 0, (va_list *)(void *)expected[i].strings);
        /* Message texts end in CR LF; the sentence is what matters. */
        while (len > 0 && (text[len - 1] == L'\n' || text[len - 1] == L'\r'))
            text[--len] = L'\0';
        if (!len) {
            printf("FAIL event 0x%08lx (ID %lu): no message (error %lu)\n",
                   (unsigned long)expected[i].id, (unsigned long)(expected[i].id & 0xffff),
                   (unsigned long)GetLastError());
            failures++;
        } else if (wcscmp(text, expected[i].text) != 0) {
            printf("FAIL event ID %lu:\n  got:  %ls\n  want: %ls\n",
                   (unsigned long)(expected[i].id & 0xffff), text, expected[i].text);
            failures++;
        } else {
            printf("ok   event ID %lu: %ls\n", (unsigned long)(expected[i].id & 0xffff), text);
        }
        if (text)
            LocalFree(text);
    }
    FreeLibrary(dll);
    printf("msgtable: %lu messages, %d failed\n", (unsigned long)n, failures);
    return failures ? 1 : 0;
}
