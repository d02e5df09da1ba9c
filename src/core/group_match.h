/* How a policy's `group` entries compare with a caller's groups: one
 * definition for the engine (decide.c) and anything that must agree with
 * it (lint's duplicate detection). */
#ifndef SW_CORE_GROUP_MATCH_H
#define SW_CORE_GROUP_MATCH_H

/* Nonzero when a and b are the same group name or SID under ASCII case
 * folding. Never a regex: `adm.*` names a group called "adm.*". */
int sw_group_equal(const char *a, const char *b);

#endif
