/* SPDX-License-Identifier: MIT */
/* report/pm_recovery.c: the analysis's plan as steps and commands. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_restore_from_archive(void **state)
{
    struct pmfix f;
    json_t *o, *steps;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    steps = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "steps");
    assert_int_equal(json_array_size(steps), 3);
    assert_string_equal(pm_str(json_array_get(steps, 0), "kind"), "restore");
    assert_string_equal(pm_str(json_array_get(steps, 0), "title"),
                        "Restore 1 blob from snap-12, the last snapshot that has it, and "
                        "check its digest");
    /* one digest: no loop (shellcheck SC2043), the registry root "" has no prefix */
    assert_string_equal(
        pm_str(json_array_get(steps, 0), "commands"),
        "snap=/nonexistent/snap.tar  # the snapshot as regautopsy read it: adjust\n"
        "d=0100000000000000000000000000000000000000000000000000000000000000\n"
        "p=blobs/sha256/$(printf %.2s \"$d\")/$d/data\n"
        "mkdir -p \"$ROOT/${p%/data}\"\n"
        /* extracted beside data, checked, then moved: a failed extract or a wrong
         * digest never leaves a truncated data file in live storage */
        "if { tar -xOf \"$snap\" \"$p\" 2>/dev/null || tar -xOf \"$snap\" \"./$p\"; } "
        "> \"$ROOT/$p.tmp\" &&\n"
        "    echo \"$d  $ROOT/$p.tmp\" | sha256sum -c -; then mv \"$ROOT/$p.tmp\" "
        "\"$ROOT/$p\"\n"
        "else rm -f \"$ROOT/$p.tmp\"; echo \"sha256:$d: not restored\" >&2; fi");
    assert_string_equal(pm_str(json_array_get(steps, 1), "kind"), "rebuild");
    assert_string_equal(pm_str(json_array_get(steps, 2), "kind"), "verify");
    json_decref(o);
    pmfix_release(&f);
}

/* Two blobs from one snapshot and two revision links in one repository: one loop
 * each, every digest once. */
static void test_grouped_loops(void **state)
{
    struct pmfix f;
    json_t *o, *steps;
    const char *cmd;

    (void)state;
    pmfix_init(&f, 2, 2);
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    steps = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "steps");
    assert_int_equal(json_array_size(steps), 3);
    assert_string_equal(pm_str(json_array_get(steps, 0), "title"),
                        "Restore 2 blobs from snap-12, the last snapshot that has them, "
                        "and check each digest");
    cmd = pm_str(json_array_get(steps, 0), "commands");
    assert_non_null(strstr(cmd, "\nfor d in 01000000"));
    assert_non_null(strstr(cmd, "00 02000000"));
    assert_non_null(strstr(cmd, "; do\n    p=blobs/sha256/"));
    assert_non_null(strstr(cmd, "\ndone"));
    json_decref(o);
    pmfix_release(&f);

    /* the second is a revision link whose manifest data is still stored */
    pmfix_init(&f, 2, 2);
    f.loss[1].object = RA_OBJ_MANIFEST_LINK;
    f.loss[1].repository = "infra-ci";
    f.loss[1].child_blob_present = 1;
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    steps = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "steps");
    assert_string_equal(pm_str(json_array_get(steps, 0), "kind"), "relink");
    assert_string_equal(
        pm_str(json_array_get(steps, 0), "title"),
        "Re-create 1 revision link in infra-ci: the manifest data is still "
        "in storage");
    assert_string_equal(
        pm_str(json_array_get(steps, 0), "commands"),
        "d=0200000000000000000000000000000000000000000000000000000000000000\n"
        "dir=\"$ROOT\"/repositories/infra-ci/_manifests/revisions/sha256/\"$d\"\n"
        /* only when the manifest's data is in ROOT: a link to nothing breaks pulls */
        "if [ -f \"$ROOT/blobs/sha256/$(printf %.2s \"$d\")/$d/data\" ]; then mkdir -p "
        "\"$dir\" && printf 'sha256:%s' \"$d\" > \"$dir/link\"\n"
        "else echo \"sha256:$d: its data is not in ROOT: link not re-created\" >&2; fi");
    assert_string_equal(pm_str(json_array_get(steps, 1), "kind"), "restore");
    json_decref(o);
    pmfix_release(&f);
}

/* In no snapshot: rebuild, nothing to restore. */
static void test_lost(void **state)
{
    struct pmfix f;
    json_t *o, *steps;

    (void)state;
    pmfix_init(&f, 2, 1);
    f.loss[0].last_present = SIZE_MAX;
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    steps = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "steps");
    assert_int_equal(json_array_size(steps), 2);
    assert_string_equal(pm_str(json_array_get(steps, 0), "kind"), "rebuild");
    assert_non_null(
        strstr(pm_str(json_array_get(steps, 0), "title"), "No snapshot holds blob"));
    json_decref(o);
    pmfix_release(&f);
}

/* As shown: the relink and restore commands in one block that begins with its own ROOT=
 * line and ends with the check that the tag pulls; the rebuild a paragraph after it. */
