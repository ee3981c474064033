/* SPDX-License-Identifier: MIT */
/* The pushes in a step's shell commands: docker/podman/nerdctl push, docker (buildx)
 * build --push, buildx imagetools create, docker manifest push, buildah push, skopeo
 * copy to docker://, crane push/copy/tag, kaniko --destination, regctl image copy.
 * Words are split as a POSIX shell would for these (quotes, escapes, line continuations,
 * $(...) kept whole); variables set by the commands (X=..., export X=...) are kept for
 * the rest of the step. */
#include "config/pipelines/pipelines_internal.h"

#include <ctype.h>
#include <stdlib.h>

#include "config/text/shellwords.h"

#define MAX_VALUES 32

struct cmd {
    struct ra_pipelines_ctx *ctx;
    struct ra_pipeline *pl;
    const char *step;
    unsigned line;
};

/* ---- arguments ---- */

static int has_flag(char **args, size_t n, const char *flag)
{
    size_t i, k = strlen(flag);

    for (i = 0; i < n; i++) {
        if (!strncmp(args[i], flag, k) && (!args[i][k] || !strcmp(args[i] + k, "=true")))
            return 1;
    }
    return 0;
}

/* The words that are not options; an option in with_value takes the next word (unless
 * written "--opt=value"). */
static size_t positionals(char **pos, size_t max, char **args, size_t n,
                          const char *const *with_value)
{
    size_t i, k = 0;
    int opts = 1;

    for (i = 0; i < n && k < max; i++) {
        if (opts && !strcmp(args[i], "--")) {
            opts = 0;
        } else if (opts && args[i][0] == '-' && args[i][1]) {
            if (!strchr(args[i], '=') && ra_shellwords_one_of(args[i], with_value))
                i++;
        } else {
            pos[k++] = args[i];
        }
    }
    return k;
}

/* Every value of an option: "-t X", "-tX", "--tag X", "--tag=X" (shrt or lng may be
 * NULL). */
static size_t option_values(char **vals, size_t max, char **args, size_t n,
                            const char *shrt, const char *lng)
{
    size_t i, k = 0, l = lng ? strlen(lng) : 0;

    for (i = 0; i < n && k < max; i++) {
        if ((shrt && !strcmp(args[i], shrt)) || (lng && !strcmp(args[i], lng))) {
            if (i + 1 < n)
                vals[k++] = args[++i];
        } else if (lng && !strncmp(args[i], lng, l) && args[i][l] == '=') {
            vals[k++] = args[i] + l + 1;
        } else if (shrt && !strncmp(args[i], shrt, 2) && args[i][2] &&
                   args[i][1] != '-') {
            vals[k++] = args[i] + 2;
        }
    }
    return k;
}

/* The values joined with ',', variables substituted; NULL when there are none. */
static const char *join(struct ra_pipelines_ctx *ctx, char **v, size_t n)
{
    struct ra_buf b = RA_BUF_INIT, x = RA_BUF_INIT;
    const char *s;
    size_t i;

    if (!n)
        return NULL;
    for (i = 0; i < n; i++)
        ra_buf_printf(&b, "%s%s", i ? "," : "", v[i]);
    ra_pipelines_expand(ctx, &x, ra_buf_cstr(&b));
    s = ra_pipelines_strdup(ctx, ra_buf_cstr(&x));
    ra_buf_release(&b);
    ra_buf_release(&x);
    return s;
}

/* Does the word, variables substituted, start with prefix? */
static int expands_to(struct ra_pipelines_ctx *ctx, const char *word, const char *prefix)
{
    struct ra_buf b = RA_BUF_INIT;
    int yes;

    ra_pipelines_expand(ctx, &b, word);
    yes = !strncmp(ra_buf_cstr(&b), prefix, strlen(prefix));
    ra_buf_release(&b);
    return yes;
}

/* Not a registry: "oci:dir", "docker-archive:x.tar", "containers-storage:...". */
static int other_transport(struct ra_pipelines_ctx *ctx, const char *ref)
{
    static const char *const transports[] = {
        "oci:",
        "oci-archive:",
        "dir:",
        "docker-archive:",
        "containers-storage:",
        "docker-daemon:",
        "ocidir://",
        "ocifile://",
    };
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(transports); i++) {
        if (expands_to(ctx, ref, transports[i]))
            return 1;
    }
    return 0;
}

