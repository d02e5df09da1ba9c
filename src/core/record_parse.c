/* A log record (or a batch request) read back into a request, so `sharewall
 * replay` can re-decide exactly what was logged. The line format is
 * docs/log-format.md; keys this version does not know are ignored. */
#include <stddef.h>
#include <string.h>

#include "alloc.h"
#include "json_read.h"
#include "sharewall/sharewall.h"

/* The optional string keys and where each lands. Messages are static so
 * the caller can keep them without owning anything. */
typedef struct string_key {
    const char *key;
    size_t offset;
    const char *type_error;
} string_key;

static const string_key string_keys[] = {
    {"local", offsetof(sw_parsed_record, local), "\"local\" must be a string"},
    {"provider", offsetof(sw_parsed_record, provider), "\"provider\" must be a string"},
    {"user", offsetof(sw_parsed_record, user), "\"user\" must be a string"},
    {"process", offsetof(sw_parsed_record, process), "\"process\" must be a string"},
    {"rule", offsetof(sw_parsed_record, rule), "\"rule\" must be a string"},
    {"time", offsetof(sw_parsed_record, time), "\"time\" must be a string"},
};

typedef struct parse_error {
    const char *msg;
    size_t col;
} parse_error;

static int bad(parse_error *e, const sw_json_member *m, const char *msg)
{
    e->msg = msg;
    e->col = m->column;
    return SW_EINVAL;
}

/* Moves a string member's text into *dst (the object no longer owns it).
 * JSON null reads as absent, which batch files find convenient. */
static int take_string(sw_json_member *m, char **dst, parse_error *e,
                       const char *type_error)
{
    if (m->type == SW_JSON_NULL)
        return SW_OK;
    if (m->type != SW_JSON_STRING)
        return bad(e, m, type_error);
    *dst = m->text;
    m->text = NULL;
    return SW_OK;
}

static sw_json_member *find(sw_json_object *o, const char *key)
{
    return (sw_json_member *)sw_json_find(o, key);
}

static int map_strings(sw_json_object *o, sw_parsed_record *out, parse_error *e)
{
    for (size_t i = 0; i < sizeof string_keys / sizeof string_keys[0]; i++) {
        sw_json_member *m = find(o, string_keys[i].key);
        char **dst = (char **)((char *)out + string_keys[i].offset);
        if (m && take_string(m, dst, e, string_keys[i].type_error))
            return SW_EINVAL;
    }
    /* The name as the caller gave it is what a new policy must see; the
     * canonical "unc" is the fallback for records that only have it. */
    sw_json_member *raw = find(o, "raw");
    sw_json_member *unc = find(o, "unc");
    if (raw && take_string(raw, &out->remote, e, "\"raw\" must be a string"))
        return SW_EINVAL;
    if (!out->remote && unc &&
        take_string(unc, &out->remote, e, "\"unc\" must be a string"))
        return SW_EINVAL;
    return SW_OK;
}

static int map_others(sw_json_object *o, sw_parsed_record *out, parse_error *e)
{
    sw_json_member *m = find(o, "event");
    if (m && m->type != SW_JSON_NULL) {
        if (m->type != SW_JSON_STRING)
            return bad(e, m, "\"event\" must be a string");
        out->event = sw_event_from_name(m->text);
        if (out->event < 0)
            return bad(e, m, "unknown \"event\"");
    }
    m = find(o, "action");
    if (m && m->type != SW_JSON_NULL) {
        if (m->type != SW_JSON_STRING)
            return bad(e, m, "\"action\" must be a string");
        if (strcmp(m->text, "allow") == 0)
            out->action = SW_ALLOW;
        else if (strcmp(m->text, "deny") == 0)
            out->action = SW_DENY;
        else
            return bad(e, m, "\"action\" must be \"allow\" or \"deny\"");
        out->has_action = 1;
    }
    m = find(o, "flags");
    if (m && m->type != SW_JSON_NULL) {
        uint64_t v;
        if (sw_json_to_uint(m, UINT32_MAX, &v) != 0)
            return bad(e, m, "\"flags\" must be an integer from 0 to 4294967295");
        out->flags = (uint32_t)v;
    }
    m = find(o, "suppressed");
    if (m && m->type != SW_JSON_NULL) {
        uint64_t v;
        if (sw_json_to_uint(m, UINT32_MAX, &v) != 0)
            return bad(e, m, "\"suppressed\" must be an integer from 0 to 4294967295");
        out->suppressed = (unsigned long)v;
    }
    m = find(o, "groups");
    if (m && m->type != SW_JSON_NULL) {
        if (m->type != SW_JSON_STRING_ARRAY)
            return bad(e, m, "\"groups\" must be an array of strings");
        out->groups = m->items;
        out->group_count = m->count;
        m->items = NULL;
        m->count = 0;
    }
    return SW_OK;
}

int sw_record_parse(const char *line, size_t len, sw_parsed_record *out,
                    const char **err, size_t *col)
{
    sw_json_object o;
    parse_error e = {NULL, 0};

    memset(out, 0, sizeof *out);
    out->event = -1;
    sw_request_init(&out->request);

    int rc = sw_json_read_object(line, len, &o, &e.msg, &e.col);
    if (rc == SW_OK) {
        rc = map_strings(&o, out, &e);
        if (rc == SW_OK)
            rc = map_others(&o, out, &e);
        sw_json_object_free(&o);
    }
    if (rc != SW_OK) {
        if (rc == SW_ETOOBIG)
            rc = SW_EINVAL; /* the API promises EINVAL for bad input */
        sw_parsed_record_free(out);
        if (err)
            *err = e.msg;
        if (col)
            *col = e.col;
        return rc;
    }
    out->request.remote = out->remote;
    out->request.local = out->local;
    out->request.provider = out->provider;
    out->request.user = out->user;
    out->request.groups = (const char *const *)out->groups;
    out->request.group_count = out->group_count;
    out->request.process = out->process;
    out->request.flags = out->flags;
    return SW_OK;
}

void sw_parsed_record_free(sw_parsed_record *r)
{
    if (!r)
        return;
    sw_free(r->remote);
    sw_free(r->local);
    sw_free(r->provider);
    sw_free(r->user);
    sw_free(r->process);
    sw_free(r->rule);
    sw_free(r->time);
    for (size_t i = 0; i < r->group_count; i++)
        sw_free(r->groups[i]);
    sw_free(r->groups);
    memset(r, 0, sizeof *r);
    r->event = -1;
    sw_request_init(&r->request);
}
