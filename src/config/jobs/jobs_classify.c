/* SPDX-License-Identifier: MIT */
/* What a job does: its command, and the scripts it runs when they are in the file set
 * (matched by path suffix), read as shell one line at a time (words split by
 * config/text/shellwords). Quoted words with blanks (sh -c '...', ssh host '...') are
 * read again as command lines. */
#include "config/jobs/jobs_internal.h"
#include "config/text/imageref.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define EVIDENCE_TEXT_MAX 200
#define NESTED_MAX 4 /* sh -c inside ssh inside ... */

/* Options of wrappers and of docker that take a value as the next word. */
static const char *const docker_valued[] = {
    "-e",         "--env",        "-u",          "--user",       "-w",
    "--workdir",  "-v",           "--volume",    "--name",       "--network",
    "--net",      "--entrypoint", "-p",          "--publish",    "--mount",
    "--env-file", "-l",           "--label",     "--log-driver", "--hostname",
    "-h",         "--add-host",   "--cpus",      "-m",           "--memory",
    "--restart",  "--platform",   "--pull",      "-f",           "--file",
    "-c",         "--context",    "--container", "-n",           "--namespace",
    NULL,
};

/* Past the docker-style options starting at i. */
static size_t skip_docker_options(const struct ra_shellwords *w, size_t i, size_t e)
{
    for (; i < e && ra_shellwords_at(w, i)[0] == '-'; i++) {
        if (ra_shellwords_one_of(ra_shellwords_at(w, i), docker_valued))
            i++;
    }
    return i;
}

/* `docker|podman|nerdctl [compose] <sub> ...` at i (i + 1 < e): the index of what runs
 * inside (past the container, service or image; at the image when it is the registry's,
 * whose entrypoint is the registry), or i when docker itself is the program. *image is
 * set for run, create and pull. */
static size_t unwrap_docker(const struct ra_shellwords *w, size_t i, size_t e,
                            const char **image)
{
    size_t k = i + 1;
    const char *sub = ra_shellwords_at(w, k);

    if (!strcmp(sub, "compose") && k + 1 < e)
        sub = ra_shellwords_at(w, ++k);
    if (!strcmp(sub, "pull") || !strcmp(sub, "create")) {
        k = skip_docker_options(w, k + 1, e);
        *image = k < e ? ra_shellwords_at(w, k) : NULL;
        return i;
    }
    if (strcmp(sub, "exec") && strcmp(sub, "run"))
        return i;
    k = skip_docker_options(w, k + 1, e);
    if (!strcmp(sub, "run") && k < e) {
        *image = ra_shellwords_at(w, k);
        if (ra_imageref_is_registry(*image))
            return k;
    }
    return k + 1;
}

/* Shell words before a loop's or a condition's body: "do CMD", "then CMD", "! CMD". */
static const char *const keywords[] = {"do",    "then",  "else", "elif", "if",
                                       "while", "until", "!",    "{",    NULL};

/* The first word at or after s that is not such a keyword. */
size_t ra_jobs_past_keywords(const struct ra_shellwords *w, size_t s)
{
    while (s < w->n && !w->op[s] &&
           ra_shellwords_one_of(ra_shellwords_at(w, s), keywords))
        s++;
    return s;
}

/* Past xargs' options at i: "-I {}", "-n 1", "-P4", "--max-args=1". */
static size_t skip_xargs_options(const struct ra_shellwords *w, size_t i, size_t e)
{
    static const char *const valued[] = {
        "-I",          "-n",         "-P",          "-L",         "-d",
        "-E",          "-s",         "-a",          "--max-args", "--max-procs",
        "--delimiter", "--arg-file", "--max-lines", NULL};

    for (; i < e && ra_shellwords_at(w, i)[0] == '-'; i++) {
        if (ra_shellwords_one_of(ra_shellwords_at(w, i), valued))
            i++;
    }
    return i;
}

/* Index of the program of the simple command [s, e) after wrappers (sudo, env, nice,
 * timeout, flock, docker exec/run, kubectl exec, ...); e when there is none.
 * *image is set to the image word of a `docker run`, `create` or `pull`. */
