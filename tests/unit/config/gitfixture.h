/* SPDX-License-Identifier: MIT */
/* Building small git repositories at test time with the git CLI: a temporary directory,
 * files, and commits with given dates and authors. Include after <cmocka.h>. */
#ifndef RA_TESTS_GITFIXTURE_H
#define RA_TESTS_GITFIXTURE_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command; the test fails if it does. */
static void sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    rc = system(cmd);
    if (rc != 0)
        fail_msg("command failed (%d): %s", rc, cmd);
}

/* A new temporary directory into dir (at least 256 bytes), with git isolated from the
 * user's and the system's configuration, and times in UTC. */
static void git_sandbox(char *dir, size_t size, const char *name)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(dir, size, "%s/ra-%s-XXXXXX", tmp ? tmp : "/tmp", name);
    assert_non_null(mkdtemp(dir));
    setenv("HOME", dir, 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("TZ", "UTC", 1);
    setenv("GIT_COMMITTER_NAME", "tester", 1);
    setenv("GIT_COMMITTER_EMAIL", "tester@example.org", 1);
}

/* Write dir/rel (directories created). */
static void put(const char *dir, const char *rel, const char *content)
{
    char path[PATH_MAX];
    FILE *f;

    sh("mkdir -p \"$(dirname '%s/%s')\"", dir, rel);
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

/* Commit everything in repo at the given time, as the given author. */
static void commit(const char *repo, const char *date, const char *who, const char *msg)
{
    sh("cd '%s' && git add -A && GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' "
       "GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL='%s@example.org' git commit -q -m '%s'",
       repo, date, date, who, who, msg);
}

/* The group teardown of a fixture whose first member is its sandbox directory (the
 * char dir[] filled by git_sandbox), allocated with calloc: the directory and the
 * fixture removed. */
static inline int git_teardown(void **state)
{
    char *dir = *state;

    if (!dir)
        return 0;
    sh("rm -rf '%s'", dir);
    free(dir);
    return 0;
}

#endif
