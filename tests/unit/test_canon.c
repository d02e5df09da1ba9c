/* The canonicaliser, table-driven: every spelling a user could try for a
 * share, with the exact fields rules will see, or the reason it is
 * malformed. Expected strings write '/' for '\' (canonical output never
 * holds a '/', so the translation cannot hide a wrong separator). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sharewall/sharewall.h"

#define S SW_SCHEME_SMB
#define W SW_SCHEME_WEBDAV

typedef struct row {
    const char *in;
    const char *err; /* stable substring of the reason; NULL: well-formed */
    sw_scheme scheme;
    const char *host;
    unsigned port;
    int tls;
    int loopback;
    const char *share;
    const char *path;
    const char *unc;
} row;

#define OK(in, sch, host, port, tls, loop, share, path, unc) \
    {in, NULL, sch, host, port, tls, loop, share, path, unc}
#define BAD(in, err) {in, err, S, NULL, 0, 0, 0, NULL, NULL, NULL}

/* This machine's names for the table: NetBIOS and DNS (with a root dot,
 * which must not matter). */
static const char *const self_list[] = {"PC01", "pc01.corp.example.com.", NULL};
static const sw_self_names self = {self_list, 3};

static const row rows[] = {
    /* Plain names, case, separators */
    OK("\\\\srv\\share", S, "srv", 0, 0, 0, "share", "", "//srv/share"),
    OK("\\\\SRV\\Share", S, "srv", 0, 0, 0, "Share", "", "//srv/Share"),
    OK("//srv/share/dir/file", S, "srv", 0, 0, 0, "share", "/dir/file", "//srv/share/dir/file"),
    OK("\\\\srv/share\\dir/file", S, "srv", 0, 0, 0, "share", "/dir/file", "//srv/share/dir/file"),
    OK("\\\\srv\\\\\\share\\\\\\dir\\/\\file\\\\", S, "srv", 0, 0, 0, "share", "/dir/file", "//srv/share/dir/file"),
    OK("\\\\srv\\share\\dir\\", S, "srv", 0, 0, 0, "share", "/dir", "//srv/share/dir"),
    /* Deviceless: IPC$ */
    OK("\\\\srv", S, "srv", 0, 0, 0, "IPC$", "", "//srv/IPC$"),
    OK("\\\\srv\\", S, "srv", 0, 0, 0, "IPC$", "", "//srv/IPC$"),
    OK("\\\\srv\\\\//", S, "srv", 0, 0, 0, "IPC$", "", "//srv/IPC$"),
    OK("\\\\srv\\IPC$", S, "srv", 0, 0, 0, "IPC$", "", "//srv/IPC$"),
    /* $ is part of the name */
    OK("\\\\srv\\c$", S, "srv", 0, 0, 0, "c$", "", "//srv/c$"),
    OK("\\\\srv\\secret$", S, "srv", 0, 0, 0, "secret$", "", "//srv/secret$"),
    OK("\\\\srv\\secret", S, "srv", 0, 0, 0, "secret", "", "//srv/secret"),
    /* Device-namespace prefixes that name the network */
    OK("\\\\?\\UNC\\srv\\share\\x", S, "srv", 0, 0, 0, "share", "/x", "//srv/share/x"),
    OK("\\\\?\\unc\\srv\\share", S, "srv", 0, 0, 0, "share", "", "//srv/share"),
    OK("\\\\.\\UNC\\srv\\share", S, "srv", 0, 0, 0, "share", "", "//srv/share"),
    OK("\\\\.\\uNc\\srv\\share", S, "srv", 0, 0, 0, "share", "", "//srv/share"),
    OK("\\??\\UNC\\srv\\share", S, "srv", 0, 0, 0, "share", "", "//srv/share"),
    OK("\\??\\unc\\SRV", S, "srv", 0, 0, 0, "IPC$", "", "//srv/IPC$"),
    OK("//?/UNC/srv/share", S, "srv", 0, 0, 0, "share", "", "//srv/share"),
    OK("\\\\?\\UNC/srv/share", S, "srv", 0, 0, 0, "share", "", "//srv/share"),
    BAD("\\\\?\\UNC\\", "empty host"),
    BAD("\\\\?\\UNC\\\\srv\\share", "too many leading separators"),
    BAD("\\\\?\\C:\\x", "device namespace"),
    BAD("\\\\?\\GLOBALROOT\\Device\\Mup\\srv\\share", "device namespace"),
    BAD("\\\\.\\pipe\\x", "device namespace"),
    BAD("\\??\\C:", "device namespace"),
    BAD("\\\\?\\UNC", "device namespace"),
    BAD("\\\\?\\UNCX\\srv\\s", "device namespace"),
    BAD("\\\\?", "device namespace"),
    BAD("\\\\.", "device namespace"),
    /* Local paths and separator counts */
    BAD("C:\\x", "not a UNC name"),
    BAD("x", "not a UNC name"),
    BAD("\\x", "not a UNC name"),
    BAD("\\\\\\srv\\share", "too many leading separators"),
    BAD("///srv/share", "too many leading separators"),
    BAD("", "empty name"),
    /* Path: . and .. resolved, clamped at the share */
    OK("\\\\srv\\public\\..\\secret", S, "srv", 0, 0, 0, "public", "/secret", "//srv/public/secret"),
    OK("\\\\srv\\public\\a\\..\\..\\..\\secret", S, "srv", 0, 0, 0, "public", "/secret", "//srv/public/secret"),
    OK("\\\\srv\\public\\.\\a\\.\\b", S, "srv", 0, 0, 0, "public", "/a/b", "//srv/public/a/b"),
    OK("\\\\srv\\public\\..", S, "srv", 0, 0, 0, "public", "", "//srv/public"),
    OK("\\\\srv\\public\\a\\b\\..\\c", S, "srv", 0, 0, 0, "public", "/a/c", "//srv/public/a/c"),
    OK("//srv/public/../../x/./y/..", S, "srv", 0, 0, 0, "public", "/x", "//srv/public/x"),
    BAD("\\\\srv\\..\\x", "share name is . or .."),
    BAD("\\\\srv\\.\\x", "share name is . or .."),
    /* Win32 trailing dot / space trimming, per segment and share */
    OK("\\\\srv\\public\\secret. ", S, "srv", 0, 0, 0, "public", "/secret", "//srv/public/secret"),
    OK("\\\\srv\\public\\a. . \\b", S, "srv", 0, 0, 0, "public", "/a/b", "//srv/public/a/b"),
    OK("\\\\srv\\c$.", S, "srv", 0, 0, 0, "c$", "", "//srv/c$"),
    OK("\\\\srv\\c$ \\x", S, "srv", 0, 0, 0, "c$", "/x", "//srv/c$/x"),
    OK("\\\\srv\\public\\...\\x", S, "srv", 0, 0, 0, "public", "/x", "//srv/public/x"),
    OK("\\\\srv\\public\\   \\x", S, "srv", 0, 0, 0, "public", "/x", "//srv/public/x"),
    OK("\\\\srv\\public\\ a b", S, "srv", 0, 0, 0, "public", "/ a b", "//srv/public/ a b"),
    BAD("\\\\srv\\...", "empty share name"),
    BAD("\\\\srv\\ \\x", "empty share name"),
    /* Path characters */
    BAD("\\\\srv\\public\\file:stream", "illegal character in path"),
    BAD("\\\\srv\\public\\file::$DATA", "illegal character in path"),
    BAD("\\\\srv\\public\\a\x01", "illegal character in path"),
    BAD("\\\\srv\\public\\a\x7f", "illegal character in path"),
    BAD("\\\\srv\\public\\a*b", "illegal character in path"),
    BAD("\\\\srv\\public\\a?b", "illegal character in path"),
    BAD("\\\\srv\\public\\..\\a:b\\..", "illegal character in path"),
    OK("\\\\srv\\public\\a\\b%2e%2e\\c", S, "srv", 0, 0, 0, "public", "/a/b%2e%2e/c", "//srv/public/a/b%2e%2e/c"),
    OK("\\\\srv\\public\\d\xc3\xa9j\xc3\xa0\\..\\b", S, "srv", 0, 0, 0, "public", "/b", "//srv/public/b"),
    /* Share characters */
    BAD("\\\\srv\\a\"b", "illegal character in share"),
    BAD("\\\\srv\\a*", "illegal character in share"),
    BAD("\\\\srv\\a+b", "illegal character in share"),
    BAD("\\\\srv\\a,b", "illegal character in share"),
    BAD("\\\\srv\\a:b", "illegal character in share"),
    BAD("\\\\srv\\a;b", "illegal character in share"),
    BAD("\\\\srv\\a<b", "illegal character in share"),
    BAD("\\\\srv\\a=b", "illegal character in share"),
    BAD("\\\\srv\\a>b", "illegal character in share"),
    BAD("\\\\srv\\a?b", "illegal character in share"),
    BAD("\\\\srv\\[a]", "illegal character in share"),
    BAD("\\\\srv\\a|b", "illegal character in share"),
    BAD("\\\\srv\\sh\x01re", "illegal character in share"),
    BAD("\\\\srv\\sh\tre", "illegal character in share"),
    OK("\\\\srv\\Donn\xc3\xa9" "es", S, "srv", 0, 0, 0, "Donn\xc3\xa9" "es", "", "//srv/Donn\xc3\xa9" "es"),
    OK("\\\\srv\\a%b#c@d", S, "srv", 0, 0, 0, "a%b#c@d", "", "//srv/a%b#c@d"),
    /* Host: case, trailing dot, labels, characters */
    OK("\\\\SRV.\\share", S, "srv", 0, 0, 0, "share", "", "//srv/share"),
    OK("\\\\Fs01.Corp.Example.COM\\s", S, "fs01.corp.example.com", 0, 0, 0, "s", "", "//fs01.corp.example.com/s"),
    OK("\\\\srv_01-x\\s", S, "srv_01-x", 0, 0, 0, "s", "", "//srv_01-x/s"),
    BAD("\\\\srv..\\share", "empty host label"),
    BAD("\\\\.srv\\share", "empty host label"),
    BAD("\\\\a..b\\share", "empty host label"),
    BAD("\\\\srv!\\s", "illegal character in host"),
    BAD("\\\\srv:445\\s", "illegal character in host"),
    BAD("\\\\s rv\\s", "illegal character in host"),
    BAD("\\\\srv%41\\s", "illegal character in host"),
    BAD("\\\\[::1]\\s", "bracketed IPv6 host"),
    BAD("\\\\fs01.c\xd0\xberp\\s", "non-ASCII host"),  /* Cyrillic o */
    BAD("\\\\\xd0\xb0" "dmin\\s", "non-ASCII host"), /* Cyrillic a */
    BAD("\\\\fs01\xef\xbc\x8e" "corp\\s", "non-ASCII host"), /* fullwidth dot */
    /* IPv4: strict dotted decimal only */
    OK("\\\\10.0.0.5\\s", S, "10.0.0.5", 0, 0, 0, "s", "", "//10.0.0.5/s"),
    OK("\\\\10.0.0.5.\\s", S, "10.0.0.5", 0, 0, 0, "s", "", "//10.0.0.5/s"),
    OK("\\\\255.255.255.255\\s", S, "255.255.255.255", 0, 0, 0, "s", "", "//255.255.255.255/s"),
    OK("\\\\10.corp\\s", S, "10.corp", 0, 0, 0, "s", "", "//10.corp/s"),
    BAD("\\\\010.0.0.1\\s", "invalid IPv4 address"),
    BAD("\\\\10.0.0.01\\s", "invalid IPv4 address"),
    BAD("\\\\0x7f.0.0.1\\s", "invalid IPv4 address"),
    BAD("\\\\0X0A000005\\s", "invalid IPv4 address"),
    BAD("\\\\10.5\\s", "invalid IPv4 address"),
    BAD("\\\\10.0.5\\s", "invalid IPv4 address"),
    BAD("\\\\167772165\\s", "invalid IPv4 address"),
    BAD("\\\\256.1.1.1\\s", "invalid IPv4 address"),
    BAD("\\\\1.2.3.4.5\\s", "invalid IPv4 address"),
    BAD("\\\\1000.1.1.1\\s", "invalid IPv4 address"),
    BAD("\\\\0xdead.corp\\s", "invalid IPv4 address"),
    BAD("\\\\0.0.0.0\\s", "unspecified address"),
    BAD("\\\\0.1.2.3\\s", "unspecified address"),
    /* Loopback spellings, one target */
    OK("\\\\localhost\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\LOCALHOST.\\C$", S, "localhost", 0, 0, 1, "C$", "", "//localhost/C$"),
    OK("\\\\127.0.0.1\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\127.1.2.3\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\127.255.255.255\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    BAD("\\\\127.1\\c$", "invalid IPv4 address"),
    BAD("\\\\0177.0.0.1\\c$", "invalid IPv4 address"),
    BAD("\\\\2130706433\\c$", "invalid IPv4 address"),
    OK("\\\\0--1.ipv6-literal.net\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\--1.ipv6-literal.net\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\0-0-0-0-0-0-0-1.IPV6-LITERAL.NET.\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\--ffff-7f00-1.ipv6-literal.net\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\pc01\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\PC01.corp.example.com\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\pc01.corp.example.com.\\c$", S, "localhost", 0, 0, 1, "c$", "", "//localhost/c$"),
    OK("\\\\pc01.evil.example\\c$", S, "pc01.evil.example", 0, 0, 0, "c$", "", "//pc01.evil.example/c$"),
    OK("\\\\pc011\\c$", S, "pc011", 0, 0, 0, "c$", "", "//pc011/c$"),
    OK("\\\\localhost.localdomain\\c$", S, "localhost.localdomain", 0, 0, 0, "c$", "", "//localhost.localdomain/c$"),
    /* ipv6-literal.net: RFC 5952 output */
    OK("\\\\fe80--1s4.ipv6-literal.net\\s", S, "fe80::1%4", 0, 0, 0, "s", "", "//fe80::1%4/s"),
    OK("\\\\fe80--1s04.ipv6-literal.net\\s", S, "fe80::1%4", 0, 0, 0, "s", "", "//fe80::1%4/s"),
    OK("\\\\FE80-0000-0000-0000-0000-0000-0000-0001.ipv6-literal.net\\s", S, "fe80::1", 0, 0, 0, "s", "", "//fe80::1/s"),
    OK("\\\\2001-db8-0-0-1-0-0-1.ipv6-literal.net\\s", S, "2001:db8::1:0:0:1", 0, 0, 0, "s", "", "//2001:db8::1:0:0:1/s"),
    OK("\\\\2001-db8-0-0-1-0-0-0.ipv6-literal.net\\s", S, "2001:db8:0:0:1::", 0, 0, 0, "s", "", "//2001:db8:0:0:1::/s"),
    OK("\\\\2001-db8-0-1-1-1-1-1.ipv6-literal.net\\s", S, "2001:db8:0:1:1:1:1:1", 0, 0, 0, "s", "", "//2001:db8:0:1:1:1:1:1/s"),
    OK("\\\\1--.ipv6-literal.net\\s", S, "1::", 0, 0, 0, "s", "", "//1::/s"),
    OK("\\\\2001-DB8--ABCD.ipv6-literal.net\\s", S, "2001:db8::abcd", 0, 0, 0, "s", "", "//2001:db8::abcd/s"),
    OK("\\\\--ffff-a00-5.ipv6-literal.net\\s", S, "10.0.0.5", 0, 0, 0, "s", "", "//10.0.0.5/s"),
    BAD("\\\\--.ipv6-literal.net\\s", "unspecified address"),
    BAD("\\\\--ffff-0-0.ipv6-literal.net\\s", "unspecified address"),
    BAD("\\\\fe80---1.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\1-2-3.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\1-2-3-4-5-6-7-8-9.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\1--2--3.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\12345--1.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\fe80--1s.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\fe80--1sx.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\g--1.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\1-.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\a.b.ipv6-literal.net\\s", "invalid IPv6 literal"),
    BAD("\\\\--ffff-7f00-1s1.ipv6-literal.net\\s", "invalid IPv6 literal"),
    /* Share length: 80 UTF-16 units, measured after trimming */
    OK("\\\\srv\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", S, "srv", 0, 0, 0,
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "",
       "//srv/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    OK("\\\\srv\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa. .", S, "srv", 0, 0, 0,
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "",
       "//srv/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    BAD("\\\\srv\\aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "share name too long"),
    /* WebDAV UNC forms */
    OK("\\\\srv@SSL\\DavWWWRoot\\s\\x", W, "srv", 443, 1, 0, "s", "/x", "//srv/s/x"),
    OK("\\\\SRV@ssl@8443\\s", W, "srv", 8443, 1, 0, "s", "", "//srv/s"),
    OK("\\\\srv@SSL@443\\s", W, "srv", 443, 1, 0, "s", "", "//srv/s"),
    OK("\\\\srv@8080\\s", W, "srv", 8080, 0, 0, "s", "", "//srv/s"),
    OK("\\\\srv@SSL@65535\\s", W, "srv", 65535, 1, 0, "s", "", "//srv/s"),
    OK("\\\\srv@SSL", W, "srv", 443, 1, 0, "DavWWWRoot", "", "//srv/DavWWWRoot"),
    OK("\\\\srv@SSL\\davwwwroot\\", W, "srv", 443, 1, 0, "DavWWWRoot", "", "//srv/DavWWWRoot"),
    OK("\\\\srv\\DavWWWRoot\\s", W, "srv", 80, 0, 0, "s", "", "//srv/s"),
    OK("\\\\srv\\davwwwroot", W, "srv", 80, 0, 0, "DavWWWRoot", "", "//srv/DavWWWRoot"),
    OK("\\\\srv\\DavWWWRoot\\public\\..\\secret", W, "srv", 80, 0, 0, "public", "/secret", "//srv/public/secret"),
    OK("\\\\127.0.0.1@SSL\\DavWWWRoot\\c$", W, "localhost", 443, 1, 1, "c$", "", "//localhost/c$"),
    BAD("\\\\srv@SSL\\DavWWWRoot\\DavWWWRoot\\x", "DavWWWRoot twice"),
    BAD("\\\\srv@SSL\\public\\%2e%2e\\secret", "percent-escape in WebDAV UNC name"),
    BAD("\\\\srv\\DavWWWRoot\\%73ecret", "percent-escape in WebDAV UNC name"),
    OK("\\\\srv@SSL\\100%\\a%g", W, "srv", 443, 1, 0, "100%", "/a%g", "//srv/100%/a%g"),
    BAD("\\\\srv@SSL\\DavWWWRoot\\..\\x", "share name is . or .."),
    BAD("\\\\srv@SSL@0\\s", "bad port"),
    BAD("\\\\srv@SSL@65536\\s", "bad port"),
    BAD("\\\\srv@SSL@0443\\s", "bad port"),
    BAD("\\\\srv@SSL@\\s", "bad port"),
    BAD("\\\\srv@\\s", "bad port"),
    BAD("\\\\srv@SSL@x\\s", "bad port"),
    BAD("\\\\user@srv\\s", "bad WebDAV host suffix"),
    BAD("\\\\srv@SSLX\\s", "bad WebDAV host suffix"),
    BAD("\\\\srv@443@SSL\\s", "bad WebDAV host suffix"),
    BAD("\\\\@SSL\\s", "empty host"),
    /* http(s) URLs */
    OK("https://srv/s/x", W, "srv", 443, 1, 0, "s", "/x", "//srv/s/x"),
    OK("HTTP://SRV:8080/s", W, "srv", 8080, 0, 0, "s", "", "//srv/s"),
    OK("http://srv/s", W, "srv", 80, 0, 0, "s", "", "//srv/s"),
    OK("https://srv", W, "srv", 443, 1, 0, "DavWWWRoot", "", "//srv/DavWWWRoot"),
    OK("https://srv/", W, "srv", 443, 1, 0, "DavWWWRoot", "", "//srv/DavWWWRoot"),
    OK("https://srv/DavWWWRoot/s", W, "srv", 443, 1, 0, "s", "", "//srv/s"),
    OK("https:\\\\srv\\s", W, "srv", 443, 1, 0, "s", "", "//srv/s"),
    OK("https://srv/%73ecret", W, "srv", 443, 1, 0, "secret", "", "//srv/secret"),
    OK("https://srv/public/%2e%2e/secret", W, "srv", 443, 1, 0, "public", "/secret", "//srv/public/secret"),
    OK("https://srv/public%2f..%5Csecret", W, "srv", 443, 1, 0, "public", "/secret", "//srv/public/secret"),
    OK("https://srv/s%20", W, "srv", 443, 1, 0, "s", "", "//srv/s"),
    OK("https://srv/caf%C3%A9/%e2%82%ac", W, "srv", 443, 1, 0, "caf\xc3\xa9", "/\xe2\x82\xac", "//srv/caf\xc3\xa9/\xe2\x82\xac"),
    OK("https://127.0.0.1/c$", W, "localhost", 443, 1, 1, "c$", "", "//localhost/c$"),
    OK("https://srv/s/a@b", W, "srv", 443, 1, 0, "s", "/a@b", "//srv/s/a@b"),
    BAD("https://srv/%2e%2e", "share name is . or .."),
    BAD("https://srv/a%255c", "bad percent-encoding"),
    BAD("https://srv/a%25", "bad percent-encoding"),
    BAD("https://srv/a%zz", "bad percent-encoding"),
    BAD("https://srv/a%4", "bad percent-encoding"),
    BAD("https://srv/a%", "bad percent-encoding"),
    BAD("https://srv/%ff", "invalid UTF-8"),
    BAD("https://srv/%c3", "invalid UTF-8"),
    BAD("https://srv/s/%00", "illegal character in path"),
    BAD("https://srv/s/a%3ab", "illegal character in path"),
    BAD("https://user@srv/s", "URL user-info"),
    BAD("https://user:pw@srv/s", "URL user-info"),
    BAD("https://srv/s?x=1", "URL query or fragment"),
    BAD("https://srv/s#f", "URL query or fragment"),
    BAD("https://srv:0/s", "bad port"),
    BAD("https://srv:/s", "bad port"),
    BAD("https://srv:99999/s", "bad port"),
    BAD("https://srv:80x/s", "bad port"),
    BAD("https://[::1]/s", "bracketed IPv6 host"),
    BAD("https:///srv/s", "too many leading separators"),
    BAD("http:/srv/s", "not a UNC name"),
    BAD("http:srv", "not a UNC name"),
    BAD("https://", "empty host"),
    BAD("\\\\http://srv/s", "illegal character in host"),
    BAD("ftp://srv/s", "not a UNC name"),
    /* Whole-name checks */
    BAD("\\\\srv\\s\\\xff", "invalid UTF-8"),
    BAD("\\\\srv\\s\\\xc0\xaf", "invalid UTF-8"),        /* overlong '/' */
    BAD("\\\\srv\\s\\\xed\xa0\x80", "invalid UTF-8"),    /* surrogate */
};

/* Expected text uses '/' for '\'. */
static void expect_str(const char *want, const char *got, const char *in,
                       const char *field)
{
    char buf[1024];
    size_t n = strlen(want);
    assert_true(n < sizeof buf);
    for (size_t i = 0; i <= n; i++)
        buf[i] = want[i] == '/' ? '\\' : want[i];
    if (strcmp(buf, got) != 0) {
        print_error("%s: %s: want \"%s\", got \"%s\"\n", in, field, buf, got);
        fail();
    }
}

static void check_row(const row *r, const sw_self_names *me)
{
    sw_canon c;
    int rc = sw_canonicalise(r->in, strlen(r->in), me, &c);
    assert_int_equal(rc, SW_OK);
    if (r->err) {
        if (!c.malformed || !c.reason || !strstr(c.reason, r->err)) {
            print_error("%s: want malformed \"%s\", got %s \"%s\" (unc %s)\n",
                        r->in, r->err, c.malformed ? "malformed" : "ok",
                        c.reason ? c.reason : "", c.unc);
            fail();
        }
        assert_string_equal(c.unc, "");
        sw_canon_free(&c);
        return;
    }
    if (c.malformed) {
        print_error("%s: unexpectedly malformed: %s\n", r->in, c.reason);
        fail();
    }
    assert_null(c.reason);
    expect_str(r->host, c.host, r->in, "host");
    expect_str(r->share, c.share, r->in, "share");
    expect_str(r->path, c.path, r->in, "path");
    expect_str(r->unc, c.unc, r->in, "unc");
    assert_int_equal(c.scheme, r->scheme);
    assert_int_equal(c.port, r->port);
    assert_int_equal(c.tls, r->tls);
    assert_int_equal(c.loopback, r->loopback);
    assert_null(c.heap_); /* short names never allocate */
    sw_canon_free(&c);
}

static void test_table(void **state)
{
    (void)state;
    size_t n = sizeof rows / sizeof rows[0];
    assert_true(n >= 80);
    for (size_t i = 0; i < n; i++)
        check_row(&rows[i], &self);
}

/* The canonical unc of a well-formed name canonicalises to itself, with
 * the same host, share and path. IPv6 hosts are the exception: their
 * RFC 5952 text holds ':', which no UNC host may contain (Windows only
 * takes them as *.ipv6-literal.net), so they are checked as malformed. */
static void test_idempotent(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        if (r->err)
            continue;
        sw_canon a, b;
        assert_int_equal(sw_canonicalise(r->in, strlen(r->in), &self, &a), SW_OK);
        assert_int_equal(sw_canonicalise(a.unc, strlen(a.unc), &self, &b), SW_OK);
        if (strchr(a.host, ':')) {
            assert_true(b.malformed);
        } else {
            if (b.malformed)
                print_error("%s -> %s: %s\n", r->in, a.unc, b.reason);
            assert_false(b.malformed);
            assert_string_equal(a.unc, b.unc);
            assert_string_equal(a.host, b.host);
            assert_string_equal(a.share, b.share);
            assert_string_equal(a.path, b.path);
            assert_int_equal(a.loopback, b.loopback);
        }
        sw_canon_free(&a);
        sw_canon_free(&b);
    }
}

