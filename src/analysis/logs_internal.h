/* SPDX-License-Identifier: MIT */
/* Shared by the logs module's files (logs.c, logs_json.c) and no one else. */
#ifndef RA_ANALYSIS_LOGS_INTERNAL_H
#define RA_ANALYSIS_LOGS_INTERNAL_H

#include "analysis/logs.h"
#include "util/buf.h"
#include "util/map.h"

/* Reader state for one file. */
struct ra_log_ctx {
    struct ra_log *log;
    ra_time default_time;
    uint64_t line;               /* line being read (1-based) */
    ra_time prefix_time;         /* a `docker logs -t` time before the line, or NONE */
    const char *gc_repo;         /* the repository the GC output is enumerating, or "" */
    int gc_seen;                 /* a GC output line (not a bare name) was seen */
    enum ra_log_format first;    /* format of the first recognized line */
    uint64_t considered;         /* non-blank lines, skipped ones included */
    uint64_t strong;             /* lines recognized (bare names not counted) */
    uint64_t weak;               /* bare repository-name lines */
    struct ra_map strings;       /* interned copies in the log's pool */
    struct ra_map request_ids;   /* http.request.id values already made events */
    struct ra_map request_users; /* http.request.id -> auth.user.name of its line */
    struct ra_map alerts_sent;   /* fingerprints an Alertmanager log line sent */
    struct ra_buf scratch;
};

/* The fields of one logrus line (text or JSON), NUL-terminated, NULL when absent;
 * borrowed for the call. */
struct ra_log_fields {
    const char *time, *level, *msg;
    const char *method, *uri, *status, *request_id, *user_agent, *err_code;
    const char *remote_addr, *user;
};

/* A string copied into the log's pool once ("" for len 0). */
const char *ra_log_intern(struct ra_log_ctx *c, const char *s, size_t len);

/* A new event of the current line, in the log's event list. Its time is t when t is
 * not RA_TIME_NONE, else the line's `docker logs -t` prefix, else default_time. */
struct ra_log_event *ra_log_add_event(struct ra_log_ctx *c, enum ra_log_kind kind,
                                      enum ra_log_format format, ra_time t);

/* A new alert event of the current line at t (RA_TIME_NONE: as ra_log_add_event).
 * labels and annotations are 2n strings each (name, value, …), copied and sorted by
 * name; the alert's name is its alertname label, its level its severity label. */
struct ra_log_event *ra_log_add_alert(struct ra_log_ctx *c, enum ra_log_format format,
                                      ra_time t, const char *fingerprint,
                                      const char *const *labels, size_t nlabels,
                                      const char *const *annotations,
                                      size_t nannotations);

/* logs_alertmanager.c: a go-kit logfmt line (ts=… caller=… level=…), as Alertmanager
 * (and Prometheus) write them, NUL-terminated at end and writable. Its debug
 * "flushing" lines make alert events. Returns RA_LOG_ALERTMANAGER_LOG, or
 * RA_LOG_EMPTY when p is no such line. */
enum ra_log_format ra_log_am_line(struct ra_log_ctx *c, char *p, char *end);

/* logs_alertmanager.c: the fields of one Alertmanager log record, from logfmt or from
 * --log.format=json (NULL when absent). RA_LOG_ALERTMANAGER_LOG when ts is a time
 * and caller and level are there, else RA_LOG_EMPTY. */
enum ra_log_format ra_log_am_record(struct ra_log_ctx *c, const char *ts,
                                    const char *caller, const char *level,
                                    const char *msg, const char *alerts,
                                    const char *group);

/* logs_text.c: a logfmt value at p, Go-quoted (unescaped in place) or bare,
 * NUL-terminated in place. Returns where the next pair starts. */
char *ra_log_logfmt_value(char **value, char *p, char *end);

/* The next key=value pair of a logfmt line at *p (words without '=' are skipped): 1
 * with the key (not NUL-terminated, keylen long) and the value (NUL-terminated in
 * place), *p moved past it; 0 at the end of the line. */
int ra_log_logfmt_next(char **p, char *end, char **key, size_t *keylen, char **value);

/* Turn a logrus line's fields into its event, if it has one. */
void ra_log_add_logrus(struct ra_log_ctx *c, const struct ra_log_fields *f,
                       enum ra_log_format format);

/* logs_text.c: a line that is not JSON (logrus text, GC output, an access log line),
 * trimmed, NUL-terminated at end and writable. Returns the line's format, or
 * RA_LOG_EMPTY when it is none; sets *weak for a bare repository name, which is GC
 * output only when other GC lines are there too. */
enum ra_log_format ra_log_text_line(struct ra_log_ctx *c, char *p, char *end, int *weak);

/* logs_json.c: one line starting with '{'. A docker json-file record ({"log": …,
 * "stream": …, "time": …}) is not read when inner is not NULL: its text goes to inner,
 * its time to *t, and 1 is returned. Otherwise returns 0 and sets *format to the
 * line's format (RA_LOG_LOGRUS_JSON, RA_LOG_PIPELINES, RA_LOG_ALERTMANAGER,
 * RA_LOG_ALERTMANAGER_API or RA_LOG_ALERTMANAGER_LOG), or RA_LOG_EMPTY when it is none.
 */
int ra_log_json_line(enum ra_log_format *format, struct ra_buf *inner, ra_time *t,
                     struct ra_log_ctx *c, const char *line, size_t len);

/* logs_json.c: a whole file holding a JSON array of pipelines or of Alertmanager API
 * alerts. RA_EFORMAT with jansson's text, line and column when it does not parse. */
int ra_log_json_array(struct ra_log_ctx *c, const char *data, size_t len,
                      struct ra_err *err);

/* Note a problem with the record on the current line (msg is formatted). */
void ra_log_problem(struct ra_log_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The "not a log format" error. */
int ra_log_not_a_log(struct ra_log_ctx *c, struct ra_err *err);

#endif
