/* SPDX-License-Identifier: MIT */
/* ra_manifest_parse: every media type, inference, and malformed or hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/manifest.h"
#include "util/pool.h"

#define AMD64 "sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51"
#define ARM64 "sha256:f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265"
#define ATTEST "sha256:f745a15153c4dacf0ea4bbf57265e73283941f8335939b33c693975315cf5916"
#define CONFIG "sha256:e67d23e7820c49a8051dac2831f38290f5e72f66c8db5079eeb60d82f14894c0"
#define LAYER1 "sha256:2804bad6fe94a55f18b2b37e300919a5fd517b95aa81e95db574c0ba069a3740"
#define LAYER2 "sha256:8a1cee436cbac1489a1883c9d886fcfc46f302c55ed4106ae31729e4f4eb9041"
#define LAYER3 "sha256:10dacdccfe877dc064d57442e6fa7a4e3085dc94e11a29819c2290fc3d788724"
#define SUBJECT "sha256:ceaeee3c0f91c6c853bda5200efb5a1b94c85fd8bb21171047cbd19059c15722"
#define SBOM "sha256:98f3ae1ef67113d8140d4f6cb8d2830070e21ea48f091be519659846c771a374"
#define FOREIGN "sha256:656771905e1ef731f65cd0a0d9fb061238380a1a012e6abdf846ecc7d2ea36fd"
/* sha256("{}"), the OCI 1.1 empty descriptor; and the schema 1 empty tar layer */
#define EMPTY "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define EMPTY_TAR                                                                        \
    "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
#define S1LAYER "sha256:eb15425aadb738df883762effef19fe3c7e5e5a014d5f70d64a1c79426ba4cb9"

#define MT_CONFIG_DOCKER "application/vnd.docker.container.image.v1+json"
#define MT_CONFIG_OCI "application/vnd.oci.image.config.v1+json"
#define MT_LAYER_DOCKER "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define MT_LAYER_OCI "application/vnd.oci.image.layer.v1.tar+gzip"

/* A plain OCI image manifest body (no mediaType, no closing brace) to build variants on.
 */
#define IMAGE_FIELDS                                                                     \
    "'schemaVersion': 2, 'config': {'mediaType': '" MT_CONFIG_OCI                        \
    "', 'digest': '" CONFIG "', 'size': 1472}, 'layers': [{'mediaType': '" MT_LAYER_OCI  \
    "', 'digest': '" LAYER1 "', 'size': 3623807}]"

struct fixture {
    struct ra_pool pool;
    struct ra_err err;
    char *doc;
};

/* One pool for the whole group: it is an arena, released in teardown. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    ra_pool_release(&f->pool);
    free(f->doc);
    free(f);
    return 0;
}

/* Documents are written with ' for " to keep them readable; this swaps them back. */
static const char *doc(struct fixture *f, const char *sq)
{
    size_t i, n = strlen(sq);

    free(f->doc);
    f->doc = malloc(n + 1);
    assert_non_null(f->doc);
    for (i = 0; i <= n; i++)
        f->doc[i] = sq[i] == '\'' ? '"' : sq[i];
    return f->doc;
}

static struct ra_manifest *parse_ok(struct fixture *f, const char *sq)
{
    struct ra_manifest *m = NULL;
    const char *json = doc(f, sq);
    int rc = ra_manifest_parse(&m, &f->pool, json, strlen(json), &f->err);

    if (rc != 0)
        fail_msg("parse failed (%d): %s", rc, f->err.msg);
    assert_non_null(m);
    return m;
}

static void assert_fails_raw(struct fixture *f, const void *data, size_t len, int code,
                             const char *needle)
{
    static struct ra_manifest sentinel;
    struct ra_manifest *m = &sentinel; /* the parser must reset it to NULL */

    assert_int_equal(ra_manifest_parse(&m, &f->pool, data, len, &f->err), code);
    assert_null(m);
    assert_int_equal(f->err.code, code);
    if (!strstr(f->err.msg, needle))
        fail_msg("message '%s' lacks '%s'", f->err.msg, needle);
    assert_null(strchr(f->err.msg, '\n'));
}

static void assert_fails(struct fixture *f, const char *sq, int code, const char *needle)
{
    const char *json = doc(f, sq);

    assert_fails_raw(f, json, strlen(json), code, needle);
}

static void assert_digest(const struct ra_digest *d, const char *expected)
{
    char buf[RA_DIGEST_STRLEN];

    assert_string_equal(ra_digest_format(buf, d), expected);
}

