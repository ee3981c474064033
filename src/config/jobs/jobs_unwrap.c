/* SPDX-License-Identifier: MIT */
/* The program a simple command runs, past what wraps it: sudo, env, nice, xargs, docker
 * exec/run (and the image a docker run starts), kubectl exec, loop and condition
 * keywords. */
#include "config/jobs/jobs_internal.h"

#include <string.h>

#include "config/text/imageref.h"

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

/* Commands whose quoted words are text, not commands. */
const char *const ra_jobs_quoting[] = {"echo", "printf", "logger", NULL};
