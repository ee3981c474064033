/* SPDX-License-Identifier: MIT */
/* Time zones through the C library: TZ set for the length of a computation, offsets
 * read back with localtime_r. */
#include "config/sched/tz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

bool ra_tz_known(const char *name)
{
    const char *dir = getenv("TZDIR"), *s;
    char path[512];
    struct stat st;
    int n;

    if (!*name || *name == '/' || strstr(name, ".."))
        return false;
    for (s = name; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("/_+-", *s))
            return false;
    n = snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo",
                 name);
    return n > 0 && (size_t)n < sizeof(path) && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode);
}

int ra_tz_enter(struct ra_tz *z, const char *name, const char *what, const char *text,
                struct ra_err *err)
{
    const char *old;

    if (!name || !strcmp(name, "UTC"))
        return 0;
    if (!ra_tz_known(name))
        return ra_err_set(err, RA_EUSAGE, "%s '%.80s': unknown time zone '%.64s'", what,
                          text, name);
    old = getenv("TZ");
    z->had_tz = old != NULL;
    z->saved_tz = old ? ra_xstrdup(old) : NULL;
    if (setenv("TZ", name, 1) != 0)
        return ra_err_set(err, RA_ERROR, "%s: cannot set TZ to '%.64s'", what, name);
    z->utc = false; /* from here on ra_tz_leave restores TZ */
    tzset();
    return 0;
}

void ra_tz_leave(struct ra_tz *z)
{
    if (!z->utc) {
        if (z->had_tz)
            setenv("TZ", z->saved_tz, 1);
        else
            unsetenv("TZ");
        tzset();
    }
    free(z->saved_tz);
    z->saved_tz = NULL;
}

int64_t ra_tz_offset(const struct ra_tz *z, int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (z->utc || !localtime_r(&tt, &tm))
        return 0;
    return tm.tm_gmtoff;
}

bool ra_tz_isdst(const struct ra_tz *z, int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;

    return !z->utc && localtime_r(&tt, &tm) && tm.tm_isdst > 0;
}
