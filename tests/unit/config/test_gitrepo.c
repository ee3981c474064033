/* SPDX-License-Identifier: MIT */
/* config/gitrepo: small repositories built at test time with the git CLI (dated commits,
 * a merge, a submodule entry, a symlink, a binary and a huge file, a shallow clone). */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/git/gitrepo.h"
#include "gitfixture.h"
#include "util/buf.h"

struct fixture {
    char dir[256];
    char repo[300];    /* working tree with history */
    char bare[300];    /* bare clone of it */
    char shallow[300]; /* --depth 2 clone */
    char plain[300];   /* not a repository */
    char empty[300];   /* git init, no commit */
    char damaged[300]; /* objects deleted: a blob, a tree, a commit */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    FILE *f;
    int i;

    git_sandbox(fx->dir, sizeof(fx->dir), "gitrepo");
    snprintf(fx->repo, sizeof(fx->repo), "%s/config", fx->dir);
    snprintf(fx->bare, sizeof(fx->bare), "%s/config.git", fx->dir);
    snprintf(fx->shallow, sizeof(fx->shallow), "%s/shallow", fx->dir);
    snprintf(fx->plain, sizeof(fx->plain), "%s/plain", fx->dir);
    snprintf(fx->empty, sizeof(fx->empty), "%s/empty", fx->dir);
    snprintf(fx->damaged, sizeof(fx->damaged), "%s/damaged", fx->dir);

    sh("git init -q -b main '%s' && git init -q -b main '%s' && mkdir '%s'", fx->repo,
       fx->empty, fx->plain);
    put(fx->repo, "etc/cron.d/registry", "0 2 * * * root /opt/ci/cleanup-tags.sh\n");
    put(fx->repo, "README.md", "configs\n");
    commit(fx->repo, "2026-03-01T10:00:00Z", "alice", "Add cleanup cron");

    put(fx->repo, "scripts/cleanup-tags.sh", "#!/bin/sh\nrm -rf \"$T\"\n");
    sh("chmod +x '%s/scripts/cleanup-tags.sh'", fx->repo);
    commit(fx->repo, "2026-03-05T09:30:00Z", "bob", "Add the script\n\nlonger body");

    put(fx->repo, "etc/cron.d/registry",
        "0 2 * * * root /opt/ci/cleanup-tags.sh\n"
        "25 3 * * 0 root docker exec registry registry garbage-collect -m "
        "/etc/docker/registry/config.yml\n");
    commit(fx->repo, "2026-04-01T08:00:00Z", "carol", "GC weekly, delete untagged");

    /* a side branch touching the script, merged back */
    sh("cd '%s' && git checkout -q -b side", fx->repo);
    put(fx->repo, "scripts/cleanup-tags.sh", "#!/bin/sh\n# keep 10\nrm -rf \"$T\"\n");
    commit(fx->repo, "2026-04-02T08:00:00Z", "dave", "Keep ten tags");
    sh("cd '%s' && git checkout -q main", fx->repo);
    put(fx->repo, "README.md", "configs, v2\n");
    commit(fx->repo, "2026-04-03T08:00:00Z", "alice", "Docs");
    sh("cd '%s' && GIT_AUTHOR_DATE=2026-04-04T08:00:00Z "
       "GIT_COMMITTER_DATE=2026-04-04T08:00:00Z "
       "GIT_AUTHOR_NAME=alice GIT_AUTHOR_EMAIL=alice@example.org git merge -q --no-ff -m "
       "'Merge side' "
       "side",
       fx->repo);

    /* odd entries: a symlink, a submodule (gitlink), a binary file, a huge file */
    sh("cd '%s' && ln -s scripts/cleanup-tags.sh cleanup && "
       "git update-index --add --cacheinfo "
       "160000,0123456789012345678901234567890123456789,vendor/sub",
       fx->repo);
    put(fx->repo, "bin/tool", "x");
    {
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/bin/tool", fx->repo);
        f = fopen(path, "wb");
        fwrite("\x7f"
               "ELF\0\0\0binary",
               1, 13, f);
        fclose(f);
        snprintf(path, sizeof(path), "%s/huge.txt", fx->repo);
        f = fopen(path, "wb");
        for (i = 0; i < 70000; i++)
            fputs("0123456789abcdef\n", f); /* 1.19 MB */
        fclose(f);
    }
    commit(fx->repo, "2026-04-10T12:00:00Z", "erin", "Odd files");
    sh("cd '%s' && git rm -q etc/cron.d/registry", fx->repo);
    commit(fx->repo, "2026-04-20T12:00:00Z", "alice", "Remove the cron file");
    sh("cd '%s' && git tag v1 HEAD~1 && git tag -a -m annotated v1a HEAD~1", fx->repo);

