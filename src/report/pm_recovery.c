/* SPDX-License-Identifier: MIT */
/* The post-mortem model: recovery. */
/* Every value in a command goes through ra_shell_quote (util/shell.h); a value that
 * cannot be pasted as it is (not UTF-8, control bytes) or a name the registry would
 * have refused never appears in one: the step says what to do by hand instead (the
 * analysis decides which: analysis/postmortem.h). */
#include "report/pm_internal.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "analysis/scan.h"
#include "analysis/correlate.h"
#include "config/jobs/jobs.h"
#include "ingest/source.h"
#include "model/storage_path.h"
#include "report/json.h"
#include "report/md.h"
#include "util/shell.h"

static json_t *step(const char *kind, const char *title, const char *commands)
{
    struct ra_buf b = RA_BUF_INIT, fence = RA_BUF_INIT;
    json_t *o;

    if (commands) { /* the template closes the code block on its own line */
        ra_buf_puts(&b, commands);
        while (b.len && b.ptr[b.len - 1] == '\n')
            ra_buf_truncate(&b, b.len - 1);
        ra_md_fence(&fence, b.ptr);
    }
    o = json_pack("{s:s,s:o,s:o,s:o}", "kind", kind, "title", ra_json_str(title),
                  "commands", commands ? ra_json_str(b.ptr) : json_null(), "fence",
                  commands ? ra_json_str(fence.ptr) : json_null());
    ra_buf_release(&b);
    ra_buf_release(&fence);
    return o;
}

/* `"$ROOT"/<rel>` with rel quoted. */
static void root_path(struct ra_buf *cmd, const char *rel)
{
    ra_buf_puts(cmd, "\"$ROOT\"/");
    ra_shell_quote(cmd, rel);
}

/* "for d in HEX...; do" (the body indented), or for one digest "d=HEX" (a loop that
 * runs once is what shellcheck warns of). Returns the body's indent. */
static const char *loop_open(struct ra_buf *cmd, const struct ra_vec *hexes)
{
    size_t i;

    if (hexes->len == 1) {
        ra_buf_printf(cmd, "d=%s\n", (const char *)hexes->items[0]);
        return "";
    }
    ra_buf_puts(cmd, "for d in");
    for (i = 0; i < hexes->len; i++)
        ra_buf_printf(cmd, " %s", (const char *)hexes->items[i]);
    ra_buf_puts(cmd, "; do\n");
    return "    ";
}

static void loop_close(struct ra_buf *cmd, const struct ra_vec *hexes)
{
    if (hexes->len > 1)
        ra_buf_puts(cmd, "done\n");
}

/* One loop per repository: the revision links of manifests whose data is still stored.
 * Digests are hex, so only the repository needs quoting. */
static void relink_cmds(struct ra_buf *cmd, const char *repository,
                        const struct ra_vec *hexes)
{
    struct ra_buf dir = RA_BUF_INIT;
    const char *in = loop_open(cmd, hexes);

    ra_storage_folder(&dir, "", RA_STORE_REVISIONS, repository, NULL, NULL);
    ra_buf_printf(cmd, "%sdir=", in);
    root_path(cmd, dir.ptr);
    ra_buf_printf(cmd,
                  "/\"$d\"\n"
                  "%sif [ -f \"$ROOT/blobs/sha256/$(printf %%.2s \"$d\")/$d/data\" ]; "
                  "then mkdir -p \"$dir\" && printf 'sha256:%%s' \"$d\" > "
                  "\"$dir/link\"\n"
                  "%selse echo \"sha256:$d: its data is not in ROOT: link not "
                  "re-created\" >&2; fi\n",
                  in, in);
    loop_close(cmd, hexes);
    ra_buf_release(&dir);
}

/* One loop per snapshot: copy each blob back (an archive member as named, or with the
 * "./" that `tar -C DIR .` puts in front; a directory's file with cp -p), then check its
 * digest. The snapshot and the registry's prefix in it are quoted once. */
/* Where a restore loop reads: a snapshot (an archive, or a directory) and the registry's
 * prefix in it. skip: leave what ROOT holds already (a restore before relinks). */
struct restore_src {
    const char *source, *root;
    int from_dir, skip;
};