static const char root_placeholder[] =
    "ROOT=/var/lib/registry/docker/registry/v2  # the live registry's "
    "<rootdirectory>/docker/registry/v2: adjust\n";

static void test_parts_one_block(void **state)
{
    struct pmfix f;
    json_t *o, *parts;
    const char *cmd;

    (void)state;
    pmfix_init(&f, 2, 2);
    f.loss[1].object = RA_OBJ_MANIFEST_LINK;
    f.loss[1].repository = "infra-ci";
    f.loss[1].child_blob_present = 1;
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    parts = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "parts");
    assert_int_equal(json_array_size(parts), 2);
    assert_string_equal(pm_str(json_array_get(parts, 0), "text"),
                        "Re-create 1 revision link in infra-ci: the manifest data is "
                        "still in storage. Restore 1 blob from snap-12, the last "
                        "snapshot that has it, and check its digest. Then check that "
                        "the image pulls again by its digest:");
    cmd = pm_str(json_array_get(parts, 0), "commands");
    /* the registry root "" has no prefix: the placeholder, never "ROOT=/" */
    assert_int_equal(strncmp(cmd, root_placeholder, strlen(root_placeholder)), 0);
    assert_ptr_equal(strstr(cmd, "\nd=02"), cmd + strlen(root_placeholder) - 1);
    assert_non_null(
        strstr(cmd, "link not re-created\" >&2; fi\nsnap=/nonexistent/snap.tar"));
    assert_non_null(strstr(cmd, "not restored\" >&2; fi\nskopeo copy --all "));
    assert_null(strstr(strstr(cmd, "\n"), "ROOT="));
    assert_string_equal(pm_str(json_array_get(parts, 0), "fence"), "```");
    assert_non_null(strstr(pm_str(json_array_get(parts, 1), "text"), "Or rebuild "));
    assert_true(json_is_null(json_object_get(json_array_get(parts, 1), "commands")));
    json_decref(o);
    pmfix_release(&f);
}

/* What no snapshot holds must be rebuilt first: no block for ROOT, the check comes last
 * in a block of its own. */
static void test_parts_rebuild_first(void **state)
{
    struct pmfix f;
    json_t *o, *parts;

    (void)state;
    pmfix_init(&f, 2, 1);
    f.loss[0].last_present = SIZE_MAX;
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    parts = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "parts");
    assert_int_equal(json_array_size(parts), 2);
    assert_non_null(
        strstr(pm_str(json_array_get(parts, 0), "text"), "No snapshot holds"));
    assert_true(json_is_null(json_object_get(json_array_get(parts, 0), "commands")));
    assert_string_equal(pm_str(json_array_get(parts, 1), "text"),
                        "Check that the image pulls again by its digest:");
    assert_int_equal(
        strncmp(pm_str(json_array_get(parts, 1), "commands"), "skopeo copy --all ", 18),
        0);
    json_decref(o);
    pmfix_release(&f);
}

/* The check pulls the restored index by its digest (the tag may name a rebuild by now);
 * a tag that names nothing is checked by its name. */
static void test_verify_by_digest(void **state)
{
    struct pmfix f;
    json_t *o, *steps;
    char want[200];

    (void)state;
    pmfix_init(&f, 2, 1);
    f.tag[1].digest.b[0] = 0xe4;
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    steps = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "steps");
    assert_string_equal(pm_str(json_array_get(steps, 2), "kind"), "verify");
    snprintf(want, sizeof(want),
             "skopeo copy --all docker://REGISTRY/infra-ci@sha256:e4%062d "
             "dir:/tmp/regautopsy-check",
             0);
    assert_string_equal(pm_str(json_array_get(steps, 2), "commands"), want);
    assert_string_equal(pm_str(json_array_get(steps, 2), "title"),
                        "Check that the image pulls again by its digest");
    json_decref(o);
    pmfix_release(&f);

    pmfix_init(&f, 2, 1);
    f.tag[1].resolves = 0;
    pmfix_decide(&f);
    o = ra_pm_recovery(&f.m);
    steps = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "steps");
    assert_string_equal(pm_str(json_array_get(steps, 2), "commands"),
                        "skopeo copy --all docker://REGISTRY/infra-ci:latest "
                        "dir:/tmp/regautopsy-check");
    json_decref(o);
    pmfix_release(&f);
}

/* The damaging job ran again after the newest snapshot: the plan says which storage it
 * was computed from, restores the data of the index and of the relinked manifest where
 * ROOT lacks it (here from the newest snapshot: the blob's snapshot has none of them)
 * before the relinks, and relinks the index too; the first step stops the GC job. */