static void push(const struct cmd *c, const char *ref, const char *how,
                 const char *platforms)
{
    struct ra_pipeline_image *img;

    if (!ref || other_transport(c->ctx, ref))
        return;
    img = ra_pipelines_add_push(c->ctx, c->pl, ref, c->step, how, c->line);
    if (img)
        img->platforms = platforms;
}

/* ---- the tools ---- */

static const char *const push_values[] = {
    "--platform",
    "--authfile",
    "--creds",
    "--cert-dir",
    "--digestfile",
    "--format",
    "-f",
    "--sign-by",
    "--retry",
    "--retry-delay",
    "--compression-format",
    "--compression-level",
    "--encryption-key",
    NULL,
};

/* "docker push IMAGE", "podman push SRC [DEST]", "buildah push SRC [DEST]". */
static void push_cmd(const struct cmd *c, char **args, size_t n, const char *how)
{
    char *pos[2], *plat[MAX_VALUES];
    size_t k = positionals(pos, 2, args, n, push_values);
    size_t np = option_values(plat, MAX_VALUES, args, n, NULL, "--platform");

    if (k)
        push(c, pos[k - 1], how, join(c->ctx, plat, np));
}

/* "docker build|buildx build ... --push -t X": every tag, when it pushes. */
static void build_cmd(const struct cmd *c, char **args, size_t n)
{
    char *tags[MAX_VALUES], *outs[MAX_VALUES], *plat[MAX_VALUES];
    size_t nt = option_values(tags, MAX_VALUES, args, n, "-t", "--tag");
    size_t no = option_values(outs, MAX_VALUES, args, n, "-o", "--output");
    size_t np = option_values(plat, MAX_VALUES, args, n, NULL, "--platform");
    const char *platforms = join(c->ctx, plat, np);
    int pushes = has_flag(args, n, "--push");
    size_t i;

    for (i = 0; i < no; i++)
        pushes |= strstr(outs[i], "type=registry") || strstr(outs[i], "push=true");
    for (i = 0; pushes && i < nt; i++)
        push(c, tags[i], "buildx --push", platforms);
}

/* The arguments after word (one of args, by address). */
static char **after(char **args, size_t n, const char *word, size_t *rest)
{
    size_t i;

    for (i = 0; i < n && args[i] != word; i++)
        ;
    *rest = i < n ? n - i - 1 : 0;
    return args + (i < n ? i + 1 : n);
}

static void docker_cmd(const struct cmd *c, char **args, size_t n, const char *prog)
{
    static const char *const globals[] = {
        "-H",          "--host",      "-c",        "--context", "--config",  "-l",
        "--log-level", "--tlscacert", "--tlscert", "--tlskey",  "--builder", NULL};
    const char *how = !strcmp(prog, "podman") ? "podman push" : "docker push";
    char *pos[3], *tags[MAX_VALUES], **rest;
    size_t k = positionals(pos, 3, args, n, globals), i, nt, nrest;

    if (!k)
        return;
    if (!strcmp(pos[0], "push")) {
        rest = after(args, n, pos[0], &nrest);
        push_cmd(c, rest, nrest, how);
    } else if (k > 1 && !strcmp(pos[0], "image") && !strcmp(pos[1], "push")) {
        rest = after(args, n, pos[1], &nrest);
        push_cmd(c, rest, nrest, how);
    } else if (!strcmp(pos[0], "build") ||
               (k > 1 &&
                (!strcmp(pos[0], "buildx") || !strcmp(pos[0], "image") ||
                 !strcmp(pos[0], "builder")) &&
                (!strcmp(pos[1], "build") || !strcmp(pos[1], "b")))) {
        build_cmd(c, args, n);
    } else if (k > 2 && !strcmp(pos[0], "buildx") && !strcmp(pos[1], "imagetools") &&
               !strcmp(pos[2], "create") && !has_flag(args, n, "--dry-run")) {
        nt = option_values(tags, MAX_VALUES, args, n, "-t", "--tag");
        for (i = 0; i < nt; i++)
            push(c, tags[i], "buildx imagetools", NULL);
    } else if (k > 1 && !strcmp(pos[0], "manifest") && !strcmp(pos[1], "push")) {
        rest = after(args, n, pos[1], &nrest);
        k = positionals(pos, 3, rest, nrest, push_values);
        if (k)
            push(c, pos[k - 1], "docker manifest push", NULL);
    }
}

