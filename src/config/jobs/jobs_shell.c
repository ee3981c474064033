/* SPDX-License-Identifier: MIT */
/* Shell read for other purposes than classification: registry images that scripts, units
 * and Dockerfiles run, and a short name for a job's command. */
#include "config/jobs/jobs_internal.h"

#include <stdlib.h>
#include <strings.h>

#define NESTED_MAX 4 /* sh -c inside ssh inside ... (as jobs_classify.c) */

/* ---- images run from shell ---- */

static int is_dockerfile(const char *base)
{
    return !strncmp(base, "Dockerfile", 10) || !strncmp(base, "Containerfile", 13) ||
           ra_jobs_path_has_suffix(base, ".dockerfile");
}

void ra_jobs_shell_images(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t)
{
    struct ra_shellwords *w = ra_xcalloc(1, sizeof(*w));
    struct ra_jobs_line line = {NULL, 0, 0};
    const char *cursor = t->data, *image, *p;
    int dockerfile = is_dockerfile(t->base);
    size_t s, e, i;
    char *copy;

    while (ra_jobs_next_line(&cursor, &line)) {
        copy = ra_xstrndup(line.p, line.len);
        p = copy;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!strncmp(p, "Exec", 4) && strchr(p, '='))
            p = strchr(p, '=') + 1; /* a unit's ExecStart=... */
        ra_shellwords_split(w, p, 0);
        if (dockerfile && w->n >= 2 && !strcasecmp(ra_shellwords_at(w, 0), "FROM")) {
            for (i = 1; i < w->n && ra_shellwords_at(w, i)[0] == '-'; i++)
                ; /* --platform=... */
            if (i < w->n)
                ra_jobs_add_image(ctx, ra_shellwords_at(w, i),
                                  strlen(ra_shellwords_at(w, i)), t->path, line.no);
        }
        for (s = 0; !dockerfile && s < w->n; s = e + 1) {
            for (e = s; e < w->n && !w->op[e]; e++)
                ;
            ra_jobs_unwrap(w, s, e, &image);
            if (image)
                ra_jobs_add_image(ctx, image, strlen(image), t->path, line.no);
        }
        free(copy);
    }
    ra_shellwords_release(w);
    free(w);
}

/* Does the file hold shell (or a unit's Exec lines, or a Dockerfile) to look for images
 * in? */
int ra_jobs_is_shell(const struct ra_jobs_text *t)
{
    return ra_jobs_path_has_suffix(t->base, ".sh") ||
           ra_jobs_path_has_suffix(t->base, ".bash") ||
           ra_jobs_path_has_suffix(t->base, ".service") || is_dockerfile(t->base) ||
           !strncmp(t->data, "#!/bin/sh", 9) || !strncmp(t->data, "#!/bin/bash", 11) ||
           !strncmp(t->data, "#!/usr/bin/env bash", 19);
}

/* ---- names ---- */

/* Does the line call "<registry> garbage-collect", also inside sh -c '...' and the like?
 */
static int mentions_gc(const char *text, int nested)
{
    struct ra_shellwords *w = ra_xcalloc(1, sizeof(*w));
    int found = 0;
    size_t i, s;

    ra_shellwords_split(w, text, 0);
    for (i = 1; i < w->n && !found; i++) {
        if (!w->op[i] && !strcmp(ra_shellwords_at(w, i), "garbage-collect") &&
            ra_jobs_registry_word(ra_shellwords_at(w, i - 1)))
            found = 1;
    }
    for (i = 0, s = ra_jobs_past_keywords(w, 0);
         i < w->n && !found && nested < NESTED_MAX; i++) {
        if (w->op[i])
            s = ra_jobs_past_keywords(w, i + 1);
        else if (strpbrk(ra_shellwords_at(w, i), " \t\n") && s < w->n &&
                 !ra_shellwords_one_of(ra_shellwords_base(ra_shellwords_at(w, s)),
                                       ra_jobs_quoting))
            found = mentions_gc(ra_shellwords_at(w, i), nested + 1);
    }
    ra_shellwords_release(w);
    free(w);
    return found;
}

void ra_jobs_command_name(struct ra_buf *out, const char *command)
{
    static const char *const trivial[] = {"cd",     "set",  "export", "test",  "[",
                                          "true",   "echo", "sleep",  "mkdir", "umask",
                                          "printf", "for",  "read",   "done",  "fi",
                                          "case",   "esac", "}",      NULL};
    static const char *const with_sub[] = {
        "registry",  "docker-registry", "docker", "kubectl", "regctl",
        "skopeo",    "crane",           "restic", "borg",    "aws",
        "systemctl", "docker-compose",  "git",    NULL};
    static const char *const shells[] = {"sh", "bash", "dash", "zsh", NULL};
    struct ra_shellwords *w = ra_xcalloc(1, sizeof(*w));
    const char *image, *prog;
    size_t s = 0, e, p, i;

    ra_buf_truncate(out, 0);
    if (mentions_gc(command, 0)) {
        ra_buf_puts(out, "registry garbage-collect");
        goto done;
    }
    ra_shellwords_split(w, command, 0);
    for (; s < w->n; s = e + 1) {
        for (e = s; e < w->n && !w->op[e]; e++)
            ;
        p = ra_jobs_unwrap(w, s, e, &image);
        if (p >= e ||
            ra_shellwords_one_of(ra_shellwords_base(ra_shellwords_at(w, p)), trivial))
            continue;
        prog = ra_shellwords_at(w, p);
        if (ra_shellwords_one_of(ra_shellwords_base(prog), shells)) {
            for (i = p + 1; i < e && ra_shellwords_at(w, i)[0] == '-'; i++)
                ;
            if (i < e && !strcmp(ra_shellwords_at(w, i - 1), "-c")) {
                ra_jobs_command_name(out, ra_shellwords_at(w, i));
                goto done;
            }
            if (i < e)
                prog = ra_shellwords_at(w, i);
            ra_buf_puts(out, ra_shellwords_base(prog));
        } else {
            ra_buf_puts(out, ra_shellwords_base(prog));
            if (ra_shellwords_one_of(ra_shellwords_base(prog), with_sub) && p + 1 < e &&
                ra_shellwords_at(w, p + 1)[0] != '-')
                ra_buf_printf(out, " %s", ra_shellwords_at(w, p + 1));
        }
        break;
    }

done:
    ra_shellwords_release(w);
    free(w);
}
