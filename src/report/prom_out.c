/* SPDX-License-Identifier: MIT */
/* A scan as Prometheus metrics for node_exporter's textfile collector, written
 * atomically so that the collector never reads half a file. */
#include "report/prom_out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/gcsim.h"
#include "analysis/scan.h"
#include "model/graph.h"
#include "util/text.h"

#define LAST_COMPLETE "regautopsy_last_complete_scan_timestamp_seconds"

static int64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void ra_prom_start(struct ra_prom_run *run)
{
    run->started_ns = monotonic_ns();
}

int ra_prom_success(struct ra_scan *const *scans, size_t n, const struct ra_prom_run *run)
{
    size_t i;

    if (run->failed || !n)
        return 0;
    for (i = 0; i < n; i++)
        if (!scans[i]->snap->complete || scans[i]->snap->unread.len || !scans[i]->nregs)
            return 0;
    return 1;
}

/* A label value as the exposition format wants it: valid UTF-8, with backslash,
 * double quote and line feed escaped. */
static void put_label(struct ra_buf *out, const char *name, const char *value, int first)
{
    struct ra_buf tmp = RA_BUF_INIT;
    const char *p;

    ra_text_safe(&tmp, value, RA_TEXT_UTF8);
    ra_buf_printf(out, "%s%s=\"", first ? "" : ",", name);
    for (p = ra_buf_cstr(&tmp); *p; p++) {
        if (*p == '\\' || *p == '"')
            ra_buf_putc(out, '\\');
        if (*p == '\n')
            ra_buf_puts(out, "\\n");
        else
            ra_buf_putc(out, *p);
    }
    ra_buf_putc(out, '"');
    ra_buf_release(&tmp);
}

static void header(struct ra_buf *out, const char *name, const char *type,
                   const char *help)
{
    ra_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *root_name(const struct ra_graph *g)
{
    return g->root[0] ? g->root : ".";
}

static void write_run(struct ra_buf *out, struct ra_scan *const *scans, size_t n,
                      const struct ra_prom_run *run)
{
    uint64_t entries = 0;
    int live = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        entries += scans[i]->snap->entries;
        live |= scans[i]->snap->vanished || scans[i]->snap->changed_dirs;
    }
    header(out, "regautopsy_scan_success", "gauge",
           "Whether the last scan read all of its storage (1) or not (0).");
    ra_buf_printf(out, "regautopsy_scan_success %d\n", ra_prom_success(scans, n, run));
    header(out, "regautopsy_scan_live_tree", "gauge",
           "Whether the storage changed while the last scan read it (1) or not (0).");
    ra_buf_printf(out, "regautopsy_scan_live_tree %d\n", live);
    header(out, "regautopsy_scan_duration_seconds", "gauge",
           "How long the last scan took.");
    ra_buf_printf(out, "regautopsy_scan_duration_seconds %.3f\n", run->duration);
    header(out, "regautopsy_scan_entries_read_total", "counter",
           "Storage entries (files, folders, links) the last scan read.");
    ra_buf_printf(out, "regautopsy_scan_entries_read_total %llu\n",
                  (unsigned long long)entries);
    if (run->last_complete < 0)
        return;
    header(out, LAST_COMPLETE, "gauge",
           "When the last complete scan ended, in seconds since the epoch.");
    ra_buf_printf(out, LAST_COMPLETE " %lld\n", (long long)run->last_complete);
}

/* One series per tag and distinct platform; a platform listed twice in an index is
 * pullable only when every entry for it is. A tag with no platform: platform="". */
static void write_tag(struct ra_buf *out, const char *root, const struct ra_tag_result *t)
{
    size_t i, j;

    for (i = 0; i < t->nplatforms || (i == 0 && !t->nplatforms); i++) {
        const char *plat = t->nplatforms ? t->platforms[i].platform : "";
        int ok = t->nplatforms ? t->platforms[i].pullable : t->pullable, seen = 0;
        for (j = 0; j < t->nplatforms; j++) {
            if (strcmp(t->platforms[j].platform, plat))
                continue;
            if (j < i)
                seen = 1;
            ok &= t->platforms[j].pullable;
        }
        if (seen)
            continue;
        ra_buf_puts(out, "regautopsy_tag_pullable{");
        put_label(out, "root", root, 1);
        put_label(out, "repository", t->repository, 0);
        put_label(out, "tag", t->tag, 0);
        put_label(out, "platform", plat, 0);
        ra_buf_printf(out, "} %d\n", ok ? 1 : 0);
    }
}

