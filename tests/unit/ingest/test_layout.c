/* SPDX-License-Identifier: MIT */
/* ra_layout_parse: the registry storage path grammar, roots, names and odd paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/layout.h"
#include "model/storage_path.h"
#include "util/buf.h"

#define HEX "5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51"
#define HH "58"
#define HEX2 "f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265"
#define UPPER "5861314D7FCCB39C2192173240EAB44FA35CA66426201CA2ACD0630A6258DD51"
#define ROOT "var/lib/registry/docker/registry/v2"
#define UUID "3f2a9c1e-4b5d-4e6f-8a7b-9c0d1e2f3a4b"

static struct ra_path parse(const char *path)
{
    struct ra_path p;

    ra_layout_parse(&p, path, strlen(path));
    return p;
}

static void assert_slice(struct ra_slice s, const char *want)
{
    size_t n = strlen(want);

    if (s.len != n || (n && memcmp(s.ptr, want, n)))
        fail_msg("slice '%.*s' != '%s'", (int)s.len, s.ptr ? s.ptr : "", want);
}

static void assert_digest(const struct ra_path *p, const char *hex)
{
    struct ra_digest d;

    assert_int_equal(ra_digest_from_hex(&d, hex, strlen(hex)), 0);
    assert_int_equal(ra_digest_cmp(&p->digest, &d), 0);
}

static void assert_kind(const char *path, enum ra_path_kind kind)
{
    struct ra_path p = parse(path);

    if (p.kind != kind)
        fail_msg("'%s': kind %d, want %d", path, (int)p.kind, (int)kind);
}

static void test_layout__blob_data(void **state)
{
    struct ra_path p = parse(ROOT "/blobs/sha256/" HH "/" HEX "/data");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_BLOB_DATA);
    assert_slice(p.root, ROOT);
    assert_digest(&p, HEX);
    assert_int_equal(p.repo.len, 0);
}

static void test_layout__layer_link(void **state)
{
    struct ra_path p = parse(ROOT "/repositories/infra-ci/_layers/sha256/" HEX "/link");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_LAYER_LINK);
    assert_slice(p.root, ROOT);
    assert_slice(p.repo, "infra-ci");
    assert_digest(&p, HEX);
}

static void test_layout__revision_link(void **state)
{
    struct ra_path p =
        parse(ROOT "/repositories/infra-ci/_manifests/revisions/sha256/" HEX "/link");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_REVISION_LINK);
    assert_slice(p.repo, "infra-ci");
    assert_digest(&p, HEX);
}

static void test_layout__tag_current(void **state)
{
    struct ra_path p =
        parse(ROOT "/repositories/infra-ci/_manifests/tags/latest/current/link");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_TAG_CURRENT);
    assert_slice(p.repo, "infra-ci");
    assert_slice(p.tag, "latest");
}

static void test_layout__tag_index(void **state)
{
    struct ra_path p = parse(
        ROOT "/repositories/infra-ci/_manifests/tags/latest/index/sha256/" HEX2 "/link");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_TAG_INDEX);
    assert_slice(p.repo, "infra-ci");
    assert_slice(p.tag, "latest");
    assert_digest(&p, HEX2);
}

static void test_layout__tag_dir_and_leftovers(void **state)
{
    struct ra_path p = parse("repositories/infra-ci/_manifests/tags/latest");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_TAG_DIR);
    assert_slice(p.tag, "latest");
    assert_kind("repositories/r/_manifests/tags/latest/current", RA_PATH_TAG_DIR);
    assert_kind("repositories/r/_manifests/tags/latest/index", RA_PATH_TAG_DIR);
    assert_kind("repositories/r/_manifests/tags/latest/index/sha256", RA_PATH_TAG_DIR);
    assert_kind("repositories/r/_manifests/tags/latest/index/sha256/" HEX,
                RA_PATH_TAG_DIR);
    assert_kind("repositories/r/_manifests/tags/latest/current/link.tmp",
                RA_PATH_TAG_DIR);
    assert_kind("repositories/r/_manifests/tags/latest/current/link/x", RA_PATH_TAG_DIR);
    assert_kind("repositories/r/_manifests/tags/latest/other/link", RA_PATH_TAG_DIR);
    assert_kind("repositories/r/_manifests/tags/latest/index/sha256/" UPPER "/link",
                RA_PATH_TAG_DIR);
}

static void test_layout__tag_names_with_dots_and_dashes(void **state)
{
    static const char *const tags[] = {
        "v2.8.3", "2.8", "1.0.0-rc.1", "build-1234", "latest_amd64", "sha256-" HEX ".sig",
        "-",      "."};
    char path[512];
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(tags); i++) {
        struct ra_path p;
        snprintf(path, sizeof(path), "repositories/r/_manifests/tags/%s/current/link",
                 tags[i]);
        p = parse(path);
        assert_int_equal(p.kind, RA_PATH_TAG_CURRENT);
        assert_slice(p.tag, tags[i]);
        assert_slice(p.repo, "r");
    }
}

static void test_layout__uploads(void **state)
{
    struct ra_path p;

    (void)state;
    p = parse(ROOT "/repositories/infra-ci/_uploads/" UUID "/startedat");
    assert_int_equal(p.kind, RA_PATH_UPLOAD_STARTED);
    assert_slice(p.repo, "infra-ci");
    assert_slice(p.upload, UUID);
    p = parse(ROOT "/repositories/infra-ci/_uploads/" UUID "/data");
    assert_int_equal(p.kind, RA_PATH_UPLOAD_DATA);
    assert_slice(p.upload, UUID);
    p = parse(ROOT "/repositories/infra-ci/_uploads/" UUID "/hashstates/sha256/0");
    assert_int_equal(p.kind, RA_PATH_UPLOAD_OTHER);
    assert_slice(p.upload, UUID);
    assert_slice(p.repo, "infra-ci");
    p = parse(ROOT "/repositories/infra-ci/_uploads/" UUID);
    assert_int_equal(p.kind, RA_PATH_UPLOAD_OTHER);
    assert_slice(p.upload, UUID);
    assert_kind("repositories/r/_uploads/" UUID "/data/x", RA_PATH_UPLOAD_OTHER);
    assert_kind("repositories/r/_uploads/" UUID "/startedat.tmp", RA_PATH_UPLOAD_OTHER);
    assert_kind("repositories/r/_uploads", RA_PATH_REPO_OTHER);
}

static void test_layout__repository_names_with_slashes(void **state)
{
    struct ra_path p;

    (void)state;
    p = parse("repositories/tools/kubectl/_layers/sha256/" HEX "/link");
    assert_int_equal(p.kind, RA_PATH_LAYER_LINK);
    assert_slice(p.repo, "tools/kubectl");
    p = parse("repositories/a/b/c/_manifests/tags/v1/current/link");
    assert_int_equal(p.kind, RA_PATH_TAG_CURRENT);
    assert_slice(p.repo, "a/b/c");
    assert_slice(p.tag, "v1");
    p = parse("repositories/a/b/c/_uploads/" UUID "/data");
    assert_int_equal(p.kind, RA_PATH_UPLOAD_DATA);
    assert_slice(p.repo, "a/b/c");
}

static void test_layout__name_ends_at_first_marker(void **state)
{
    struct ra_path p;

    (void)state;
    /* "_layers" further on is not part of the name, and makes this no link */
    p = parse("repositories/a/_manifests/b/_layers/sha256/" HEX "/link");
    assert_int_equal(p.kind, RA_PATH_REPO_OTHER);
    assert_slice(p.repo, "a");
    /* a segment that merely starts with the marker is part of the name */
    p = parse("repositories/a/_layersx/b/_layers/sha256/" HEX "/link");
    assert_int_equal(p.kind, RA_PATH_LAYER_LINK);
    assert_slice(p.repo, "a/_layersx/b");
}

