/* A stand-in notifyee for check-pe-selftest.sh: the same two WINAPI
 * exports as sharewall.dll, built once the right way and several wrong
 * ways, so check-pe.sh is shown to reject exactly what it must reject. */
#include <windows.h>

#ifdef FIXTURE_WINPTHREAD
#include <pthread.h>
#endif

#ifdef FIXTURE_DLLEXPORT
#define FIXTURE_API __declspec(dllexport)
#else
#define FIXTURE_API
#endif

FIXTURE_API DWORD WINAPI AddConnectNotify(void *info, void *add)
{
    (void)info;
    (void)add;
#ifdef FIXTURE_WINPTHREAD
    /* Any winpthread call makes a dynamic link import libwinpthread-1.dll. */
    return pthread_self() ? 0 : 1;
#else
    return 0;
#endif
}

FIXTURE_API DWORD WINAPI CancelConnectNotify(void *info, void *cancel)
{
    (void)info;
    (void)cancel;
    return 0;
}

#ifdef FIXTURE_EXTRA_EXPORT
/* An export MPR does not ask for: the export table must hold exactly the
 * two notification entry points. */
FIXTURE_API int fixture_extra(void)
{
    return 1;
}
#endif
