/* One record to every sink: rate limiting first (connection events
 * only; policy events are already reported once per file version), then
 * the JSON line and the Event Log entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void swd_record_init(sw_record *r, sw_event ev)
{
    const swd_host *host = swd_host_get();
    memset(r, 0, sizeof *r);
    r->event = ev;
    r->time_ms = swd_now_ms();
    r->machine = host->machine[0] ? host->machine : NULL;
    r->pid = host->pid;
}

static int rate_limited(sw_event ev)
{
    return ev != SW_EV_POLICY_LOADED && ev != SW_EV_POLICY_REJECTED;
}

static void write_json(const swd_config *cfg, const sw_record *r)
{
    char small[2048];
    size_t need;

    if (!cfg->log_path[0])
        return;
    need = sw_record_format(small, sizeof small, r);
    if (need < sizeof small) {
        swd_jsonlog_append(cfg->log_path, small, need, cfg->log_max_bytes);
        return;
    }
    /* Long names: format again into a buffer of the exact size. */
    {
        char *big = (char *)malloc(need + 1);
        if (!big)
            return;
        sw_record_format(big, need + 1, r);
        swd_jsonlog_append(cfg->log_path, big, need, cfg->log_max_bytes);
        free(big);
    }
}

void swd_log(const swd_config *cfg, sw_record *r, const char *policy_file)
{
    if (rate_limited(r->event) &&
        !swd_ratelimit_admit(swd_ratelimit_key(r), GetTickCount64(), &r->suppressed))
        return;
    write_json(cfg, r);
    swd_eventlog_report(r, policy_file);
}

void swd_log_message(const swd_config *cfg, sw_event ev,
                     const char *policy_file, const char *message)
{
    char text[2048];
    sw_record r;

    swd_record_init(&r, ev);
    r.message = message;
    if (!policy_file) {
        swd_log(cfg, &r, NULL);
        return;
    }
    /* The JSON line names the file in its message; the Event Log gets
     * file and details as separate insertion strings. */
    snprintf(text, sizeof text, "%s: %s", policy_file, message);
    r.message = text;
    write_json(cfg, &r);
    r.message = message;
    swd_eventlog_report(&r, policy_file);
}