size_t ra_jobs_unwrap(const struct ra_shellwords *w, size_t s, size_t e,
                      const char **image)
{
    static const char *const plain[] = {"nohup",   "time",    "exec",   "command",
                                        "chronic", "cronic",  "setsid", "run-one",
                                        "stdbuf",  "builtin", NULL};
    static const char *const with_opts[] = {"sudo", "env", "nice", "ionice", NULL};
    static const char *const dockers[] = {"docker", "podman", "nerdctl", NULL};
    const char *b, *o;
    size_t i = s, next;

    *image = NULL;
    while (i < e) {
        b = ra_shellwords_base(ra_shellwords_at(w, i));
        if (ra_shellwords_is_assign(ra_shellwords_at(w, i)) ||
            ra_shellwords_one_of(ra_shellwords_at(w, i), keywords)) {
            i++;
        } else if (!strcmp(b, "xargs")) {
            i = skip_xargs_options(w, i + 1, e);
        } else if (ra_shellwords_one_of(b, plain)) {
            for (i++; i < e && ra_shellwords_at(w, i)[0] == '-'; i++)
                ;
        } else if (ra_shellwords_one_of(b, with_opts)) {
            for (i++; i < e && ((o = ra_shellwords_at(w, i))[0] == '-' ||
                                ra_shellwords_is_assign(o));
                 i++) {
                if ((!strcmp(b, "sudo") && (!strcmp(o, "-u") || !strcmp(o, "-g"))) ||
                    (!strcmp(b, "nice") && !strcmp(o, "-n")) ||
                    (!strcmp(b, "ionice") && (!strcmp(o, "-c") || !strcmp(o, "-n"))))
                    i++; /* the option's value */
            }
        } else if (!strcmp(b, "timeout") || !strcmp(b, "flock")) {
            for (i++; i < e && (o = ra_shellwords_at(w, i))[0] == '-'; i++) {
                if (!strcmp(o, "-s") || !strcmp(o, "-k") || !strcmp(o, "-w"))
                    i++;
            }
            i++; /* the duration, or the lock file */
        } else if (ra_shellwords_one_of(b, dockers) && i + 1 < e) {
            if ((next = unwrap_docker(w, i, e, image)) == i)
                return i;
            i = next;
        } else if (!strcmp(b, "docker-compose") && i + 1 < e &&
                   (!strcmp(ra_shellwords_at(w, i + 1), "exec") ||
                    !strcmp(ra_shellwords_at(w, i + 1), "run"))) {
            i = skip_docker_options(w, i + 2, e) + 1;
        } else if (!strcmp(b, "kubectl") && i + 1 < e &&
                   !strcmp(ra_shellwords_at(w, i + 1), "exec")) {
            for (i += 2; i < e && strcmp(ra_shellwords_at(w, i), "--"); i++)
                ;
            i++;
        } else {
            return i;
        }
    }
    return e;
}

/* ---- evidence ---- */

struct cls_state {
    struct ra_jobs_ctx *ctx;
    struct ra_job *job;
    struct ra_shellwords *words;
    const char *path; /* of the line being read */
    unsigned line;
    const char *text;
    int file_mentions_tags; /* the file names _manifests/tags somewhere */
    int file_mentions_v2;   /* ... or /v2/ */
};

static void evidence(struct cls_state *st, enum ra_job_class cls)
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

static void gc_flags(struct cls_state *st, const struct ra_shellwords *w, size_t i)
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

