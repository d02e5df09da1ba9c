/* sw_request_init on its own, so code that only builds requests (record
 * parsing, the policy's tests) does not pull in the decision engine. */
#include <string.h>

#include "sharewall/sharewall.h"

void sw_request_init(sw_request *r)
{
    /* memset for the counts and flags; pointers one by one because a null
     * pointer need not be all-bits-zero. */
    memset(r, 0, sizeof *r);
    r->remote = NULL;
    r->local = NULL;
    r->provider = NULL;
    r->user = NULL;
    r->groups = NULL;
    r->process = NULL;
    r->self = NULL;
}