static void test_layout__roots(void **state)
{
    struct ra_path p;

    (void)state;
    p = parse("srv/one/docker/registry/v2/blobs/sha256/" HH "/" HEX "/data");
    assert_int_equal(p.kind, RA_PATH_BLOB_DATA);
    assert_slice(p.root, "srv/one/docker/registry/v2");
    p = parse("docker/registry/v2/repositories/r/_layers/sha256/" HEX "/link");
    assert_int_equal(p.kind, RA_PATH_LAYER_LINK);
    assert_slice(p.root, "docker/registry/v2");
    assert_slice(p.repo, "r");
    p = parse("GMT+00_2026.04.12-01.00/mirror-docker/docker/registry/v2/"
              "repositories/library/alpine/_manifests/tags/3.19/current/link");
    assert_int_equal(p.kind, RA_PATH_TAG_CURRENT);
    assert_slice(p.root, "GMT+00_2026.04.12-01.00/mirror-docker/docker/registry/v2");
    assert_slice(p.repo, "library/alpine");
    assert_slice(p.tag, "3.19");
    /* a share's #snapshot folder holds other times of the share: never this one's roots
     */
    p = parse("#snapshot/GMT+00_2026.04.12-01.00/mirror-docker/docker/registry/v2/"
              "repositories/library/alpine/_manifests/tags/3.19/current/link");
    assert_int_equal(p.kind, RA_PATH_META);
    assert_int_equal(p.meta, RA_META_SNAPSHOT);
}