static int same_target(const char *x, const char *y)
{
    sw_canon a, b;
    assert_int_equal(sw_canonicalise(x, strlen(x), NULL, &a), SW_OK);
    assert_int_equal(sw_canonicalise(y, strlen(y), NULL, &b), SW_OK);
    assert_false(a.malformed);
    assert_false(b.malformed);
    int same = strcmp(a.host, b.host) == 0 && strcmp(a.unc, b.unc) == 0;
    sw_canon_free(&a);
    sw_canon_free(&b);
    return same;
}

/* Spellings of one target meet; look-alikes of another never do. */
static void test_lookalikes(void **state)
{
    (void)state;
    assert_true(same_target("\\\\fs01\\s", "\\\\fs01.\\s"));
    assert_true(same_target("\\\\fs01\\s", "\\\\FS01\\s"));
    assert_true(same_target("\\\\127.0.0.1\\c$", "\\\\localhost\\c$"));
    assert_true(same_target("\\\\?\\UNC\\srv\\public\\..\\x", "//srv/public/x"));
    assert_true(same_target("https://srv/s/x", "\\\\srv@SSL\\DavWWWRoot\\s\\x"));
    assert_false(same_target("\\\\fs01\\s", "\\\\fs0l\\s"));
    assert_false(same_target("\\\\fs01.corp\\s", "\\\\fs01-corp\\s"));
    assert_false(same_target("\\\\fs01.corp\\s", "\\\\fs01_corp\\s"));
    assert_false(same_target("\\\\srv\\secret$", "\\\\srv\\secret"));
    assert_false(same_target("\\\\10.0.0.5\\s", "\\\\10.0.0.50\\s"));
}