static void test_manifest__oci_index_with_platforms_and_attestation(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state,
        "{\n  'schemaVersion': 2,\n  'mediaType': '" RA_MT_OCI_INDEX "',\n"
        "  'manifests': [\n"
        "    {'mediaType': '" RA_MT_OCI_MANIFEST "', 'digest': '" AMD64
        "', 'size': 1053,\n"
        "     'platform': {'architecture': 'amd64', 'os': 'linux'}},\n"
        "    {'mediaType': '" RA_MT_OCI_MANIFEST "', 'digest': '" ARM64
        "', 'size': 1055,\n"
        "     'platform': {'architecture': 'arm64', 'os': 'linux', 'variant': 'v8'}},\n"
        "    {'mediaType': '" RA_MT_OCI_MANIFEST "', 'digest': '" ATTEST
        "', 'size': 566,\n"
        "     'annotations': {'vnd.docker.reference.digest': '" AMD64 "',\n"
        "                     'vnd.docker.reference.type': 'attestation-manifest'},\n"
        "     'platform': {'architecture': 'unknown', 'os': 'unknown'}}\n"
        "  ]\n}\n");

    assert_int_equal(m->kind, RA_MANIFEST_INDEX);
    assert_string_equal(m->media_type, RA_MT_OCI_INDEX);
    assert_int_equal(m->media_type_inferred, 0);
    assert_int_equal(m->has_config, 0);
    assert_int_equal(m->has_subject, 0);
    assert_null(m->artifact_type);
    assert_int_equal(m->nrefs, 3);
    assert_digest(&m->refs[0].digest, AMD64);
    assert_int_equal(m->refs[0].size, 1053);
    assert_string_equal(m->refs[0].media_type, RA_MT_OCI_MANIFEST);
    assert_string_equal(m->refs[0].platform, "linux/amd64");
    assert_digest(&m->refs[1].digest, ARM64);
    assert_int_equal(m->refs[1].size, 1055);
    assert_string_equal(m->refs[1].platform, "linux/arm64/v8");
    assert_digest(&m->refs[2].digest, ATTEST);
    assert_int_equal(m->refs[2].size, 566);
    assert_string_equal(m->refs[2].platform, "unknown/unknown");
    assert_int_equal(m->refs[2].has_urls, 0);
}

static void test_manifest__docker_manifest_list(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state,
        "{\n   'schemaVersion': 2,\n   'mediaType': '" RA_MT_DOCKER_LIST "',\n"
        "   'manifests': [\n"
        "      {\n         'mediaType': '" RA_MT_DOCKER_V2 "',\n"
        "         'size': 528,\n         'digest': '" AMD64 "',\n"
        "         'platform': {\n            'architecture': 'amd64',\n"
        "            'os': 'linux'\n         }\n      },\n"
        "      {\n         'mediaType': '" RA_MT_DOCKER_V2 "',\n"
        "         'size': 528,\n         'digest': '" ARM64 "',\n"
        "         'platform': {\n            'architecture': 'arm',\n"
        "            'os': 'linux',\n            'variant': 'v7'\n         }\n      }\n"
        "   ]\n}");

    assert_int_equal(m->kind, RA_MANIFEST_INDEX);
    assert_string_equal(m->media_type, RA_MT_DOCKER_LIST);
    assert_int_equal(m->nrefs, 2);
    assert_digest(&m->refs[0].digest, AMD64);
    assert_string_equal(m->refs[0].media_type, RA_MT_DOCKER_V2);
    assert_string_equal(m->refs[0].platform, "linux/amd64");
    assert_digest(&m->refs[1].digest, ARM64);
    assert_int_equal(m->refs[1].size, 528);
    assert_string_equal(m->refs[1].platform, "linux/arm/v7");
}

static void test_manifest__oci_image_manifest(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state,
        "{'schemaVersion':2,'mediaType':'" RA_MT_OCI_MANIFEST "',"
        "'config':{'mediaType':'" MT_CONFIG_OCI "','digest':'" CONFIG "','size':1472},"
        "'layers':[{'mediaType':'" MT_LAYER_OCI "','digest':'" LAYER1 "','size':3623807},"
        "{'mediaType':'" MT_LAYER_OCI "','digest':'" LAYER2 "','size':0}],"
        "'annotations':{'org.opencontainers.image.created':'2026-04-12T01:00:00Z'}}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
    assert_string_equal(m->media_type, RA_MT_OCI_MANIFEST);
    assert_int_equal(m->media_type_inferred, 0);
    assert_int_equal(m->has_config, 1);
    assert_digest(&m->config.digest, CONFIG);
    assert_int_equal(m->config.size, 1472);
    assert_string_equal(m->config.media_type, MT_CONFIG_OCI);
    assert_null(m->config.platform);
    assert_int_equal(m->nrefs, 2);
    assert_digest(&m->refs[0].digest, LAYER1);
    assert_int_equal(m->refs[0].size, 3623807);
    assert_string_equal(m->refs[0].media_type, MT_LAYER_OCI);
    assert_null(m->refs[0].platform);
    assert_digest(&m->refs[1].digest, LAYER2);
    assert_int_equal(m->refs[1].size, 0);
    assert_int_equal(m->has_subject, 0);
    assert_null(m->artifact_type);
    assert_null(m->platform);
}

