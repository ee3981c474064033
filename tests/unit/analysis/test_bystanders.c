/* SPDX-License-Identifier: MIT */
/* ra_bystanders: what else went in a loss window and breaks no tag, grouped under the
 * untagged manifests it belonged to; the loss itself not counted; what no untagged
 * manifest reaches counted apart. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/bystanders.h"
#include "analysis/losses.h"
#include "analysis/scan.h"
#include "model/graph.h"

#include "fixture_analysis.h"

#define T APR(11, 7, 45)

/* app:latest -> image 2 (config 4, layer 6); before the window also the untagged
 * index 1 (pushed on the 6th) over image 3 (config 5, layer 7), and a stray blob f;
 * after it, those are gone and so is 2's layer 6 (the loss). */
static struct ra_graph *graph(int after)
{
    static const char *const amd64[] = {"linux/amd64"};
    struct ra_graph *g = fix_graph("");
    struct ra_digest d = dg('6');

    fix_push_image(g, "app", '2', '4', '6', "amd64", T);
    fix_tag(g, "app", "latest", '2', T);
    if (after) {
        ((struct ra_blob *)ra_graph_find_blob(g, &d))->present = 0;
        return g;
    }
    fix_push_image(g, "app", '3', '5', '7', "amd64", APR(6, 0, 40));
    fix_index(g, '1', "3", amd64, -1);
    fix_revision_link(g, "app", '1', APR(6, 0, 40));
    fix_blob(g, 'f', "stray");
    return g;
}

static void test_bystanders__untagged_index(void **state)
{
    struct ra_graph *g0 = graph(0), *g1 = graph(1);
    struct ra_scan *scans[2] = {fix_scan("s-12", "s-12", APR(12, 1, 0), &g0, 1, NULL),
                                fix_scan("s-13", "s-13", APR(13, 1, 0), &g1, 1, NULL)};
    struct ra_losses ls;
    struct ra_loss loss;
    struct ra_bystanders b;
    const struct ra_bystander_root *r;
    struct ra_digest di = dg('1');

    (void)state;
    memset(&ls, 0, sizeof(ls));
    memset(&loss, 0, sizeof(loss));
    loss = (struct ra_loss){.object = RA_OBJ_BLOB,
                            .root = "",
                            .repository = "",
                            .digest = dg('6'),
                            .first_missing = 1,
                            .last_present = 0};
    ls.scans = scans;
    ls.nscans = 2;
    ra_vec_push(&ls.items, &loss);
    ra_bystanders_find(&b, &ls, &loss);
    assert_string_equal(b.before, "s-12");
    assert_string_equal(b.after, "s-13");
    assert_int_equal(b.blobs, 4);       /* 1, 3, 5, 7; not the lost 6 */
    assert_int_equal(b.manifests, 2);   /* 1, 3 */
    assert_int_equal(b.links, 2);       /* the revision links of 1 and 3 */
    assert_int_equal(b.unexplained, 1); /* f: no manifest reaches it */
    assert_int_equal(b.roots.len, 1);
    r = b.roots.items[0];
    assert_string_equal(r->repository, "app");
    assert_memory_equal(r->digest.b, di.b, sizeof(di.b));
    assert_true(r->is_index);
    assert_int_equal(r->pushed, APR(6, 0, 40));
    ra_bystanders_release(&b);

    /* no snapshot before the loss: nothing to compare */
    loss.last_present = SIZE_MAX;
    ra_bystanders_find(&b, &ls, &loss);
    assert_null(b.root);
    assert_int_equal(b.blobs + b.links + b.unexplained, 0);
    ra_bystanders_release(&b);
    ra_vec_release(&ls.items);
    ra_scan_free(scans[0]);
    ra_scan_free(scans[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bystanders__untagged_index),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