/* Without self names, this machine's name is an ordinary host. */
static void test_self_names_optional(void **state)
{
    (void)state;
    static const char *const odd[] = {NULL, "", "Pc01"};
    const sw_self_names some = {odd, 3}, none = {NULL, 5};
    sw_canon c;
    assert_int_equal(sw_canonicalise("\\\\pc01\\s", 8, NULL, &c), SW_OK);
    assert_false(c.loopback);
    assert_string_equal(c.host, "pc01");
    assert_int_equal(sw_canonicalise("\\\\pc01\\s", 8, &none, &c), SW_OK);
    assert_false(c.loopback);
    assert_int_equal(sw_canonicalise("\\\\PC01\\s", 8, &some, &c), SW_OK);
    assert_true(c.loopback);
    assert_string_equal(c.host, "localhost");
}

/* The length is honoured: no NUL needed, and an embedded NUL is refused
 * rather than cutting the name short. */
static void test_counted_input(void **state)
{
    (void)state;
    static const char buf[] = "\\\\srv\\shareXYZ";
    static const char nul[] = "\\\\srv\\s\0\\x";
    sw_canon c;
    assert_int_equal(sw_canonicalise(buf, 11, NULL, &c), SW_OK);
    assert_false(c.malformed);
    assert_string_equal(c.share, "share");
    assert_int_equal(sw_canonicalise(nul, sizeof nul - 1, NULL, &c), SW_OK);
    assert_true(c.malformed);
    assert_string_equal(c.reason, "embedded NUL");
    assert_int_equal(sw_canonicalise(NULL, 0, NULL, &c), SW_OK);
    assert_true(c.malformed);
    assert_string_equal(c.reason, "empty name");
    assert_int_equal(sw_canonicalise(NULL, 5, NULL, &c), SW_OK);
    assert_true(c.malformed);
}

