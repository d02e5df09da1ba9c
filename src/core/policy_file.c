/* Loading a policy from disk: NAME.yaml plus every *.yaml in NAME.d/, in
 * natural order, handed to sw_policy_load_sources. Diagnostics name each
 * fragment as DIR/NAME so an admin can open the file straight away. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diags.h"
#include "fs.h"
#include "natsort.h"
#include "sharewall/sharewall.h"

static int by_natural_name(const void *a, const void *b)
{
    return sw_natcmp(*(const char *const *)a, *(const char *const *)b);
}

/* NAME.yaml -> NAME.d; anything else -> PATH.d */
static char *fragment_dir(const char *path)
{
    size_t len = strlen(path);
    if (len >= 5 && !strcmp(path + len - 5, ".yaml"))
        len -= 5;
    char *dir = sw_malloc(len + 3);
    if (dir) {
        memcpy(dir, path, len);
        memcpy(dir + len, ".d", 3);
    }
    return dir;
}

static char *join_path(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = sw_malloc(dl + nl + 2);
    if (p) {
        memcpy(p, dir, dl);
        p[dl] = '/';
        memcpy(p + dl + 1, name, nl + 1);
    }
    return p;
}

typedef struct file_set {
    sw_source *srcs;
    char **names; /* owned names behind srcs[i].name */
    char **data;  /* owned contents behind srcs[i].data */
    size_t count;
} file_set;

static void file_set_free(file_set *s)
{
    for (size_t i = 0; i < s->count; i++) {
        sw_free(s->names[i]);
        sw_free(s->data[i]);
    }
    sw_free(s->srcs);
    sw_free(s->names);
    sw_free(s->data);
}

/* Reads file i (name already set); read errors become diagnostics. */
static int read_one(file_set *s, size_t i, sw_diags *diags)
{
    char reason[256] = "";
    size_t len = 0;
    int rc = sw_fs_read_file(s->names[i], SW_MAX_POLICY_BYTES, &s->data[i], &len,
                             reason, sizeof reason);
    s->srcs[i].name = s->names[i];
    s->srcs[i].data = s->data[i];
    s->srcs[i].len = len;
    if (rc == SW_EIO)
        sw_diag_add(diags, SW_SEV_ERROR, s->names[i], 0, 0, "",
                    "cannot read the policy file: %s", reason[0] ? reason : "I/O error");
    else if (rc == SW_ETOOBIG)
        sw_diag_add(diags, SW_SEV_ERROR, s->names[i], 0, 0, "",
                    "the file is larger than the limit of %u bytes", SW_MAX_POLICY_BYTES);
    return rc;
}

static int collect(const char *path, file_set *s, sw_diags *diags)
{
    char *dir = fragment_dir(path);
    if (!dir)
        return SW_ENOMEM;
    char **frags = NULL;
    size_t nfrags = 0;
    int rc = sw_fs_list_yaml(dir, &frags, &nfrags);
    if (rc == SW_EIO)
        sw_diag_add(diags, SW_SEV_ERROR, dir, 0, 0, "", "cannot list the fragment directory");
    if (rc != SW_OK) {
        sw_free(dir);
        return rc;
    }
    if (nfrags > 1) /* frags is NULL when there are none */
        qsort(frags, nfrags, sizeof *frags, by_natural_name);
    size_t n = nfrags + 1;
    s->srcs = sw_calloc(n, sizeof *s->srcs);
    s->names = sw_calloc(n, sizeof *s->names);
    s->data = sw_calloc(n, sizeof *s->data);
    if (!s->srcs || !s->names || !s->data)
        rc = SW_ENOMEM;
    for (size_t i = 0; rc == SW_OK && i < n; i++) {
        s->names[i] = i == 0 ? sw_strdup(path) : join_path(dir, frags[i - 1]);
        if (!s->names[i])
            rc = SW_ENOMEM;
        else
            s->count++;
    }
    sw_fs_free_list(frags, nfrags);
    sw_free(dir);
    return rc;
}

int sw_policy_load_file(const char *path, sw_policy **out, sw_diags *diags)
{
    if (!out)
        return SW_EINVAL;
    *out = NULL;
    if (!path) {
        sw_diag_add(diags, SW_SEV_ERROR, "", 0, 0, "", "no policy file given");
        return SW_EINVAL;
    }
    file_set s;
    memset(&s, 0, sizeof s);
    int rc = collect(path, &s, diags);
    /* Read every file so one unreadable fragment does not hide another. */
    int worst = SW_OK;
    for (size_t i = 0; rc == SW_OK && i < s.count; i++) {
        int r = read_one(&s, i, diags);
        if (r == SW_ENOMEM)
            rc = r;
        else if (r != SW_OK && worst == SW_OK)
            worst = r;
    }
    if (rc == SW_OK && worst != SW_OK)
        rc = worst;
    if (rc == SW_OK)
        rc = sw_policy_load_sources(s.srcs, s.count, out, diags);
    else if (rc == SW_ENOMEM)
        sw_diag_add(diags, SW_SEV_ERROR, path, 0, 0, "", "out of memory");
    file_set_free(&s);
    return rc;
}