/* "buildah push SRC [DEST]", "buildah manifest push [--all] LIST DEST". */
static void buildah_cmd(const struct cmd *c, char **args, size_t n)
{
    static const char *const globals[] = {"--root", "--runroot", "--storage-driver",
                                          "--registries-conf", NULL};
    char *pos[3], **rest;
    size_t k = positionals(pos, 3, args, n, globals), nrest;

    if (k && !strcmp(pos[0], "push")) {
        rest = after(args, n, pos[0], &nrest);
        push_cmd(c, rest, nrest, "buildah push");
    } else if (k > 1 && !strcmp(pos[0], "manifest") && !strcmp(pos[1], "push")) {
        rest = after(args, n, pos[1], &nrest);
        push_cmd(c, rest, nrest, "buildah push");
    }
}

/* "skopeo copy [--all] SRC docker://DEST". */
static void skopeo_cmd(const struct cmd *c, char **args, size_t n)
{
    static const char *const values[] = {"--override-arch",
                                         "--override-os",
                                         "--override-variant",
                                         "--policy",
                                         "--registries.d",
                                         "--tmpdir",
                                         "--command-timeout",
                                         "--authfile",
                                         "--src-authfile",
                                         "--dest-authfile",
                                         "--src-creds",
                                         "--dest-creds",
                                         "--src-cert-dir",
                                         "--dest-cert-dir",
                                         "--format",
                                         "-f",
                                         "--sign-by",
                                         "--additional-tag",
                                         "--encryption-key",
                                         "--decryption-key",
                                         "--src-registry-token",
                                         "--dest-registry-token",
                                         "--retry-times",
                                         "--multi-arch",
                                         "--src-username",
                                         "--src-password",
                                         "--dest-username",
                                         "--dest-password",
                                         "--digestfile",
                                         "--dest-compress-format",
                                         "--dest-compress-level",
                                         "--sign-passphrase-file",
                                         "--sign-by-sigstore",
                                         "--sign-by-sigstore-private-key",
                                         "--image-parallel-copies",
                                         "--src-shared-blob-dir",
                                         "--dest-shared-blob-dir",
                                         "--src-daemon-host",
                                         "--dest-daemon-host",
                                         "--preserve-digests",
                                         NULL};
    char *pos[MAX_VALUES], *arch[1];
    size_t k = positionals(pos, MAX_VALUES, args, n, values);
    const char *platforms = NULL;

    if (k < 3 || strcmp(pos[0], "copy") || !expands_to(c->ctx, pos[k - 1], "docker://"))
        return;
    if (has_flag(args, n, "--all") || has_flag(args, n, "-a"))
        platforms = "all";
    else if (option_values(arch, 1, args, n, NULL, "--multi-arch"))
        platforms = ra_pipelines_strdup(c->ctx, arch[0]);
    push(c, pos[k - 1], "skopeo copy", platforms);
}

/* The repository of a reference, without its tag or digest. */
static size_t repo_len(const char *ref)
{
    const char *slash = strrchr(ref, '/'), *colon;

    colon = strchr(slash ? slash : ref, ':');
    return colon ? (size_t)(colon - ref) : strcspn(ref, "@");
}

/* "crane push TARBALL IMAGE", "crane copy|cp SRC DST", "crane tag IMAGE TAG", and
 * -t/--tag of append, mutate, rebase. */
static void crane_cmd(const struct cmd *c, char **args, size_t n)
{
    static const char *const values[] = {
        "--platform", "-j", "--jobs",      "--image-refs", "-t",     "--tag",
        "--new_tag",  "-f", "--new_layer", "-b",           "--base", NULL};
    char *pos[4], *tags[MAX_VALUES], *ref;
    size_t k = positionals(pos, 4, args, n, values), nt, i;
    struct ra_buf b = RA_BUF_INIT;

    if (!k)
        return;
    if (!strcmp(pos[0], "push") && k >= 3) {
        push(c, pos[k - 1], "crane push", NULL);
    } else if ((!strcmp(pos[0], "copy") || !strcmp(pos[0], "cp")) && k >= 3) {
        push(c, pos[k - 1], "crane copy", NULL);
    } else if (!strcmp(pos[0], "tag") && k >= 3) {
        ref = pos[1];
        ra_buf_put(&b, ref, repo_len(ref));
        ra_buf_printf(&b, ":%s", pos[2]);
        push(c, ra_buf_cstr(&b), "crane tag", NULL);
    } else {
        nt = option_values(tags, MAX_VALUES, args, n, "-t", "--tag");
        nt += option_values(tags + nt, MAX_VALUES - nt, args, n, NULL, "--new_tag");
        for (i = 0; i < nt; i++)
            push(c, tags[i], "crane push", NULL);
    }
    ra_buf_release(&b);
}