static void test_manifest__docker_v2_manifest(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state, "{\n   'schemaVersion': 2,\n   'mediaType': '" RA_MT_DOCKER_V2 "',\n"
                "   'config': {\n      'mediaType': '" MT_CONFIG_DOCKER "',\n"
                "      'size': 1457,\n      'digest': '" CONFIG "'\n   },\n"
                "   'layers': [\n"
                "      {\n         'mediaType': '" MT_LAYER_DOCKER "',\n"
                "         'size': 2818413,\n         'digest': '" LAYER1 "'\n      },\n"
                "      {\n         'mediaType': '" MT_LAYER_DOCKER "',\n"
                "         'size': 32,\n         'digest': '" LAYER2 "'\n      }\n"
                "   ]\n}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
    assert_string_equal(m->media_type, RA_MT_DOCKER_V2);
    assert_digest(&m->config.digest, CONFIG);
    assert_int_equal(m->config.size, 1457);
    assert_string_equal(m->config.media_type, MT_CONFIG_DOCKER);
    assert_int_equal(m->nrefs, 2);
    assert_digest(&m->refs[0].digest, LAYER1);
    assert_int_equal(m->refs[0].size, 2818413);
    assert_digest(&m->refs[1].digest, LAYER2);
    assert_int_equal(m->refs[1].size, 32);
    assert_int_equal(m->refs[1].has_urls, 0);
}

static void test_manifest__foreign_layer_urls_set_has_urls(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state,
        "{'schemaVersion':2,'mediaType':'" RA_MT_DOCKER_V2 "',"
        "'config':{'mediaType':'" MT_CONFIG_DOCKER "','size':2034,'digest':'" CONFIG "'},"
        "'layers':[{'mediaType':'application/"
        "vnd.docker.image.rootfs.foreign.diff.tar.gzip',"
        "'size':1654613376,'digest':'" FOREIGN "','urls':["
        "'https://mcr.microsoft.com/v2/windows/servercore/blobs/" FOREIGN "']},"
        "{'mediaType':'" MT_LAYER_DOCKER "','size':1089,'digest':'" LAYER1
        "','urls':[]}]}");

    assert_int_equal(m->nrefs, 2);
    assert_digest(&m->refs[0].digest, FOREIGN);
    assert_int_equal(m->refs[0].size, 1654613376);
    assert_int_equal(m->refs[0].has_urls, 1);
    assert_int_equal(m->refs[1].has_urls, 0);
}

static void test_manifest__schema1_signed(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state,
        "{\n   'schemaVersion': 1,\n   'name': 'library/hello-world',\n"
        "   'tag': 'latest',\n   'architecture': 'amd64',\n"
        "   'fsLayers': [\n      {\n         'blobSum': '" EMPTY_TAR "'\n      },\n"
        "      {\n         'blobSum': '" S1LAYER "'\n      }\n   ],\n"
        "   'history': [\n      {\n         'v1Compatibility': '{\\'id\\':\\'abc\\'}'\n"
        "      }\n   ],\n"
        "   'signatures': [\n      {\n         'header': {\n"
        "            'jwk': {'crv': 'P-256', 'kid': 'ZZ', 'kty': 'EC', 'x': 'x', 'y': "
        "'y'},\n"
        "            'alg': 'ES256'\n         },\n"
        "         'signature': 'c2lnbmF0dXJl',\n         'protected': 'cHJvdGVjdGVk'\n"
        "      }\n   ]\n}");

    assert_int_equal(m->kind, RA_MANIFEST_SCHEMA1);
    assert_string_equal(m->media_type, RA_MT_DOCKER_V1_SIGNED);
    assert_int_equal(m->media_type_inferred, 1);
    assert_int_equal(m->has_config, 0);
    assert_null(m->platform);
    assert_int_equal(m->nrefs, 2);
    assert_digest(&m->refs[0].digest, EMPTY_TAR);
    assert_int_equal(m->refs[0].size, -1);
    assert_null(m->refs[0].media_type);
    assert_digest(&m->refs[1].digest, S1LAYER);
    assert_int_equal(m->refs[1].size, -1);
    assert_null(m->refs[1].media_type);
}