/* Host and label length limits. */
static void test_host_limits(void **state)
{
    (void)state;
    char name[600];
    char label[64];
    sw_canon c;
    memset(label, 'a', 63);
    label[63] = '\0';
    /* 4 labels of 63 + 3 dots = 255 characters: the most allowed */
    snprintf(name, sizeof name, "\\\\%s.%s.%s.%s\\s", label, label, label, label);
    assert_int_equal(sw_canonicalise(name, strlen(name), NULL, &c), SW_OK);
    assert_false(c.malformed);
    assert_int_equal(strlen(c.host), 255);
    /* the same with its root dot */
    snprintf(name, sizeof name, "\\\\%s.%s.%s.%s.\\s", label, label, label, label);
    assert_int_equal(sw_canonicalise(name, strlen(name), NULL, &c), SW_OK);
    assert_false(c.malformed);
    /* 256 */
    snprintf(name, sizeof name, "\\\\%s.%s.%s.%sb\\s", label, label, label, label);
    assert_int_equal(sw_canonicalise(name, strlen(name), NULL, &c), SW_OK);
    assert_true(c.malformed);
    assert_string_equal(c.reason, "host name too long");
    /* a 64-character label */
    snprintf(name, sizeof name, "\\\\%sb.corp\\s", label);
    assert_int_equal(sw_canonicalise(name, strlen(name), NULL, &c), SW_OK);
    assert_true(c.malformed);
    assert_string_equal(c.reason, "host label too long");
    snprintf(name, sizeof name, "\\\\%s.corp\\s", label);
    assert_int_equal(sw_canonicalise(name, strlen(name), NULL, &c), SW_OK);
    assert_false(c.malformed);
}

