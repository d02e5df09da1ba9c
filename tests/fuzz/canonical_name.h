/* A remote name that spells a canonical result, for the fuzz targets'
 * fixed-point checks. */
#ifndef SW_FUZZ_CANONICAL_NAME_H
#define SW_FUZZ_CANONICAL_NAME_H

#include "sharewall/sharewall.h"

/* c->unc, except for an IPv6 host ("2001:db8::5%4"), which no UNC name may
 * contain: that one is re-spelt the one way Windows accepts, as
 * "\\2001-db8--5s4.ipv6-literal.net\share\path". Returns a malloc'd
 * string; aborts when out of memory. */
char *fuzz_canonical_name(const sw_canon *c);

#endif