static void test_manifest__schema1_unsigned(void **state)
{
    struct ra_manifest *m =
        parse_ok(*state, "{'schemaVersion':1,'name':'tools/kubectl','tag':'1.29',"
                         "'architecture':'amd64','fsLayers':[{'blobSum':'" S1LAYER "'}],"
                         "'history':[{'v1Compatibility':'{}'}]}");

    assert_int_equal(m->kind, RA_MANIFEST_SCHEMA1);
    assert_string_equal(m->media_type, RA_MT_DOCKER_V1);
    assert_int_equal(m->media_type_inferred, 1);
    assert_int_equal(m->nrefs, 1);
    assert_digest(&m->refs[0].digest, S1LAYER);
    assert_int_equal(m->refs[0].size, -1);
}

static void test_manifest__schema1_declared_media_type(void **state)
{
    struct ra_manifest *m =
        parse_ok(*state, "{'schemaVersion':1,'mediaType':'" RA_MT_DOCKER_V1 "',"
                         "'fsLayers':[{'blobSum':'" S1LAYER "'}],'signatures':[]}");

    assert_int_equal(m->kind, RA_MANIFEST_SCHEMA1);
    assert_string_equal(m->media_type, RA_MT_DOCKER_V1);
    assert_int_equal(m->media_type_inferred, 0);
    assert_int_equal(m->nrefs, 1);
}

static void test_manifest__schema1_bad_blobsum(void **state)
{
    assert_fails(*state,
                 "{'schemaVersion':1,'fsLayers':[{'blobSum':'" S1LAYER
                 "'},{'blobSum':7}]}",
                 RA_EFORMAT, "manifest: fsLayers[1]: 'blobSum' is not a string");
    assert_fails(
        *state, "{'mediaType':'" RA_MT_DOCKER_V1_SIGNED "','schemaVersion':1,'name':'x'}",
        RA_EFORMAT, "manifest: missing 'fsLayers'");
}

static void test_manifest__oci_artifact_with_subject(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state, "{\n  'schemaVersion': 2,\n  'mediaType': '" RA_MT_OCI_MANIFEST "',\n"
                "  'artifactType': 'application/spdx+json',\n"
                "  'config': {\n    'mediaType': 'application/vnd.oci.empty.v1+json',\n"
                "    'digest': '" EMPTY "',\n    'size': 2,\n    'data': 'e30='\n  },\n"
                "  'layers': [\n    {\n      'mediaType': 'application/spdx+json',\n"
                "      'digest': '" SBOM "',\n      'size': 41230\n    }\n  ],\n"
                "  'subject': {\n    'mediaType': '" RA_MT_OCI_INDEX "',\n"
                "    'digest': '" SUBJECT "',\n    'size': 1609\n  },\n"
                "  'annotations': {'org.opencontainers.image.created': "
                "'2026-04-12T01:00:00Z'}\n}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
    assert_string_equal(m->artifact_type, "application/spdx+json");
    assert_digest(&m->config.digest, EMPTY);
    assert_int_equal(m->config.size, 2);
    assert_string_equal(m->config.media_type, "application/vnd.oci.empty.v1+json");
    assert_int_equal(m->nrefs, 1);
    assert_digest(&m->refs[0].digest, SBOM);
    assert_int_equal(m->refs[0].size, 41230);
    assert_int_equal(m->has_subject, 1);
    assert_digest(&m->subject.digest, SUBJECT);
    assert_int_equal(m->subject.size, 1609);
    assert_string_equal(m->subject.media_type, RA_MT_OCI_INDEX);
}

static void test_manifest__artifact_with_empty_layers(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state,
        "{'schemaVersion':2,'mediaType':'" RA_MT_OCI_MANIFEST "',"
        "'artifactType':'application/vnd.example.signature',"
        "'config':{'mediaType':'application/vnd.oci.empty.v1+json','digest':'" EMPTY
        "','size':2},'layers':[],"
        "'subject':{'mediaType':'" RA_MT_OCI_MANIFEST "','digest':'" SUBJECT
        "','size':7023}}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
    assert_int_equal(m->nrefs, 0);
    assert_null(m->refs);
    assert_string_equal(m->artifact_type, "application/vnd.example.signature");
    assert_int_equal(m->has_subject, 1);
    assert_digest(&m->subject.digest, SUBJECT);
}

