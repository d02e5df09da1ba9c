/* Natural ("version") order for file names: runs of digits compare by
 * their numeric value, everything else byte by byte, so `9-site.yaml`
 * sorts before `10-base.yaml`. */
#ifndef SW_CORE_NATSORT_H
#define SW_CORE_NATSORT_H

/* strcmp-style result. Names that differ only in leading zeros ("01" and
 * "1") are ordered byte-wise, so the order is total and deterministic. */
int sw_natcmp(const char *a, const char *b);

#endif