static void restore_cmds(struct ra_buf *cmd, const struct restore_src *rs,
                         const struct ra_vec *hexes)
{
    const char *src = rs->source;
    const char *pre = rs->root[0] ? "$pre" : "", *in;
    struct ra_buf prefix = RA_BUF_INIT;

    ra_buf_puts(cmd, "snap=");
    ra_buf_printf(&prefix, "%s%s", src[0] == '-' ? "./" : "", src);
    ra_shell_quote(cmd, prefix.ptr);
    ra_buf_puts(cmd, "  # the snapshot as regautopsy read it: adjust");
    ra_buf_truncate(&prefix, 0);
    if (rs->root[0]) {
        ra_buf_printf(&prefix, "%s/", rs->root);
        ra_buf_puts(cmd, "\npre=");
        ra_shell_quote(cmd, prefix.ptr);
    }
    ra_buf_putc(cmd, '\n');
    in = loop_open(cmd, hexes);
    ra_buf_printf(cmd, "%sp=blobs/sha256/$(printf %%.2s \"$d\")/$d/data\n", in);
    if (rs->skip) /* a loop that runs once has nothing to continue */
        ra_buf_printf(cmd,
                      hexes->len > 1 ? "%s[ -f \"$ROOT/$p\" ] && continue\n"
                                     : "%sif [ ! -f \"$ROOT/$p\" ]; then\n",
                      in);
    ra_buf_printf(cmd, "%smkdir -p \"$ROOT/${p%%/data}\"\n", in);
    if (rs->from_dir)
        ra_buf_printf(cmd, "%sif cp -p \"$snap/%s$p\" \"$ROOT/$p.tmp\" &&\n", in, pre);
    else
        ra_buf_printf(cmd,
                      "%sif { tar -xOf \"$snap\" \"%s$p\" 2>/dev/null || "
                      "tar -xOf \"$snap\" \"./%s$p\"; } > \"$ROOT/$p.tmp\" &&\n",
                      in, pre, pre);
    ra_buf_printf(
        cmd,
        "%s    echo \"$d  $ROOT/$p.tmp\" | sha256sum -c -; "
        "then mv \"$ROOT/$p.tmp\" \"$ROOT/$p\"\n"
        "%selse rm -f \"$ROOT/$p.tmp\"; echo \"sha256:$d: not restored\" >&2; fi\n",
        in, in);
    if (rs->skip && hexes->len == 1)
        ra_buf_puts(cmd, "fi\n");
    loop_close(cmd, hexes);
    ra_buf_release(&prefix);
}

/* Repairs done by one command loop: relinks in one repository, restores from one
 * snapshot and registry prefix. */
static int same_group(const struct ra_pm_repair *a, const struct ra_pm_repair *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == RA_PM_RELINK)
        return !strcmp(a->loss->repository, b->loss->repository);
    return a->from == b->from && a->from_dir == b->from_dir &&
           !strcmp(a->loss->root, b->loss->root);
}

/* When the damaging job ran again after the newest snapshot: the plan holds for storage
 * as of that snapshot only, so the blocks also restore the data of the tag's index and of
 * the manifests they relink where ROOT lacks it (before the relinks), and relink the
 * index. mhex: those manifests, the index first. */
struct again {
    int on;
    struct ra_vec mhex;
    int used; /* the manifests went into a restore loop */
};

static int scan_has(const struct ra_scan *s, const char *root, const struct ra_vec *mhex)
{
    struct ra_digest d;
    size_t i, j;

    for (i = 0; i < s->nregs; i++) {
        if (strcmp(s->regs[i]->graph->root, root))
            continue;
        for (j = 0; j < mhex->len; j++) {
            const char *h = mhex->items[j];
            if (ra_digest_from_hex(&d, h, strlen(h)) ||
                !ra_graph_find_blob(s->regs[i]->graph, &d))
                return 0;
        }
        return 1;
    }
    return 0;
}