static void test_manifest__index_with_subject_and_artifact_children(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state, "{'schemaVersion':2,'mediaType':'" RA_MT_OCI_INDEX "',"
                "'artifactType':'application/vnd.example.bundle',"
                "'manifests':[{'mediaType':'" RA_MT_OCI_MANIFEST "','digest':'" SBOM "',"
                "'size':812,'artifactType':'application/spdx+json'}],"
                "'subject':{'mediaType':'" RA_MT_OCI_MANIFEST "','digest':'" SUBJECT
                "','size':7023}}");

    assert_int_equal(m->kind, RA_MANIFEST_INDEX);
    assert_string_equal(m->artifact_type, "application/vnd.example.bundle");
    assert_int_equal(m->nrefs, 1);
    assert_string_equal(m->refs[0].artifact_type, "application/spdx+json");
    assert_null(m->refs[0].platform);
    assert_int_equal(m->has_subject, 1);
    assert_digest(&m->subject.digest, SUBJECT);
}

static void test_manifest__image_config_with_variant(void **state)
{
    struct ra_manifest *m =
        parse_ok(*state, "{'architecture':'arm64','variant':'v8','os':'linux',"
                         "'created':'2026-04-12T01:00:00Z',"
                         "'config':{'Env':['PATH=/usr/local/sbin:/usr/local/bin:/usr/"
                         "sbin:/usr/bin:/sbin:/bin'],"
                         "'Cmd':['/bin/sh'],'WorkingDir':'/'},"
                         "'rootfs':{'type':'layers','diff_ids':['" LAYER3 "']},"
                         "'history':[{'created':'2026-04-12T01:00:00Z','created_by':'ADD "
                         "file:abc in / '}]}");

    assert_int_equal(m->kind, RA_MANIFEST_CONFIG);
    assert_string_equal(m->platform, "linux/arm64/v8");
    assert_null(m->media_type);
    assert_int_equal(m->media_type_inferred, 1);
    assert_int_equal(m->has_config, 0);
    assert_int_equal(m->nrefs, 0);
}

static void test_manifest__image_config_without_variant(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state, "{'architecture':'amd64','os':'linux','config':{'Cmd':['/bin/sh']},"
                "'rootfs':{'type':'layers','diff_ids':['" LAYER3 "']}}");

    assert_int_equal(m->kind, RA_MANIFEST_CONFIG);
    assert_string_equal(m->platform, "linux/amd64");
}

static void test_manifest__infers_oci_index_without_media_type(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state, "{'schemaVersion':2,'manifests':[{'mediaType':'" RA_MT_OCI_MANIFEST
                "','digest':'" AMD64 "','size':1053,"
                "'platform':{'architecture':'amd64','os':'linux'}}]}");

    assert_int_equal(m->kind, RA_MANIFEST_INDEX);
    assert_string_equal(m->media_type, RA_MT_OCI_INDEX);
    assert_int_equal(m->media_type_inferred, 1);
    assert_int_equal(m->nrefs, 1);
    assert_string_equal(m->refs[0].platform, "linux/amd64");
}