/* Share length counts UTF-16 units, as Windows does: 80 'é' fit (160
 * bytes), 40 astral characters fit (80 units), 41 do not. */
static void test_share_units(void **state)
{
    (void)state;
    char name[512];
    sw_canon c;
    size_t n = 0;
    name[n++] = '\\', name[n++] = '\\', name[n++] = 'h', name[n++] = '\\';
    for (int i = 0; i < 80; i++)
        name[n++] = '\xc3', name[n++] = '\xa9';
    assert_int_equal(sw_canonicalise(name, n, NULL, &c), SW_OK);
    assert_false(c.malformed);
    assert_int_equal(strlen(c.share), 160);
    n = 4;
    for (int i = 0; i < 41; i++) {
        memcpy(name + n, "\xf0\x9f\x98\x80", 4); /* U+1F600 */
        n += 4;
        assert_int_equal(sw_canonicalise(name, n, NULL, &c), SW_OK);
        if (i < 40) {
            assert_false(c.malformed);
        } else {
            assert_true(c.malformed);
            assert_string_equal(c.reason, "share name too long");
        }
    }
}

/* A counting, optionally failing allocator. */
static int allocs, fail_allocs;
static void *count_malloc(size_t n, void *ud)
{
    (void)ud;
    allocs++;
    return fail_allocs ? NULL : malloc(n);
}
static void *count_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    allocs++;
    return fail_allocs ? NULL : realloc(p, n);
}
static void count_free(void *p, void *ud)
{
    (void)ud;
    free(p);
}
static const sw_allocator counting = {count_malloc, count_realloc, count_free, NULL};

