/* SPDX-License-Identifier: MIT */
/* config/text/imageref: the one image-reference parser: its parts, the normal form and
 * matching of pipelines, the version and registry test of jobs. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "config/text/imageref.h"

static void assert_span(const char *p, size_t n, const char *want)
{
    if (!want) {
        assert_null(p);
        return;
    }
    assert_non_null(p);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(p, want, n);
}

static void test_imageref__parse(void **state)
{
    static const struct {
        const char *ref, *host, *path, *tag, *digest;
        int explicit_host;
        size_t name_len;
    } cases[] = {
        {"alpine", NULL, "alpine", NULL, NULL, 0, 6},
        {"library/alpine:3.19", NULL, "alpine", "3.19", NULL, 0, 14},
        {"docker.io/library/alpine", NULL, "alpine", NULL, NULL, 1, 24},
        {"index.docker.io/acme/app:1", NULL, "acme/app", "1", NULL, 1, 24},
        {"r.example:5000/x/y:2@sha256:aa", "r.example:5000", "x/y", "2", "sha256:aa", 1,
         18},
        {"localhost/app", "localhost", "app", NULL, NULL, 1, 13},
        {"$REGISTRY/app:${TAG:-dev}", "$REGISTRY", "app", "${TAG:-dev}", NULL, 1, 13},
        {"{{ registry }}/app", "{{ registry }}", "app", NULL, NULL, 1, 18},
        {"acme/app@sha256:bb", NULL, "acme/app", NULL, "sha256:bb", 0, 8},
        {"r.example/library/x", "r.example", "library/x", NULL, NULL, 1, 19},
    };
    struct ra_imageref r;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ra_imageref_parse(&r, cases[i].ref);
        assert_span(r.host, r.host_len, cases[i].host);
        assert_span(r.path, r.path_len, cases[i].path);
        assert_span(r.tag, r.tag_len, cases[i].tag);
        assert_span(r.digest, r.digest_len, cases[i].digest);
        assert_int_equal(r.explicit_host, cases[i].explicit_host);
        assert_int_equal(r.name_len, cases[i].name_len);
    }
}

static void test_imageref__has_host(void **state)
{
    (void)state;
    assert_true(ra_imageref_has_host("r.example/x"));
    assert_true(ra_imageref_has_host("r.example:5000/x:1"));
    assert_true(ra_imageref_has_host("$REGISTRY/x"));
    assert_true(ra_imageref_has_host("localhost/x"));
    assert_true(ra_imageref_has_host("docker.io/x"));
    assert_false(ra_imageref_has_host("acme/x"));
    assert_false(ra_imageref_has_host("x:1.2"));
    assert_false(ra_imageref_has_host("alpine"));
}

/* A query without a host answers on any host, "library/" not counted; with one, only
 * that host (Docker Hub's spellings are one host). */
static void test_imageref__answers(void **state)
{
    struct ra_imageref q, c;

    (void)state;
    ra_imageref_parse(&q, "alpine:3.19");
    ra_imageref_parse(&c, "mirror.local/library/alpine:3.19");
    assert_true(ra_imageref_answers(&q, &c));
    ra_imageref_parse(&c, "mirror.local/library/alpine:3.20");
    assert_false(ra_imageref_answers(&q, &c));
    ra_imageref_parse(&q, "docker.io/alpine:3.19");
    ra_imageref_parse(&c, "mirror.local/library/alpine:3.19");
    assert_false(ra_imageref_answers(&q, &c));
    ra_imageref_parse(&c, "alpine:3.19");
    assert_true(ra_imageref_answers(&q, &c));
    ra_imageref_parse(&q, "infra-ci");
    ra_imageref_parse(&c, "registry.example.internal/infra-ci:latest");
    assert_true(ra_imageref_answers(&q, &c));
}

