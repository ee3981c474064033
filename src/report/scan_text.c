/* SPDX-License-Identifier: MIT */
/* The scan command's human summary. */
#include "report/scan_out.h"

#include "analysis/scan.h"
#include "model/graph.h"
#include "util/text.h"

/* Untrusted names go through this before reaching a terminal. */
static const char *safe(struct ra_buf *tmp, const char *s)
{
    ra_buf_truncate(tmp, 0);
    return ra_text_safe(tmp, s, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
}

static const char *taken_how(enum ra_taken_source s)
{
    switch (s) {
    case RA_TAKEN_EXPLICIT:
        return "as stated";
    case RA_TAKEN_NAME:
        return "from its name";
    case RA_TAKEN_MTIME:
        return "newest mtime inside, a lower bound";
    case RA_TAKEN_BACKUP_JOB:
        return "a backup job's run just after the newest mtime, likely";
    default:
        return "unknown";
    }
}

static const char *kind_name(const char *mt)
{
    if (!mt)
        return "unknown type";
    if (!strcmp(mt, "application/vnd.oci.image.index.v1+json"))
        return "OCI index";
    if (!strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json"))
        return "Docker manifest list";
    if (!strcmp(mt, "application/vnd.oci.image.manifest.v1+json"))
        return "OCI manifest";
    if (!strcmp(mt, "application/vnd.docker.distribution.manifest.v2+json"))
        return "Docker manifest";
    if (!strncmp(mt, "application/vnd.docker.distribution.manifest.v1", 47))
        return "schema 1 manifest";
    return mt;
}

static void write_tag(struct ra_buf *out, const struct ra_registry_result *r,
                      const struct ra_tag_result *t)
{
    struct ra_buf tmp = RA_BUF_INIT;
    char d[RA_DIGEST_STRLEN];
    size_t i;

    ra_buf_printf(out, "      %s %s", t->pullable ? "ok    " : "BROKEN",
                  safe(&tmp, t->repository));
    ra_buf_printf(out, ":%s", safe(&tmp, t->tag));
    if (t->resolves)
        /* a declared media type is read from the snapshot: untrusted too */
        ra_buf_printf(out, " -> %s (%s)", ra_digest_short(d, &t->digest),
                      safe(&tmp, kind_name(t->media_type)));
    else
        ra_buf_puts(out, " (does not resolve)");
    ra_buf_putc(out, '\n');
    for (i = 0; i < t->nplatforms && (t->is_index || !t->pullable); i++) {
        const struct ra_platform_result *p = &t->platforms[i];
        ra_buf_printf(out, "          %-16s %s  %s\n", safe(&tmp, p->platform),
                      ra_digest_short(d, &p->digest),
                      p->pullable ? "pullable" : ra_finding_code_name(p->reason));
    }
    for (i = 0; !t->pullable && i < r->findings.items.len; i++) {
        const struct ra_finding *f = r->findings.items.items[i];
        if (f->severity != RA_SEV_CRITICAL || strcmp(f->repository, t->repository) ||
            strcmp(f->tag, t->tag))
            continue;
        ra_buf_printf(out, "            %s: %s\n", ra_finding_code_name(f->code),
                      safe(&tmp, f->message));
    }
    ra_buf_release(&tmp);
}

static void write_finding_counts(struct ra_buf *out, const struct ra_findings *fs)
{
    size_t by_sev[4] = {0}, by_code[RA_F__COUNT] = {0}, i;
    const char *sep = "";

    for (i = 0; i < fs->items.len; i++) {
        const struct ra_finding *f = fs->items.items[i];
        by_sev[f->severity]++;
        by_code[f->code]++;
    }
    ra_buf_printf(out, "    findings: %zu critical, %zu error, %zu warning, %zu info",
                  by_sev[0], by_sev[1], by_sev[2], by_sev[3]);
    if (fs->items.len)
        ra_buf_puts(out, " (");
    for (i = 1; i < RA_F__COUNT; i++) {
        if (by_code[i]) {
            ra_buf_printf(out, "%s%s %zu", sep,
                          ra_finding_code_name((enum ra_finding_code)i), by_code[i]);
            sep = ", ";
        }
    }
    ra_buf_puts(out, fs->items.len ? ")\n" : "\n");
}

static void write_registry(struct ra_buf *out, const struct ra_registry_result *r,
                           unsigned flags)
{
    const struct ra_graph_counts *c = &r->counts;
    struct ra_buf tmp = RA_BUF_INIT;
    size_t i;

    ra_buf_printf(out, "  registry %s\n",
                  safe(&tmp, r->graph->root[0] ? r->graph->root : "."));
    ra_buf_printf(
        out,
        "    %zu repositories, %zu tags, %zu manifests, %zu blobs (%llu bytes), "
        "%zu uploads\n",
        c->repositories, c->tags, c->manifests, c->blobs, (unsigned long long)c->bytes,
        c->uploads);
    if (r->unpullable)
        ra_buf_printf(out, "    %zu of %zu tags cannot be pulled:\n", r->unpullable,
                      r->ntags);
    else
        ra_buf_printf(out, "    all %zu tags can be pulled\n", r->ntags);
    for (i = 0; i < r->ntags; i++)
        if (!r->tags[i].pullable || (flags & RA_SCAN_TEXT_ALL_TAGS))
            write_tag(out, r, &r->tags[i]);
    write_finding_counts(out, &r->findings);
    ra_buf_release(&tmp);
}

void ra_scan_write_text(struct ra_buf *out, struct ra_scan *const *scans, size_t n,
                        unsigned flags)
{
    struct ra_buf tmp = RA_BUF_INIT;
    char when[RA_TIME_STRLEN];
    size_t i, j;

    for (i = 0; i < n; i++) {
        const struct ra_scan *s = scans[i];
        const struct ra_snapshot *snap = s->snap;
        ra_buf_printf(out, "%s%s: taken %s (%s), %llu members%s\n", i ? "\n" : "",
                      safe(&tmp, snap->name),
                      snap->taken_at == RA_TIME_NONE
                          ? "at an unknown time"
                          : ra_time_format(when, snap->taken_at),
                      taken_how(snap->taken_source), (unsigned long long)snap->entries,
                      s->verified ? ", every blob hashed" : "");
        for (j = 0; j < s->findings.items.len; j++) {
            const struct ra_finding *f = s->findings.items.items[j];
            ra_buf_printf(out, "  %s: %s\n", ra_finding_code_name(f->code),
                          safe(&tmp, f->message));
        }
        if (!s->nregs)
            ra_buf_puts(out, "  no registry root (docker/registry/v2) found\n");
        for (j = 0; j < s->nregs; j++)
            write_registry(out, s->regs[j], flags);
    }
    ra_buf_release(&tmp);
}