/* "/kaniko/executor --destination X -d Y" (unless --no-push). */
static void kaniko_cmd(const struct cmd *c, char **args, size_t n)
{
    char *dest[MAX_VALUES], *plat[MAX_VALUES];
    size_t nd = option_values(dest, MAX_VALUES, args, n, "-d", "--destination");
    size_t np = option_values(plat, MAX_VALUES, args, n, NULL, "--custom-platform");
    const char *platforms = join(c->ctx, plat, np);
    size_t i;

    if (has_flag(args, n, "--no-push"))
        return;
    for (i = 0; i < nd; i++)
        push(c, dest[i], "kaniko", platforms);
}

/* "regctl image copy|cp SRC DST". */
static void regctl_cmd(const struct cmd *c, char **args, size_t n)
{
    static const char *const values[] = {"--platform", "--host",      "--logopt",
                                         "-v",         "--verbosity", NULL};
    char *pos[4];
    size_t k = positionals(pos, 4, args, n, values);

    if (k == 4 && !strcmp(pos[0], "image") &&
        (!strcmp(pos[1], "copy") || !strcmp(pos[1], "cp")))
        push(c, pos[3], "regctl copy", NULL);
}

/* ---- commands ---- */

static void set_var(struct ra_pipelines_ctx *ctx, const char *assign)
{
    const char *eq = strchr(assign, '=');

    ra_pipelines_vars_set(ctx, assign, (size_t)(eq - assign), eq + 1);
}

static void command(const struct cmd *c, char **argv, size_t argc)
{
    static const char *const prefixes[] = {"sudo",  "time", "exec", "command",
                                           "nohup", "env",  NULL};
    static const char *const declare[] = {"export", "readonly", "declare",
                                          "local",  "typeset",  NULL};
    const char *path, *prog;
    size_t i;

    for (i = 0; i < argc && ra_shellwords_is_assign(argv[i]); i++)
        ;
    if (i == argc ||
        ra_shellwords_one_of(argv[i], declare)) { /* variables for what follows */
        for (i = 0; i < argc; i++) {
            if (ra_shellwords_is_assign(argv[i]))
                set_var(c->ctx, argv[i]);
        }
        return;
    }
    while (i < argc && (ra_shellwords_one_of(argv[i], prefixes) ||
                        ra_shellwords_is_assign(argv[i]))) {
        for (i++; i < argc && (argv[i][0] == '-' || ra_shellwords_is_assign(argv[i]));
             i++)
            ;
    }
    if (i >= argc)
        return;
    path = argv[i];
    prog = ra_shellwords_base(path);
    argv += i + 1;
    argc -= i + 1;
    if (!strcmp(prog, "docker") || !strcmp(prog, "podman") || !strcmp(prog, "nerdctl"))
        docker_cmd(c, argv, argc, prog);
    else if (!strcmp(prog, "buildah"))
        buildah_cmd(c, argv, argc);
    else if (!strcmp(prog, "skopeo"))
        skopeo_cmd(c, argv, argc);
    else if (!strcmp(prog, "crane") || !strcmp(prog, "gcrane"))
        crane_cmd(c, argv, argc);
    else if (!strcmp(prog, "executor") || strstr(path, "kaniko"))
        kaniko_cmd(c, argv, argc);
    else if (!strcmp(prog, "regctl"))
        regctl_cmd(c, argv, argc);
}

void ra_pipelines_shell(struct ra_pipelines_ctx *ctx, struct ra_pipeline *pl,
                        const char *step, const char *text, unsigned first_line)
{
    struct ra_shellwords_lexer lx = {
        text, RA_SHELLWORDS_LINES | RA_SHELLWORDS_GROUPS | RA_SHELLWORDS_REDIRECTS,
        first_line};
    struct cmd c = {ctx, pl, step, first_line};
    struct ra_shellwords *w = ra_xcalloc(1, sizeof(*w));
    char *argv[RA_SHELLWORDS_MAX];
    size_t i;

    while (ra_shellwords_command(w, &lx)) {
        if (!w->n)
            continue;
        for (i = 0; i < w->n; i++)
            argv[i] = (char *)ra_shellwords_at(w, i);
        c.line = w->line;
        command(&c, argv, w->n);
    }
    ra_shellwords_release(w);
    free(w);
}