static void test_layout__bare_v2_folder_has_empty_root(void **state)
{
    struct ra_path p;

    (void)state;
    p = parse("blobs/sha256/" HH "/" HEX "/data");
    assert_int_equal(p.kind, RA_PATH_BLOB_DATA);
    assert_int_equal(p.root.len, 0);
    assert_digest(&p, HEX);
    p = parse("repositories/infra-ci/_manifests/revisions/sha256/" HEX "/link");
    assert_int_equal(p.kind, RA_PATH_REVISION_LINK);
    assert_int_equal(p.root.len, 0);
    assert_slice(p.repo, "infra-ci");
    p = parse("blobs");
    assert_int_equal(p.kind, RA_PATH_ROOT_OTHER);
    assert_int_equal(p.root.len, 0);
    assert_kind("repositories", RA_PATH_ROOT_OTHER);
}

static void test_layout__root_directories_are_root_other(void **state)
{
    struct ra_path p = parse(ROOT);

    (void)state;
    assert_int_equal(p.kind, RA_PATH_ROOT_OTHER);
    assert_slice(p.root, ROOT);
    assert_kind(ROOT "/blobs", RA_PATH_ROOT_OTHER);
    assert_kind(ROOT "/blobs/sha256/" HH, RA_PATH_ROOT_OTHER);
    assert_kind(ROOT "/blobs/sha256/" HH "/" HEX, RA_PATH_ROOT_OTHER);
    assert_kind(ROOT "/repositories", RA_PATH_ROOT_OTHER);
    assert_kind(ROOT "/README", RA_PATH_ROOT_OTHER);
    /* a repository directory alone names no repository yet */
    assert_kind(ROOT "/repositories/infra-ci", RA_PATH_ROOT_OTHER);
}

static void test_layout__outside_any_root(void **state)
{
    struct ra_path p = parse("etc/registry/config.yml");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_NONE);
    assert_int_equal(p.root.len, 0);
    assert_kind("", RA_PATH_NONE);
    assert_kind("blobsx/sha256/" HH "/" HEX "/data", RA_PATH_NONE);
    assert_kind("x/blobs/sha256/" HH "/" HEX "/data", RA_PATH_NONE);
    assert_kind("repositoriesx/r/_layers/sha256/" HEX "/link", RA_PATH_NONE);
    assert_kind("srv/docker/registry/v22/blobs/sha256/" HH "/" HEX "/data", RA_PATH_NONE);
    assert_kind("srv/mydocker/registry/v2/blobs/sha256/" HH "/" HEX "/data",
                RA_PATH_NONE);
    assert_kind("docker/registry/v1/blobs", RA_PATH_NONE);
}

