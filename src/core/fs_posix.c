/* POSIX file access for the core (see fs.h). */
#define _POSIX_C_SOURCE 200809L
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "sharewall/sharewall.h"

static void set_err(char *errmsg, size_t cap, int err)
{
    if (errmsg && cap)
        snprintf(errmsg, cap, "%s", strerror(err));
}

/* What a path that is not a regular file is, for the message. */
static const char *file_kind(mode_t m)
{
    return S_ISDIR(m)    ? "it is a directory, not a regular file"
           : S_ISFIFO(m) ? "it is a FIFO (named pipe), not a regular file"
           : S_ISCHR(m)  ? "it is a character device, not a regular file"
           : S_ISBLK(m)  ? "it is a block device, not a regular file"
           : S_ISSOCK(m) ? "it is a socket, not a regular file"
                         : "it is not a regular file";
}

int sw_fs_read_file(const char *path, size_t max, char **data, size_t *len,
                    char *errmsg, size_t errmsg_cap)
{
    *data = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer,
     * forever; the file is then checked on the very descriptor that is
     * read (as doas does), so nothing can be swapped in between. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        set_err(errmsg, errmsg_cap, errno);
        return SW_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_err(errmsg, errmsg_cap, errno);
        close(fd);
        return SW_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        if (errmsg && errmsg_cap)
            snprintf(errmsg, errmsg_cap, "%s", file_kind(st.st_mode));
        close(fd);
        return SW_EIO;
    }
    int flags = fcntl(fd, F_GETFL);
    FILE *f = flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1 ? NULL
                                                                          : fdopen(fd, "rb");
    if (!f) {
        set_err(errmsg, errmsg_cap, errno);
        close(fd);
        return SW_EIO;
    }
    /* Read up to max+1 bytes whatever st_size says: the file may grow. */
    size_t cap = (size_t)st.st_size < max ? (size_t)st.st_size + 1 : max + 1;
    char *buf = sw_malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return SW_ENOMEM;
    }
    size_t n = 0;
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > max) {
            sw_free(buf);
            fclose(f);
            return SW_ETOOBIG;
        }
        if (got == 0)
            break;
        if (n == cap) {
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = sw_realloc(buf, ncap + 1);
            if (!nb) {
                sw_free(buf);
                fclose(f);
                return SW_ENOMEM;
            }
            buf = nb;
            cap = ncap;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        set_err(errmsg, errmsg_cap, EIO);
        sw_free(buf);
        return SW_EIO;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return SW_OK;
}

int sw_fs_list_yaml(const char *dir, char ***names, size_t *count)
{
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return (errno == ENOENT || errno == ENOTDIR) ? SW_OK : SW_EIO;
    char **list = NULL;
    size_t n = 0, cap = 0;
    int rc = SW_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || strcmp(e->d_name + l - 5, ".yaml") != 0 || e->d_name[0] == '.')
            continue;
        /* Only regular files (not directories or devices named *.yaml). */
        size_t dl = strlen(dir);
        char *full = sw_malloc(dl + l + 2);
        if (!full) {
            rc = SW_ENOMEM;
            break;
        }
        memcpy(full, dir, dl);
        full[dl] = '/';
        memcpy(full + dl + 1, e->d_name, l + 1);
        struct stat st;
        int regular = stat(full, &st) == 0 && S_ISREG(st.st_mode);
        sw_free(full);
        if (!regular)
            continue;
        if ((rc = sw_fs_list_append(&list, &n, &cap, sw_strdup(e->d_name))) != SW_OK)
            break;
    }
    closedir(d);
    if (rc != SW_OK) {
        sw_fs_free_list(list, n);
        return rc;
    }
    *names = list;
    *count = n;
    return SW_OK;
}