static void test_imageref__match_and_normalize(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    assert_true(ra_imageref_match("alpine", "alpine:latest"));
    assert_true(ra_imageref_match("alpine:3.19", "docker.io/library/alpine:3.19"));
    assert_true(ra_imageref_match("library/alpine", "index.docker.io/library/alpine"));
    assert_true(ra_imageref_match("docker.io/acme/app:1", "acme/app:1"));
    assert_false(ra_imageref_match("alpine:3.19", "alpine:3.20"));
    assert_false(ra_imageref_match("alpine", "quay.io/alpine"));
    assert_true(ra_imageref_match("r.example:5000/x/y", "R.EXAMPLE:5000/x/y:latest"));
    assert_false(ra_imageref_match("r.example:5000/x/y", "r.example/x/y"));
    assert_false(ra_imageref_match("x/Y", "x/y")); /* paths keep their case */
    assert_true(ra_imageref_match("localhost/app", "localhost/app:latest"));
    assert_false(ra_imageref_match("localhost/app", "app"));
    assert_true(ra_imageref_match("r.example/x@sha256:aa", "r.example/x@sha256:aa"));
    assert_false(ra_imageref_match("r.example/x@sha256:aa", "r.example/x@sha256:bb"));
    assert_false(ra_imageref_match("r.example/x@sha256:aa", "r.example/x:latest"));
    assert_true(ra_imageref_match("r.example/x:1@sha256:aa", "r.example/x:1"));
    assert_false(ra_imageref_match("r.example/x:1@sha256:aa", "r.example/x:1@sha256:bb"));

    ra_imageref_normalize(&b, "docker.io/library/alpine");
    assert_string_equal(ra_buf_cstr(&b), "alpine:latest");
    ra_imageref_normalize(&b, "registry-1.docker.io/acme/app:v2");
    assert_string_equal(ra_buf_cstr(&b), "acme/app:v2");
    ra_imageref_normalize(&b, "registry.example.internal/infra-ci");
    assert_string_equal(ra_buf_cstr(&b), "registry.example.internal/infra-ci:latest");
    ra_imageref_normalize(&b, "r.example:5000/x@sha256:0123");
    assert_string_equal(ra_buf_cstr(&b), "r.example:5000/x@sha256:0123");
    ra_imageref_normalize(&b, "$REGISTRY/app:${TAG:-dev}");
    assert_string_equal(ra_buf_cstr(&b), "$REGISTRY/app:${TAG:-dev}");
    ra_buf_release(&b);
}

static void test_imageref__version_and_registry(void **state)
{
    static const struct {
        const char *ref;
        int registry;
        const char *version;
        int floating;
    } cases[] = {
        {"registry", 1, "latest", 1},
        {"registry:latest", 1, "latest", 1},
        {"registry:2", 1, "2", 1},
        {"registry:2.8", 1, "2.8", 1},
        {"registry:2.8.3", 1, "2.8.3", 0},
        {"registry:2.8.3-alpine", 1, "2.8.3-alpine", 0},
        {"library/registry:3.0.0", 1, "3.0.0", 0},
        {"docker.io/library/registry:2", 1, "2", 1},
        {"mirror.local:5000/registry:2.8.1", 1, "2.8.1", 0},
        {"localhost/registry", 1, "latest", 1},
        {"ghcr.io/distribution/distribution:3.0.0", 1, "3.0.0", 0},
        {"registry@sha256:abc", 1, "sha256:abc", 0},
        {"registry:2@sha256:abc", 1, "sha256:abc", 0},
        {"registry:${REGISTRY_VERSION}", 1, "${REGISTRY_VERSION}", 1},
        {"registry.example.com/app:1.2.3", 0, "1.2.3", 0},
        {"acme/registry:1.0.0", 0, "1.0.0", 0},
        {"joxit/docker-registry-ui", 0, "latest", 1},
        {"registry:v2.8.3", 1, "v2.8.3", 0},
        /* the tag starts at the first ':' after the last '/' */
        {"registry:${REGISTRY_VERSION:-2.8.3}", 1, "${REGISTRY_VERSION:-2.8.3}", 1},
        {"r.example:5000/registry", 1, "latest", 1},
        {"registry:", 1, "latest", 1},
        {"a/b/c/d/e/f/g/h/registry:2.8.3", 0, "2.8.3", 0},
        {"Distribution/Distribution", 1, "latest", 1},
    };
    const char *v;
    size_t i, n;
    int fl;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(ra_imageref_is_registry(cases[i].ref), cases[i].registry);
        ra_imageref_version(&v, &n, &fl, cases[i].ref);
        assert_int_equal(n, strlen(cases[i].version));
        assert_memory_equal(v, cases[i].version, n);
        if (fl != cases[i].floating)
            fail_msg("'%s': floating %d", cases[i].ref, fl);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_imageref__parse),
        cmocka_unit_test(test_imageref__has_host),
        cmocka_unit_test(test_imageref__answers),
        cmocka_unit_test(test_imageref__match_and_normalize),
        cmocka_unit_test(test_imageref__version_and_registry),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