static void keep_hint(struct cls_state *st, const struct ra_shellwords *w)
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
static enum ra_job_class rm_class(const struct cls_state *st,
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
static enum ra_job_class http_class(const struct cls_state *st,
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
static void simple_command(struct cls_state *st, const struct ra_shellwords *w, size_t s,
                           size_t e)
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
        evidence(st, cls);
    if (cls == RA_JOB_BACKUP && !st->job->backup_to && (i = backup_target(w, p, e)) < e) {
        struct ra_buf b = RA_BUF_INIT;
        word_with_subst(&b, w, i);
        st->job->backup_to = ra_jobs_strdup(st->ctx, ra_buf_cstr(&b));
        ra_buf_release(&b);
    }
}

/* Commands whose quoted words are text, not commands. */
const char *const ra_jobs_quoting[] = {"echo", "printf", "logger", NULL};

static void follow(struct cls_state *st, const char *word, int depth);
static void read_line(struct cls_state *st, const char *text, int depth, int nested);

static void read_text(struct cls_state *st, const struct ra_jobs_text *t, int depth);

/* Read the text once per job: 0 if it was read already. */
static int first_visit(struct cls_state *st, const struct ra_jobs_text *t)
{
    size_t i;

    for (i = 0; i < st->job->scripts.len; i++) {
        if (!strcmp(st->job->scripts.items[i], t->path))
            return 0;
    }
    ra_vec_push(&st->job->scripts, (void *)t->path);
    return 1;
}

/* `systemctl start registry-gc`: the unit's Exec lines, when the unit is in the set
 * (by its installed name, else its own; nearest the job first). */
static void follow_unit(struct cls_state *st, const char *unit, int depth)
{
    const struct ra_jobs_text *best = NULL;
    struct ra_buf name = RA_BUF_INIT;
    size_t i;

    if (depth >= RA_JOBS_FOLLOW_DEPTH)
        return;
    ra_buf_puts(&name, unit);
    if (!strchr(unit, '.'))
        ra_buf_puts(&name, ".service");
    for (i = 0; i < st->ctx->ntexts; i++) {
        const struct ra_jobs_text *t = &st->ctx->texts[i];
        const char *n = ra_jobs_text_name(t);
        if (!ra_jobs_may_follow(st->job, t->path))
            continue;
        if (strncmp(n, name.ptr, name.len) ||
            (n[name.len] && strcmp(n + name.len, ".j2")))
            continue; /* "registry-gc.service", or its template "registry-gc.service.j2"
                       */
        if (!best || ra_jobs_shared_dirs(t->path, st->job->path) >
                         ra_jobs_shared_dirs(best->path, st->job->path))
            best = t;
    }
    ra_buf_release(&name);
    if (best && first_visit(st, best))
        read_text(st, best, depth + 1);
}

/* The script words of a simple command: its program if that is a path or a script, or
 * the script that sh/bash/source runs. */
static void follow_command(struct cls_state *st, const struct ra_shellwords *w, size_t s,
                           size_t e, int depth)
{
    static const char *const shells[] = {"sh",     "bash",   "dash", "zsh",
                                         "ksh",    "source", ".",    "python3",
                                         "python", "perl",   NULL};
    const char *image, *prog;
    size_t p = ra_jobs_unwrap(w, s, e, &image), i;

    if (p >= e)
        return;
    prog = ra_shellwords_at(w, p);
    if (ra_shellwords_one_of(ra_shellwords_base(prog), shells)) {
        for (i = p + 1; i < e && ra_shellwords_at(w, i)[0] == '-'; i++) {
            if (!strcmp(ra_shellwords_at(w, i), "-c"))
                return; /* the string is read as a line of its own */
        }
        if (i < e)
            follow(st, ra_shellwords_at(w, i), depth);
    } else if (!strcmp(ra_shellwords_base(prog), "systemctl")) {
        for (i = p + 1; i < e && ra_shellwords_at(w, i)[0] == '-'; i++)
            ;
        if (i >= e || (strcmp(ra_shellwords_at(w, i), "start") &&
                       strcmp(ra_shellwords_at(w, i), "restart")))
            return;
        for (i++; i < e && ra_shellwords_at(w, i)[0] == '-'; i++)
            ;
        if (i < e)
            follow_unit(st, ra_shellwords_at(w, i), depth);
    } else if (strchr(prog, '/') || ra_jobs_path_has_suffix(prog, ".sh")) {
        follow(st, prog, depth);
    }
}

static void read_words(struct cls_state *st, struct ra_shellwords *w, int depth,
                       int nested)
{
    size_t s = 0, e, i;
    struct ra_buf copy = RA_BUF_INIT;

    /* garbage-collect anywhere: "<registry|docker-registry|registry image>
     * garbage-collect" */
    for (i = 1; i < w->n; i++) {
        if (!w->op[i] && !strcmp(ra_shellwords_at(w, i), "garbage-collect") &&
            ra_jobs_registry_word(ra_shellwords_at(w, i - 1))) {
            evidence(st, RA_JOB_GARBAGE_COLLECT);
            gc_flags(st, w, i + 1);
        }
    }
    if (contains_ci(st->text, "hyperbackup") || contains_ci(st->text, "hyper backup"))
        evidence(st, RA_JOB_BACKUP);
    keep_hint(st, w);
    while (s < w->n) {
        for (e = s; e < w->n && !w->op[e]; e++)
            ;
        if (e > s) {
            simple_command(st, w, s, e);
            follow_command(st, w, s, e, depth);
        }
        s = e + 1;
    }
    /* quoted words with blanks: sh -c '...', ssh host '...', su -c '...' */
    if (nested >= NESTED_MAX)
        return;
    for (i = 0, s = ra_jobs_past_keywords(w, 0); i < w->n; i++) {
        if (w->op[i])
            s = ra_jobs_past_keywords(w,
                                      i + 1); /* where this simple command's program is */
        else if (strpbrk(ra_shellwords_at(w, i), " \t\n") && s < w->n &&
                 !ra_shellwords_one_of(ra_shellwords_base(ra_shellwords_at(w, s)),
                                       ra_jobs_quoting)) {
            ra_buf_truncate(&copy, 0);
            ra_buf_puts(&copy, ra_shellwords_at(w, i));
            read_line(st, ra_buf_cstr(&copy), depth, nested + 1);
        }
    }
    ra_buf_release(&copy);
}

static void read_line(struct cls_state *st, const char *text, int depth, int nested)
{
    struct ra_shellwords *w = ra_xcalloc(1, sizeof(*w));
    const char *saved = st->text;

    if (!nested)
        st->text = text;
    ra_shellwords_split(w, text, 0);
    read_words(st, w, depth, nested);
    ra_shellwords_release(w);
    free(w);
    st->text = saved;
}

/* Count the trailing path segments that word and path share. */
static size_t shared_suffix(const char *word, const char *path)
{
    const char *a = word + strlen(word), *b = path + strlen(path);
    size_t segs = 0;

    for (;;) {
        const char *sa = a, *sb = b;
        while (sa > word && sa[-1] != '/')
            sa--;
        while (sb > path && sb[-1] != '/')
            sb--;
        if (a - sa != b - sb || a == sa || memcmp(sa, sb, (size_t)(a - sa)))
            return segs;
        segs++;
        if (sa == word || sb == path)
            return segs;
        a = sa - 1;
        b = sb - 1;
    }
}

/* Does the line end with an unescaped backslash (a shell line continuation)? */
static int continued(const char *p, size_t len)
{
    size_t n = 0;

    while (n < len && p[len - 1 - n] == '\\')
        n++;
    return n % 2 == 1;
}

/* The next logical line into out (emptied first): physical lines ending in '\\' are
 * joined with a blank, as the shell and systemd do. line->no stays at the first
 * physical line; *last_no gets the last. Returns 0 at the end. */
static int next_logical(struct ra_buf *out, const char **cursor,
                        struct ra_jobs_line *line, unsigned *last_no)
{
    struct ra_jobs_line more;
    size_t len;

    if (!ra_jobs_next_line(cursor, line))
        return 0;
    ra_buf_truncate(out, 0);
    ra_buf_put(out, line->p, line->len);
    more = *line;
    while (continued(out->ptr, out->len) && ra_jobs_next_line(cursor, &more)) {
        out->ptr[out->len - 1] = ' ';
        len = out->len;
        ra_buf_put(out, more.p, more.len);
        if (out->len == len)
            break; /* an empty line ends it */
    }
    *last_no = more.no;
    ra_buf_cstr(out);
    return 1;
}

static void read_text(struct cls_state *st, const struct ra_jobs_text *t, int depth)
{
    struct cls_state sub = *st;
    struct ra_jobs_line line = {NULL, 0, 0};
    struct ra_buf logical = RA_BUF_INIT;
    const char *cursor = t->data;
    int unit = ra_jobs_path_has_suffix(ra_jobs_text_name(t), ".service");
    unsigned last;
    char *copy;

    sub.path = t->path;
    sub.file_mentions_tags = strstr(t->data, "_manifests/tags") != NULL;
    sub.file_mentions_v2 = strstr(t->data, "/v2/") != NULL;
    while (next_logical(&logical, &cursor, &line, &last)) {
        const char *p = logical.ptr, *end = logical.ptr + logical.len;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p == end || *p == '#')
            continue;
        if (unit) { /* a unit runs its Exec*= lines, prefixes -@:+! aside */
            if (strncmp(p, "Exec", 4) || !(p = memchr(p, '=', (size_t)(end - p))))
                continue;
            for (p++; p < end && strchr("-@:+! \t", *p); p++)
                ;
        }
        sub.line = line.no;
        copy = ra_xstrndup(p, (size_t)(end - p));
        read_line(&sub, copy, depth, 0);
        free(copy);
        line.no = last;
    }
    ra_buf_release(&logical);
}

