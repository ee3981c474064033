/* SPDX-License-Identifier: MIT */
#include "analysis/detection_gap.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define MAX_WORDS 64

const char *ra_probe_depth_name(enum ra_probe_depth d)
{
    static const char *const names[] = {"unknown",  "list", "top",
                                        "platform", "pull", "all"};

    return (unsigned)d < RA_ARRAY_SIZE(names) ? names[d] : "unknown";
}

/* What each depth fetches, for the report's sentences. */
static const char *depth_text(enum ra_probe_depth d)
{
    switch (d) {
    case RA_PROBE_LIST:
        return "lists names only";
    case RA_PROBE_TOP:
        return "fetches only the tag's manifest or index, not its platforms' manifests "
               "or blobs";
    case RA_PROBE_PLATFORM:
        return "fetches one platform's manifest and config, not its layers";
    case RA_PROBE_PULL:
        return "pulls one platform with its blobs";
    case RA_PROBE_ALL:
        return "pulls every platform and every blob";
    default:
        return "does something regautopsy cannot judge";
    }
}

static size_t split(char words[MAX_WORDS][256], const char *s)
{
    size_t n = 0, len;

    while (*s && n < MAX_WORDS) {
        s += strspn(s, " \t\r\n;|&()'\"");
        len = strcspn(s, " \t\r\n;|&()'\"");
        if (!len)
            break;
        if (len > 255)
            len = 255;
        memcpy(words[n], s, len);
        words[n++][len] = '\0';
        s += len;
    }
    return n;
}

static const char *base(const char *w)
{
    const char *slash = strrchr(w, '/');

    return slash ? slash + 1 : w;
}

static int has_word(char words[MAX_WORDS][256], size_t from, size_t n, const char *w)
{
    for (; from < n; from++)
        if (!strcmp(words[from], w))
            return 1;
    return 0;
}

/* "docker://host:5000/a/b:tag", "host/a/b:tag", "a/b:tag" -> "a/b:tag" (tag "latest"
 * when none); NULL for a variable, a digest or no name. */
static const char *image_name(struct ra_pool *pool, const char *ref)
{
    const char *p = ref, *slash, *colon;
    struct ra_buf b = RA_BUF_INIT;
    const char *out;

    if (!strncmp(p, "docker://", 9))
        p += 9;
    if (!*p || *p == '-' || strchr(p, '$') || strchr(p, '@') || strchr(p, '{'))
        return NULL;
    slash = strchr(p, '/');
    if (slash && (memchr(p, '.', (size_t)(slash - p)) ||
                  memchr(p, ':', (size_t)(slash - p)) || !strncmp(p, "localhost/", 10)))
        p = slash + 1;
    colon = strrchr(p, ':');
    ra_buf_puts(&b, p);
    if (!colon || strchr(colon, '/'))
        ra_buf_puts(&b, ":latest");
    out = ra_pool_strdup(pool, b.ptr);
    ra_buf_release(&b);
    return out;
}

/* The first argument after word i that is not an option. */
static const char *first_arg(char words[MAX_WORDS][256], size_t i, size_t n)
{
    for (i++; i < n; i++)
        if (words[i][0] != '-')
            return words[i];
    return NULL;
}

/* "http://host/v2/a/b/manifests/tag" -> "a/b:tag" */
static const char *url_target(struct ra_pool *pool, const char *url)
{
    const char *v2 = strstr(url, "/v2/"), *m;
    struct ra_buf b = RA_BUF_INIT;
    const char *out = NULL;

    if (!v2 || !(m = strstr(v2, "/manifests/")) || m <= v2 + 4)
        return NULL;
    ra_buf_put(&b, v2 + 4, (size_t)(m - v2 - 4));
    ra_buf_putc(&b, ':');
    ra_buf_puts(&b, m + 11);
    if (!strchr(b.ptr, '$') && !strstr(b.ptr, ":sha256:"))
        out = ra_pool_strdup(pool, b.ptr);
    ra_buf_release(&b);
    return out;
}