static void restore_title(struct ra_buf *t, size_t nblobs, size_t nman, const char *from)
{
    if (!nblobs) {
        ra_buf_printf(t,
                      "Restore the data of %zu manifest%s where ROOT lacks it from %s, "
                      "the newest snapshot, and check %s digest",
                      nman, nman > 1 ? "s" : "", from, nman > 1 ? "each" : "its");
        return;
    }
    ra_buf_printf(t, "Restore %zu blob%s", nblobs, nblobs > 1 ? "s" : "");
    if (nman)
        ra_buf_printf(t, ", and the data of %zu manifest%s where ROOT lacks it,", nman,
                      nman > 1 ? "s" : "");
    ra_buf_printf(t, " from %s, the last snapshot that has %s, and check %s digest", from,
                  nman         ? "the blobs"
                  : nblobs > 1 ? "them"
                               : "it",
                  nblobs > 1 || nman ? "each" : "its");
}

static int listed_hex(const struct ra_vec *hexes, const char *h)
{
    size_t i;

    for (i = 0; i < hexes->len; i++)
        if (!strcmp(hexes->items[i], h))
            return 1;
    return 0;
}

/* One step per group of p's repairs of this kind (RA_PM_RELINK or RA_PM_RESTORE). */
static void grouped_steps(json_t *steps, struct ra_pm_model *m,
                          const struct ra_pm_tag_plan *p, enum ra_pm_repair_kind kind,
                          struct again *ag)
{
    size_t n = p->nrepairs, i, j, nman;
    unsigned char *done = ra_xcalloc(n + 1, 1);
    char(*hex)[RA_DIGEST_STRLEN] = ra_xcalloc(n + 1, sizeof(*hex));
    struct ra_vec hexes = RA_VEC_INIT;
    struct ra_buf cmd = RA_BUF_INIT;
    struct restore_src rs;

    for (i = 0; i < n; i++) {
        const struct ra_pm_repair *r = &p->repairs[i];
        if (done[i] || r->kind != kind)
            continue;
        hexes.len = 0;
        nman = 0;
        for (j = i; j < n; j++) {
            if (done[j] || !same_group(r, &p->repairs[j]))
                continue;
            ra_digest_format(hex[j], &p->repairs[j].loss->digest);
            ra_vec_push(&hexes, hex[j] + 7);
            done[j] = 1;
        }
        ra_buf_truncate(&cmd, 0);
        ra_buf_truncate(&m->tmp, 0);
        if (kind == RA_PM_RELINK) {
            if (ag->on && p->tag->resolves &&
                !strcmp(r->loss->repository, p->tag->repository) && ag->mhex.len &&
                !listed_hex(&hexes, ag->mhex.items[0]))
                ra_vec_push(&hexes, ag->mhex.items[0]);
            relink_cmds(&cmd, r->loss->repository, &hexes);
            ra_buf_printf(&m->tmp, "%s %zu revision link%s in %s%s",
                          ag->on ? "Then re-create" : "Re-create", hexes.len,
                          hexes.len > 1 ? "s" : "", r->loss->repository,
                          ag->on ? "" : ": the manifest data is still in storage");
        } else {
            size_t nblobs = hexes.len;
            if (ag->on && !ag->used && ag->mhex.len &&
                scan_has(r->from, r->loss->root, &ag->mhex)) {
                for (j = 0; j < ag->mhex.len; j++)
                    ra_vec_push(&hexes, ag->mhex.items[j]);
                nman = ag->mhex.len;
                ag->used = 1;
            }
            rs.source = r->from->snap->source;
            rs.root = r->loss->root;
            rs.from_dir = r->from_dir;
            rs.skip = nman > 0;
            restore_cmds(&cmd, &rs, &hexes);
            restore_title(&m->tmp, nblobs, nman, r->from->snap->name);
        }
        json_array_append_new(steps, step(kind == RA_PM_RELINK ? "relink" : "restore",
                                          m->tmp.ptr, cmd.ptr));
    }
    ra_vec_release(&hexes);
    ra_buf_release(&cmd);
    free(hex);
    free(done);
}