static void test_layout__marker_twice_first_wins(void **state)
{
    struct ra_path p;

    (void)state;
    p = parse("a/docker/registry/v2/repositories/docker/registry/v2/_layers/sha256/" HEX
              "/link");
    assert_int_equal(p.kind, RA_PATH_LAYER_LINK);
    assert_slice(p.root, "a/docker/registry/v2");
    assert_slice(p.repo, "docker/registry/v2");
    /* a root nested in another root's folder is seen through the outer one */
    p = parse("docker/registry/v2/x/docker/registry/v2/blobs/sha256/" HH "/" HEX "/data");
    assert_int_equal(p.kind, RA_PATH_ROOT_OTHER);
    assert_slice(p.root, "docker/registry/v2");
}

static void test_layout__odd_bytes_in_names(void **state)
{
    struct ra_path p;
    static const char *const names[] = {"with space", "caf\xe9", "..",   ".",
                                        "-rf",        "-",       "a\\b", "\x1b[31m"};
    char path[512];
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(names); i++) {
        snprintf(path, sizeof(path), "repositories/%s/_manifests/tags/%s/current/link",
                 names[i], names[i]);
        p = parse(path);
        assert_int_equal(p.kind, RA_PATH_TAG_CURRENT);
        assert_slice(p.repo, names[i]);
        assert_slice(p.tag, names[i]);
    }
    /* names are not normalised: that is the caller's job, and the report's to show */
    p = parse("repositories/a/../b/_layers/sha256/" HEX "/link");
    assert_int_equal(p.kind, RA_PATH_LAYER_LINK);
    assert_slice(p.repo, "a/../b");
}

static void test_layout__parses_len_not_nul(void **state)
{
    const char *path = "repositories/r/_layers/sha256/" HEX "/link/extra";
    struct ra_path p;

    (void)state;
    ra_layout_parse(&p, path, strlen(path) - strlen("/extra"));
    assert_int_equal(p.kind, RA_PATH_LAYER_LINK);
    ra_layout_parse(&p, path, strlen(path));
    assert_int_equal(p.kind, RA_PATH_REPO_OTHER);
}

static void test_layout__bad_hex_is_other(void **state)
{
    (void)state;
    /* uppercase: the registry writes and reads lowercase only */
    assert_kind("blobs/sha256/58/" UPPER "/data", RA_PATH_ROOT_OTHER);
    assert_kind("blobs/sha256/" HH "/" HEX "0/data", RA_PATH_ROOT_OTHER);
    assert_kind("blobs/sha256/" HH "/5861314d/data", RA_PATH_ROOT_OTHER);
    assert_kind("repositories/r/_layers/sha256/" UPPER "/link", RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_layers/sha256/" HEX "0/link", RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_layers/sha256/abc/link", RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_manifests/revisions/sha256/" UPPER "/link",
                RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_manifests/revisions/sha256/g" HEX "/link",
                RA_PATH_REPO_OTHER);
}

static void test_layout__prefix_dir_must_match(void **state)
{
    (void)state;
    assert_kind("blobs/sha256/f6/" HEX "/data", RA_PATH_ROOT_OTHER);
    assert_kind("blobs/sha256/F6/" HEX2 "/data", RA_PATH_ROOT_OTHER);
    assert_kind("blobs/sha256/f6/" HEX2 "/data", RA_PATH_BLOB_DATA);
    assert_kind("blobs/sha256/5/" HEX "/data", RA_PATH_ROOT_OTHER);
    assert_kind("blobs/sha256/586/" HEX "/data", RA_PATH_ROOT_OTHER);
    assert_kind("blobs/sha256/" HEX "/data", RA_PATH_ROOT_OTHER);
    assert_kind("blobs/sha512/" HH "/" HEX "/data", RA_PATH_ROOT_OTHER);
}

static void test_layout__wrong_algorithm_is_other(void **state)
{
    (void)state;
    assert_kind("repositories/r/_layers/sha512/" HEX "/link", RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_manifests/revisions/sha384/" HEX "/link",
                RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_manifests/tags/t/index/md5/" HEX "/link",
                RA_PATH_TAG_DIR);
}

