/* SPDX-License-Identifier: MIT */
/* Which alerts concern an incident: an alert whose labels or annotations name a
 * repository that lost something, or whose labels name the registry. The evidence
 * holds every alert the operators got; only these count as the incident's detection. */
#ifndef RA_ANALYSIS_ALERT_MATCH_H
#define RA_ANALYSIS_ALERT_MATCH_H

#include <stddef.h>

struct ra_log_event;

/* Does text name repository as a whole name: not inside a longer name (the byte
 * before is none of [a-z0-9._-], the byte after none of [a-z0-9._/-]), so
 * "registry:5000/app/web:1.0" and "pulls of app/web fail" name "app/web" and
 * "app/webui" does not? */
int ra_alert_names_repository(const char *text, const char *repository);

/* Does the alert event (RA_LOG_ALERT) concern the registry or one of repos[0..nrepos)
 * (the repositories of the lost objects)? Yes when a label or annotation value names
 * one of repos (ra_alert_names_repository), or a label's value (the alertname, job,
 * service, instance, …) holds "registry" in any case. An event without labels (a
 * hand-made one) is judged by its message, the alertname. */
int ra_alert_concerns(const struct ra_log_event *ev, const char *const *repos,
                      size_t nrepos);

#endif
