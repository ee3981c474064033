/* SPDX-License-Identifier: MIT */
/* What one command line does, by its programs and words: garbage-collect (with its
 * flags), tag-prune (rm or find under _manifests/tags, HTTP DELETE, registry tools),
 * backup (and where it writes), probe; each class with the line as evidence. */
#include "config/jobs/jobs_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "config/text/imageref.h"

#define EVIDENCE_TEXT_MAX 200

/* ---- evidence ---- */

void ra_jobs_evidence(struct ra_jobs_cls *st, enum ra_job_class cls)
{
    struct ra_job_evidence *ev;
    const char *t = st->text;
    size_t i, n;

    st->job->classes |= (unsigned)cls;
    for (i = 0; i < st->job->evidence.len; i++) {
        ev = st->job->evidence.items[i];
        if (ev->cls == cls && ev->line == st->line && !strcmp(ev->path, st->path))
            return;
    }
    while (*t == ' ' || *t == '\t')
        t++;
    n = strcspn(t, "\n");
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r'))
        n--;
    ev = ra_pool_alloc(&st->ctx->out->pool, sizeof(*ev));
    ev->path = st->path;
    ev->line = st->line;
    ev->cls = cls;
    ev->text = ra_jobs_strndup(st->ctx, t, n < EVIDENCE_TEXT_MAX ? n : EVIDENCE_TEXT_MAX);
    ra_vec_push(&st->job->evidence, ev);
}

/* ---- what one command line does ---- */

int ra_jobs_registry_word(const char *s)
{
    const char *b = ra_shellwords_base(s);

    return !strcmp(b, "registry") || !strcmp(b, "docker-registry") ||
           ((strchr(s, ':') || strchr(s, '@')) && ra_imageref_is_registry(s));
}

static void gc_flags(struct ra_jobs_cls *st, const struct ra_shellwords *w, size_t i)
{
    const char *a;

    for (; i < w->n && !w->op[i]; i++) {
        a = ra_shellwords_at(w, i);
        if (strstr(a, "=false") || strpbrk(a, "<>"))
            continue; /* a flag turned off, a redirection */
        if (!strcmp(a, "--delete-untagged") || !strcmp(a, "--delete-untagged=true"))
            st->job->gc.delete_untagged = 1;
        else if (!strcmp(a, "--dry-run") || !strcmp(a, "--dry-run=true"))
            st->job->gc.dry_run = 1;
        else if (a[0] == '-' && a[1] != '-') {
            if (strchr(a, 'm'))
                st->job->gc.delete_untagged = 1;
            if (strchr(a, 'd'))
                st->job->gc.dry_run = 1;
        } else if (a[0] != '-' && !st->job->gc.config)
            st->job->gc.config = ra_jobs_strdup(st->ctx, a);
    }
}

static int contains_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);

    for (; *s; s++) {
        if (!strncasecmp(s, needle, n))
            return 1;
    }
    return 0;
}

static int is_number(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s))
            return 0;
    }
    return 1;
}