/* The manifests' data from the newest snapshot when no restore loop took it. */
static void newest_restore(json_t *steps, struct ra_pm_model *m,
                           const struct ra_pm_tag_plan *p, struct again *ag)
{
    const struct ra_scan *nw = m->pm->newest;
    struct ra_buf cmd = RA_BUF_INIT;
    struct restore_src rs;

    if (!ag->on || ag->used || !ag->mhex.len || !ra_shell_pasteable(nw->snap->source) ||
        !ra_shell_pasteable(p->reg->graph->root))
        return;
    rs.source = nw->snap->source;
    rs.root = p->reg->graph->root;
    rs.from_dir = ra_source_is_dir(nw->snap->source);
    rs.skip = 1;
    restore_cmds(&cmd, &rs, &ag->mhex);
    ra_buf_truncate(&m->tmp, 0);
    restore_title(&m->tmp, 0, ag->mhex.len, nw->snap->name);
    json_array_append_new(steps, step("restore", m->tmp.ptr, cmd.ptr));
    ag->used = 1;
    ra_buf_release(&cmd);
}

static void lost_item(struct ra_buf *out, size_t *n, const struct ra_loss *l,
                      const char *why)
{
    char hex[RA_DIGEST_STRLEN];

    ra_buf_printf(
        out, "%s%s %s%s", (*n)++ ? ", " : "", ra_object_kind_name(l->object),
        l->object == RA_OBJ_TAG ? l->tag_name : ra_digest_short(hex, &l->digest), why);
}

struct recovery {
    struct ra_buf lost, manual, recycled;
    size_t nlost, nmanual, nrecycled;
};

/* A lost blob no snapshot holds but a NAS recycle bin does: the copy is its source when
 * it matches the digest, else the lost item says why not. */
static void recycled_item(struct recovery *rc, const struct ra_pm_repair *r)
{
    struct ra_buf why = RA_BUF_INIT;
    char hex[RA_DIGEST_STRLEN];

    if (r->kind == RA_PM_RECYCLED) {
        ra_digest_short(hex, &r->loss->digest);
        ra_buf_printf(&rc->recycled, "%sblob %s from %s in snapshot %s",
                      rc->nrecycled++ ? ", " : "", hex, r->recycled->path,
                      r->recycled_in->name);
        return;
    }
    ra_buf_printf(&why,
                  " (the copy in a NAS recycle bin, %s in snapshot %s, does not "
                  "match its digest)",
                  r->recycled->path, r->recycled_in->name);
    lost_item(&rc->lost, &rc->nlost, r->loss, why.ptr);
    ra_buf_release(&why);
}

static void recovery_collect(struct recovery *rc, const struct ra_pm_tag_plan *p)
{
    size_t i;

    for (i = 0; i < p->nrepairs; i++) {
        const struct ra_pm_repair *r = &p->repairs[i];
        switch (r->kind) {
        case RA_PM_RELINK:
        case RA_PM_RESTORE:
            break; /* grouped: relink_groups, restore_groups */
        case RA_PM_MANUAL_NAME:
            lost_item(&rc->manual, &rc->nmanual, r->loss,
                      " (repository name outside the grammar)");
            break;
        case RA_PM_MANUAL_PATH:
            lost_item(&rc->manual, &rc->nmanual, r->loss,
                      " (its snapshot path has bytes a shell cannot be given as shown)");
            break;
        case RA_PM_RECYCLED:
            recycled_item(rc, r);
            break;
        case RA_PM_LOST:
            if (r->recycled)
                recycled_item(rc, r);
            else
                lost_item(&rc->lost, &rc->nlost, r->loss, "");
            break;
        }
    }
}

static void recovery_release(struct recovery *rc)
{
    ra_buf_release(&rc->lost);
    ra_buf_release(&rc->manual);
    ra_buf_release(&rc->recycled);
}

/* The evidence's repair rebuilt this tag (ref), and the damaging job ran again after
 * that rebuild, outside the evidence: the tag now points at a rebuild no snapshot holds,
 * which that run likely damaged the same way. */
static int rebuilt_then_again(const struct ra_pm_model *m, const char *ref)
{
    const struct ra_postmortem *pm = m->pm;
    const struct ra_log_event *ev = pm->rebuilt.event;

    return ev && ev->pipeline && pm->rebuilt_ref && !strcmp(pm->rebuilt_ref, ref) &&
           pm->recurrence.next && !pm->recurrence.covered &&
           pm->recurrence.next->time > ra_log_event_end(ev);
}

