/* SPDX-License-Identifier: MIT */
/* ra_scan_run (analysis/scan.h) on snapshots laid out in a temporary folder: a whole
 * registry (every tag pulls, no finding), one whose layer data is gone (unpullable,
 * critical), a tar archive cut short (a read_error finding saying how far it got),
 * Synology metadata in a tags folder (the info finding that says GC -m aborts), a
 * snapshot that is not there; ra_scan_has_unpullable and ra_scan_has_critical. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/scan.h"
#include "util/buf.h"

#include "fixture_analysis.h"

#define T_PUSH APR(6, 9, 0)
#define CONFIG "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{}}"
#define LAYER "layer data of infra-ci:latest"

static char tmpdir[] = "/tmp/ra-test-scan-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return fix_tmpdir_make(tmpdir);
}

static int teardown(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

/* tmpdir/<snap>[/docker/registry/v2] */
static const char *at(struct ra_buf *p, const char *snap, int root)
{
    ra_buf_truncate(p, 0);
    ra_buf_printf(p, "%s/%s%s", tmpdir, snap, root ? "/docker/registry/v2" : "");
    return p->ptr;
}

/* ra_scan_run on tmpdir/snap through ra_snapshot_expand, as the scan command does. */
static int scan(struct ra_scan **out, const char *snap, struct ra_err *err)
{
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_buf p = RA_BUF_INIT;
    struct ra_vec specs = RA_VEC_INIT;
    int rc;

    *out = NULL;
    assert_int_equal(ra_snapshot_expand(&specs, at(&p, snap, 0), err), 0);
    assert_int_equal(specs.len, 1);
    rc = ra_scan_run(out, specs.items[0], &opts, err);
    ra_snapshot_spec_free(specs.items[0]);
    ra_vec_release(&specs);
    ra_buf_release(&p);
    return rc;
}

static const struct ra_finding *finding(const struct ra_findings *f, size_t i)
{
    assert_true(i < f->items.len);
    return f->items.items[i];
}

static void expect_finding(const struct ra_finding *f, enum ra_finding_code code,
                           enum ra_severity sev, const char *repo, const char *tag,
                           const char *path, const char *message)
{
    assert_string_equal(ra_finding_code_name(f->code), ra_finding_code_name(code));
    assert_int_equal(f->severity, sev);
    assert_string_equal(f->repository, repo);
    assert_string_equal(f->tag, tag);
    assert_string_equal(f->path, path);
    assert_string_equal(f->message, message);
}

static void test_scan__whole(void **state)
{
    struct fix_disk_image x;
    struct ra_buf p = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s;
    const struct ra_tag_result *t;

    (void)state;
    fix_disk_push(&x, at(&p, "reg-2026-04-12T0100Z", 1), REPO, "latest", CONFIG, LAYER, 1,
                  T_PUSH);
    assert_int_equal(scan(&s, "reg-2026-04-12T0100Z", &err), 0);
    assert_string_equal(s->snap->name, "reg-2026-04-12T0100Z");
    assert_int_equal(s->snap->taken_at, APR(12, 1, 0));
    assert_int_equal(s->snap->taken_source, RA_TAKEN_NAME);
    assert_int_equal(s->snap->complete, 1);
    assert_int_equal(s->snap->entries, 35);
    assert_int_equal(s->verified, 0);
    assert_int_equal(s->nregs, 1);
    assert_null(s->regs[1]);
    assert_string_equal(s->regs[0]->graph->root, "docker/registry/v2");
    assert_int_equal(s->regs[0]->ntags, 1);
    t = &s->regs[0]->tags[0];
    assert_string_equal(t->repository, REPO);
    assert_string_equal(t->tag, "latest");
    assert_int_equal(t->pullable, 1);
    assert_int_equal(s->regs[0]->unpullable, 0);
    assert_int_equal(s->regs[0]->findings.items.len, 0);
    assert_int_equal(s->findings.items.len, 0);
    assert_int_equal(ra_scan_has_unpullable(s), 0);
    assert_int_equal(ra_scan_has_critical(s), 0);
    ra_scan_free(s);
    ra_buf_release(&p);
}

static void test_scan__layer_gone(void **state)
{
    struct fix_disk_image x;
    struct ra_buf p = RA_BUF_INIT, path = RA_BUF_INIT, msg = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s;

    (void)state;
    fix_disk_push(&x, at(&p, "reg-2026-04-13T0100Z", 1), REPO, "latest", CONFIG, LAYER, 0,
                  T_PUSH);
    assert_int_equal(scan(&s, "reg-2026-04-13T0100Z", &err), 0);
    assert_int_equal(s->snap->entries, 32);
    assert_int_equal(s->regs[0]->ntags, 1);
    assert_int_equal(s->regs[0]->tags[0].pullable, 0);
    assert_int_equal(s->regs[0]->unpullable, 1);
    assert_int_equal(s->regs[0]->findings.items.len, 2);
    ra_buf_printf(&path, "docker/registry/v2/blobs/sha256/%.2s/%s/data", x.layer,
                  x.layer);
    ra_buf_printf(&msg, "layer sha256:%s of sha256:%.12s: blob data missing", x.layer,
                  x.m);
    expect_finding(finding(&s->regs[0]->findings, 0), RA_F_BLOB_MISSING, RA_SEV_CRITICAL,
                   REPO, "latest", path.ptr, msg.ptr);
    ra_buf_truncate(&path, 0);
    ra_buf_truncate(&msg, 0);
    ra_buf_printf(&path,
                  "docker/registry/v2/repositories/" REPO "/_layers/sha256/%s/link",
                  x.layer);
    ra_buf_printf(&msg, "_layers link to sha256:%s, whose blob data is gone", x.layer);
    expect_finding(finding(&s->regs[0]->findings, 1), RA_F_LAYER_LINK_DANGLING,
                   RA_SEV_WARNING, REPO, "", path.ptr, msg.ptr);
    assert_int_equal(s->findings.items.len, 0);
    assert_int_equal(ra_scan_has_unpullable(s), 1);
    assert_int_equal(ra_scan_has_critical(s), 1);
    ra_scan_free(s);
    ra_buf_release(&p);
    ra_buf_release(&path);
    ra_buf_release(&msg);
}

