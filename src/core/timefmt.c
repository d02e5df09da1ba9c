/* RFC 3339 timestamps by arithmetic alone: gmtime is not thread-safe on
 * every platform, gmtime_r/gmtime_s are not portable, and the DLL formats
 * times on whatever thread MPR calls it on. */
#include <stdint.h>

#include "sharewall/sharewall.h"

/* Representable range of a four-digit year: 0000-01-01 .. 9999-12-31.
 * Times outside it are clamped rather than printed as a longer or negative
 * year that RFC 3339 does not allow. */
#define MIN_MS (-62167219200000LL)          /* 0000-01-01T00:00:00.000Z */
#define MAX_MS (253402300799999LL)          /* 9999-12-31T23:59:59.999Z */

/* Floor division: C division truncates toward zero, which would put
 * 1969-12-31T23:59:59.999Z (-1 ms) on day 0 instead of day -1. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Howard Hinnant's civil_from_days: days since 1970-01-01 to y/m/d in the
 * proleptic Gregorian calendar, via 400-year eras starting in March so the
 * leap day is the last day of the "year". */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    unsigned doe = (unsigned)(z - era * 146097);                 /* [0, 146096] */
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);      /* [0, 365] */
    unsigned mp = (5 * doy + 2) / 153;                           /* [0, 11] */
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static void put_digits(char *p, unsigned v, int n)
{
    while (n-- > 0) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

void sw_format_time_rfc3339(int64_t time_ms, char buf[25])
{
    if (time_ms < MIN_MS)
        time_ms = MIN_MS;
    if (time_ms > MAX_MS)
        time_ms = MAX_MS;

    int64_t days = floor_div(time_ms, 86400000);
    unsigned ms_of_day = (unsigned)(time_ms - days * 86400000);
    int64_t year;
    unsigned month, day;
    civil_from_days(days, &year, &month, &day);

    /* "YYYY-MM-DDTHH:MM:SS.mmmZ" */
    put_digits(buf, (unsigned)year, 4);
    buf[4] = '-';
    put_digits(buf + 5, month, 2);
    buf[7] = '-';
    put_digits(buf + 8, day, 2);
    buf[10] = 'T';
    put_digits(buf + 11, ms_of_day / 3600000, 2);
    buf[13] = ':';
    put_digits(buf + 14, ms_of_day / 60000 % 60, 2);
    buf[16] = ':';
    put_digits(buf + 17, ms_of_day / 1000 % 60, 2);
    buf[19] = '.';
    put_digits(buf + 20, ms_of_day % 1000, 3);
    buf[23] = 'Z';
    buf[24] = '\0';
}