static void keep_hint(struct ra_jobs_cls *st, const struct ra_shellwords *w)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *a, *v = NULL;
    long n = -1;
    size_t i;

    for (i = 0; i < w->n && n < 0; i++) {
        a = ra_shellwords_at(w, i);
        v = NULL;
        if ((!strcmp(a, "head") || !strcmp(a, "tail")) && i + 1 < w->n) {
            const char *o = ra_shellwords_at(w, i + 1);
            if (!strcmp(o, "-n") && i + 2 < w->n)
                o = ra_shellwords_at(w, i + 2);
            else if (!strncmp(o, "-n", 2))
                o += 2;
            if (a[0] == 'h' && o[0] == '-' && is_number(o + 1))
                n = strtol(o + 1, NULL, 10); /* all but the last N */
            else if (a[0] == 't' && o[0] == '+' && is_number(o + 1))
                n = strtol(o + 1, NULL, 10) - 1; /* from line N on */
        } else if (!strcmp(a, "--keep") || !strcmp(a, "-keep") ||
                   !strcmp(a, "--keep-last")) {
            v = i + 1 < w->n ? ra_shellwords_at(w, i + 1) : "";
        } else if (!strncmp(a, "--keep=", 7) || !strncmp(a, "--keep-last=", 12)) {
            v = strchr(a, '=') + 1;
        } else if (!strncasecmp(a, "keep", 4) && ra_shellwords_is_assign(a)) {
            v = strchr(a, '=') + 1; /* KEEP=10, KEEP_LAST=5 */
        }
        if (v && is_number(v))
            n = strtol(v, NULL, 10);
    }
    if (n >= 0 && !st->job->keep) {
        ra_buf_printf(&b, "keeps newest %ld", n);
        st->job->keep = ra_jobs_strdup(st->ctx, ra_buf_cstr(&b));
    }
    ra_buf_release(&b);
}

static int has_word_containing(const struct ra_shellwords *w, size_t s, size_t e,
                               const char *needle)
{
    for (; s < e; s++) {
        if (strstr(ra_shellwords_at(w, s), needle))
            return 1;
    }
    return 0;
}

/* Is one of the words the program name (any directory)? find's -exec rm {} +. */
static int has_program(const struct ra_shellwords *w, size_t s, size_t e,
                       const char *name)
{
    for (; s < e; s++) {
        if (!strcmp(ra_shellwords_base(ra_shellwords_at(w, s)), name))
            return 1;
    }
    return 0;
}

static int http_delete(const struct ra_shellwords *w, size_t s, size_t e)
{
    const char *a;

    for (; s < e; s++) {
        a = ra_shellwords_at(w, s);
        if (!strcmp(a, "-XDELETE") || !strcmp(a, "--request=DELETE") ||
            !strcmp(a, "--method=DELETE") || !strcmp(a, "DELETE"))
            return 1;
    }
    return 0;
}

/* Tools whose subcommands say what they do; NULL matches anything. First match wins. */
static const struct tool_rule {
    const char *prog, *sub, *verb;
    enum ra_job_class cls;
} tool_rules[] = {
    {"regctl", "tag", "rm", RA_JOB_TAG_PRUNE},
    {"regctl", "tag", "delete", RA_JOB_TAG_PRUNE},
    {"regctl", "manifest", "rm", RA_JOB_TAG_PRUNE},
    {"regctl", "manifest", "delete", RA_JOB_TAG_PRUNE},
    {"regctl", "image", "rm", RA_JOB_TAG_PRUNE},
    {"regctl", "image", "delete", RA_JOB_TAG_PRUNE},
    {"skopeo", "delete", NULL, RA_JOB_TAG_PRUNE},
    {"crane", "delete", NULL, RA_JOB_TAG_PRUNE},
    {"oras", "manifest", "delete", RA_JOB_TAG_PRUNE},
    {"reg", "rm", NULL, RA_JOB_TAG_PRUNE},
    {"reg", "ls", NULL, RA_JOB_PROBE},
    {"reg", "tags", NULL, RA_JOB_PROBE},
    {"reg", "manifest", NULL, RA_JOB_PROBE},
    {"reg", "digest", NULL, RA_JOB_PROBE},
    {"skopeo", "inspect", NULL, RA_JOB_PROBE},
    /* pulls that read every manifest and blob they name: probes that see blobs go */
    {"skopeo", "copy", NULL, RA_JOB_PROBE},
    {"crane", "validate", NULL, RA_JOB_PROBE},
    {"crane", "pull", NULL, RA_JOB_PROBE},
    {"regctl", "manifest", NULL, RA_JOB_PROBE},
    {"regctl", "image", NULL, RA_JOB_PROBE},
    {"regctl", "tag", NULL, RA_JOB_PROBE},
    {"crane", "manifest", NULL, RA_JOB_PROBE},
    {"crane", "digest", NULL, RA_JOB_PROBE},
    {"crane", "ls", NULL, RA_JOB_PROBE},
    {"docker", "pull", NULL, RA_JOB_PROBE},
    {"aws", "s3", "sync", RA_JOB_BACKUP},
    {"aws", "s3", "cp", RA_JOB_BACKUP},
    {"rsync", NULL, NULL, RA_JOB_BACKUP},
    {"restic", NULL, NULL, RA_JOB_BACKUP},
    {"borg", NULL, NULL, RA_JOB_BACKUP},
    {"borgmatic", NULL, NULL, RA_JOB_BACKUP},
    {"rclone", NULL, NULL, RA_JOB_BACKUP},
    {"duplicity", NULL, NULL, RA_JOB_BACKUP},
    {"rdiff-backup", NULL, NULL, RA_JOB_BACKUP},
    {"rsnapshot", NULL, NULL, RA_JOB_BACKUP},
    {"duplicati-cli", NULL, NULL, RA_JOB_BACKUP},
    {"synobackup", NULL, NULL, RA_JOB_BACKUP},
};

