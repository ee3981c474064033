/* SPDX-License-Identifier: MIT */
/* Log readers: registry logs (logrus text and JSON, the HTTP access log), garbage-collect
 * output and CI pipeline history exports, read into time-stamped events that say which
 * request for which digest got which status, what a GC marked and deleted, and which
 * pipelines failed when. The format is detected from the content, line by line, so a
 * GC log with logrus lines in it, or a registry's stdout mixing logrus and access
 * lines, reads as one file; so do `docker logs -t` and `docker compose logs` prefixes
 * and docker's json-file records. Nothing is trusted: lines are bytes, bounded. */
#ifndef RA_ANALYSIS_LOGS_H
#define RA_ANALYSIS_LOGS_H

#include "model/digest.h"
#include "util/common.h"
#include "util/pool.h"
#include "util/time.h"
#include "util/vec.h"

/* Lines longer than this (without the newline) are skipped and counted. */
#define RA_LOG_LINE_MAX (64 * 1024)
/* A pipeline JSON array is read whole; larger files give RA_ELIMIT. */
#define RA_LOG_JSON_MAX (64 * 1024 * 1024)
/* Non-empty lines read before a file with no line of a known format is rejected. */
#define RA_LOG_PROBE_LINES 64

/* What a file (or one line of it) is. Names are part of the JSON interface. */
enum ra_log_format {
    RA_LOG_EMPTY = 0,    /* "empty": no non-blank line */
    RA_LOG_LOGRUS_TEXT,  /* "logrus_text": time="…" level=… msg="…" key=value… */
    RA_LOG_LOGRUS_JSON,  /* "logrus_json": a JSON object a line (logstash too) */
    RA_LOG_ACCESS,       /* "access": the registry's combined access log */
    RA_LOG_GC,           /* "gc": garbage-collect output */
    RA_LOG_PIPELINES,    /* "pipelines": Woodpecker, a JSON array or one a line */
    RA_LOG_ALERTMANAGER, /* "alertmanager": Alertmanager webhook payloads, one a line */
    RA_LOG_ALERTMANAGER_LOG, /* "alertmanager_log": Alertmanager's own logfmt log
                                (ts=… caller=… level=…; Prometheus writes the same) */
    RA_LOG_ALERTMANAGER_API, /* "alertmanager_api": alerts as GET /api/v2/alerts and
                                `amtool alert query -o json` give them */
    RA_LOG_FORMAT__COUNT
};

/* Event kinds. Names are part of the JSON interface. The gc_delete_* kinds come from
 * Distribution's vacuum, which garbage-collect runs, and which a pull-through cache
 * also runs when content expires (proxy.ttl): the event's format and the file's say
 * which log it was. */
enum ra_log_kind {
    RA_LOG_HTTP_REQUEST = 0,       /* a request and its response status */
    RA_LOG_GC_REPOSITORY,          /* a bare repository name: GC enumerated it */
    RA_LOG_GC_MARK_MANIFEST,       /* "<repo>: marking manifest <digest> " */
    RA_LOG_GC_MARK_BLOB,           /* "<repo>: marking blob <digest>" */
    RA_LOG_GC_MANIFEST_ELIGIBLE,   /* "manifest eligible for deletion: …" */
    RA_LOG_GC_BLOB_ELIGIBLE,       /* "blob eligible for deletion: <digest>" */
    RA_LOG_GC_LAYER_LINK_ELIGIBLE, /* "<repo>: layer link eligible for deletion: …" */
    RA_LOG_GC_DELETE_BLOB,         /* logrus "Deleting blob: <path>" */
    RA_LOG_GC_DELETE_MANIFEST,     /* logrus "deleting manifest: <path>" */
    RA_LOG_GC_DELETE_TAG_REF,      /* logrus "deleting manifest tag reference: …" */
    RA_LOG_GC_DELETE_LAYER_LINK,   /* logrus "Deleting layer link path : …" (3.x) */
    RA_LOG_GC_SUMMARY,             /* "N blobs marked, M blobs and K manifests …" */
    RA_LOG_GC_ERROR,               /* "failed to garbage collect: …": it stopped */
    RA_LOG_PIPELINE,               /* one CI pipeline */
    RA_LOG_ALERT, /* an alert that fired (struct ra_log_alert): a webhook payload's
                     alert with status "firing" or an API alert in state "active" at
                     its startsAt, or the first debug "flushing" line of Alertmanager's
                     log that sends it [active]; message its alertname, level its
                     labels.severity (or "") */
    RA_LOG_KIND__COUNT
};