static void test_layout__extra_trailing_segments_not_links(void **state)
{
    (void)state;
    assert_kind("blobs/sha256/" HH "/" HEX "/data/x", RA_PATH_ROOT_OTHER);
    assert_kind("blobs/sha256/" HH "/" HEX "/data.partial", RA_PATH_ROOT_OTHER);
    assert_kind("repositories/r/_layers/sha256/" HEX "/link/x", RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_layers/sha256/" HEX "/link.bak", RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_layers/sha256/" HEX, RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_manifests/revisions/sha256/" HEX "/link/x",
                RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_manifests/revisions/sha256/" HEX "/signatures",
                RA_PATH_REPO_OTHER);
    assert_kind("repositories/r/_manifests/tags/t/index/sha256/" HEX "/link/x",
                RA_PATH_TAG_DIR);
}

static void test_layout__repo_other(void **state)
{
    struct ra_path p = parse("repositories/infra-ci/_manifests");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_REPO_OTHER);
    assert_slice(p.repo, "infra-ci");
    assert_kind("repositories/infra-ci/_layers", RA_PATH_REPO_OTHER);
    assert_kind("repositories/infra-ci/_manifests/revisions", RA_PATH_REPO_OTHER);
    assert_kind("repositories/infra-ci/_manifests/tags", RA_PATH_TAGS_ROOT);
    assert_kind("repositories/tools/kubectl/_manifests/tags", RA_PATH_TAGS_ROOT);
    assert_kind("repositories/infra-ci/_manifests/other/x", RA_PATH_REPO_OTHER);
}

static void test_layout__repo_without_name(void **state)
{
    struct ra_path p = parse("repositories/_layers/sha256/" HEX "/link");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_ROOT_OTHER);
    assert_int_equal(p.repo.len, 0);
    assert_kind("repositories/_manifests/tags/latest/current/link", RA_PATH_ROOT_OTHER);
    assert_kind("repositories/_uploads/" UUID "/data", RA_PATH_ROOT_OTHER);
    assert_kind(ROOT "/repositories/_manifests/revisions/sha256/" HEX "/link",
                RA_PATH_ROOT_OTHER);
}

static void test_layout__repository_grammar(void **state)
{
    static const char *const good[] = {"a", "infra-ci", "tools/kubectl",
                                       "a.b_c__d---e/f0", "x1/y2/z3"};
    static const char *const bad[] = {"",      "A",        "a/",  "/a",          "a//b",
                                      "..",    "a/../b",   "-a",  "a-",          "a_",
                                      "a___b", "a._b",     "a b", "a$(touch m)", "a\nb",
                                      "\xff",  "a/@eaDir", "a'b", "a`b"};
    char longname[300];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(ra_layout_repository_valid(good[i]));
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(ra_layout_repository_valid(bad[i]));
    memset(longname, 'a', 255);
    longname[255] = '\0';
    assert_true(ra_layout_repository_valid(longname));
    longname[255] = 'a';
    longname[256] = '\0';
    assert_false(ra_layout_repository_valid(longname));
}

static void test_layout__tag_grammar(void **state)
{
    static const char *const good[] = {"latest", "1.29", "_x", "V1.0-rc_2",
                                       "sha256-ab.sig"};
    static const char *const bad[] = {"",     ".x",  "-x",  "..",         "@eaDir",
                                      "a b",  "a:b", "a/b", "$(touch m)", "a\nb",
                                      "\xff", "a'b", "a#b"};
    char longtag[200];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(ra_layout_tag_valid(good[i]));
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(ra_layout_tag_valid(bad[i]));
    memset(longtag, 'a', 128);
    longtag[128] = '\0';
    assert_true(ra_layout_tag_valid(longtag));
    longtag[128] = 'a';
    longtag[129] = '\0';
    assert_false(ra_layout_tag_valid(longtag));
}