static enum ra_job_class tool_class(const char *prog, const char *sub, const char *verb)
{
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(tool_rules); i++) {
        const struct tool_rule *r = &tool_rules[i];
        if (!strcmp(r->prog, prog) && (!r->sub || !strcmp(r->sub, sub)) &&
            (!r->verb || !strcmp(r->verb, verb)))
            return r->cls;
    }
    return RA_JOB_OTHER;
}

/* rm -r of a tag directory (or of a variable, in a file that names tag directories). */
static enum ra_job_class rm_class(const struct ra_jobs_cls *st,
                                  const struct ra_shellwords *w, size_t p, size_t e)
{
    int recursive = 0, target = 0, var = 0, paths = 0;
    const char *a;
    size_t i;

    for (i = p + 1; i < e; i++) {
        a = ra_shellwords_at(w, i);
        paths += a[0] != '-';
        if (!strcmp(a, "--recursive") ||
            (a[0] == '-' && a[1] != '-' && (strchr(a, 'r') || strchr(a, 'R'))))
            recursive = 1;
        else if (strstr(a, "_manifests/tags"))
            target = 1;
        else if (strchr(a, '$'))
            var = 1;
    }
    /* "find .../_manifests/tags ... | xargs rm -rf": the paths come from the pipe */
    for (i = p; !paths && i > 0 && !w->op[i - 1]; i--) {
        if (!strcmp(ra_shellwords_base(ra_shellwords_at(w, i - 1)), "xargs") &&
            strstr(st->text, "_manifests/tags"))
            target = 1;
    }
    return recursive && (target || (var && st->file_mentions_tags)) ? RA_JOB_TAG_PRUNE
                                                                    : RA_JOB_OTHER;
}

/* curl, wget, httpie: DELETE on the registry API prunes, a GET of /v2/ probes. */
static enum ra_job_class http_class(const struct ra_jobs_cls *st,
                                    const struct ra_shellwords *w, size_t p, size_t e)
{
    int v2 = has_word_containing(w, p, e, "/v2/") || has_word_containing(w, p, e, "/v2");

    if (http_delete(w, p, e) &&
        (v2 || st->file_mentions_v2 || has_word_containing(w, p, e, "/manifests/")))
        return RA_JOB_TAG_PRUNE;
    return v2 ? RA_JOB_PROBE : RA_JOB_OTHER;
}

/* tar creating an archive: "tar czf", "tar -czf", "tar --exclude x -c -f", "--create". */
static int tar_creates(const struct ra_shellwords *w, size_t p, size_t e)
{
    const char *a;
    size_t i;

    for (i = p + 1; i < e; i++) {
        a = ra_shellwords_at(w, i);
        if (!strcmp(a, "--create") || (a[0] == '-' && a[1] != '-' && strchr(a, 'c')) ||
            (i == p + 1 && a[0] != '-' && strchr(a, 'c') && !strpbrk(a, "/.")))
            return 1;
    }
    return 0;
}

