/* SPDX-License-Identifier: MIT */
/* What the commands share: progress lines and snapshot arguments. */
#include "cli/cli.h"

#include <stddef.h>
#include <stdarg.h>
#include <strings.h>
#include <sys/stat.h>

#include "analysis/investigate.h"
#include "analysis/logs.h"
#include "analysis/scan.h"
#include "config/sched/tz.h"
#include "ingest/snapshot.h"
#include "model/graph.h"
#include "util/vec.h"

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void put_head(const struct cli_progress *p)
{
    if (p->total)
        fprintf(stderr, "snapshot %zu of %zu: ", p->index + 1, p->total);
    fprintf(stderr, "%s: ", p->name);
}

/* "\r[snapshot 2 of 9: ]name: 12345 entries, 120 / 800 MiB (15%), 95.2 MiB/s, 41000
 * entries/s" */
static void progress(const struct ra_source_stats *st, void *payload)
{
    struct cli_progress *p = payload;
    double secs = seconds_since(&p->start);
    uint64_t bytes = st->bytes_total ? st->bytes_in : st->bytes_out;
    double rate = secs > 0 ? (double)bytes / 1048576.0 / secs : 0;
    double erate = secs > 0 ? (double)st->entries / secs : 0;

    p->entries = st->entries;
    if (!p->ctx->stderr_tty)
        return; /* --progress without a terminal: the finished line only */
    fputc('\r', stderr);
    put_head(p);
    if (st->bytes_total)
        fprintf(stderr,
                "%llu entries, %llu / %llu MiB (%d%%), %.1f MiB/s, %.0f entries/s\033[K",
                (unsigned long long)st->entries, (unsigned long long)(st->bytes_in >> 20),
                (unsigned long long)(st->bytes_total >> 20),
                (int)(st->bytes_in * 100 / st->bytes_total), rate, erate);
    else
        fprintf(stderr, "%llu entries, %llu MiB, %.1f MiB/s, %.0f entries/s\033[K",
                (unsigned long long)st->entries,
                (unsigned long long)(st->bytes_out >> 20), rate, erate);
}

ra_progress_cb cli_progress_start_n(struct cli_progress *p, const char *name, size_t i,
                                    size_t n, const struct ra_ctx *ctx)
{
    p->name = name;
    p->ctx = ctx;
    p->index = i;
    p->total = n;
    p->entries = 0;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    if (!(ctx->stderr_tty || ctx->progress) || ctx->quiet) {
        p->name = NULL;
        return NULL;
    }
    return progress;
}

ra_progress_cb cli_progress_start(struct cli_progress *p, const char *name,
                                  const struct ra_ctx *ctx)
{
    return cli_progress_start_n(p, name, 0, 0, ctx);
}

void cli_progress_end(const struct cli_progress *p)
{
    double secs;

    if (!p->name)
        return;
    if (p->ctx->stderr_tty) {
        fputs("\r\033[K", stderr);
        return;
    }
    secs = seconds_since(&p->start);
    put_head(p);
    fprintf(stderr, "%llu entries in %.2f s (%.0f entries/s)\n",
            (unsigned long long)p->entries, secs,
            secs > 0 ? (double)p->entries / secs : 0);
}

static ra_progress_cb hook_start(const char *name, void *payload)
{
    struct cli_progress *p = payload;
    size_t i = p->name_count++;

    cli_verbose(p->ctx, "reading snapshot '%s'", name);
    return cli_progress_start_n(p, name, i, p->total, p->ctx);
}

static void hook_done(void *payload)
{
    cli_progress_end(payload);
}

static void cli_progress_hooks(struct ra_investigate_opts *o, struct cli_progress *p,
                               const struct ra_ctx *ctx)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    size_t i;

    memset(p, 0, sizeof(*p));
    p->ctx = ctx;
    for (i = 0; i < o->nsnapshots; i++) /* how many there are, for "i of N" */
        ra_snapshot_expand(&specs, o->snapshots[i], &err);
    p->total = specs.len;
    cli_free_snapshots(&specs);
    o->progress_for = hook_start;
    o->progress_done = hook_done;
    o->progress_payload = p;
}