static void test_manifest__infers_oci_manifest_without_media_type(void **state)
{
    struct ra_manifest *m = parse_ok(*state, "{" IMAGE_FIELDS "}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
    assert_string_equal(m->media_type, RA_MT_OCI_MANIFEST);
    assert_int_equal(m->media_type_inferred, 1);
    assert_digest(&m->config.digest, CONFIG);
    assert_int_equal(m->nrefs, 1);
    assert_digest(&m->refs[0].digest, LAYER1);
}

static void test_manifest__unknown_media_type_infers_from_fields(void **state)
{
    struct ra_manifest *m =
        parse_ok(*state, "{'mediaType':'application/vnd.example.manifest.v1+json',"
                         "'config':{'digest':'" CONFIG "','size':3},'layers':[]}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
    assert_string_equal(m->media_type, "application/vnd.example.manifest.v1+json");
    assert_int_equal(m->media_type_inferred, 0);

    m = parse_ok(*state, "{'mediaType':'text/plain','hello':'world'}");
    assert_int_equal(m->kind, RA_MANIFEST_NONE);
    assert_string_equal(m->media_type, "text/plain");
}

static void test_manifest__other_object_is_none(void **state)
{
    struct ra_manifest *m = parse_ok(*state, "{'name':'x','config':{'a':1},'os':7}");

    assert_int_equal(m->kind, RA_MANIFEST_NONE);
    assert_null(m->media_type);
    assert_int_equal(m->nrefs, 0);
    assert_null(m->platform);

    m = parse_ok(*state, "{}");
    assert_int_equal(m->kind, RA_MANIFEST_NONE);
}

static void test_manifest__duplicate_keys_last_wins(void **state)
{
    struct ra_manifest *m = parse_ok(
        *state,
        "{'mediaType':'" RA_MT_OCI_INDEX "','mediaType':'" RA_MT_OCI_MANIFEST "',"
        "'config':{'digest':'" LAYER1 "','size':1,'digest':'" CONFIG "','size':1472},"
        "'layers':'not yet','layers':[]}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
    assert_string_equal(m->media_type, RA_MT_OCI_MANIFEST);
    assert_digest(&m->config.digest, CONFIG);
    assert_int_equal(m->config.size, 1472);
    assert_int_equal(m->nrefs, 0);
}

static void test_manifest__null_arrays_are_empty(void **state)
{
    /* Go marshals a nil slice as null; the registry and Go clients read it back. */
    struct ra_manifest *m = parse_ok(
        *state, "{'schemaVersion':2,'mediaType':'" RA_MT_OCI_MANIFEST "',"
                "'config':{'digest':'" EMPTY "','size':2},'layers':null,'subject':null}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
    assert_int_equal(m->nrefs, 0);
    assert_int_equal(m->has_subject, 0);

    m = parse_ok(*state, "{'mediaType':'" RA_MT_OCI_INDEX "','manifests':null}");
    assert_int_equal(m->kind, RA_MANIFEST_INDEX);
    assert_int_equal(m->nrefs, 0);
}

static void test_manifest__index_child_without_platform(void **state)
{
    struct ra_manifest *m =
        parse_ok(*state, "{'mediaType':'" RA_MT_OCI_INDEX "','manifests':["
                         "{'digest':'" AMD64 "','size':10},"
                         "{'digest':'" ARM64 "','size':11,'platform':null},"
                         "{'digest':'" ATTEST "','size':12,'platform':{}}]}");

    assert_int_equal(m->nrefs, 3);
    assert_null(m->refs[0].platform);
    assert_null(m->refs[0].media_type);
    assert_null(m->refs[1].platform);
    assert_null(m->refs[2].platform);
}

static void test_manifest__bad_platform(void **state)
{
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_INDEX "','manifests':["
                 "{'digest':'" AMD64 "','size':10,'platform':'linux/amd64'}]}",
                 RA_EFORMAT, "manifest: manifests[0]: 'platform' is not an object");
    assert_fails(
        *state,
        "{'mediaType':'" RA_MT_OCI_INDEX "','manifests':["
        "{'digest':'" AMD64 "','size':10,'platform':{'os':'linux','architecture':1}}]}",
        RA_EFORMAT, "manifest: manifests[0].platform: 'architecture' is not a string");
}

static void test_manifest__missing_config(void **state)
{
    assert_fails(*state,
                 "{'schemaVersion':2,'mediaType':'" RA_MT_DOCKER_V2 "','layers':[]}",
                 RA_EFORMAT, "manifest: missing 'config'");
    assert_fails(*state, "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':[],'layers':[]}",
                 RA_EFORMAT, "manifest: 'config' is not an object");
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'size':2},'layers':[]}",
                 RA_EFORMAT, "manifest: config: missing 'digest'");
}

static void test_manifest__layers_not_an_array(void **state)
{
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':'" CONFIG
                 "','size':2},'layers':{'digest':'" LAYER1 "','size':1}}",
                 RA_EFORMAT, "manifest: 'layers' is not an array");
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':'" CONFIG
                 "','size':2}}",
                 RA_EFORMAT, "manifest: missing 'layers'");
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':'" CONFIG
                 "','size':2},'layers':['" LAYER1 "']}",
                 RA_EFORMAT, "manifest: layers[0] is not an object");
    assert_fails(*state, "{'mediaType':'" RA_MT_DOCKER_LIST "','manifests':7}",
                 RA_EFORMAT, "manifest: 'manifests' is not an array");
}

static void test_manifest__bad_digest(void **state)
{
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':'" CONFIG
                 "','size':2},'layers':[{'digest':'" LAYER1 "','size':1},"
                 "{'digest':'" LAYER2 "','size':1},{'digest':'xyz','size':1}]}",
                 RA_EFORMAT, "manifest: layers[2]: bad digest 'xyz'");
    assert_fails(
        *state,
        "{'mediaType':'" RA_MT_OCI_INDEX "','manifests':[{'digest':"
        "'sha512:ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db27ac185f8"
        "a0e1d5f84f88bc887fd67b143732c304cc5fa9ad8e6f57f50028a8ff','size':1}]}",
        RA_EFORMAT, "manifest: manifests[0]: bad digest 'sha512:ee26b0dd");
    assert_fails(
        *state,
        "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':"
        "'sha256:E67D23E7820C49A8051DAC2831F38290F5E72F66C8DB5079EEB60D82F14894C0',"
        "'size':2},'layers':[]}",
        RA_EFORMAT, "manifest: config: bad digest 'sha256:E67D23E7");
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':42,'size':2},"
                 "'layers':[]}",
                 RA_EFORMAT, "manifest: config: 'digest' is not a string");
}