/* Where a backup command writes: the index of tar's -f file, restic's -r repository,
 * borg create's REPO::ARCHIVE, else of the last argument (rsync, rclone, aws s3
 * sync|cp); e when none is given (tar to stdout). */
static size_t backup_target(const struct ra_shellwords *w, size_t p, size_t e)
{
    const char *prog = ra_shellwords_base(ra_shellwords_at(w, p)), *a;
    size_t i, last = e;

    for (i = p + 1; i < e; i++) {
        a = ra_shellwords_at(w, i);
        if (strpbrk(a, "<>"))
            break; /* a redirection ends the arguments read here */
        if (!strcmp(prog, "tar") &&
            ((a[0] == '-' && a[1] != '-' && a[strlen(a) - 1] == 'f') ||
             (i == p + 1 && a[0] != '-' && strchr(a, 'f') && !strpbrk(a, "/.")) ||
             !strcmp(a, "--file")))
            return i + 1;
        if (!strncmp(a, "--file=", 7) || !strncmp(a, "--repo=", 7) ||
            (!strcmp(prog, "borg") && strstr(a, "::")))
            return i;
        if (!strcmp(prog, "restic") && (!strcmp(a, "-r") || !strcmp(a, "--repo")))
            return i + 1;
        if (a[0] != '-')
            last = i;
    }
    return strcmp(prog, "tar") && strcmp(prog, "restic") && strcmp(prog, "borg") ? last
                                                                                 : e;
}

/* Does a copy (tar, rsync, rclone, aws s3) read from a place outside the working tree:
 * an absolute path, a variable, ~ or a remote (host:path, s3://), or tar -C DIR? A CI
 * step's "rsync hosts/vm/etc/ root@vm:/etc/" deploys the repository's own files: no
 * backup. */
static int copies_from_outside(const struct ra_shellwords *w, size_t p, size_t e)
{
    size_t i, dest = backup_target(w, p, e);
    const char *a;

    for (i = p + 1; i < e; i++) {
        a = ra_shellwords_at(w, i);
        if (strpbrk(a, "<>"))
            break;
        if (!strcmp(a, "-C") || !strcmp(a, "--directory"))
            return i + 1 < e && strchr("/$~", ra_shellwords_at(w, i + 1)[0]);
        if (w->op[i] || a[0] == '-' || i == dest)
            continue;
        if (strchr("/$~", a[0]) || strstr(a, "://") || (strchr(a, ':') && a[0] != '.'))
            return 1;
    }
    return 0;
}

/* The end of the simple command ending at e, past the $( ) substitutions inside its
 * words ("registry-$(date +%F).tgz -C /var/lib registry"). */
static size_t past_substitutions(const struct ra_shellwords *w, size_t e)
{
    int depth;

    while (e < w->n && w->op[e] && !strcmp(ra_shellwords_at(w, e), "$(")) {
        for (depth = 1, e++; e < w->n && depth; e++) {
            if (w->op[e] && (!strcmp(ra_shellwords_at(w, e), "$(") ||
                             !strcmp(ra_shellwords_at(w, e), "(")))
                depth++;
            else if (w->op[e] && !strcmp(ra_shellwords_at(w, e), ")"))
                depth--;
        }
        while (e < w->n && !w->op[e])
            e++;
    }
    return e;
}

/* The word at i with a command substitution that follows it ("registry-$(date +%F)"
 * and what comes right after: ".tgz"), as the tokeniser split it, into out. */