/* Builds "\\srv\share" + reps x seg into a heap string. */
static char *repeat_name(const char *seg, size_t reps, size_t *len)
{
    size_t sl = strlen(seg);
    char *s = malloc(16 + sl * reps);
    assert_non_null(s);
    size_t n = (size_t)sprintf(s, "\\\\srv\\share");
    for (size_t i = 0; i < reps; i++, n += sl)
        memcpy(s + n, seg, sl);
    s[n] = '\0';
    *len = n;
    return s;
}

/* Long canonical names take exactly one allocation; long raw names with
 * short canonical forms take none. */
static void test_heap(void **state)
{
    (void)state;
    size_t len;
    sw_canon c;
    sw_set_allocator(&counting);
    allocs = 0;
    char *s = repeat_name("\\abcdefghi", 200, &len); /* 2000-byte path */
    assert_int_equal(sw_canonicalise(s, len, NULL, &c), SW_OK);
    assert_false(c.malformed);
    assert_int_equal(allocs, 1);
    assert_non_null(c.heap_);
    assert_int_equal(strlen(c.path), 2000);
    assert_int_equal(strlen(c.unc), 2 + 3 + 1 + 5 + 2000);
    assert_memory_equal(c.unc, "\\\\srv\\share\\abcdefghi\\abcdefghi", 31);
    assert_string_equal(c.unc + strlen(c.unc) - 10, "\\abcdefghi");
    sw_canon_free(&c);
    assert_null(c.heap_);
    sw_canon_free(&c); /* twice is harmless */
    free(s);

    allocs = 0;
    s = repeat_name("\\abcdefghi\\..", 2000, &len); /* 26 kB of noise */
    assert_int_equal(sw_canonicalise(s, len, NULL, &c), SW_OK);
    assert_false(c.malformed);
    assert_int_equal(allocs, 0);
    assert_string_equal(c.unc, "\\\\srv\\share");
    free(s);

    /* out of memory: malformed, fail closed */
    fail_allocs = 1;
    s = repeat_name("\\abcdefghi", 200, &len);
    assert_int_equal(sw_canonicalise(s, len, NULL, &c), SW_ENOMEM);
    assert_true(c.malformed);
    assert_string_equal(c.reason, "out of memory");
    assert_null(c.heap_);
    sw_canon_free(&c);
    fail_allocs = 0;
    free(s);
    sw_set_allocator(NULL);
}