static void rebuild_step(json_t *steps, struct ra_pm_model *m,
                         const struct ra_tag_result *t, const struct recovery *rc)
{
    json_t *pushers = json_array();
    struct ra_buf ref = RA_BUF_INIT;
    const struct ra_postmortem *pm = m->pm;

    ra_buf_printf(&ref, "%s:%s", t->repository, t->tag);
    ra_pm_pipeline_rows(pushers, m->inv->schedule, ref.ptr, 1);
    ra_buf_truncate(&m->tmp, 0);
    if (rc->nlost)
        ra_buf_printf(&m->tmp, "No snapshot holds %s: rebuild %s and push it again",
                      rc->lost.ptr, ref.ptr);
    else if (rebuilt_then_again(m, ref.ptr))
        ra_buf_printf(&m->tmp,
                      "Then check the tag itself: it points at a rebuild that %s's "
                      "later run likely damaged too, and no snapshot holds it; if it "
                      "does not pull, rebuild %s and push it again",
                      pm->recurrence.next->job_name, ref.ptr);
    else
        ra_buf_printf(&m->tmp, "Or rebuild %s and push it again", ref.ptr);
    if (json_array_size(pushers)) {
        json_t *p0 = json_array_get(pushers, 0);
        ra_buf_printf(&m->tmp, " with pipeline %s (%s)",
                      json_string_value(json_object_get(p0, "pipeline")),
                      json_string_value(json_object_get(p0, "defined_in")));
    } else {
        ra_buf_puts(&m->tmp, " with the pipeline that builds it");
    }
    /* the repair the evidence shows was this rebuild */
    if (pm->rebuilt.event && pm->rebuilt.event->pipeline && pm->rebuilt_ref &&
        !strcmp(pm->rebuilt_ref, ref.ptr))
        ra_buf_printf(&m->tmp, ", as run #%lld did",
                      (long long)pm->rebuilt.event->pipeline->number);
    if (!rc->nlost && !rebuilt_then_again(m, ref.ptr))
        ra_buf_puts(&m->tmp, " (new digests; whoever pins the old index digest keeps "
                             "failing)");
    json_array_append_new(steps, step("rebuild", m->tmp.ptr, NULL));
    json_decref(pushers);
    ra_buf_release(&ref);
}

static void verify_step(json_t *steps, struct ra_pm_model *m,
                        const struct ra_tag_result *t)
{
    struct ra_buf ref = RA_BUF_INIT;

    if (t->resolves) { /* the restored index: the tag may name a rebuild by now */
        char hex[RA_DIGEST_STRLEN];
        ra_digest_format(hex, &t->digest);
        ra_buf_printf(&ref, "docker://REGISTRY/%s@%s", t->repository, hex);
    } else {
        ra_buf_printf(&ref, "docker://REGISTRY/%s:%s", t->repository, t->tag);
    }
    ra_buf_truncate(&m->tmp, 0);
    ra_buf_puts(&m->tmp, "skopeo copy --all ");
    ra_shell_quote(&m->tmp, ref.ptr);
    ra_buf_puts(&m->tmp, " dir:/tmp/regautopsy-check\n");
    json_array_append_new(steps,
                          step("verify",
                               t->resolves ? "Check that the image pulls again by its "
                                             "digest"
                                           : "Check that the tag pulls again",
                               m->tmp.ptr));
    ra_buf_release(&ref);
}

/* Does path have a ".." segment (an archive member's prefix may)? */
static int has_dotdot(const char *path)
{
    const char *p = path;

    for (; (p = strstr(p, "..")); p += 2)
        if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
            return 1;
    return 0;
}

/* The ROOT= line: the live registry's v2 folder, from the snapshot's prefix when it has
 * one (a snapshot that is the storage root itself has none). */
static void root_hint(struct ra_buf *hint, const char *root)
{
    struct ra_buf abs = RA_BUF_INIT;

    if (root[0] && ra_shell_pasteable(root) && !has_dotdot(root)) {
        ra_buf_printf(&abs, "/%s", root);
        ra_buf_puts(hint, "ROOT=");
        ra_shell_quote(hint, abs.ptr);
        ra_buf_puts(hint, "  # the live registry's storage: adjust");
    } else {
        ra_buf_puts(hint,
                    "ROOT=/var/lib/registry/docker/registry/v2  # the live registry's "
                    "<rootdirectory>/docker/registry/v2: adjust");
    }
    ra_buf_release(&abs);
}