/* What an HTTP request's URI addresses (the /v2/ API routes). */
enum ra_log_object {
    RA_LOG_OBJ_NONE = 0,  /* "": not a /v2/ route */
    RA_LOG_OBJ_BASE,      /* "base": /v2/ */
    RA_LOG_OBJ_CATALOG,   /* "catalog": /v2/_catalog */
    RA_LOG_OBJ_TAGS,      /* "tags": /v2/<name>/tags/list */
    RA_LOG_OBJ_MANIFEST,  /* "manifest": /v2/<name>/manifests/<reference> */
    RA_LOG_OBJ_BLOB,      /* "blob": /v2/<name>/blobs/<digest> */
    RA_LOG_OBJ_UPLOAD,    /* "upload": /v2/<name>/blobs/uploads/[<uuid>] */
    RA_LOG_OBJ_REFERRERS, /* "referrers": /v2/<name>/referrers/<digest> */
};

/* One step of a pipeline (Woodpecker: workflows[].children[]). */
struct ra_log_step {
    const char *workflow; /* its workflow's name, "" for a flat step list */
    const char *name;
    const char *state; /* success, failure, error, killed, skipped, … */
    const char *error; /* "" when none */
    int exit_code;
    ra_time started, finished; /* RA_TIME_NONE when 0 or absent */
};

struct ra_log_pipeline {
    int64_t number;
    const char *status; /* success, failure, error, killed, running, pending, … */
    const char *event;  /* push, cron, manual, tag, pull_request, … */
    const char *branch, *commit, *ref, *message, *sender; /* "" when absent */
    ra_time created, started, finished; /* RA_TIME_NONE when 0 or absent */
    int64_t parent; /* the run this one restarts (Woodpecker "parent"), 0 when none */
    struct ra_log_step *steps; /* in file order */
    size_t nsteps;
};

/* What a GC line adds (gc_* kinds). */
struct ra_log_gc {
    const char *path;  /* gc_delete_*: the storage path as logged, else "" */
    const char *tag;   /* gc_delete_tag_ref: the tag, else "" */
    const char **tags; /* gc_manifest_eligible, 3.x prints them: the repo's tags */
    size_t ntags;
    uint64_t marked, blobs_eligible, manifests_eligible; /* gc_summary */
};

/* What an alert says (RA_LOG_ALERT). Name/value pairs as given, sorted by name. */
struct ra_log_alert {
    const char *name;        /* labels.alertname, "(no alertname)" when absent */
    const char *fingerprint; /* hex as given ("63ab17bc44d0f33c"; a log has 7), or "" */
    const char **labels;     /* 2 * nlabels strings: name, value, …; from a log line,
                                the labels of its aggregation group (group_by) only */
    size_t nlabels;
    const char **annotations; /* 2 * nannotations strings; none from a log line */
    size_t nannotations;
};

/* One event. Strings are never NULL ("" when absent), are the log's bytes unchanged
 * (not necessarily UTF-8: escape before printing), and live as long as the log. */
struct ra_log_event {
    enum ra_log_kind kind;
    enum ra_log_format format; /* how this line was written */
    ra_time time;   /* UTC; the record's own time, else the read's default_time */
    uint64_t line;  /* 1-based line of the file where the record starts */
    int time_exact; /* 1: from the record (its time field, a docker prefix or record,
                       a pipeline's started/created); 0: default_time or none */

    int has_digest;
    struct ra_digest digest;
    /* From the URI, the storage path or the GC line; for a 2.8 "manifest eligible"
     * line, the repository the GC was enumerating. */
    const char *repository;

    /* http_request */
    enum ra_log_object object;
    int status; /* 0 when the line has none */
    const char *method, *uri;
    const char *reference;  /* tag, digest or upload uuid (the URI percent-decoded) */
    const char *error_code; /* logrus err.code ("manifest unknown") */
    const char *request_id; /* logrus http.request.id */
    const char *user_agent;
    const char *remote_addr; /* logrus http.request.remoteaddr; the access log's host */
    const char *user; /* the authenticated user: logrus auth.user.name (of the request's
                         "authorized request" line too), the access log's user field */

    /* logrus lines: level and msg; gc_error: the error text; pipeline: the commit
     * message */
    const char *level, *message;

    const struct ra_log_gc *gc;             /* gc_* kinds; NULL for the others */
    const struct ra_log_pipeline *pipeline; /* pipeline; NULL for the others */
    const struct ra_log_alert *alert;       /* alert; NULL for the others */
};

struct ra_log {
    const char *path;          /* as given */
    enum ra_log_format format; /* gc when any GC line was seen, else the first line's */
    struct ra_vec events;      /* struct ra_log_event *, sorted by (time, line) */
    uint64_t lines;            /* lines in the file */
    uint64_t skipped;          /* lines longer than RA_LOG_LINE_MAX, not parsed */
    uint64_t unrecognized;     /* non-blank lines of no known format */
    uint64_t counts[RA_LOG_FORMAT__COUNT]; /* lines recognized, by their format */
    /* Records read but not wholly usable, one line each ("line 4: pipeline #3:
     * 'finished' 1e30 is not a time ..."), at most RA_LOG_MAX_PROBLEMS (then a last
     * line saying how many more). */
    struct ra_vec problems; /* const char *, in the pool */
    uint64_t more_problems;
    struct ra_pool pool;
};

