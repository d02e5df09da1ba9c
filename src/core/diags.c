#include "diags.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

void sw_diags_init(sw_diags *d)
{
    memset(d, 0, sizeof *d);
}

void sw_diags_free(sw_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        sw_free(d->items[i].field);
        sw_free(d->items[i].message);
        sw_free(d->items[i].file_);
    }
    sw_free(d->items);
    sw_diags_init(d);
}

size_t sw_diags_errors(const sw_diags *d)
{
    size_t n = 0;
    for (size_t i = 0; d && i < d->count; i++)
        n += d->items[i].severity == SW_SEV_ERROR;
    return n;
}

void sw_diag_add(sw_diags *d, sw_severity sev, const char *file,
                 unsigned line, unsigned column, const char *field,
                 const char *fmt, ...)
{
    if (!d)
        return;
    if (d->count == d->capacity) {
        size_t cap = d->capacity ? d->capacity * 2 : 8;
        sw_diag *items = sw_realloc(d->items, cap * sizeof *items);
        if (!items) {
            d->oom = 1;
            return;
        }
        d->items = items;
        d->capacity = cap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    sw_diag *it = &d->items[d->count];
    memset(it, 0, sizeof *it);
    it->severity = sev;
    it->file_ = sw_strdup(file ? file : "");
    it->field = sw_strdup(field ? field : "");
    it->message = sw_strdup(msg);
    if (!it->file_ || !it->field || !it->message) {
        sw_free(it->file_);
        sw_free(it->field);
        sw_free(it->message);
        d->oom = 1;
        return;
    }
    it->pos.file = it->file_;
    it->pos.line = line;
    it->pos.column = column;
    d->count++;
}