static void word_with_subst(struct ra_buf *out, const struct ra_shellwords *w, size_t i)
{
    const char *a = ra_shellwords_at(w, i);

    if (!strncmp(a, "--file=", 7) || !strncmp(a, "--repo=", 7))
        a += 7;
    ra_buf_puts(out, a);
    if (i + 1 >= w->n || !w->op[i + 1] || strcmp(ra_shellwords_at(w, i + 1), "$("))
        return;
    ra_buf_puts(out, "$(");
    for (i += 2; i < w->n && !(w->op[i] && !strcmp(ra_shellwords_at(w, i), ")")); i++)
        ra_buf_printf(out, "%s%s",
                      ra_shellwords_at(w, i - 1)[0] == '$' && w->op[i - 1] ? "" : " ",
                      ra_shellwords_at(w, i));
    ra_buf_putc(out, ')');
    if (i + 1 < w->n && !w->op[i + 1] && strchr(".-_", ra_shellwords_at(w, i + 1)[0]))
        ra_buf_puts(out, ra_shellwords_at(w, i + 1));
}

/* One simple command [s, e). */
void ra_jobs_simple_command(struct ra_jobs_cls *st, const struct ra_shellwords *w,
                            size_t s, size_t e)
{
    enum ra_job_class cls = RA_JOB_OTHER;
    const char *image, *prog, *sub, *verb;
    size_t p = ra_jobs_unwrap(w, s, e, &image), i;

    if (image && !st->job->disabled && !st->job->absent) /* what runs, not what did */
        ra_jobs_add_image(st->ctx, image, strlen(image), st->path, st->line);
    if (p >= e)
        return;
    prog = ra_shellwords_base(ra_shellwords_at(w, p));
    sub = p + 1 < e ? ra_shellwords_at(w, p + 1) : "";
    verb = p + 2 < e ? ra_shellwords_at(w, p + 2) : "";
    if (!strcmp(prog, "rm"))
        cls = rm_class(st, w, p, e);
    else if (!strcmp(prog, "find") && has_word_containing(w, p, e, "_manifests/tags") &&
             (has_word_containing(w, p, e, "-delete") || has_program(w, p, e, "rm")))
        cls = RA_JOB_TAG_PRUNE;
    else if (!strcmp(prog, "curl") || !strcmp(prog, "wget") || !strcmp(prog, "http") ||
             !strcmp(prog, "https"))
        cls = http_class(st, w, p, e);
    else if (!strcmp(prog, "tar") && tar_creates(w, p, e))
        cls = RA_JOB_BACKUP;
    else
        cls = tool_class(prog, sub, verb);
    e = past_substitutions(w, e);
    if (cls == RA_JOB_BACKUP &&
        (!strcmp(prog, "tar") || !strcmp(prog, "rsync") || !strcmp(prog, "rclone") ||
         !strcmp(prog, "aws")) &&
        !copies_from_outside(w, p, e))
        cls = RA_JOB_OTHER; /* a copy of the repository's own files */
    if (cls != RA_JOB_OTHER)
        ra_jobs_evidence(st, cls);
    if (cls == RA_JOB_BACKUP && !st->job->backup_to && (i = backup_target(w, p, e)) < e) {
        struct ra_buf b = RA_BUF_INIT;
        word_with_subst(&b, w, i);
        st->job->backup_to = ra_jobs_strdup(st->ctx, ra_buf_cstr(&b));
        ra_buf_release(&b);
    }
}

void ra_jobs_line_classes(struct ra_jobs_cls *st, const struct ra_shellwords *w)
{
    size_t i;

    /* garbage-collect anywhere: "<registry|docker-registry|registry image>
     * garbage-collect" */
    for (i = 1; i < w->n; i++) {
        if (!w->op[i] && !strcmp(ra_shellwords_at(w, i), "garbage-collect") &&
            ra_jobs_registry_word(ra_shellwords_at(w, i - 1))) {
            ra_jobs_evidence(st, RA_JOB_GARBAGE_COLLECT);
            gc_flags(st, w, i + 1);
        }
    }
    if (contains_ci(st->text, "hyperbackup") || contains_ci(st->text, "hyper backup"))
        ra_jobs_evidence(st, RA_JOB_BACKUP);
    keep_hint(st, w);
}