static enum ra_probe_depth http_depth(const char **target, struct ra_pool *pool,
                                      char words[MAX_WORDS][256], size_t i, size_t n)
{
    int blobs = 0, manifests = 0;

    for (i++; i < n; i++) {
        if (strstr(words[i], "/blobs/"))
            blobs = 1;
        if (strstr(words[i], "/manifests/")) {
            manifests = 1;
            if (!*target)
                *target = url_target(pool, words[i]);
        }
    }
    if (blobs)
        return RA_PROBE_ALL;
    return manifests ? RA_PROBE_TOP : RA_PROBE_LIST;
}

static enum ra_probe_depth tool_depth(const char **target, struct ra_pool *pool,
                                      char words[MAX_WORDS][256], size_t i, size_t n)
{
    const char *prog = base(words[i]), *sub = i + 1 < n ? words[i + 1] : "";
    const char *verb = i + 2 < n ? words[i + 2] : "";
    const char *arg = first_arg(words, i + 1, n);
    int all = has_word(words, i, n, "--all") ||
              has_word(words, i, n, "--multi-arch=all") ||
              has_word(words, i, n, "--platform=all");
    enum ra_probe_depth d = RA_PROBE_UNKNOWN;

    if (!strcmp(prog, "skopeo") && !strcmp(sub, "inspect"))
        d = has_word(words, i, n, "--raw") ? RA_PROBE_TOP : RA_PROBE_PLATFORM;
    else if (!strcmp(prog, "skopeo") && (!strcmp(sub, "copy") || !strcmp(sub, "sync")))
        d = all ? RA_PROBE_ALL : RA_PROBE_PULL;
    else if (!strcmp(prog, "crane") && !strcmp(sub, "validate"))
        d = RA_PROBE_ALL;
    else if (!strcmp(prog, "crane") && (!strcmp(sub, "copy") || !strcmp(sub, "cp")))
        d = RA_PROBE_ALL;
    else if (!strcmp(prog, "crane") && (!strcmp(sub, "pull") || !strcmp(sub, "export")))
        d = all ? RA_PROBE_ALL : RA_PROBE_PULL;
    else if (!strcmp(prog, "crane") &&
             (!strcmp(sub, "manifest") || !strcmp(sub, "digest")))
        d = RA_PROBE_TOP;
    else if (!strcmp(prog, "regctl") && !strcmp(sub, "image") &&
             (!strcmp(verb, "copy") || !strcmp(verb, "export")))
        d = RA_PROBE_ALL;
    else if (!strcmp(prog, "regctl") && !strcmp(sub, "image") && !strcmp(verb, "inspect"))
        d = RA_PROBE_PLATFORM;
    else if (!strcmp(prog, "regctl") &&
             (!strcmp(sub, "manifest") || !strcmp(sub, "image")))
        d = RA_PROBE_TOP;
    else if (!strcmp(prog, "reg") && (!strcmp(sub, "manifest") || !strcmp(sub, "digest")))
        d = RA_PROBE_TOP;
    else if ((!strcmp(prog, "docker") || !strcmp(prog, "podman")) && !strcmp(sub, "pull"))
        d = all ? RA_PROBE_ALL : RA_PROBE_PULL;
    else if (!strcmp(prog, "crane") || !strcmp(prog, "regctl") || !strcmp(prog, "reg"))
        d = RA_PROBE_LIST; /* ls, tags, catalog */
    if (d == RA_PROBE_UNKNOWN)
        return d;
    /* regctl image copy/inspect and the like: the image follows the verb */
    if (!strcmp(prog, "regctl") && arg && (!strcmp(arg, verb)))
        arg = first_arg(words, i + 2, n);
    if (d != RA_PROBE_LIST && arg)
        *target = image_name(pool, arg);
    return d;
}