static void assert_meta(const char *path, enum ra_meta_kind kind, const char *item,
                        const char *root)
{
    struct ra_path p = parse(path);

    if (p.kind != RA_PATH_META)
        fail_msg("'%s': kind %d, want META", path, (int)p.kind);
    assert_int_equal(p.meta, kind);
    assert_slice(p.item, item);
    assert_int_equal(p.meta_in_root, root != NULL);
    if (root)
        assert_slice(p.root, root);
    assert_int_equal(p.repo.len, 0);
    assert_int_equal(p.tag.len, 0);
    assert_int_equal(p.upload.len, 0);
}

static void test_layout__synology_eadir_is_never_registry_data(void **state)
{
    (void)state;
    /* in every folder the registry has: never a tag, upload, blob, link or repository */
    assert_meta(ROOT "/repositories/app/_manifests/tags/@eaDir", RA_META_EADIR,
                ROOT "/repositories/app/_manifests/tags/@eaDir", ROOT);
    assert_meta(ROOT "/repositories/app/_manifests/tags/@eaDir/SYNO@.fileindexdb",
                RA_META_EADIR, ROOT "/repositories/app/_manifests/tags/@eaDir", ROOT);
    assert_meta(ROOT "/repositories/app/_manifests/tags/@eaDir/current/link",
                RA_META_EADIR, ROOT "/repositories/app/_manifests/tags/@eaDir", ROOT);
    assert_meta(ROOT "/blobs/sha256/" HH "/@eaDir/" HEX "@SynoEAStream", RA_META_EADIR,
                ROOT "/blobs/sha256/" HH "/@eaDir", ROOT);
    assert_meta(ROOT "/blobs/sha256/" HH "/@eaDir/" HEX "/data", RA_META_EADIR,
                ROOT "/blobs/sha256/" HH "/@eaDir", ROOT);
    assert_meta(ROOT "/repositories/app/_layers/sha256/@eaDir/" HEX "/link",
                RA_META_EADIR, ROOT "/repositories/app/_layers/sha256/@eaDir", ROOT);
    assert_meta(ROOT "/repositories/app/_uploads/@eaDir/startedat", RA_META_EADIR,
                ROOT "/repositories/app/_uploads/@eaDir", ROOT);
    assert_meta(ROOT "/repositories/@eaDir/x/_manifests/tags/latest/current/link",
                RA_META_EADIR, ROOT "/repositories/@eaDir", ROOT);
    assert_meta(ROOT "/repositories/app/_manifests/tags/latest/@eaDir/link@SynoEAStream",
                RA_META_EADIR, ROOT "/repositories/app/_manifests/tags/latest/@eaDir",
                ROOT);
    /* a stream file outside @eaDir; a bare v2 folder; above any root */
    assert_meta("blobs/sha256/" HH "/" HEX "/data@SynoEAStream", RA_META_EADIR,
                "blobs/sha256/" HH "/" HEX "/data@SynoEAStream", "");
    assert_meta("@eaDir/docker@SynoEAStream", RA_META_EADIR, "@eaDir", NULL);
    assert_meta("volume1/@eaDir/" ROOT "/blobs/sha256/" HH "/" HEX "/data", RA_META_EADIR,
                "volume1/@eaDir", NULL);
}

static void test_layout__desktop_and_nas_names(void **state)
{
    (void)state;
    assert_meta(ROOT "/repositories/app/_manifests/tags/.DS_Store", RA_META_DS_STORE,
                ROOT "/repositories/app/_manifests/tags/.DS_Store", ROOT);
    assert_meta(ROOT "/repositories/app/_manifests/tags/._latest", RA_META_APPLEDOUBLE,
                ROOT "/repositories/app/_manifests/tags/._latest", ROOT);
    assert_meta("._x", RA_META_APPLEDOUBLE, "._x", NULL);
    assert_meta("@tmp/" ROOT "/blobs/sha256/" HH "/" HEX "/data", RA_META_TMP, "@tmp",
                NULL);
    assert_meta("share/#snapshot/GMT+00_2026.04.12-01.00/" ROOT "/blobs/sha256/" HH
                "/" HEX "/data",
                RA_META_SNAPSHOT, "share/#snapshot", NULL);
    /* the registry's own names stay what they were */
    assert_kind(ROOT "/repositories/app/_manifests/tags/v1.0-rc._x/current/link",
                RA_PATH_TAG_CURRENT);
    assert_kind(ROOT "/repositories/a.b/_manifests/tags/_x/current/link",
                RA_PATH_TAG_CURRENT);
    assert_kind(".hidden/" ROOT "/blobs/sha256/" HH "/" HEX "/data", RA_PATH_BLOB_DATA);
    assert_kind("._", RA_PATH_NONE);
}