/* SW_MAX_NAME_UTF16 counts UTF-16 units, not bytes or characters. */
static void test_name_length(void **state)
{
    (void)state;
    size_t len, base = strlen("\\\\srv\\share\\");
    sw_canon c;
    char *s = malloc(SW_MAX_NAME_UTF16 * 3 + 16);
    assert_non_null(s);
    memcpy(s, "\\\\srv\\share\\", base);
    /* exactly the limit in ASCII, then one over */
    len = SW_MAX_NAME_UTF16;
    memset(s + base, 'a', len - base);
    assert_int_equal(sw_canonicalise(s, len, NULL, &c), SW_OK);
    assert_false(c.malformed);
    assert_int_equal(strlen(c.unc), SW_MAX_NAME_UTF16);
    sw_canon_free(&c);
    s[len] = 'a';
    assert_int_equal(sw_canonicalise(s, len + 1, NULL, &c), SW_OK);
    assert_true(c.malformed);
    assert_string_equal(c.reason, "name too long");
    /* astral characters count two units each: (32767 - 12) / 2 of them,
     * plus one odd ASCII byte, is the limit; one more is over */
    size_t pairs = (SW_MAX_NAME_UTF16 - base) / 2;
    len = base;
    for (size_t i = 0; i < pairs; i++, len += 4)
        memcpy(s + len, "\xf0\x9f\x98\x80", 4);
    s[len++] = 'z';
    assert_int_equal(sw_canonicalise(s, len, NULL, &c), SW_OK);
    assert_false(c.malformed);
    sw_canon_free(&c);
    memcpy(s + len - 1, "\xf0\x9f\x98\x80", 4);
    assert_int_equal(sw_canonicalise(s, len + 3, NULL, &c), SW_OK);
    assert_true(c.malformed);
    assert_string_equal(c.reason, "name too long");
    /* far over: refused without reading it all */
    char *big = malloc(1 << 20);
    assert_non_null(big);
    memset(big, 'a', 1 << 20);
    memcpy(big, "\\\\srv\\s\\", 8);
    assert_int_equal(sw_canonicalise(big, 1 << 20, NULL, &c), SW_OK);
    assert_string_equal(c.reason, "name too long");
    free(big);
    free(s);
}

