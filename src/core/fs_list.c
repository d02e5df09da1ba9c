/* The name list both platform files (fs_posix.c, src/win/fs_win.c) build
 * for sw_fs_list_yaml: one way to grow it and one way to free it. */
#include "alloc.h"
#include "fs.h"
#include "grow.h"
#include "sharewall/sharewall.h"

int sw_fs_list_append(char ***names, size_t *count, size_t *cap, char *name)
{
    char **grown = name ? sw_grow(*names, cap, *count, sizeof(char *), 8) : NULL;
    if (!grown) {
        sw_free(name);
        return SW_ENOMEM;
    }
    grown[(*count)++] = name;
    *names = grown;
    return SW_OK;
}

void sw_fs_free_list(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sw_free(names[i]);
    sw_free(names);
}