static void test_layout__recycle_bin_keeps_recovery_sources(void **state)
{
    struct ra_path p = parse("#recycle/" ROOT "/blobs/sha256/" HH "/" HEX "/data");

    (void)state;
    assert_int_equal(p.kind, RA_PATH_RECYCLED_BLOB);
    assert_int_equal(p.meta, RA_META_RECYCLE);
    assert_slice(p.item, "#recycle");
    assert_int_equal(p.meta_in_root, 0);
    assert_digest(&p, HEX);
    /* a recycle bin of a share that is the v2 folder, and one inside a root */
    p = parse("#recycle/blobs/sha256/" HH "/" HEX "/data");
    assert_int_equal(p.kind, RA_PATH_RECYCLED_BLOB);
    assert_digest(&p, HEX);
    p = parse(ROOT "/#recycle/blobs/sha256/" HH "/" HEX "/data");
    assert_int_equal(p.kind, RA_PATH_RECYCLED_BLOB);
    assert_int_equal(p.meta_in_root, 1);
    assert_slice(p.root, ROOT);
    /* anything else in it is metadata, never a link, tag or root */
    assert_meta("#recycle/" ROOT "/repositories/app/_manifests/tags/latest/current/link",
                RA_META_RECYCLE, "#recycle", NULL);
    assert_meta("#recycle/" ROOT "/blobs/sha256/" HH "/" HEX "/@eaDir/data",
                RA_META_RECYCLE, "#recycle", NULL);
    assert_meta("#recycle/" ROOT "/blobs/sha256/00/" HEX "/data", RA_META_RECYCLE,
                "#recycle", NULL);
    assert_meta("#recycle", RA_META_RECYCLE, "#recycle", NULL);
}

/* What model/storage_path writes, this parser reads back: kind, root, repository, tag
 * or upload and digest; and the parts, formatted again, give the same string. */