size_t ra_jobs_shared_dirs(const char *a, const char *b)
{
    size_t n = 0, i;

    for (i = 0; a[i] && a[i] == b[i]; i++) {
        if (a[i] == '/')
            n++;
    }
    return n;
}

/* /usr/bin/docker is the system's, not the repository's etc/default/docker; a script
 * installed there (/usr/bin/gc.sh) is still looked for. */
static int system_program(const char *w)
{
    static const char *const dirs[] = {"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/",
                                       NULL};
    size_t i;

    for (i = 0; dirs[i]; i++) {
        if (!strncmp(w, dirs[i], strlen(dirs[i])) && !strchr(w + strlen(dirs[i]), '.'))
            return 1;
    }
    return 0;
}

/* Read the script a command names, when it is in the set and not read yet; among
 * scripts that match equally well, the one nearest the job's definition. */
static void follow(struct cls_state *st, const char *word, int depth)
{
    const struct ra_jobs_text *best = NULL;
    size_t i, n, best_n = 0;
    const char *w = word;

    if (depth >= RA_JOBS_FOLLOW_DEPTH || system_program(w))
        return;
    /* "$HOME/bin/x.sh", "${DIR}/x.sh", "~/x.sh", "./x.sh": match what follows */
    if (*w == '$' || *w == '~') {
        w = strchr(w, '/');
        if (!w)
            return;
    }
    while (w[0] == '.' && w[1] == '/')
        w += 2;
    while (*w == '/')
        w++;
    if (!*w || strchr(w, '$'))
        return;
    for (i = 0; i < st->ctx->ntexts; i++) {
        n = ra_jobs_may_follow(st->job, st->ctx->texts[i].path)
                ? shared_suffix(w, st->ctx->texts[i].path)
                : 0;
        if (n > best_n || (n && n == best_n &&
                           ra_jobs_shared_dirs(st->ctx->texts[i].path, st->job->path) >
                               ra_jobs_shared_dirs(best->path, st->job->path)))
            best = &st->ctx->texts[i], best_n = n;
    }
    if (best && first_visit(st, best))
        read_text(st, best, depth + 1);
}