int cli_expand_snapshots(struct ra_vec *specs, char **args, int n)
{
    struct ra_err err = RA_ERR_INIT;
    int i, bad = 0;

    for (i = 0; i < n; i++) {
        if (ra_snapshot_expand(specs, args[i], &err) < 0) {
            cli_error("%s", err.msg);
            bad++;
        }
    }
    return bad;
}

void cli_free_snapshots(struct ra_vec *specs)
{
    size_t i;

    for (i = 0; i < specs->len; i++)
        ra_snapshot_spec_free(specs->items[i]);
    ra_vec_release(specs);
}

const struct cli_opt cli_evidence_opts[] = {
    {.name = "config",
     .kind = CLI_STRING,
     .off = offsetof(struct cli_evidence, inv.config),
     .arg = "REPO",
     .help = "the config repo (git work tree or bare) with jobs and pipelines"},
    {.name = "rev",
     .kind = CLI_STRING,
     .off = offsetof(struct cli_evidence, inv.rev),
     .arg = "REV",
     .help = "its revision to read (default HEAD)"},
    {.name = "tz",
     .kind = CLI_CALL,
     .set = cli_set_zone,
     .off = offsetof(struct cli_evidence, inv.tz),
     .arg = "ZONE",
     .help = "the hosts' time zone for cron jobs that name none (default UTC)"},
    {.name = "cluster-tz",
     .kind = CLI_CALL,
     .set = cli_set_zone,
     .off = offsetof(struct cli_evidence, inv.cluster_tz),
     .arg = "ZONE",
     .help = "the Kubernetes controller's zone, for CronJobs without\n"
             "timeZone (default UTC; --tz describes hosts, not the cluster)"},
    {.name = "log",
     .kind = CLI_CALL,
     .set = cli_add_file,
     .off = offsetof(struct cli_evidence, logs),
     .arg = "FILE|-",
     .help = "registry log, GC output, pipeline history or Alertmanager\n"
             "alerts (repeatable)"},
    {.name = "jobs-file",
     .kind = CLI_CALL,
     .set = cli_add_file,
     .off = offsetof(struct cli_evidence, jobs_files),
     .arg = "FILE",
     .help = "job definitions outside the config repo (repeatable)"},
    {.name = "verify",
     .kind = CLI_FLAG,
     .off = offsetof(struct cli_evidence, inv.verify),
     .help = "hash every blob"},
    {0},
};

void cli_evidence_init(struct cli_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->inv.fold = 1;
}

int cli_check_input(const char *path, int dir_ok)
{
    struct stat st;

    if (!strcmp(path, "-") || stat(path, &st) < 0 || S_ISREG(st.st_mode) ||
        (dir_ok && S_ISDIR(st.st_mode)))
        return 0;
    cli_error("'%s': not a regular file%s (%s)", path, dir_ok ? " or a directory" : "",
              ra_file_kind(st.st_mode));
    return -1;
}

int cli_check_tz(const char *opt, const char *zone)
{
    if (!strcasecmp(zone, "UTC") || ra_tz_known(zone))
        return 0;
    cli_error("%s '%s': unknown time zone (not a zone of the system tz database, "
              "e.g. Europe/Berlin)",
              opt, zone);
    return -1;
}

static void cli_evidence_inputs(struct cli_evidence *ev, char **snapshots, int n)
{
    ev->inv.snapshots = snapshots;
    ev->inv.nsnapshots = (size_t)n;
    ev->inv.logs = (char **)ev->logs.items;
    ev->inv.nlogs = ev->logs.len;
    ev->inv.jobs_files = (char **)ev->jobs_files.items;
    ev->inv.njobs_files = ev->jobs_files.len;
}

void cli_evidence_release(struct cli_evidence *ev)
{
    ra_vec_release(&ev->logs);
    ra_vec_release(&ev->jobs_files);
}

void cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "regautopsy %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; see regautopsy %s --help\n", cmd);
}

