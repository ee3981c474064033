/* SPDX-License-Identifier: MIT */
#include "analysis/alert_match.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "analysis/logs.h"

static int name_byte(int ch)
{
    return (ch >= 'a' && ch <= 'z') || isdigit(ch) || ch == '.' || ch == '_' || ch == '-';
}

int ra_alert_names_repository(const char *text, const char *repository)
{
    size_t n = strlen(repository);
    const char *p;

    if (!n)
        return 0;
    for (p = text; (p = strstr(p, repository)); p++) {
        int before = p > text ? (unsigned char)p[-1] : 0;
        int after = (unsigned char)p[n];
        if ((!before || !name_byte(before)) &&
            (!after || (!name_byte(after) && after != '/')))
            return 1;
    }
    return 0;
}

/* Does s hold "registry" in any case? */
static int says_registry(const char *s)
{
    static const char word[] = "registry";
    size_t n = strlen(s), k = sizeof(word) - 1, i;

    for (i = 0; i + k <= n; i++)
        if (!strncasecmp(s + i, word, k))
            return 1;
    return 0;
}

static int names_any(const char *value, const char *const *repos, size_t nrepos)
{
    size_t i;

    for (i = 0; i < nrepos; i++)
        if (ra_alert_names_repository(value, repos[i]))
            return 1;
    return 0;
}

int ra_alert_concerns(const struct ra_log_event *ev, const char *const *repos,
                      size_t nrepos)
{
    const struct ra_log_alert *a = ev->alert;
    size_t i;

    if (!a)
        return says_registry(ev->message) || names_any(ev->message, repos, nrepos);
    for (i = 0; i < a->nlabels; i++) {
        const char *v = a->labels[2 * i + 1];
        if (says_registry(v) || names_any(v, repos, nrepos))
            return 1;
    }
    for (i = 0; i < a->nannotations; i++)
        if (names_any(a->annotations[2 * i + 1], repos, nrepos))
            return 1;
    return 0;
}