void ra_jobs_classify(struct ra_jobs_ctx *ctx, struct ra_job *job)
{
    struct cls_state st;
    const char *cursor;
    struct ra_jobs_line line = {NULL, 0, 0};
    struct ra_buf logical = RA_BUF_INIT;
    unsigned last;

    if (!job->command)
        return;
    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.job = job;
    st.path = job->command_path;
    st.line = job->command_line;
    st.file_mentions_tags = strstr(job->command, "_manifests/tags") != NULL;
    st.file_mentions_v2 = strstr(job->command, "/v2/") != NULL;
    cursor = job->command;
    while (next_logical(&logical, &cursor, &line, &last)) {
        read_line(&st, logical.ptr, 0, 0);
        line.no = last;
    }
    ra_buf_release(&logical);
    if (job->classes & RA_JOB_GARBAGE_COLLECT)
        job->cls = RA_JOB_GARBAGE_COLLECT;
    else if (job->classes & RA_JOB_TAG_PRUNE)
        job->cls = RA_JOB_TAG_PRUNE;
    else if (job->classes & RA_JOB_BACKUP)
        job->cls = RA_JOB_BACKUP;
    else if (job->classes & RA_JOB_PROBE)
        job->cls = RA_JOB_PROBE;
    if (job->cls != RA_JOB_TAG_PRUNE && !(job->classes & RA_JOB_TAG_PRUNE))
        job->keep = NULL;
}