/* *out may be uninitialised (valgrind checks the reads); sw_canon_free is
 * safe on a zeroed struct and on a malformed one. */
static void test_uninitialised_out(void **state)
{
    (void)state;
    sw_canon *c = malloc(sizeof *c);
    assert_non_null(c);
    memset(c, 0xA5, sizeof *c);
    assert_int_equal(sw_canonicalise("\\\\srv\\s", 7, NULL, c), SW_OK);
    assert_false(c->malformed);
    assert_string_equal(c->unc, "\\\\srv\\s");
    sw_canon_free(c);
    memset(c, 0xA5, sizeof *c);
    assert_int_equal(sw_canonicalise("x", 1, NULL, c), SW_OK);
    assert_true(c->malformed);
    assert_string_equal(c->host, "");
    assert_string_equal(c->share, "");
    assert_string_equal(c->path, "");
    assert_string_equal(c->unc, "");
    assert_int_equal(c->port, 0);
    sw_canon_free(c);
    memset(c, 0, sizeof *c);
    sw_canon_free(c);
    sw_canon_free(NULL);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_lookalikes),
        cmocka_unit_test(test_self_names_optional),
        cmocka_unit_test(test_counted_input),
        cmocka_unit_test(test_host_limits),
        cmocka_unit_test(test_share_units),
        cmocka_unit_test(test_heap),
        cmocka_unit_test(test_name_length),
        cmocka_unit_test(test_uninitialised_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