static void test_recurrence_after_newest(void **state)
{
    struct pmfix f;
    json_t *o, *parts;

    (void)state;
    pmfix_init(&f, 2, 2);
    f.loss[1].object = RA_OBJ_MANIFEST_LINK;
    f.loss[1].repository = "infra-ci";
    f.loss[1].child_blob_present = 1;
    f.tag[1].digest.b[0] = 0xe4;
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    f.firing[1] = f.firing[0];
    f.firing[1].time = APR(19, 3, 25);
    f.pm->recurrence.next = &f.firing[1];
    o = ra_pm_recovery(&f.m);
    /* read-only mode does not stop a cron job: the job itself, by name and file */
    assert_string_equal(
        pm_str(o, "stop"),
        "First stop garbage-collect: disable registry garbage-collect "
        "(etc/cron.d/registry-gc), then set `storage.maintenance.readonly.enabled: true` "
        "in the registry's config against pushes and restart it (read-only mode does not "
        "stop a garbage-collect job); set it back to false and restart once the restore "
        "is done, before anything is pushed, a rebuild included. The restored objects "
        "are untagged: before "
        "garbage-collect runs again, make sure it no longer runs with --delete-untagged "
        "(on Distribution 2.x, tagging an index does not protect its platforms' "
        "manifests from it).");
    parts = json_object_get(json_array_get(json_object_get(o, "tags"), 0), "parts");
    assert_string_equal(
        pm_str(json_array_get(parts, 0), "text"),
        "This plan was computed from storage as of the newest snapshot, snap-13 "
        "(2026-04-13T01:00:00Z); registry garbage-collect ran again after it, so the "
        "block also restores manifest data that ROOT lacks before re-creating links. "
        "Restore 1 blob from snap-12, the last snapshot that has it, and check its "
        "digest. Restore the data of 2 manifests where ROOT lacks it from snap-13, the "
        "newest snapshot, and check each digest. Then re-create 2 revision links in "
        "infra-ci. Then check that the image pulls again by its digest:");
    assert_string_equal(
        pm_str(json_array_get(parts, 0), "commands"),
        "ROOT=/var/lib/registry/docker/registry/v2  # the live registry's "
        "<rootdirectory>/docker/registry/v2: adjust\n"
        "snap=/nonexistent/snap.tar  # the snapshot as regautopsy read it: adjust\n"
        "d=0100000000000000000000000000000000000000000000000000000000000000\n"
        "p=blobs/sha256/$(printf %.2s \"$d\")/$d/data\n"
        "mkdir -p \"$ROOT/${p%/data}\"\n"
        "if { tar -xOf \"$snap\" \"$p\" 2>/dev/null || tar -xOf \"$snap\" \"./$p\"; } "
        "> \"$ROOT/$p.tmp\" &&\n"
        "    echo \"$d  $ROOT/$p.tmp\" | sha256sum -c -; then mv \"$ROOT/$p.tmp\" "
        "\"$ROOT/$p\"\n"
        "else rm -f \"$ROOT/$p.tmp\"; echo \"sha256:$d: not restored\" >&2; fi\n"
        /* the manifests' data, each only when ROOT lacks it, before the relinks */
        "snap=/nonexistent/snap.tar  # the snapshot as regautopsy read it: adjust\n"
        "for d in e400000000000000000000000000000000000000000000000000000000000000 "
        "0200000000000000000000000000000000000000000000000000000000000000; do\n"
        "    p=blobs/sha256/$(printf %.2s \"$d\")/$d/data\n"
        "    [ -f \"$ROOT/$p\" ] && continue\n"
        "    mkdir -p \"$ROOT/${p%/data}\"\n"
        "    if { tar -xOf \"$snap\" \"$p\" 2>/dev/null || tar -xOf \"$snap\" "
        "\"./$p\"; } > \"$ROOT/$p.tmp\" &&\n"
        "        echo \"$d  $ROOT/$p.tmp\" | sha256sum -c -; then mv \"$ROOT/$p.tmp\" "
        "\"$ROOT/$p\"\n"
        "    else rm -f \"$ROOT/$p.tmp\"; echo \"sha256:$d: not restored\" >&2; fi\n"
        "done\n"
        /* the index's own link as well */
        "for d in 0200000000000000000000000000000000000000000000000000000000000000 "
        "e400000000000000000000000000000000000000000000000000000000000000; do\n"
        "    dir=\"$ROOT\"/repositories/infra-ci/_manifests/revisions/sha256/\"$d\"\n"
        "    if [ -f \"$ROOT/blobs/sha256/$(printf %.2s \"$d\")/$d/data\" ]; then "
        "mkdir -p \"$dir\" && printf 'sha256:%s' \"$d\" > \"$dir/link\"\n"
        "    else echo \"sha256:$d: its data is not in ROOT: link not re-created\" >&2; "
        "fi\n"
        "done\n"
        "skopeo copy --all "
        "docker://REGISTRY/"
        "infra-ci@sha256:e400000000000000000000000000000000000000000000000000000000000000"
        " dir:/tmp/regautopsy-check");
    json_decref(o);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_from_archive),
        cmocka_unit_test(test_grouped_loops),
        cmocka_unit_test(test_lost),
        cmocka_unit_test(test_parts_one_block),
        cmocka_unit_test(test_parts_rebuild_first),
        cmocka_unit_test(test_verify_by_digest),
        cmocka_unit_test(test_recurrence_after_newest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