/* A part of the tag's recovery as the report shows it: prose, and a code block or none.
 */
static json_t *part(const char *text, const char *commands)
{
    json_t *o = step("part", text, commands);

    json_object_set(o, "text", json_object_get(o, "title"));
    json_object_del(o, "title");
    json_object_del(o, "kind");
    return o;
}

/* The steps as the report shows them: the commands of the relink and restore steps in
 * one block that begins with its own ROOT= line (so that it pastes alone), their titles
 * as one paragraph before it; the check that the tag pulls ends that block when nothing
 * is left to do by hand (by_hand: a restore by hand or from a recycle bin, or a rebuild
 * of what no snapshot holds), else it comes last in a block of its own; every other
 * step is a paragraph. */
static json_t *parts(json_t *steps, const char *root, int by_hand, const char *basis)
{
    struct ra_buf text = RA_BUF_INIT, cmds = RA_BUF_INIT;
    json_t *out = json_array(), *s, *verify = NULL;
    size_t i, nroot = 0;

    json_array_foreach(steps, i, s)
    {
        if (!strcmp(ra_pm_member(s, "kind"), "verify"))
            verify = s;
    }
    json_array_foreach(steps, i, s)
    {
        const char *k = ra_pm_member(s, "kind");
        if (strcmp(k, "relink") && strcmp(k, "restore"))
            continue;
        if (!nroot++) {
            root_hint(&cmds, root);
            ra_buf_putc(&cmds, '\n');
            if (basis && basis[0])
                ra_buf_puts(&text, basis);
        }
        ra_buf_printf(&text, "%s%s.", text.len ? " " : "", ra_pm_member(s, "title"));
        ra_buf_printf(&cmds, "%s\n", ra_pm_member(s, "commands"));
    }
    if (nroot && verify && !by_hand) {
        ra_buf_printf(&text, " Then c%s:", ra_pm_member(verify, "title") + 1);
        ra_buf_puts(&cmds, ra_pm_member(verify, "commands"));
        verify = NULL;
    }
    if (nroot)
        json_array_append_new(out, part(text.ptr, cmds.ptr));
    json_array_foreach(steps, i, s)
    {
        const char *k = ra_pm_member(s, "kind");
        if (!strcmp(k, "relink") || !strcmp(k, "restore") || s == verify ||
            !strcmp(k, "verify"))
            continue;
        ra_buf_truncate(&text, 0);
        ra_buf_printf(&text, "%s.", ra_pm_member(s, "title"));
        json_array_append_new(out, part(text.ptr, NULL));
    }
    if (verify) {
        ra_buf_truncate(&text, 0);
        ra_buf_printf(&text, "%s:", ra_pm_member(verify, "title"));
        json_array_append_new(out, part(text.ptr, ra_pm_member(verify, "commands")));
    }
    ra_buf_release(&text);
    ra_buf_release(&cmds);
    return out;
}

/* ag->on when the damaging job ran again after the newest snapshot; then the index (when
 * the tag resolves) and the manifests relinked in the tag's repository, as hex into hex.
 */
static void again_open(struct again *ag, struct ra_pm_model *m,
                       const struct ra_pm_tag_plan *p, char (*hex)[RA_DIGEST_STRLEN])
{
    const struct ra_recurrence *rr = &m->pm->recurrence;
    size_t i, k = 0;

    ag->on = rr->next && m->pm->newest && m->pm->newest->snap->taken_at != RA_TIME_NONE &&
             rr->next->time > m->pm->newest->snap->taken_at && p->count[RA_PM_RELINK];
    if (!ag->on)
        return;
    if (p->tag->resolves) {
        ra_digest_format(hex[k], &p->tag->digest);
        ra_vec_push(&ag->mhex, hex[k++] + 7);
    }
    for (i = 0; i < p->nrepairs; i++) {
        const struct ra_pm_repair *r = &p->repairs[i];
        if (r->kind != RA_PM_RELINK || strcmp(r->loss->repository, p->tag->repository) ||
            (p->tag->resolves && !ra_digest_cmp(&r->loss->digest, &p->tag->digest)))
            continue;
        ra_digest_format(hex[k], &r->loss->digest);
        ra_vec_push(&ag->mhex, hex[k++] + 7);
    }
}