static void test_manifest__bad_digest_message_stays_one_line(void **state)
{
    struct fixture *f = *state;

    assert_fails(
        f,
        "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':"
        "'sha256:\\nforged log line\\u0000" CONFIG CONFIG "','size':2},'layers':[]}",
        RA_EFORMAT, "manifest: config: bad digest 'sha256:?forged log line?sha256:");
    assert_non_null(strstr(f->err.msg, "...'"));
    assert_true(strlen(f->err.msg) < 120);
}

static void test_manifest__bad_size(void **state)
{
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':'" CONFIG
                 "','size':2},'layers':[{'digest':'" LAYER1 "','size':-5}]}",
                 RA_EFORMAT, "manifest: layers[0]: negative size -5");
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_OCI_MANIFEST "','config':{'digest':'" CONFIG
                 "'},'layers':[]}",
                 RA_EFORMAT, "manifest: config: missing 'size'");
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_DOCKER_LIST "','manifests':[{'digest':'" AMD64
                 "','size':1.5}]}",
                 RA_EFORMAT, "manifest: manifests[0]: 'size' is not an integer");
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_DOCKER_LIST "','manifests':[{'digest':'" AMD64
                 "','size':'528'}]}",
                 RA_EFORMAT, "manifest: manifests[0]: 'size' is not an integer");
}

static void test_manifest__wrongly_typed_optional_fields(void **state)
{
    assert_fails(*state, "{'mediaType':2,'manifests':[]}", RA_EFORMAT,
                 "manifest: 'mediaType' is not a string");
    assert_fails(*state, "{" IMAGE_FIELDS ",'subject':'" SUBJECT "'}", RA_EFORMAT,
                 "manifest: 'subject' is not an object");
    assert_fails(*state, "{" IMAGE_FIELDS ",'artifactType':['x']}", RA_EFORMAT,
                 "manifest: 'artifactType' is not a string");
    assert_fails(*state,
                 "{'mediaType':'" RA_MT_DOCKER_V2 "','config':{'digest':'" CONFIG
                 "','size':2},'layers':[{'digest':'" LAYER1
                 "','size':1,'urls':'http://x'}]}",
                 RA_EFORMAT, "manifest: layers[0]: 'urls' is not an array");
}

static void test_manifest__non_object_top_level(void **state)
{
    assert_fails(*state, "['" AMD64 "']", RA_EFORMAT,
                 "manifest: top-level value is an array, not an object");
    assert_fails(*state, "'{}'", RA_EFORMAT,
                 "manifest: top-level value is a string, not an object");
    assert_fails(*state, "42", RA_EFORMAT,
                 "manifest: top-level value is an integer, not an object");
    assert_fails(*state, " null ", RA_EFORMAT,
                 "manifest: top-level value is null, not an object");
}

static void test_manifest__invalid_json(void **state)
{
    struct fixture *f = *state;

    assert_fails(f, "{'a' 1}", RA_EFORMAT, "manifest: invalid JSON at line 1 column ");
    assert_fails(f, "{'schemaVersion': 2,\n 'layers': [,]}", RA_EFORMAT,
                 "manifest: invalid JSON at line 2 column ");
    assert_fails(f, "{} {}", RA_EFORMAT, "manifest: invalid JSON at line 1");
    assert_fails(f, "", RA_EFORMAT, "manifest: invalid JSON");
    assert_fails_raw(f, NULL, 0, RA_EFORMAT, "manifest: invalid JSON");
    assert_fails(f, "\xef\xbb\xbf{}", RA_EFORMAT, "manifest: invalid JSON");
    assert_fails(f, "{'a':'\xff\xfe'}", RA_EFORMAT, "manifest: invalid JSON");
}

static void test_manifest__nul_in_string_accepted(void **state)
{
    /* Go accepts \u0000 in strings; so must we. */
    struct ra_manifest *m =
        parse_ok(*state, "{" IMAGE_FIELDS ",'annotations':{'note':'a\\u0000b'}}");

    assert_int_equal(m->kind, RA_MANIFEST_IMAGE);
}

