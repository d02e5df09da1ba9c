/* File and directory access: the one platform-specific part of the core.
 * fs_posix.c implements it for POSIX, src/win/fs_win.c for Windows (wide
 * paths, so non-ASCII policy paths work). Paths are UTF-8. */
#ifndef SW_CORE_FS_H
#define SW_CORE_FS_H

#include <stddef.h>

/* Read a whole file into a NUL-terminated sw_malloc'd buffer. Returns
 * SW_OK, SW_EIO (errmsg gets the system's reason), SW_ETOOBIG (over max
 * bytes) or SW_ENOMEM. errmsg may be NULL. */
int sw_fs_read_file(const char *path, size_t max, char **data, size_t *len,
                    char *errmsg, size_t errmsg_cap);

/* List the regular files in dir whose names end in ".yaml" (names only,
 * unsorted, sw_malloc'd; free with sw_fs_free_list). A missing directory is
 * not an error: SW_OK with *count = 0. */
int sw_fs_list_yaml(const char *dir, char ***names, size_t *count);
void sw_fs_free_list(char **names, size_t count);

/* For the platform files (fs_list.c): appends name, which the list then
 * owns, growing the array as needed. name may be NULL (a failed copy):
 * SW_ENOMEM. On failure name is freed and the list is unchanged. */
int sw_fs_list_append(char ***names, size_t *count, size_t *cap, char *name);

#endif