    sh("git clone -q --bare '%s' '%s'", fx->repo, fx->bare);
    sh("git clone -q --depth 2 'file://%s' '%s'", fx->repo, fx->shallow);

    /* loose objects, some deleted */
    sh("git init -q -b main '%s'", fx->damaged);
    put(fx->damaged, "keep.txt", "kept\n");
    put(fx->damaged, "d/a", "a\n");
    commit(fx->damaged, "2026-01-01T00:00:00Z", "alice", "One");
    put(fx->damaged, "d/a", "a2\n");
    commit(fx->damaged, "2026-01-02T00:00:00Z", "alice", "Two");
    put(fx->damaged, "gone.txt", "content that will be lost\n");
    put(fx->damaged, "t/x", "x in a lost tree\n");
    commit(fx->damaged, "2026-01-03T00:00:00Z", "alice", "Three");
    sh("cd '%s' && for o in HEAD:gone.txt HEAD:t HEAD~1; do h=$(git rev-parse $o); "
       "rm .git/objects/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-); done",
       fx->damaged);
    *state = fx;
    return 0;
}

static void test_gitrepo__not_a_repo(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = (void *)1;
    struct ra_err err = RA_ERR_INIT;
    char want[400];

    assert_int_equal(ra_gitrepo_open(&r, fx->plain, &err), RA_ENOTFOUND);
    assert_null(r);
    assert_int_equal(err.code, RA_ENOTFOUND);
    snprintf(want, sizeof(want), "'%s': not a git repository", fx->plain);
    assert_string_equal(err.msg, want);
}

/* A file: a git bundle gets the way to read it, a linked work tree's ".git" file is
 * followed, anything else is not a repository. */
static void test_gitrepo__config_is_a_file(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = (void *)1;
    struct ra_err err = RA_ERR_INIT;
    char path[600], want[1400], head[41], wt[400];

    snprintf(path, sizeof(path), "%s/config.bundle", fx->dir);
    sh("git -C '%s' bundle create -q '%s' --all", fx->repo, path);
    assert_int_equal(ra_gitrepo_open(&r, path, &err), RA_ENOTFOUND);
    assert_null(r);
    snprintf(
        want, sizeof(want),
        "'%s': a git bundle, which is read as a clone: git clone '%s' DIR, then give "
        "DIR",
        path, path);
    assert_string_equal(err.msg, want);

    snprintf(path, sizeof(path), "%s/notes.txt", fx->dir);
    sh("echo 'gitdir is not here' > '%s'", path);
    assert_int_equal(ra_gitrepo_open(&r, path, &err), RA_ENOTFOUND);
    snprintf(want, sizeof(want), "'%s': a file, not a git repository", path);
    assert_string_equal(err.msg, want);

    snprintf(wt, sizeof(wt), "%s/linked", fx->dir);
    sh("git -C '%s' worktree add -q '%s' 2>/dev/null", fx->repo, wt);
    snprintf(path, sizeof(path), "%s/.git", wt);
    assert_int_equal(ra_gitrepo_open(&r, path, &err), 0);
    assert_int_equal(ra_gitrepo_resolve(head, r, NULL, &err), 0);
    assert_int_equal(strlen(head), 40);
    ra_gitrepo_free(r);
}

static void test_gitrepo__missing_path(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_err err = RA_ERR_INIT;
    char path[400];

    snprintf(path, sizeof(path), "%s/nope", fx->dir);
    assert_int_equal(ra_gitrepo_open(&r, path, &err), RA_ENOTFOUND);
    assert_non_null(strstr(err.msg, "No such file or directory"));
}

/* A work tree, its .git folder, a bare repository; a folder inside a work tree is not
 * taken for the repository around it, and the message names that one. */