static void test_manifest__deep_nesting_rejected(void **state)
{
    struct fixture *f = *state;
    size_t depth = 10000, i;
    char *buf = malloc(2 * depth + 16);

    assert_non_null(buf);
    for (i = 0; i < depth; i++) {
        buf[i] = '[';
        buf[depth + i] = ']';
    }
    assert_fails_raw(f, buf, 2 * depth, RA_EFORMAT, "maximum parsing depth");
    assert_fails_raw(f, buf, depth, RA_EFORMAT, "manifest: invalid JSON at line 1");

    /* the same inside an otherwise valid manifest */
    memcpy(buf, "{\"a\":", 5);
    assert_fails_raw(f, buf, 2 * depth, RA_EFORMAT, "maximum parsing depth");
    free(buf);
}

static void test_manifest__size_limit(void **state)
{
    struct fixture *f = *state;
    struct ra_manifest *m = NULL;
    size_t len = RA_MANIFEST_MAX + 1;
    char *buf = malloc(len);

    assert_non_null(buf);
    memset(buf, ' ', len);
    buf[0] = '{';
    buf[len - 1] = '}';
    assert_fails_raw(f, buf, len, RA_ELIMIT, "manifest: 4194305 bytes is over the");

    /* exactly at the limit is fine */
    buf[len - 2] = '}';
    assert_int_equal(ra_manifest_parse(&m, &f->pool, buf, len - 1, &f->err), 0);
    assert_int_equal(m->kind, RA_MANIFEST_NONE);
    free(buf);
}

static void test_manifest__looks_like_json(void **state)
{
    (void)state;
    assert_true(ra_manifest_looks_like_json("{}", 2));
    assert_true(ra_manifest_looks_like_json(" \r\n\t{", 5));
    assert_true(ra_manifest_looks_like_json("\xef\xbb\xbf{\"a\":1}", 10));
    assert_true(ra_manifest_looks_like_json("\xef\xbb\xbf\n {", 6));
    assert_false(ra_manifest_looks_like_json("[{}]", 4));
    assert_false(ra_manifest_looks_like_json("\x1f\x8b\x08\x00", 4));
    assert_false(ra_manifest_looks_like_json("   ", 3));
    assert_false(ra_manifest_looks_like_json("\xef\xbb\xbf", 3));
    assert_false(ra_manifest_looks_like_json("{}", 0));
    assert_false(ra_manifest_looks_like_json(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest__oci_index_with_platforms_and_attestation),
        cmocka_unit_test(test_manifest__docker_manifest_list),
        cmocka_unit_test(test_manifest__oci_image_manifest),
        cmocka_unit_test(test_manifest__docker_v2_manifest),
        cmocka_unit_test(test_manifest__foreign_layer_urls_set_has_urls),
        cmocka_unit_test(test_manifest__schema1_signed),
        cmocka_unit_test(test_manifest__schema1_unsigned),
        cmocka_unit_test(test_manifest__schema1_declared_media_type),
        cmocka_unit_test(test_manifest__schema1_bad_blobsum),
        cmocka_unit_test(test_manifest__oci_artifact_with_subject),
        cmocka_unit_test(test_manifest__artifact_with_empty_layers),
        cmocka_unit_test(test_manifest__index_with_subject_and_artifact_children),
        cmocka_unit_test(test_manifest__image_config_with_variant),
        cmocka_unit_test(test_manifest__image_config_without_variant),
        cmocka_unit_test(test_manifest__infers_oci_index_without_media_type),
        cmocka_unit_test(test_manifest__infers_oci_manifest_without_media_type),
        cmocka_unit_test(test_manifest__unknown_media_type_infers_from_fields),
        cmocka_unit_test(test_manifest__other_object_is_none),
        cmocka_unit_test(test_manifest__duplicate_keys_last_wins),
        cmocka_unit_test(test_manifest__null_arrays_are_empty),
        cmocka_unit_test(test_manifest__index_child_without_platform),
        cmocka_unit_test(test_manifest__bad_platform),
        cmocka_unit_test(test_manifest__missing_config),
        cmocka_unit_test(test_manifest__layers_not_an_array),
        cmocka_unit_test(test_manifest__bad_digest),
        cmocka_unit_test(test_manifest__bad_digest_message_stays_one_line),
        cmocka_unit_test(test_manifest__bad_size),
        cmocka_unit_test(test_manifest__wrongly_typed_optional_fields),
        cmocka_unit_test(test_manifest__non_object_top_level),
        cmocka_unit_test(test_manifest__invalid_json),
        cmocka_unit_test(test_manifest__nul_in_string_accepted),
        cmocka_unit_test(test_manifest__deep_nesting_rejected),
        cmocka_unit_test(test_manifest__size_limit),
        cmocka_unit_test(test_manifest__looks_like_json),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