#define RA_LOG_MAX_PROBLEMS 100

/* A source of bytes: fill buf with up to len bytes and set *nread, 0 at the end.
 * Return 0, or a negative code with err set (RA_EIO). A one-line wrapper around
 * ra_source_read reads a log inside a snapshot archive. */
typedef int (*ra_log_reader)(void *buf, size_t len, size_t *nread, void *payload,
                             struct ra_err *err);

/* Read the log file at path. Events with no time of their own (most GC lines) get
 * default_time (the run's time, from the file name or an option; RA_TIME_NONE if
 * unknown) with time_exact = 0. An empty file gives a log with no events and format
 * RA_LOG_EMPTY. Errors: RA_EIO (cannot open or read), RA_EFORMAT (no line of a known
 * format, or a malformed pipeline JSON array: line and column in the message),
 * RA_ELIMIT (pipeline JSON over RA_LOG_JSON_MAX). The caller frees *out. */
int ra_log_read(struct ra_log **out, const char *path, ra_time default_time,
                struct ra_err *err);

/* The same, reading through reader (for a log inside an archive); name is the path
 * shown in messages. Errors: the reader's, and those of ra_log_read. */
int ra_log_read_stream(struct ra_log **out, const char *name, ra_time default_time,
                       ra_log_reader reader, void *payload, struct ra_err *err);

void ra_log_free(struct ra_log *log);

/* The earliest HTTP request for digest (in repository, when not NULL) answered with
 * status, e.g. the first 404 for a lost blob; NULL when there is none. Borrowed. */
const struct ra_log_event *ra_log_first_status(const struct ra_log *log,
                                               const struct ra_digest *digest,
                                               const char *repository, int status);

/* The first event of kind about digest (e.g. RA_LOG_GC_DELETE_BLOB), or NULL. */
const struct ra_log_event *ra_log_find(const struct ra_log *log, enum ra_log_kind kind,
                                       const struct ra_digest *digest);

/* Append to out (borrowed struct ra_log_event *) the events of kind whose time lies in
 * [from, to]; RA_TIME_NONE leaves that end open (events without a time match only
 * when both ends are open). Returns the number appended. */
size_t ra_log_select(struct ra_vec *out, const struct ra_log *log, enum ra_log_kind kind,
                     ra_time from, ra_time to);

/* Is ev a DELETE request of a manifest or a blob (whatever its status)? */
int ra_log_is_delete(const struct ra_log_event *ev);

/* Do a and b record the same HTTP request? The registry writes each request twice when
 * its access log is on (a logrus "response completed" line and an access line, in the
 * same stream or in stdout and stderr apart): same method, URI and status, at most 2
 * seconds apart (the access log has whole seconds). */
int ra_log_same_request(const struct ra_log_event *a, const struct ra_log_event *b);

/* One request and the log that records it (borrowed from the logs). */
struct ra_log_request {
    const struct ra_log *log;
    const struct ra_log_event *ev;
};

/* The DELETE requests of manifests and blobs in logs, each request once: of the same
 * request logged twice (ra_log_same_request), the logrus line is kept, which names more
 * (request id, remote port, user). Sorted by time, then by log and line. *out is
 * allocated (free() it) and NULL when there is none; returns the count. */
size_t ra_log_deletes(struct ra_log_request **out, struct ra_log *const *logs,
                      size_t nlogs);

/* Append to out who sent an HTTP request, as logged: "from 10.0.0.9:47296, user alice,
 * agent curl/7.88.1" ("no user logged" when the log names none; no address or agent
 * part when absent). The log's bytes: escape before printing. */
struct ra_buf;
void ra_log_describe_client(struct ra_buf *out, const struct ra_log_event *ev);

/* The value of the alert's label name, or NULL. */
const char *ra_log_alert_label(const struct ra_log_alert *a, const char *name);

/* When event ev was over: a pipeline's finished time when known (a failed run failed
 * then, not when it started), else ev->time. */
ra_time ra_log_event_end(const struct ra_log_event *ev);

/* Did the pipeline fail (status failure, error or killed)? 0 for other kinds. */
int ra_log_pipeline_failed(const struct ra_log_event *ev);

/* ra_log_select for failed pipelines only (time: started, else created). */
size_t ra_log_failed_pipelines(struct ra_vec *out, const struct ra_log *log, ra_time from,
                               ra_time to);

const char *ra_log_kind_name(enum ra_log_kind kind);
const char *ra_log_format_name(enum ra_log_format format);
const char *ra_log_object_name(enum ra_log_object object);

#endif
