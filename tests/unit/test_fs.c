/* The core's platform file access (src/core/fs.h): the same contract from
 * fs_posix.c natively and from src/win/fs_win.c under Wine. Works in a
 * scratch folder below the test's working directory (CTest runs it in the
 * build tree), so nothing outside the build is touched. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* mkdir, rmdir */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "fs.h"
#include "sharewall/sharewall.h"

#ifdef _WIN32
#include <direct.h>
#include <windows.h>
#define make_dir(p) _mkdir(p)
#define remove_dir(p) _rmdir(p)
#else
#include <sys/stat.h>
#include <unistd.h>
#define make_dir(p) mkdir((p), 0755)
#define remove_dir(p) rmdir(p)
#endif

#define WORK "fs_test_work"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static const char *const files[] = {
    WORK "/a.yaml", WORK "/b.yaml", WORK "/.hidden.yaml", WORK "/c.yml",
    WORK "/d.yaml.bak", WORK "/UPPER.YAML", WORK "/policy.txt",
};

static int setup(void **state)
{
    (void)state;
    make_dir(WORK);
    make_dir(WORK "/dir.yaml"); /* a directory with a matching name */
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        write_file(files[i], "version: 1\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        remove(files[i]);
    remove(WORK "/big.txt");
    remove(WORK "/held.txt");
    remove_dir(WORK "/dir.yaml");
    remove_dir(WORK);
    return 0;
}

static void reads_whole_file_nul_terminated(void **state)
{
    (void)state;
    char *data;
    size_t len;
    assert_int_equal(sw_fs_read_file(WORK "/a.yaml", 1024, &data, &len, NULL, 0), SW_OK);
    assert_int_equal(len, strlen("version: 1\n"));
    assert_string_equal(data, "version: 1\n");
    sw_free(data);
}

static void over_limit_is_too_big(void **state)
{
    (void)state;
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    write_file(WORK "/big.txt", big);
    char *data = (char *)"untouched";
    size_t len = 7;
    assert_int_equal(sw_fs_read_file(WORK "/big.txt", 4998, &data, &len, NULL, 0), SW_ETOOBIG);
    assert_null(data);
    assert_int_equal(len, 0);
    /* Exactly at the limit is fine. */
    assert_int_equal(sw_fs_read_file(WORK "/big.txt", 4999, &data, &len, NULL, 0), SW_OK);
    assert_int_equal(len, 4999);
    sw_free(data);
}

static void missing_file_is_eio_with_reason(void **state)
{
    (void)state;
    char *data;
    size_t len;
    char err[256] = "";
    assert_int_equal(sw_fs_read_file(WORK "/absent.yaml", 1024, &data, &len, err, sizeof err),
                     SW_EIO);
    assert_null(data);
    /* The system's reason, one line, for "cannot read FILE: REASON". */
    assert_true(strlen(err) > 0);
    assert_null(strchr(err, '\n'));
    assert_null(strchr(err, '\r'));
}

static void directory_is_not_a_file(void **state)
{
    (void)state;
    char *data;
    size_t len;
    char err[256] = "";
    assert_int_equal(sw_fs_read_file(WORK "/dir.yaml", 1024, &data, &len, err, sizeof err),
                     SW_EIO);
    assert_true(strlen(err) > 0);
}

static int has_name(char **names, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], want) == 0)
            return 1;
    return 0;
}

/* Only regular files ending exactly in ".yaml", no dot-files: the same set
 * on every platform, so the CLI on Linux loads what the DLL loads. */
static void lists_yaml_fragments_only(void **state)
{
    (void)state;
    char **names;
    size_t n;
    assert_int_equal(sw_fs_list_yaml(WORK, &names, &n), SW_OK);
    assert_int_equal(n, 2);
    assert_true(has_name(names, n, "a.yaml"));
    assert_true(has_name(names, n, "b.yaml"));
    sw_fs_free_list(names, n);
}

static void missing_directory_is_empty(void **state)
{
    (void)state;
    char **names = (char **)&names;
    size_t n = 99;
    assert_int_equal(sw_fs_list_yaml(WORK "/no-such.d", &names, &n), SW_OK);
    assert_int_equal(n, 0);
    assert_null(names);
}

#ifdef _WIN32
/* An admin's editor holding the policy open for writing must not stop the
 * DLL from reading it, and the DLL's read must not stop the editor. */
static void reads_while_another_handle_writes(void **state)
{
    (void)state;
    write_file(WORK "/held.txt", "version: 1\n");
    HANDLE editor = CreateFileW(L"" WORK "\\held.txt", GENERIC_READ | GENERIC_WRITE,
                                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(editor != INVALID_HANDLE_VALUE);
    char *data;
    size_t len;
    assert_int_equal(sw_fs_read_file(WORK "/held.txt", 1024, &data, &len, NULL, 0), SW_OK);
    assert_string_equal(data, "version: 1\n");
    sw_free(data);
    CloseHandle(editor);
}

/* Non-ASCII names reach the W APIs intact (UTF-8 in, UTF-16 to Windows). */
static void reads_non_ascii_path(void **state)
{
    (void)state;
    const char *utf8 = WORK "/r\xC3\xA8gles.yaml"; /* "règles.yaml" */
    HANDLE h = CreateFileW(L"" WORK "\\r\u00E8gles.yaml", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    DWORD wrote;
    assert_true(WriteFile(h, "x: 1\n", 5, &wrote, NULL));
    CloseHandle(h);
    char *data;
    size_t len;
    int rc = sw_fs_read_file(utf8, 1024, &data, &len, NULL, 0);
    DeleteFileW(L"" WORK "\\r\u00E8gles.yaml");
    assert_int_equal(rc, SW_OK);
    assert_string_equal(data, "x: 1\n");
    sw_free(data);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_whole_file_nul_terminated),
        cmocka_unit_test(over_limit_is_too_big),
        cmocka_unit_test(missing_file_is_eio_with_reason),
        cmocka_unit_test(directory_is_not_a_file),
        cmocka_unit_test(lists_yaml_fragments_only),
        cmocka_unit_test(missing_directory_is_empty),
#ifdef _WIN32
        cmocka_unit_test(reads_while_another_handle_writes),
        cmocka_unit_test(reads_non_ascii_path),
#endif
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