enum ra_probe_depth ra_probe_depth_of(const char **target, struct ra_pool *pool,
                                      const char *command)
{
    char words[MAX_WORDS][256];
    size_t i, n = command ? split(words, command) : 0;
    enum ra_probe_depth d;

    *target = NULL;
    for (i = 0; i < n; i++) {
        const char *prog = base(words[i]);
        if (!strcmp(prog, "curl") || !strcmp(prog, "wget") || !strcmp(prog, "http"))
            return http_depth(target, pool, words, i, n);
        d = tool_depth(target, pool, words, i, n);
        if (d != RA_PROBE_UNKNOWN)
            return d;
    }
    return RA_PROBE_UNKNOWN;
}

enum ra_probe_depth ra_probe_depth_needed(enum ra_finding_code reason, int all_platforms)
{
    switch (reason) {
    case RA_F_TAG_TARGET_MISSING:
    case RA_F_MANIFEST_LINK_MISSING:
    case RA_F_MANIFEST_BLOB_MISSING:
    case RA_F_MANIFEST_UNPARSEABLE:
        return RA_PROBE_TOP;
    case RA_F_INDEX_CHILD_MISSING:
        return all_platforms ? RA_PROBE_PLATFORM : RA_PROBE_ALL;
    default:
        return all_platforms ? RA_PROBE_PULL : RA_PROBE_ALL;
    }
}

static int all_platforms_fail(const struct ra_tag_result *t)
{
    size_t i;

    for (i = 0; i < t->nplatforms; i++)
        if (t->platforms[i].pullable)
            return 0;
    return 1;
}

/* The probing line: the first line the classifier took as a probe, else the command. */
static const char *probe_line(const struct ra_job *job)
{
    size_t i;

    for (i = 0; i < job->evidence.len; i++) {
        const struct ra_job_evidence *e = job->evidence.items[i];
        if (e->cls & RA_JOB_PROBE)
            return e->text;
    }
    return job->command;
}

static int same_tag(const char *target, const struct ra_tag_result *t)
{
    size_t n = strlen(t->repository);

    return !strncmp(target, t->repository, n) && target[n] == ':' &&
           !strcmp(target + n + 1, t->tag);
}

void ra_probe_check_job(struct ra_probe_check *out, struct ra_pool *pool,
                        const struct ra_job *job,
                        const struct ra_tag_result *const *broken, size_t nbroken)
{
    const struct ra_tag_result *hit = NULL;
    enum ra_probe_depth need = RA_PROBE_LIST, n;
    struct ra_buf b = RA_BUF_INIT;
    size_t i;

    memset(out, 0, sizeof(*out));
    out->job_id = job->id;
    out->name = job->name;
    out->schedule = job->schedule;
    out->timezone = job->timezone;
    out->command = probe_line(job);
    ra_buf_printf(&b, "%s:%u", job->path, job->line);
    out->defined_in = ra_pool_strdup(pool, b.ptr);
    out->depth = ra_probe_depth_of(&out->target, pool, out->command);
    for (i = 0; i < nbroken; i++) {
        if (out->target && !same_tag(out->target, broken[i]))
            continue;
        n = ra_probe_depth_needed(broken[i]->reason, all_platforms_fail(broken[i]));
        if (!hit || n > need) {
            hit = broken[i];
            need = n;
        }
    }
    ra_buf_truncate(&b, 0);
    if (out->depth == RA_PROBE_UNKNOWN) {
        out->catches = -1;
        ra_buf_puts(&b, "regautopsy cannot tell how deep this probe looks");
    } else if (!hit) {
        out->catches = 0;
        ra_buf_printf(&b, "it probes %s, which can still be pulled",
                      out->target ? out->target : "no broken tag");
    } else {
        out->catches = out->depth >= need;
        ra_buf_printf(
            &b, "it %s; %s:%s fails %s, so it %s", depth_text(out->depth),
            hit->repository, hit->tag,
            need == RA_PROBE_TOP ? "at its manifest" : "below its tag's manifest",
            out->catches ? "would catch this damage" : "would not catch this damage");
        if (!out->target)
            ra_buf_printf(&b, " if it probes %s:%s", hit->repository, hit->tag);
    }
    out->why = ra_pool_strdup(pool, b.ptr);
    ra_buf_release(&b);
}

