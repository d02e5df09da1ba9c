/* Private interface between the canonicaliser's files:
 *   canon.c         entry point: text checks, prefixes, share, assembly
 *   canon_host.c    host: DNS / NetBIOS names, IPv4, ipv6-literal.net, loopback
 *   canon_webdav.c  WebDAV: @SSL / @port suffixes, http(s) URLs, %-escapes
 *   canon_path.c    share and path segments: decoding, trimming, . and ..
 * Every function that can find a name malformed returns the reason (static
 * text) or NULL when all is well. */
#ifndef SW_CORE_CANON_INTERNAL_H
#define SW_CORE_CANON_INTERNAL_H

#include <stddef.h>

#include "sharewall/sharewall.h"

/* The name split into raw parts, before any part is canonicalised. */
typedef struct sw_canon_split {
    sw_scheme scheme;
    unsigned port;
    int tls;
    const char *host; /* raw host, without @SSL/@port or :port     */
    size_t host_len;
    const char *rest; /* everything after the host                 */
    size_t rest_len;
    int pct;          /* rest is URL text: %XX escapes are decoded  */
} sw_canon_split;

/* `\` or `/`: Windows reads both as a separator in a remote name. */
#define SW_CANON_IS_SEP(c) ((c) == '\\' || (c) == '/')
/* Case-insensitive ASCII comparison of s[0..n) with the lower-case lit. */
int sw_canon_ieq(const char *s, size_t n, const char *lit);

/* ---- canon_host.c ---------------------------------------------------- */

/* Largest canonical host plus its NUL: a 255-character DNS name is the
 * longest (an IPv6 text with zone is at most 39 + 1 + 10). */
#define SW_CANON_HOST_CAP (SW_MAX_HOST_CHARS + 1)

const char *sw_canon_host(const char *p, size_t n, const sw_self_names *self,
                          char out[SW_CANON_HOST_CAP], size_t *out_len,
                          int *loopback);

/* ---- canon_webdav.c -------------------------------------------------- */

/* Nonzero when the name starts with "http:" or "https:" (any case). */
int sw_canon_is_url(const char *s, size_t n);
const char *sw_canon_split_url(const char *s, size_t n, sw_canon_split *sp);
/* Splits "host@SSL@port" in sp->host: shortens the host, sets scheme,
 * port and tls. No '@' leaves sp untouched. */
const char *sw_canon_split_dav_host(sw_canon_split *sp);
/* Refuses %XX in the share/path text of a WebDAV UNC (non-URL) name. */
const char *sw_canon_dav_unc_check(const char *rest, size_t n);
/* Value of two hex digits, or -1. */
int sw_canon_hex2(char hi, char lo);

/* ---- canon_path.c ---------------------------------------------------- */

typedef enum sw_seg_kind {
    SW_SEG_NAME = 0, /* an ordinary name                              */
    SW_SEG_DOT,      /* exactly "."                                   */
    SW_SEG_DOTDOT,   /* exactly ".."                                  */
    SW_SEG_EMPTY     /* only dots and spaces: trims to nothing        */
} sw_seg_kind;

/* One segment between separators. p/n are the raw text; the rest is
 * filled by sw_seg_scan and describes the decoded, trimmed text. */
typedef struct sw_seg {
    const char *p;
    size_t n;
    sw_seg_kind kind;
    size_t bytes; /* decoded UTF-8 bytes after trimming     */
    size_t units; /* the same, counted in UTF-16 code units */
} sw_seg;

/* Forward iteration: skips separators from *pos, fills seg->p/n with the
 * next segment and moves *pos past it. Returns 0 when there is none. */
int sw_seg_next(const char *text, size_t len, int pct, size_t *pos,
                sw_seg *seg);
/* Decodes (pct), validates and measures a segment. is_share selects the
 * character rules for a share name instead of a path segment. */
const char *sw_seg_scan(sw_seg *seg, int pct, int is_share);
/* Writes the seg->bytes decoded, trimmed bytes to dst (no NUL). */
void sw_seg_write(const sw_seg *seg, int pct, char *dst);

/* The canonical path ("" or "\a\b") of the raw text after the share:
 * measure first (validates every segment), then write exactly len bytes. */
const char *sw_canon_path_measure(const char *text, size_t len, int pct,
                                  size_t *out_len);
void sw_canon_path_write(const char *text, size_t len, int pct, char *dst,
                         size_t out_len);

#endif