static json_t *recovery_for(struct ra_pm_model *m, const struct ra_pm_tag_plan *p)
{
    const struct ra_tag_result *t = p->tag;
    const char *root = p->reg->graph->root;
    struct recovery rc = {RA_BUF_INIT, RA_BUF_INIT, RA_BUF_INIT, 0, 0, 0};
    struct again ag = {0, RA_VEC_INIT, 0};
    char(*hex)[RA_DIGEST_STRLEN] = ra_xcalloc(p->nrepairs + 1, sizeof(*hex));
    struct ra_buf basis = RA_BUF_INIT;
    json_t *steps = json_array(), *o;

    if (!p->named) {
        json_array_append_new(
            steps, step("manual",
                        "The repository or tag name is outside Distribution's "
                        "grammar (finding name_invalid), so the registry never "
                        "wrote it and no command is printed for it: inspect this "
                        "entry by hand",
                        NULL));
        goto done;
    }
    recovery_collect(&rc, p);
    again_open(&ag, m, p, hex);
    if (ag.on) {
        grouped_steps(steps, m, p, RA_PM_RESTORE, &ag);
        newest_restore(steps, m, p, &ag);
        grouped_steps(steps, m, p, RA_PM_RELINK, &ag);
    } else {
        grouped_steps(steps, m, p, RA_PM_RELINK, &ag);
        grouped_steps(steps, m, p, RA_PM_RESTORE, &ag);
    }
    if (rc.nmanual) {
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "Restore by hand, with paths checked one by one: %s",
                      rc.manual.ptr);
        json_array_append_new(steps, step("manual", m->tmp.ptr, NULL));
    }
    if (rc.nrecycled) {
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp,
                      "Restore %s: no snapshot's registry holds %s, but %s in a NAS "
                      "recycle bin match%s the digest; copy %s into the live "
                      "storage's blobs/sha256/<hh>/<hex>/data, then check its digest",
                      rc.recycled.ptr, rc.nrecycled > 1 ? "them" : "it",
                      rc.nrecycled > 1 ? "these copies" : "this copy",
                      rc.nrecycled > 1 ? "" : "es", rc.nrecycled > 1 ? "each" : "it");
        json_array_append_new(steps, step("recycled", m->tmp.ptr, NULL));
    }
    rebuild_step(steps, m, t, &rc);
    verify_step(steps, m, t);
done:
    o = json_pack("{s:o,s:o,s:o,s:o}", "repository", ra_json_str(t->repository), "tag",
                  ra_json_str(t->tag), "root", ra_json_str(ra_pm_root_name(root)),
                  "steps", steps);
    if (ag.on) {
        char at[RA_TIME_STRLEN];
        ra_time_format(at, m->pm->newest->snap->taken_at);
        ra_buf_printf(&basis,
                      "This plan was computed from storage as of the newest snapshot, "
                      "%s (%s); %s ran again after it, so the block also restores "
                      "manifest data that ROOT lacks before re-creating links.",
                      m->pm->newest->snap->name, at, m->pm->recurrence.next->job_name);
        ra_buf_truncate(&m->tmp, 0);
        ra_buf_printf(&m->tmp, "%s:%s", t->repository, t->tag);
        if (t->resolves && rebuilt_then_again(m, m->tmp.ptr)) {
            char d[RA_DIGEST_STRLEN];
            ra_digest_format(d, &t->digest);
            ra_buf_printf(&basis,
                          " It brings back the old digest %.19s for whoever pins it; "
                          "the tag itself now points at the rebuild (below).",
                          d);
        }
    }
    json_object_set_new(
        o, "parts",
        parts(steps, root, rc.nlost || rc.nmanual || rc.nrecycled, basis.ptr));
    recovery_release(&rc);
    ra_vec_release(&ag.mhex);
    ra_buf_release(&basis);
    free(hex);
    return o;
}