static void test_scan__cut_archive(void **state)
{
    struct fix_disk_image x;
    struct ra_buf p = RA_BUF_INIT, cmd = RA_BUF_INIT, msg = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s;

    (void)state;
    fix_disk_push(&x, at(&p, "cut", 1), REPO, "latest", CONFIG, LAYER, 1, T_PUSH);
    /* the archive ends in the middle of its sixth member */
    ra_buf_printf(&cmd,
                  "tar -C '%s/cut' --sort=name --owner=0 --group=0 --numeric-owner "
                  "--mtime=@%lld -cf '%s/reg-2026-04-14T0100Z.tar' docker && "
                  "truncate -s 3000 '%s/reg-2026-04-14T0100Z.tar'",
                  tmpdir, (long long)T_PUSH, tmpdir, tmpdir);
    assert_int_equal(system(cmd.ptr), 0);
    assert_int_equal(scan(&s, "reg-2026-04-14T0100Z.tar", &err), 0);
    assert_int_equal(s->snap->taken_at, APR(14, 1, 0));
    assert_int_equal(s->snap->complete, 0);
    assert_int_equal(s->snap->entries, 5);
    assert_int_equal(s->findings.items.len, 1);
    ra_buf_printf(
        &msg,
        "'%s/reg-2026-04-14T0100Z.tar': archive damaged after member "
        "'docker/registry/v2/blobs/sha256' at byte 2560: Truncated tar archive; "
        "5 members read up to byte 2560, findings cover only those",
        tmpdir);
    expect_finding(finding(&s->findings, 0), RA_F_READ_ERROR, RA_SEV_CRITICAL, "", "",
                   "docker/registry/v2/blobs/sha256", msg.ptr);
    /* nothing read names a tag: none is unpullable, yet the read error is critical */
    assert_int_equal(s->regs[0]->ntags, 0);
    assert_int_equal(ra_scan_has_unpullable(s), 0);
    assert_int_equal(ra_scan_has_critical(s), 1);
    ra_scan_free(s);
    ra_buf_release(&p);
    ra_buf_release(&cmd);
    ra_buf_release(&msg);
}

static void test_scan__synology_in_tags(void **state)
{
    struct fix_disk_image x;
    struct ra_buf p = RA_BUF_INIT, q = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s;

    (void)state;
    fix_disk_push(&x, at(&p, "reg-2026-04-15T0100Z", 1), REPO, "latest", CONFIG, LAYER, 1,
                  T_PUSH);
    ra_buf_printf(&q, "%s/repositories/" REPO "/_manifests/tags/@eaDir/SYNO@.fileindexdb",
                  p.ptr);
    fix_write(q.ptr, "x", 1, T_PUSH);
    assert_int_equal(scan(&s, "reg-2026-04-15T0100Z", &err), 0);
    assert_int_equal(s->findings.items.len, 1);
    expect_finding(
        finding(&s->findings, 0), RA_F_NAS_METADATA, RA_SEV_INFO, "", "",
        "docker/registry/v2/repositories/" REPO "/_manifests/tags/@eaDir",
        "NAS or desktop metadata, not registry data, left out: 1 @eaDir; in the tags "
        "folder of 1 repository (" REPO ") the registry lists them as tags (GET "
        "/v2/<name>/tags/list) and garbage-collect --delete-untagged aborts before "
        "deleting anything (filesystem: invalid path: "
        "/docker/registry/v2/repositories/" REPO
        "/_manifests/tags/@eaDir/current/link); without -m it runs: remove them from the "
        "registry's storage");
    /* the @eaDir is no tag: latest still pulls, and an info finding is not critical */
    assert_int_equal(s->regs[0]->ntags, 1);
    assert_int_equal(ra_scan_has_unpullable(s), 0);
    assert_int_equal(ra_scan_has_critical(s), 0);
    ra_scan_free(s);
    ra_buf_release(&p);
    ra_buf_release(&q);
}

static void test_scan__missing(void **state)
{
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_snapshot_spec spec = {0};
    struct ra_buf p = RA_BUF_INIT, msg = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s = (struct ra_scan *)&spec;

    (void)state;
    spec.path = (char *)at(&p, "reg-2026-04-16T0100Z", 0);
    spec.name = "reg-2026-04-16T0100Z";
    spec.taken_at = RA_TIME_NONE;
    assert_int_equal(ra_scan_run(&s, &spec, &opts, &err), RA_ENOTFOUND);
    assert_null(s);
    ra_buf_printf(&msg, "'%s': no such file or directory", spec.path);
    assert_string_equal(err.msg, msg.ptr);
    ra_buf_release(&p);
    ra_buf_release(&msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan__whole),
        cmocka_unit_test(test_scan__layer_gone),
        cmocka_unit_test(test_scan__cut_archive),
        cmocka_unit_test(test_scan__synology_in_tags),
        cmocka_unit_test(test_scan__missing),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
