/* mapdrive — map (or unmap) a network drive through WNetAddConnection2W,
 * the same call `net use` and Explorer make, and print what Windows
 * answered. Run it on a real machine with sharewall installed to see a
 * veto (error 1223, "The operation was canceled by the user.") or a
 * connection go through, and compare with the Event Log and LogPath.
 *
 *   mapdrive \\server\share [Z:]     connect (deviceless without Z:)
 *   mapdrive -d Z:|\\server\share    disconnect (WNetCancelConnection2W)
 *
 * Exit status: the Windows error code (0 on success), so scripts can
 * check `%ERRORLEVEL%` against 1223. */
#include <windows.h>
#include <winnetwk.h>

#include <stdio.h>
#include <wchar.h>

static void print_result(const wchar_t *what, DWORD rc)
{
    wchar_t *text = NULL;
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER |
                                 FORMAT_MESSAGE_IGNORE_INSERTS,
                             NULL, rc, 0, (LPWSTR)&text, 0, NULL);
    while (n > 0 && (text[n - 1] == L'\n' || text[n - 1] == L'\r'))
        text[--n] = L'\0';
    wprintf(L"%ls: error %lu%ls%ls\n", what, (unsigned long)rc, n ? L": " : L"",
            n ? text : L"");
    if (rc == ERROR_CANCELLED)
        wprintf(L"(1223 is what a connection-notification DLL such as sharewall "
                L"returns to veto a connection)\n");
    if (rc == ERROR_EXTENDED_ERROR) {
        wchar_t err[256], provider[256];
        DWORD code = 0;
        if (WNetGetLastErrorW(&code, err, 256, provider, 256) == NO_ERROR)
            wprintf(L"provider %ls: error %lu: %ls\n", provider, (unsigned long)code, err);
    }
    if (text)
        LocalFree(text);
}

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
    NETRESOURCEW nr;
    DWORD rc;

    if (argc == 3 && wcscmp(argv[1], L"-d") == 0) {
        rc = WNetCancelConnection2W(argv[2], 0, TRUE);
        print_result(L"WNetCancelConnection2W", rc);
        return (int)rc;
    }
    if (argc < 2 || argc > 3 || argv[1][0] == L'-') {
        fwprintf(stderr, L"usage: mapdrive \\\\server\\share [Z:]\n"
                         L"       mapdrive -d Z:|\\\\server\\share\n");
        return 2;
    }
    ZeroMemory(&nr, sizeof nr);
    nr.dwType = RESOURCETYPE_DISK;
    nr.lpRemoteName = argv[1];
    nr.lpLocalName = argc == 3 ? argv[2] : NULL;
    /* CONNECT_TEMPORARY: a test mapping must not come back at logon. */
    rc = WNetAddConnection2W(&nr, NULL, NULL, CONNECT_TEMPORARY);
    print_result(L"WNetAddConnection2W", rc);
    return (int)rc;
}