static int cmp_check(const void *a, const void *b)
{
    const struct ra_probe_check *x = *(const struct ra_probe_check *const *)a;
    const struct ra_probe_check *y = *(const struct ra_probe_check *const *)b;

    return strcmp(x->job_id, y->job_id);
}

static const struct ra_job *newest_job(const struct ra_sched_job *j,
                                       const struct ra_job_version **ver)
{
    size_t k;

    for (k = j->versions.len; k-- > 0;) {
        const struct ra_job_version *v = j->versions.items[k];
        if (v->job) {
            *ver = v;
            return v->job;
        }
    }
    return NULL;
}

/* The unpullable tags of newest (calloc'd, NULL when none); their count in *n. */
static const struct ra_tag_result **broken_tags(size_t *n, const struct ra_scan *newest)
{
    const struct ra_tag_result **broken = NULL;
    size_t i, k, count = 0;

    for (k = 0; newest && k < newest->nregs; k++)
        count += newest->regs[k]->unpullable;
    if (count)
        broken = calloc(count, sizeof(*broken));
    count = 0;
    for (k = 0; broken && k < newest->nregs; k++)
        for (i = 0; i < newest->regs[k]->ntags; i++)
            if (!newest->regs[k]->tags[i].pullable)
                broken[count++] = &newest->regs[k]->tags[i];
    *n = count;
    return broken;
}

void ra_detection_gap_compute(struct ra_detection_gap *out, const struct ra_schedule *s,
                              ra_time at, const struct ra_scan *newest)
{
    size_t i, nbroken;
    const struct ra_tag_result **broken = broken_tags(&nbroken, newest);

    for (i = 0; s && i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        const struct ra_job_version *v = ra_schedule_version_at(j, at);
        const struct ra_job *job = v ? v->job : NULL;
        struct ra_probe_check *c;
        int in_effect = job && !job->disabled && !job->absent;

        if (!job)
            job = newest_job(j, &v);
        if (!job || !(job->classes & RA_JOB_PROBE))
            continue;
        c = ra_pool_alloc(&out->pool, sizeof(*c));
        ra_probe_check_job(c, &out->pool, job, broken, nbroken);
        c->in_effect = in_effect;
        c->commit = v->commit ? ra_pool_strndup(&out->pool, v->commit->id, 12) : NULL;
        out->catching += in_effect && c->catches == 1;
        ra_vec_push(&out->probes, c);
    }
    ra_vec_sort(&out->probes, cmp_check);
    free(broken);
}

/* Does version v define an enabled probe that would fail on the broken tags? */
static int catching_version(struct ra_pool *pool, const struct ra_job_version *v,
                            const struct ra_tag_result *const *broken, size_t nbroken)
{
    struct ra_probe_check c;

    if (!v->job || v->job->disabled || v->job->absent ||
        !(v->job->classes & RA_JOB_PROBE))
        return 0;
    ra_probe_check_job(&c, pool, v->job, broken, nbroken);
    return c.catches == 1;
}

const struct ra_commit_info *ra_detection_gap_caught_since(const struct ra_schedule *s,
                                                           const struct ra_scan *newest)
{
    const struct ra_commit_info *by = NULL;
    struct ra_pool pool = RA_POOL_INIT;
    size_t i, k, nbroken;
    const struct ra_tag_result **broken = broken_tags(&nbroken, newest);

    for (i = 0; s && broken && i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        const struct ra_commit_info *from = NULL;
        /* back from the newest version while each still catches */
        for (k = j->versions.len; k-- > 0;) {
            const struct ra_job_version *v = j->versions.items[k];
            if (!v->commit || !catching_version(&pool, v, broken, nbroken))
                break;
            from = v->commit;
        }
        if (from && (!by || from->time < by->time))
            by = from;
    }
    ra_pool_release(&pool);
    free(broken);
    return by;
}

void ra_detection_gap_release(struct ra_detection_gap *g)
{
    ra_vec_release(&g->probes);
    ra_pool_release(&g->pool);
}
