/* SPDX-License-Identifier: MIT */
/* Builders shared by the unit tests (tests/unit/fixture.c, compiled into every unit
 * test above util/): digests named by one hex character, registry graphs built through
 * the model API with manifests parsed from real JSON, files laid out on disk with the
 * mtimes a test wants, and temporary folders. A builder that cannot do its work fails
 * the running test. */
#ifndef RA_TESTS_FIXTURE_H
#define RA_TESTS_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "model/graph.h"
#include "util/buf.h"
#include "util/time.h"

#define ROOT "var/lib/registry/docker/registry/v2"
#define REPO "infra-ci"
#define MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_LAYER "application/vnd.oci.image.layer.v1.tar+gzip"
#define LAYER_SIZE 1000

/* 2026-04-<day>T<hh>:<mm>:00Z */
#define APR(day, hh, mm)                                                                 \
    (INT64_C(1775001600) + ((day)-1) * INT64_C(86400) + (hh)*3600 + (mm)*60)

/* ---- digests ---------------------------------------------------------------------- */

/* Digests are named by one hex character: dg('2') is sha256:2222…2222. By convention
 * '1' an index, '2'/'3' image manifests, '4'/'5' their configs, '6'..'9' layers, 'a'..
 * anything else. */
struct ra_digest dg(char c);

/* "sha256:cccc…" for JSON documents and expected messages; four calls' results are
 * valid at a time. */
const char *ds(char c);

/* The digest of a 64-character hex string. */
struct ra_digest fix_digest(const char *hex);

/* The lowercase sha256 hex of data, as a content address. */
void fix_hex(char out[65], const void *data, size_t len);

/* ---- graphs ----------------------------------------------------------------------- */

struct ra_graph *fix_graph(const char *root);
struct ra_repo *fix_repo(struct ra_graph *g, const char *name);

/* Blob c's data present, hashing right: JSON content is parsed into the graph's pool
 * as the ingest does (a parse error kept in parse_error), anything else gets no
 * manifest. */
struct ra_blob *fix_blob(struct ra_graph *g, char c, const char *content);

/* fix_blob for content that must parse as a manifest (or config). */
struct ra_blob *fix_json(struct ra_graph *g, char c, const char *content);

/* Layer data: present, LAYER_SIZE bytes, not read. */
struct ra_blob *fix_layer(struct ra_graph *g, char c);

/* Blob c's size when its data is present, dflt otherwise. */
int64_t fix_blob_size(const struct ra_graph *g, char c, int64_t dflt);

/* Link key -> target in map, written at t (RA_TIME_NONE: leave the mtime unknown). */
struct ra_link *fix_link(struct ra_graph *g, struct ra_map *map, char key, char target,
                         ra_time t);
struct ra_link *fix_layer_link(struct ra_graph *g, const char *r, char c, ra_time t);
struct ra_link *fix_revision_link(struct ra_graph *g, const char *r, char c, ra_time t);

/* A push of tag r:name -> c at t: the tags folder, current/link and the index/ history
 * entry. */
struct ra_tag *fix_tag(struct ra_graph *g, const char *r, const char *name, char c,
                       ra_time t);

/* The config JSON of c, linux/arch, the same bytes every time, so the same digest names
 * the same content in every snapshot. */
const char *fix_config_json(char c, const char *arch);

/* Config cfg, layer (data and _layers links at t), image manifest m of media_type
 * (config size from fix_config_json, layer LAYER_SIZE) and its revision link at t.
 * Blob mtimes are left as they are. */
void fix_push_image_mt(struct ra_graph *g, const char *r, const char *media_type, char m,
                       char cfg, char layer, const char *arch, ra_time t);
void fix_push_image(struct ra_graph *g, const char *r, char m, char cfg, char layer,
                    const char *arch, ra_time t);

/* A config of os/arch with an empty rootfs. */
void fix_config(struct ra_graph *g, char c, const char *os, const char *arch);

/* An OCI image manifest m with config cfg and one layer per character of layers;
 * characters after '|' are foreign layers with urls. Descriptor sizes are those of the
 * blobs already present (cfg_absent, layer_absent when they are not). Returns its
 * length. */
int64_t fix_image(struct ra_graph *g, char m, char cfg, const char *layers,
                  int64_t cfg_absent, int64_t layer_absent);

/* An OCI index i over children (one character each, platforms[k] "os/arch"); every
 * descriptor says size, or with size < 0 the child's blob size (555 when absent). */
#define FIX_AMD64_ARM64 ((const char *const[]){"linux/amd64", "linux/arm64"})
struct ra_blob *fix_index(struct ra_graph *g, char i, const char *children,
                          const char *const *platforms, int64_t size);

/* Config cfg (linux/arch) and layers, all pushed to repository r with their _layers
 * links, then manifest m (fix_image) with its revision link. Returns m's length. */
int64_t fix_push_layers(struct ra_graph *g, const char *r, char m, char cfg,
                        const char *arch, const char *layers);

/* ---- files on disk ---------------------------------------------------------------- */

/* mkdir -p; folders that exist are fine. */
void fix_mkdirs(const char *path);

/* Sets path's mtime (and atime) to t, without following a symlink. */
void fix_set_mtime(const char *path, ra_time t);

/* Writes path (its folders made), its mtime t unless t is RA_TIME_NONE. */
void fix_write(const char *path, const void *data, size_t len, ra_time t);

/* Blob data at <root>/blobs/sha256/<hh>/<hex>/data, written at t; hex gets its
 * content address. */
void fix_disk_blob(char hex[65], const char *root, const void *data, size_t len,
                   ra_time t);

/* A link file at path holding "sha256:<hex>", written at t. */
void fix_disk_link(const char *path, const char *hex, ra_time t);

/* A push of r:tag under the registry root (…/docker/registry/v2), every file written
 * at t: config and layer data with their _layers links, an OCI image manifest (one
 * layer) with its revision link, the tag's current link and index entry. Without
 * keep_layer the layer's data is missing (its _layers link stays), as a
 * garbage-collect leaves it. The content addresses go into x. */
struct fix_disk_image {
    char cfg[65], layer[65], m[65];
    size_t m_size; /* the manifest's length */
};
void fix_disk_push(struct fix_disk_image *x, const char *root, const char *r,
                   const char *tag, const char *config, const char *layer, int keep_layer,
                   ra_time t);

/* mkdtemp on tmpl ("/tmp/ra-test-<name>-XXXXXX"): 0, or -1 for cmocka's setup. */
int fix_tmpdir_make(char *tmpl);

/* rm -rf dir: 0, or -1 for cmocka's teardown. */
int fix_tmpdir_remove(const char *dir);

#endif