static void test_gitrepo__open_worktree_gitdir_and_bare(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *a = NULL, *b = NULL, *c = NULL, *d = (void *)1;
    struct ra_err err = RA_ERR_INIT;
    char ha[41], hb[41], hc[41], sub[400], gitdir[400], want[1000];

    snprintf(sub, sizeof(sub), "%s/scripts", fx->repo);
    snprintf(gitdir, sizeof(gitdir), "%s/.git", fx->repo);
    assert_int_equal(ra_gitrepo_open(&a, fx->repo, &err), 0);
    assert_int_equal(ra_gitrepo_open(&b, fx->bare, &err), 0);
    assert_int_equal(ra_gitrepo_open(&c, gitdir, &err), 0);
    assert_int_equal(ra_gitrepo_open(&d, sub, &err), RA_ENOTFOUND);
    assert_null(d);
    snprintf(want, sizeof(want),
             "'%s': not the top of a git repository (it is inside the one at '%s'; give "
             "that)",
             sub, fx->repo);
    assert_string_equal(err.msg, want);
    assert_false(ra_gitrepo_is_bare(a));
    assert_true(ra_gitrepo_is_bare(b));
    assert_false(ra_gitrepo_is_shallow(a));
    assert_int_equal(ra_gitrepo_resolve(ha, a, NULL, &err), 0);
    assert_int_equal(ra_gitrepo_resolve(hb, b, "HEAD", &err), 0);
    assert_int_equal(ra_gitrepo_resolve(hc, c, "main", &err), 0);
    assert_string_equal(ha, hb);
    assert_string_equal(ha, hc);
    assert_int_equal(strlen(ha), 40);
    ra_gitrepo_free(a);
    ra_gitrepo_free(b);
    ra_gitrepo_free(c);
    ra_gitrepo_free(NULL);
}

/* Evidence copies are often owned by someone else: git's safe.directory rule must not
 * make them look like "not a git repository". */