/* Lost blobs a NAS recycle bin still holds: recovery sources, named with their path. */
static json_t *recycled_json(struct ra_pm_model *m)
{
    const struct ra_losses *ls = m->inv->losses;
    json_t *a = json_array(), *o;
    size_t i, j;

    for (i = 0; i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        const struct ra_snapshot *s = NULL;
        const struct ra_recycled_blob *r;
        struct ra_buf breaks = RA_BUF_INIT;
        if (l->object != RA_OBJ_BLOB ||
            !(r = ra_postmortem_recycled_copy(m->inv, &l->digest, &s)))
            continue;
        for (j = 0; j < l->tags.len; j++)
            ra_buf_printf(&breaks, "%s%s", j ? ", " : "",
                          ((const struct ra_loss_tag *)l->tags.items[j])->ref);
        o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:b}", "digest",
                      ra_json_digest_or_null(&l->digest), "breaks",
                      ra_json_str(ra_buf_cstr(&breaks)), "snapshot", ra_json_str(s->name),
                      "source", ra_json_str(s->source), "path", ra_json_str(r->path),
                      "verified", r->verified);
        json_object_set_new(o, "path_code", ra_pm_command_code(&breaks, r->path));
        json_array_append_new(a, o);
        ra_buf_release(&breaks);
    }
    return a;
}

/* The first step: stop what deletes (the top suspect's job, named with its file, when it
 * is a scheduled garbage-collect), pushes, and the next GC undoing the restore. */
static json_t *stop_text(struct ra_pm_model *m)
{
    const struct ra_firing *f = m->pm->nsuspects ? m->pm->suspects[0].firing : NULL;
    struct ra_buf t = RA_BUF_INIT;
    json_t *o;

    ra_buf_puts(&t, "First stop garbage-collect: ");
    if (f && !f->api_delete && (f->classes & RA_JOB_GARBAGE_COLLECT) && f->job_name &&
        f->defined_in) {
        const char *colon = strrchr(f->defined_in, ':');
        ra_buf_puts(&t, "disable ");
        ra_md_text(&t, f->job_name, strlen(f->job_name));
        ra_buf_puts(&t, " (");
        ra_md_text(&t, f->defined_in,
                   colon ? (size_t)(colon - f->defined_in) : strlen(f->defined_in));
        ra_buf_puts(&t, "), ");
    } else {
        ra_buf_puts(&t, "disable every job that runs `registry garbage-collect`, ");
    }
    ra_buf_puts(&t, "then set `storage.maintenance.readonly.enabled: true` in the "
                    "registry's config against pushes and restart it (read-only mode "
                    "does not stop a garbage-collect job); set it back to false and "
                    "restart once the restore is done, before anything is pushed, a "
                    "rebuild included. The restored objects are "
                    "untagged: before garbage-collect runs again, make sure it no longer "
                    "runs with --delete-untagged (on Distribution 2.x, tagging an index "
                    "does not protect its platforms' manifests from it).");
    o = ra_json_str(t.ptr);
    ra_buf_release(&t);
    return o;
}

json_t *ra_pm_recovery(struct ra_pm_model *m)
{
    json_t *tags = json_array(), *o;
    struct ra_buf hint = RA_BUF_INIT, fence = RA_BUF_INIT;
    size_t i;

    for (i = 0; i < m->pm->nplans; i++)
        json_array_append_new(tags, recovery_for(m, &m->pm->plans[i]));
    for (i = 0; m->newest && i < m->newest->nregs && !hint.len; i++)
        if (m->newest->regs[i]->unpullable)
            root_hint(&hint, m->newest->regs[i]->graph->root);
    ra_md_fence(&fence, hint.len ? hint.ptr : "");
    o = json_pack("{s:o,s:o,s:o,s:b}", "root_hint",
                  ra_json_str(hint.len ? hint.ptr : NULL), "root_hint_fence",
                  ra_json_str(fence.ptr), "tags", tags, "has_tags",
                  json_array_size(tags) > 0);
    json_object_set_new(o, "recycled", recycled_json(m));
    json_object_set_new(
        o, "has_recycled",
        json_boolean(json_array_size(json_object_get(o, "recycled")) > 0));
    json_object_set_new(o, "stop", stop_text(m));
    ra_buf_release(&hint);
    ra_buf_release(&fence);
    return o;
}