void cli_verbose(const struct ra_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    if (!ctx->verbose)
        return;
    fputs("regautopsy: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_verbose_snapshot(const struct ra_ctx *ctx, const struct ra_snapshot *snap)
{
    size_t i;

    if (!ctx->verbose)
        return;
    for (i = 0; i < snap->graphs.len; i++) {
        const struct ra_graph *g = snap->graphs.items[i];
        cli_verbose(ctx, "'%s': registry root '%s'", snap->source,
                    g->root[0] ? g->root : ".");
    }
    cli_verbose(
        ctx, "'%s': %llu entries, %llu bytes read, %zu registry root%s, %zu not read%s",
        snap->source, (unsigned long long)snap->entries,
        (unsigned long long)snap->bytes_in, snap->graphs.len,
        snap->graphs.len == 1 ? "" : "s", snap->unread.len,
        snap->complete ? "" : ", reading stopped early");
    if (snap->reused)
        cli_verbose(
            ctx, "'%s': %llu files unchanged since the snapshot before, not read again",
            snap->source, (unsigned long long)snap->reused);
}

static void cli_verbose_investigation(const struct ra_ctx *ctx,
                                      const struct ra_investigation *inv)
{
    size_t i, kept = 0;

    if (!ctx->verbose)
        return;
    for (i = 0; i < inv->nscans; i++) {
        cli_verbose_snapshot(ctx, inv->scans[i]->snap);
        kept += !inv->scans[i]->thinned;
    }
    if (inv->nscans > 1)
        cli_verbose(
            ctx,
            "graphs kept of %zu of %zu snapshots (those that bracket a loss, and the "
            "newest); %zu read a second time",
            kept, inv->nscans, inv->reread);
    if (inv->picked) {
        size_t n[3] = {0, 0, 0};
        for (i = 0; i < inv->nreads; i++)
            n[inv->reads[i].how]++;
        cli_verbose(ctx,
                    "of %zu snapshots: %zu read whole, %zu in part for bisect, %zu "
                    "skipped (objects lost in the newest: %zu)",
                    inv->nreads, n[RA_READ_WHOLE], n[RA_READ_PART], n[RA_READ_SKIPPED],
                    inv->pick_objects);
    }
    for (i = 0; i < inv->nlogs; i++) {
        const struct ra_log *l = inv->logs[i];
        cli_verbose(ctx,
                    "log '%s': %llu lines, %zu events, %llu of no known format skipped, "
                    "%llu too long skipped",
                    l->path, (unsigned long long)l->lines, l->events.len,
                    (unsigned long long)l->unrecognized, (unsigned long long)l->skipped);
    }
}

static void cli_verbose_inputs(const struct ra_ctx *ctx, const struct cli_evidence *ev)
{
    size_t i;

    if (ev->inv.config)
        cli_verbose(ctx, "reading config repo '%s' at %s", ev->inv.config,
                    ev->inv.rev ? ev->inv.rev : "HEAD");
    for (i = 0; i < ev->logs.len; i++)
        cli_verbose(ctx, "reading log '%s'", (const char *)ev->logs.items[i]);
    for (i = 0; i < ev->jobs_files.len; i++)
        cli_verbose(ctx, "reading jobs file '%s'", (const char *)ev->jobs_files.items[i]);
}

int cli_investigate(struct ra_investigation **out, struct cli_evidence *ev,
                    char **snapshots, int n, const struct ra_ctx *ctx)
{
    struct ra_err err = RA_ERR_INIT;
    struct cli_progress prog;
    int error;

    cli_evidence_inputs(ev, snapshots, n);
    cli_verbose_inputs(ctx, ev);
    cli_progress_hooks(&ev->inv, &prog, ctx);
    error = ra_investigate(out, &ev->inv, &err);
    ev->inv.progress_for = NULL; /* prog ends here */
    ev->inv.progress_done = NULL;
    ev->inv.progress_payload = NULL;
    if (error < 0) {
        cli_error("%s", err.msg);
        return -1;
    }
    cli_verbose_investigation(ctx, *out);
    return 0;
}