static void test_layout__storage_path_round_trip(void **state)
{
    static const struct {
        enum ra_storage_kind kind;
        const char *repo, *name;
        enum ra_path_kind parsed;
    } rows[] = {
        {RA_STORE_BLOB_DATA, NULL, NULL, RA_PATH_BLOB_DATA},
        {RA_STORE_LAYER_LINK, "tools/kubectl", NULL, RA_PATH_LAYER_LINK},
        {RA_STORE_REVISION_LINK, "infra-ci", NULL, RA_PATH_REVISION_LINK},
        {RA_STORE_TAG_CURRENT, "a/b.c/d-e", "v1.2_rc", RA_PATH_TAG_CURRENT},
        {RA_STORE_TAG_INDEX, "infra-ci", "latest", RA_PATH_TAG_INDEX},
        {RA_STORE_UPLOAD, "infra-ci", UUID, RA_PATH_UPLOAD_OTHER},
        {RA_STORE_TAGS, "infra-ci", NULL, RA_PATH_TAGS_ROOT},
        {RA_STORE_TAG, "infra-ci", "latest", RA_PATH_TAG_DIR},
        {RA_STORE_REVISIONS, "infra-ci", NULL, RA_PATH_REPO_OTHER},
        {RA_STORE_BLOB_PREFIX, NULL, NULL, RA_PATH_ROOT_OTHER},
    };
    static const char *const roots[] = {ROOT, "", "docker/registry/v2"};
    struct ra_buf b = RA_BUF_INIT, again = RA_BUF_INIT;
    struct ra_digest d;
    size_t i, r;

    (void)state;
    assert_int_equal(ra_digest_from_hex(&d, HEX, strlen(HEX)), 0);
    for (r = 0; r < sizeof(roots) / sizeof(roots[0]); r++) {
        for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
            struct ra_path p;
            char repo[64] = "", name[64] = "";
            ra_storage_path(&b, roots[r], rows[i].kind, rows[i].repo, rows[i].name, &d);
            p = parse(b.ptr);
            if (p.kind != rows[i].parsed)
                fail_msg("'%s': kind %d, want %d", b.ptr, (int)p.kind,
                         (int)rows[i].parsed);
            assert_slice(p.root, roots[r]);
            assert_slice(p.repo, rows[i].repo ? rows[i].repo : "");
            if (rows[i].kind == RA_STORE_UPLOAD)
                assert_slice(p.upload, rows[i].name);
            else
                assert_slice(p.tag, rows[i].name ? rows[i].name : "");
            if (rows[i].kind == RA_STORE_BLOB_DATA ||
                rows[i].kind == RA_STORE_LAYER_LINK ||
                rows[i].kind == RA_STORE_REVISION_LINK ||
                rows[i].kind == RA_STORE_TAG_INDEX)
                assert_digest(&p, HEX);
            memcpy(repo, p.repo.ptr ? p.repo.ptr : "", p.repo.len);
            if (rows[i].kind == RA_STORE_UPLOAD)
                memcpy(name, p.upload.ptr, p.upload.len);
            else
                memcpy(name, p.tag.ptr ? p.tag.ptr : "", p.tag.len);
            ra_storage_path(&again, roots[r], rows[i].kind, repo, name, &p.digest);
            if (rows[i].kind != RA_STORE_BLOB_PREFIX &&
                rows[i].kind != RA_STORE_REVISIONS)
                assert_string_equal(again.ptr, b.ptr);
        }
    }
    ra_buf_release(&b);
    ra_buf_release(&again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout__blob_data),
        cmocka_unit_test(test_layout__layer_link),
        cmocka_unit_test(test_layout__revision_link),
        cmocka_unit_test(test_layout__tag_current),
        cmocka_unit_test(test_layout__tag_index),
        cmocka_unit_test(test_layout__tag_dir_and_leftovers),
        cmocka_unit_test(test_layout__tag_names_with_dots_and_dashes),
        cmocka_unit_test(test_layout__uploads),
        cmocka_unit_test(test_layout__repository_names_with_slashes),
        cmocka_unit_test(test_layout__name_ends_at_first_marker),
        cmocka_unit_test(test_layout__roots),
        cmocka_unit_test(test_layout__bare_v2_folder_has_empty_root),
        cmocka_unit_test(test_layout__root_directories_are_root_other),
        cmocka_unit_test(test_layout__outside_any_root),
        cmocka_unit_test(test_layout__marker_twice_first_wins),
        cmocka_unit_test(test_layout__odd_bytes_in_names),
        cmocka_unit_test(test_layout__parses_len_not_nul),
        cmocka_unit_test(test_layout__bad_hex_is_other),
        cmocka_unit_test(test_layout__prefix_dir_must_match),
        cmocka_unit_test(test_layout__wrong_algorithm_is_other),
        cmocka_unit_test(test_layout__extra_trailing_segments_not_links),
        cmocka_unit_test(test_layout__repo_other),
        cmocka_unit_test(test_layout__repo_without_name),
        cmocka_unit_test(test_layout__repository_grammar),
        cmocka_unit_test(test_layout__tag_grammar),
        cmocka_unit_test(test_layout__synology_eadir_is_never_registry_data),
        cmocka_unit_test(test_layout__desktop_and_nas_names),
        cmocka_unit_test(test_layout__recycle_bin_keeps_recovery_sources),
        cmocka_unit_test(test_layout__storage_path_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