static void test_gitrepo__owned_by_another_user(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_err err = RA_ERR_INIT;
    char copy[400], head[41];

    if (geteuid() != 0) {
        skip(); /* only root can give files away */
        return;
    }
    snprintf(copy, sizeof(copy), "%s/owned", fx->dir);
    sh("cp -a '%s' '%s' && chown -R 12345:12345 '%s'", fx->repo, copy, copy);
    if (ra_gitrepo_open(&r, copy, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(ra_gitrepo_resolve(head, r, NULL, &err), 0);
    ra_gitrepo_free(r);
}

static void test_gitrepo__resolve(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL, *e = NULL;
    struct ra_err err = RA_ERR_INIT;
    char head1[41], tag[41], atag[41], out[41];

    assert_int_equal(ra_gitrepo_open(&r, fx->repo, &err), 0);
    assert_int_equal(ra_gitrepo_resolve(head1, r, "HEAD~1", &err), 0);
    assert_int_equal(ra_gitrepo_resolve(tag, r, "v1", &err), 0);
    assert_int_equal(ra_gitrepo_resolve(atag, r, "v1a", &err), 0); /* peeled */
    assert_string_equal(head1, tag);
    assert_string_equal(head1, atag);
    assert_int_equal(ra_gitrepo_resolve(out, r, head1 + 0, &err), 0);

    assert_int_equal(ra_gitrepo_resolve(out, r, "no-such-branch", &err), RA_ENOTFOUND);
    assert_int_equal(err.code, RA_ENOTFOUND);
    assert_string_equal(err.msg, "revision 'no-such-branch': not found");
    assert_string_equal(out, "");
    assert_int_equal(ra_gitrepo_resolve(out, r, "HEAD:README.md", &err), RA_EFORMAT);
    assert_string_equal(err.msg, "revision 'HEAD:README.md': not a commit");

    assert_int_equal(ra_gitrepo_open(&e, fx->empty, &err), 0);
    assert_int_equal(ra_gitrepo_resolve(out, e, NULL, &err), RA_ENOTFOUND);
    assert_string_equal(err.msg, "revision 'HEAD': not found");
    ra_gitrepo_free(e);
    ra_gitrepo_free(r);
}

static const struct ra_gitfile *find(const struct ra_gitfiles *fs, const char *path)
{
    size_t i;

    for (i = 0; i < fs->len; i++) {
        if (!strcmp(fs->items[i].path, path))
            return &fs->items[i];
    }
    return NULL;
}

static void test_gitrepo__files(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_gitfiles fs = RA_GITFILES_INIT;
    struct ra_err err = RA_ERR_INIT;
    const struct ra_gitfile *f;
    char head[41];
    size_t i;

    assert_int_equal(ra_gitrepo_open(&r, fx->repo, &err), 0);
    assert_int_equal(ra_gitrepo_resolve(head, r, "v1", &err), 0);
    assert_int_equal(ra_gitrepo_files(&fs, r, head, &err), 0);
    /* README.md bin/tool cleanup etc/cron.d/registry huge.txt scripts/cleanup-tags.sh;
     * vendor/sub (a submodule) is skipped */
    assert_int_equal(fs.len, 6);
    for (i = 1; i < fs.len; i++)
        assert_true(strcmp(fs.items[i - 1].path, fs.items[i].path) < 0);
    assert_null(find(&fs, "vendor/sub"));
    f = find(&fs, "etc/cron.d/registry");
    assert_non_null(f);
    assert_int_equal(f->mode, RA_GITFILE_REGULAR);
    assert_int_equal(f->size, 39 + 97);
    f = find(&fs, "scripts/cleanup-tags.sh");
    assert_int_equal(f->mode, RA_GITFILE_EXECUTABLE);
    f = find(&fs, "cleanup");
    assert_int_equal(f->mode, RA_GITFILE_SYMLINK);
    assert_int_equal(f->size, strlen("scripts/cleanup-tags.sh"));
    assert_int_equal(find(&fs, "huge.txt")->size, 70000 * 17);

    /* the tip no longer has the cron file */
    assert_int_equal(ra_gitrepo_files(&fs, r, "HEAD", &err), RA_EFORMAT);
    assert_int_equal(err.code, RA_EFORMAT);
    assert_int_equal(fs.len, 0);
    assert_int_equal(ra_gitrepo_resolve(head, r, NULL, &err), 0);
    assert_int_equal(ra_gitrepo_files(&fs, r, head, &err), 0);
    assert_null(find(&fs, "etc/cron.d/registry"));
    assert_int_equal(
        ra_gitrepo_files(&fs, r, "0000000000000000000000000000000000000001", &err),
        RA_ENOTFOUND);
    assert_string_equal(err.msg,
                        "commit '0000000000000000000000000000000000000001': not found");
    ra_gitfiles_release(&fs);
    ra_gitfiles_release(&fs);
    ra_gitrepo_free(r);
}

static void test_gitrepo__read_blob(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_gitfiles fs = RA_GITFILES_INIT;
    struct ra_buf b = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    char head[41];
    int binary = -1;

    assert_int_equal(ra_gitrepo_open(&r, fx->bare, &err), 0);
    assert_int_equal(ra_gitrepo_resolve(head, r, "v1", &err), 0);
    assert_int_equal(ra_gitrepo_files(&fs, r, head, &err), 0);

    assert_int_equal(ra_gitrepo_read_blob(&b, &binary, r,
                                          find(&fs, "scripts/cleanup-tags.sh")->blob, 0,
                                          &err),
                     0);
    assert_false(binary);
    assert_string_equal(b.ptr, "#!/bin/sh\n# keep 10\nrm -rf \"$T\"\n");

    assert_int_equal(
        ra_gitrepo_read_blob(&b, &binary, r, find(&fs, "bin/tool")->blob, 0, &err), 0);
    assert_true(binary);
    assert_int_equal(b.len, 13);

    assert_int_equal(
        ra_gitrepo_read_blob(&b, &binary, r, find(&fs, "huge.txt")->blob, 0, &err),
        RA_ELIMIT);
    assert_int_equal(err.code, RA_ELIMIT);
    assert_non_null(strstr(err.msg, ": 1190000 bytes, more than the limit of 1048576"));
    assert_int_equal(b.len, 0);
    assert_int_equal(
        ra_gitrepo_read_blob(&b, NULL, r, find(&fs, "README.md")->blob, 5, &err),
        RA_ELIMIT);
    assert_int_equal(ra_gitrepo_read_blob(&b, NULL, r, "nothex", 0, &err), RA_EFORMAT);
    assert_string_equal(err.msg, "blob 'nothex': not a 40-hex object id");
    assert_int_equal(ra_gitrepo_read_blob(&b, NULL, r,
                                          "1111111111111111111111111111111111111111", 0,
                                          &err),
                     RA_ENOTFOUND);
    ra_buf_release(&b);
    ra_gitfiles_release(&fs);
    ra_gitrepo_free(r);
}

struct seen {
    char commit[41];
    ra_time time;
    char author[32];
    char email[48];
    char summary[64];
    size_t npaths;
    size_t index[4];
    char before[4][41];
    char after[4][41];
};

struct log {
    struct seen s[16];
    size_t n;
    size_t stop_after;
};

static int on_change(const struct ra_gitchange *ch, void *payload)
{
    struct log *l = payload;
    struct seen *s = &l->s[l->n++];
    size_t i;

    assert_true(l->n <= 16);
    snprintf(s->commit, sizeof(s->commit), "%s", ch->commit);
    s->time = ch->time;
    snprintf(s->author, sizeof(s->author), "%s", ch->author_name);
    snprintf(s->email, sizeof(s->email), "%s", ch->author_email);
    snprintf(s->summary, sizeof(s->summary), "%s", ch->summary);
    s->npaths = ch->npaths;
    for (i = 0; i < ch->npaths && i < 4; i++) {
        s->index[i] = ch->path_index[i];
        snprintf(s->before[i], 41, "%s", ch->before[i]);
        snprintf(s->after[i], 41, "%s", ch->after[i]);
    }
    if (l->stop_after && l->n == l->stop_after)
        return RA_EUSAGE;
    return 0;
}

static void test_gitrepo__history(void **state)
{
    struct fixture *fx = *state;
    const char *paths[] = {"etc/cron.d/registry", "scripts/cleanup-tags.sh", "scripts"};
    struct ra_gitrepo *r = NULL;
    struct log *l = calloc(1, sizeof(*l));
    struct ra_err err = RA_ERR_INIT;

    assert_int_equal(ra_gitrepo_open(&r, fx->repo, &err), 0);
    assert_int_equal(ra_gitrepo_history(r, NULL, paths, 3, on_change, l, &err), 0);
    /* newest first: remove (04-20), side commit (04-02), GC (04-01), script (03-05),
     * add (03-01). The merge took side's script unchanged: not a change. */
    assert_int_equal(l->n, 5);
    assert_string_equal(l->s[0].summary, "Remove the cron file");
    assert_int_equal(l->s[0].time, 1776686400); /* 2026-04-20T12:00:00Z */
    assert_int_equal(l->s[0].npaths, 1);
    assert_int_equal(l->s[0].index[0], 0);
    assert_int_equal(strlen(l->s[0].before[0]), 40);
    assert_string_equal(l->s[0].after[0], "");

    assert_string_equal(l->s[1].summary, "Keep ten tags");
    assert_string_equal(l->s[1].author, "dave");
    assert_string_equal(l->s[1].email, "dave@example.org");
    assert_int_equal(l->s[1].npaths, 2); /* the script and its directory */
    assert_int_equal(l->s[1].index[0], 1);
    assert_int_equal(l->s[1].index[1], 2);

    assert_string_equal(l->s[2].summary, "GC weekly, delete untagged");
    assert_int_equal(l->s[2].npaths, 1);
    assert_string_equal(l->s[2].author, "carol");

    assert_string_equal(l->s[3].summary, "Add the script"); /* first paragraph only */
    assert_string_equal(l->s[3].before[0], "");

    assert_string_equal(l->s[4].summary, "Add cleanup cron");
    assert_int_equal(l->s[4].time, 1772359200); /* 2026-03-01T10:00:00Z */
    assert_int_equal(l->s[4].npaths, 1);
    assert_string_equal(l->s[4].before[0], "");
    assert_int_equal(strlen(l->s[4].after[0]), 40);
    assert_string_not_equal(l->s[4].after[0],
                            l->s[0].before[0]); /* GC line added since */

    /* the callback stops the walk */
    memset(l, 0, sizeof(*l));
    l->stop_after = 2;
    assert_int_equal(ra_gitrepo_history(r, "v1", paths, 3, on_change, l, &err),
                     RA_EUSAGE);
    assert_int_equal(l->n, 2);
    assert_string_equal(l->s[0].summary, "Keep ten tags");

    memset(l, 0, sizeof(*l));
    assert_int_equal(ra_gitrepo_history(r, "nope", paths, 3, on_change, l, &err),
                     RA_ENOTFOUND);
    assert_int_equal(ra_gitrepo_history(r, NULL, paths, 0, on_change, l, &err), 0);
    assert_int_equal(l->n, 0);
    free(l);
    ra_gitrepo_free(r);
}

static void test_gitrepo__shallow(void **state)
{
    struct fixture *fx = *state;
    const char *paths[] = {"etc/cron.d/registry", "README.md", "huge.txt"};
    struct ra_gitrepo *r = NULL;
    struct ra_gitfiles fs = RA_GITFILES_INIT;
    struct log *l = calloc(1, sizeof(*l));
    struct ra_err err = RA_ERR_INIT;
    char head[41];

    assert_int_equal(ra_gitrepo_open(&r, fx->shallow, &err), 0);
    assert_true(ra_gitrepo_is_shallow(r));
    assert_int_equal(ra_gitrepo_resolve(head, r, NULL, &err), 0);
    assert_int_equal(ra_gitrepo_files(&fs, r, head, &err), 0);
    assert_non_null(find(&fs, "huge.txt"));
    assert_int_equal(ra_gitrepo_history(r, NULL, paths, 3, on_change, l, &err), 0);
    /* two commits exist: the removal, and the boundary ("Odd files"), which adds all */
    assert_int_equal(l->n, 2);
    assert_string_equal(l->s[0].summary, "Remove the cron file");
    assert_string_equal(l->s[1].summary, "Odd files");
    assert_int_equal(l->s[1].npaths, 3);
    free(l);
    ra_gitfiles_release(&fs);
    ra_gitrepo_free(r);
}

static void test_gitrepo__damaged(void **state)
{
    struct fixture *fx = *state;
    const char *paths[] = {"keep.txt", "d/a", "gone.txt"};
    struct ra_gitrepo *r = NULL;
    struct ra_gitfiles fs = RA_GITFILES_INIT;
    struct ra_buf b = RA_BUF_INIT;
    struct log *l = calloc(1, sizeof(*l));
    struct ra_err err = RA_ERR_INIT;
    const struct ra_gitfile *f;
    char head[41];

    assert_int_equal(ra_gitrepo_open(&r, fx->damaged, &err), 0);
    assert_int_equal(ra_gitrepo_resolve(head, r, NULL, &err), 0);
    assert_int_equal(ra_gitrepo_files(&fs, r, head, &err), 0);
    assert_int_equal(fs.len, 4); /* d/a gone.txt keep.txt t */
    f = find(&fs, "gone.txt");
    assert_true(f->missing);
    assert_int_equal(f->size, 0);
    f = find(&fs, "t");
    assert_true(f->missing);
    assert_int_equal(f->mode, RA_GITFILE_TREE);
    assert_false(find(&fs, "keep.txt")->missing);
    assert_int_equal(
        ra_gitrepo_read_blob(&b, NULL, r, find(&fs, "gone.txt")->blob, 0, &err),
        RA_ENOTFOUND);
    assert_int_equal(
        ra_gitrepo_read_blob(&b, NULL, r, find(&fs, "keep.txt")->blob, 0, &err), 0);

    /* "Two" is gone: "Three" has what it has, "One" is out of reach */
    assert_int_equal(ra_gitrepo_history(r, NULL, paths, 3, on_change, l, &err), 0);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->s[0].summary, "Three");
    assert_int_equal(l->s[0].npaths, 3);
    free(l);
    ra_buf_release(&b);
    ra_gitfiles_release(&fs);
    ra_gitrepo_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gitrepo__not_a_repo),
        cmocka_unit_test(test_gitrepo__missing_path),
        cmocka_unit_test(test_gitrepo__open_worktree_gitdir_and_bare),
        cmocka_unit_test(test_gitrepo__config_is_a_file),
        cmocka_unit_test(test_gitrepo__owned_by_another_user),
        cmocka_unit_test(test_gitrepo__resolve),
        cmocka_unit_test(test_gitrepo__files),
        cmocka_unit_test(test_gitrepo__read_blob),
        cmocka_unit_test(test_gitrepo__history),
        cmocka_unit_test(test_gitrepo__shallow),
        cmocka_unit_test(test_gitrepo__damaged),
    };

    return cmocka_run_group_tests_name("config/gitrepo", tests, setup, git_teardown);
}