static void write_tags(struct ra_buf *out, const struct ra_scan *s)
{
    size_t i, k;

    header(out, "regautopsy_tag_pullable", "gauge",
           "Whether a client can pull the tag for the platform (1) or not (0).");
    for (i = 0; i < s->nregs; i++)
        for (k = 0; k < s->regs[i]->ntags; k++)
            write_tag(out, root_name(s->regs[i]->graph), &s->regs[i]->tags[k]);
}

static void count_findings(size_t counts[RA_F__COUNT][RA_SEV_INFO + 1],
                           const struct ra_findings *f)
{
    size_t i;

    for (i = 0; i < f->items.len; i++) {
        const struct ra_finding *x = f->items.items[i];
        counts[x->code][x->severity]++;
    }
}

/* By code name, then severity from the worst; only counts above zero. */
static void write_findings(struct ra_buf *out, const struct ra_scan *s)
{
    size_t counts[RA_F__COUNT][RA_SEV_INFO + 1] = {{0}};
    int order[RA_F__COUNT], i, j, sev, tmp;

    count_findings(counts, &s->findings);
    for (i = 0; i < (int)s->nregs; i++)
        count_findings(counts, &s->regs[i]->findings);
    for (i = 0; i < RA_F__COUNT; i++)
        order[i] = i;
    for (i = 1; i < RA_F__COUNT; i++)
        for (j = i;
             j > 0 && strcmp(ra_finding_code_name((enum ra_finding_code)order[j - 1]),
                             ra_finding_code_name((enum ra_finding_code)order[j])) > 0;
             j--) {
            tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    header(out, "regautopsy_findings", "gauge",
           "Findings of the last scan by code and severity (docs/findings.md).");
    for (i = 0; i < RA_F__COUNT; i++)
        for (sev = RA_SEV_CRITICAL; sev <= RA_SEV_INFO; sev++) {
            if (!counts[order[i]][sev])
                continue;
            ra_buf_printf(out, "regautopsy_findings{code=\"%s\",severity=\"%s\"} %zu\n",
                          ra_finding_code_name((enum ra_finding_code)order[i]),
                          ra_severity_name((enum ra_severity)sev), counts[order[i]][sev]);
        }
}

static void gc_series(struct ra_buf *out, const char *name, const char *root, int m,
                      unsigned long long v)
{
    ra_buf_printf(out, "%s{", name);
    put_label(out, "root", root, 1);
    ra_buf_printf(out, ",delete_untagged=\"%s\"} %llu\n", m ? "true" : "false", v);
}

static unsigned long long gc_value(const struct ra_gc_result *r, size_t k)
{
    return k == 0   ? r->blobs.len
           : k == 1 ? r->bytes
           : k == 2 ? r->manifests.len
                    : r->aborted != NULL;
}

/* What a garbage-collect run now (Distribution 2.8, without and with -m) would delete:
 * the simulation gc-sim runs, on the graph as read. */
static void write_gc(struct ra_buf *out, const struct ra_scan *s)
{
    static const char *const names[] = {
        "regautopsy_gc_at_risk_blobs", "regautopsy_gc_at_risk_bytes",
        "regautopsy_gc_at_risk_manifests", "regautopsy_gc_would_abort"};
    static const char *const help[] = {
        "Blobs whose data a garbage-collect run now would delete.",
        "Bytes of blob data a garbage-collect run now would delete.",
        "Manifests whose revision links a garbage-collect run now would delete.",
        "Whether a garbage-collect run now would stop in its mark phase (1) or not (0)."};
    struct ra_gc_result **res = ra_xcalloc(2 * s->nregs + 1, sizeof(*res));
    size_t i, k;
    int m;

    for (i = 0; i < 2 * s->nregs; i++) {
        struct ra_gc_opts o = RA_GC_OPTS_INIT;

        o.delete_untagged = (int)(i % 2);
        ra_gc_simulate(&res[i], s->regs[i / 2]->graph, &o);
    }
    for (k = 0; k < RA_ARRAY_SIZE(names); k++) {
        header(out, names[k], "gauge", help[k]);
        for (i = 0; i < s->nregs; i++)
            for (m = 0; m < 2; m++)
                gc_series(out, names[k], root_name(s->regs[i]->graph), m,
                          gc_value(res[2 * i + (size_t)m], k));
    }
    for (i = 0; i < 2 * s->nregs; i++)
        ra_gc_result_free(res[i]);
    free(res);
}

void ra_prom_write(struct ra_buf *out, struct ra_scan *const *scans, size_t n,
                   const struct ra_prom_run *run)
{
    int ok = ra_prom_success(scans, n, run);

    write_run(out, scans, n, run);
    if (!n)
        return;
    /* storage read in part: its tags would read broken for want of what was not read */
    if (ok)
        write_tags(out, scans[n - 1]);
    write_findings(out, scans[n - 1]);
    if (ok)
        write_gc(out, scans[n - 1]);
}

/* The last complete scan an earlier run wrote into path, or -1. */
static int64_t previous_complete(const char *path)
{
    FILE *f = fopen(path, "re");
    char *line = NULL, *end;
    size_t cap = 0, len = strlen(LAST_COMPLETE);
    int64_t t = -1;
    long long v;

    if (!f)
        return -1;
    while (getline(&line, &cap, f) > 0) {
        if (strncmp(line, LAST_COMPLETE " ", len + 1))
            continue;
        errno = 0;
        v = strtoll(line + len + 1, &end, 10);
        if (!errno && v >= 0 && (*end == '\n' || !*end))
            t = v;
        break;
    }
    free(line);
    fclose(f);
    return t;
}

static int write_all(int fd, const struct ra_buf *buf)
{
    size_t off = 0;
    ssize_t n;

    while (off < buf->len) {
        n = write(fd, buf->ptr + off, buf->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

/* fsync the folder holding path, so that the rename survives a crash. */
static int sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    int fd, rc;

    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == path)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* Write buf into the temporary file open as fd (closed here) and rename it over path.
 * Returns what failed, with *errnum set, or NULL. */
static const char *publish(int fd, const char *tmp, const char *path,
                           const struct ra_buf *buf, int *errnum)
{
    const char *what = NULL;

    if (fchmod(fd, 0644) < 0 || write_all(fd, buf) < 0)
        what = "cannot write";
    else if (fsync(fd) < 0)
        what = "cannot sync";
    *errnum = errno;
    if (close(fd) < 0 && !what) {
        *errnum = errno;
        what = "cannot close";
    }
    if (!what && rename(tmp, path) < 0) {
        *errnum = errno;
        what = "cannot rename the temporary file over it";
    }
    return what;
}

/* A temporary file beside path, named so that the textfile collector (which reads only
 * "*.prom") skips it, readable by the collector's user. */
static int replace_file(const char *path, const struct ra_buf *buf, struct ra_err *err)
{
    struct ra_buf tmp = RA_BUF_INIT;
    const char *what = NULL;
    int fd, errnum = 0, error = 0;

    ra_buf_printf(&tmp, "%s.XXXXXX", path);
    if ((fd = mkstemp(tmp.ptr)) < 0) {
        errnum = errno;
        what = "cannot create a temporary file beside it";
    } else if ((what = publish(fd, tmp.ptr, path, buf, &errnum))) {
        unlink(tmp.ptr);
    } else if (sync_parent(path) < 0) {
        errnum = errno;
        what = "cannot sync its folder";
    }
    if (what)
        error = ra_err_set(err, RA_EIO, "'%s': %s: %s", path, what, strerror(errnum));
    ra_buf_release(&tmp);
    return error;
}

int ra_prom_write_file(const char *path, struct ra_scan *const *scans, size_t n,
                       struct ra_prom_run *run, struct ra_err *err)
{
    struct ra_buf buf = RA_BUF_INIT;
    struct timespec now;
    int error;

    run->duration = (double)(monotonic_ns() - run->started_ns) / 1e9;
    clock_gettime(CLOCK_REALTIME, &now);
    run->last_complete =
        ra_prom_success(scans, n, run) ? (int64_t)now.tv_sec : previous_complete(path);
    ra_prom_write(&buf, scans, n, run);
    error = replace_file(path, &buf, err);
    ra_buf_release(&buf);
    return error;
}
