/* SPDX-License-Identifier: MIT */
/* Shared by the pipelines module's files (pipelines.c, pipelines_ci.c,
 * pipelines_shell.c) and no one else. */
#ifndef RA_CONFIG_PIPELINES_PIPELINES_INTERNAL_H
#define RA_CONFIG_PIPELINES_PIPELINES_INTERNAL_H

#include "config/pipelines/pipelines.h"
#include "config/text/yamldoc.h"
#include "util/map.h"

/* A variable the pipeline defines (environment:, variables:, env:, a shell
 * assignment), for references like "$REGISTRY/app:${TAG}". */
struct ra_pipelines_var {
    const char *name;
    const char *value;
};

struct ra_pipelines_ctx {
    struct ra_pipelines *out;
    const char *path; /* the file being read (in the pool) */
    const char *base; /* its name without directories and extension */
    yaml_document_t *doc;
    yaml_node_t *root;  /* the document's root */
    size_t ndoc;        /* documents of the file read so far */
    size_t visits;      /* nodes of the document visited (ra_pipelines_visit) */
    int capped;         /* the document had too many: reported */
    struct ra_map seen; /* images of the file added so far, to drop repeats */
    struct ra_vec vars; /* struct ra_pipelines_var *, innermost last */
};

/* Pool copies. */
char *ra_pipelines_strdup(struct ra_pipelines_ctx *ctx, const char *s);
char *ra_pipelines_strndup(struct ra_pipelines_ctx *ctx, const char *s, size_t n);

/* A new pipeline of the current file, already in ctx->out->pipelines. */
struct ra_pipeline *ra_pipelines_add(struct ra_pipelines_ctx *ctx,
                                     enum ra_ci_system system, const char *name,
                                     unsigned line);

/* A trigger of pl at line of the current file (event is copied; NULL is fine). */
struct ra_pipeline_trigger *ra_pipelines_add_trigger(struct ra_pipelines_ctx *ctx,
                                                     struct ra_pipeline *pl,
                                                     enum ra_trigger_kind kind,
                                                     const char *event, unsigned line);

/* An image pl runs or pushes, at line of the current file: image is copied (trimmed,
 * quotes and a "docker://" prefix dropped) and its ref computed with the variables in
 * scope. how must be a string literal. Returns NULL (nothing added) for an empty image.
 */
struct ra_pipeline_image *ra_pipelines_add_use(struct ra_pipelines_ctx *ctx,
                                               struct ra_pipeline *pl, const char *image,
                                               const char *step, const char *how,
                                               unsigned line);
struct ra_pipeline_image *ra_pipelines_add_push(struct ra_pipelines_ctx *ctx,
                                                struct ra_pipeline *pl, const char *image,
                                                const char *step, const char *how,
                                                unsigned line);

/* Variables: the scalar values of a mapping (GitLab's {value: ...} too) come into
 * scope; ra_pipelines_vars_pop(ctx, mark) ends the scope started when mark was taken
 * (mark = ctx->vars.len). */
void ra_pipelines_vars_map(struct ra_pipelines_ctx *ctx, const yaml_node_t *map);
void ra_pipelines_vars_set(struct ra_pipelines_ctx *ctx, const char *name, size_t len,
                           const char *value);
void ra_pipelines_vars_pop(struct ra_pipelines_ctx *ctx, size_t mark);

/* s with the variables in scope substituted ("$X", "${X}", "${X:-default}",
 * "${{ env.X }}"; unknown ones kept as written), into out (emptied first). */
void ra_pipelines_expand(const struct ra_pipelines_ctx *ctx, struct ra_buf *out,
                         const char *s);

/* Record a problem with the current file (msg is formatted). */
void ra_pipelines_add_problem(struct ra_pipelines_ctx *ctx, unsigned line, int code,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* One document of a CI file, by system (pipelines_ci.c, pipelines_gitlab.c). */
void ra_pipelines_woodpecker(struct ra_pipelines_ctx *ctx);
void ra_pipelines_drone(struct ra_pipelines_ctx *ctx);
void ra_pipelines_gitlab(struct ra_pipelines_ctx *ctx);
void ra_pipelines_github(struct ra_pipelines_ctx *ctx);

/* Count a node visited; 0 once a document has had RA_YAMLDOC_MAX_VISITS (aliases make
 * a small file large), and then a problem (RA_ELIMIT) is recorded, once. */
int ra_pipelines_visit(struct ra_pipelines_ctx *ctx);

/* A string of a list (pipelines_ci.c), copied to the pool, with its line. */
struct ra_pipelines_item {
    const char *s;
    unsigned line;
};

#define RA_PIPELINES_MAX_ITEMS 64

/* The strings of a scalar (split at any of seps, when not NULL), of a list of scalars,
 * or of an include:/exclude: mapping's include list, into out[0..max): returns how
 * many. *excluded (when not NULL) is set for an exclude-only mapping. */
size_t ra_pipelines_items(struct ra_pipelines_ctx *ctx, const yaml_node_t *n,
                          const char *seps, struct ra_pipelines_item *out, size_t max,
                          int *excluded);

/* Shell text in a string, a list (nested lists too), a GitLab !reference [.job, key],
 * or a list item YAML read as a mapping ("- echo a: b"): to ra_pipelines_shell. */
void ra_pipelines_commands(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                           const char *step, const yaml_node_t *n, int depth);

/* Commands of a step (pipelines_shell.c): the pushes in shell text that starts at
 * first_line of the current file; assignments (X=..., export X=...) stay in scope for
 * the rest of the step. */
void ra_pipelines_shell(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                        const char *step, const char *text, unsigned first_line);

#endif
