# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# A file system in a sparse image file, loop-mounted, for bench/run.sh --fs btrfs|ext4
# (sourced; see bench/README.md, "Many snapshots on a loop-mounted file system").
#
#   loopfs_check KIND                  refuse (exit 2, one line) unless root, a free loop
#                                      device and mkfs.KIND are there
#   loopfs_up KIND IMAGE MNT BYTES INODES
#                                      make IMAGE (sparse, BYTES) with mkfs.KIND unless it
#                                      is there (ext4: INODES inodes), attach it to a loop
#                                      device and mount it on MNT
#   loopfs_down                        unmount and detach what loopfs_up attached
#
# Btrfs is what a Synology share is: every `#snapshot` folder is a read-only Btrfs
# snapshot of the share, so a snapshot costs no inodes and no copy of the tree. On ext4
# every `cp -al` copy makes a new inode and block per folder: size the image for that.

LOOPFS_DEV=
LOOPFS_MNT=

loopfs_check() {
    local kind=$1
    case "$kind" in
    btrfs | ext4) ;;
    *) echo "run.sh: --fs must be dir, btrfs or ext4 (got $kind)" >&2; exit 2 ;;
    esac
    if [ "$(id -u)" != 0 ]; then
        echo "run.sh: --fs $kind needs root (mkfs, losetup and mount of an image file)" >&2
        exit 2
    fi
    command -v "mkfs.$kind" >/dev/null || {
        echo "run.sh: --fs $kind needs mkfs.$kind (Debian: apt-get install" \
            "$([ "$kind" = btrfs ] && echo btrfs-progs || echo e2fsprogs))" >&2
        exit 2
    }
    if [ "$kind" = btrfs ]; then
        command -v btrfs >/dev/null || { echo "run.sh: --fs btrfs needs the btrfs command (btrfs-progs)" >&2; exit 2; }
        grep -qw btrfs /proc/filesystems || modprobe btrfs 2>/dev/null ||
            { echo "run.sh: --fs btrfs: the kernel has no btrfs" >&2; exit 2; }
    fi
    if ! command -v losetup >/dev/null || ! losetup -f >/dev/null 2>&1; then
        echo "run.sh: --fs $kind needs a free loop device (losetup -f found none)" >&2
        exit 2
    fi
}

loopfs_up() {
    local kind=$1 img=$2 mnt=$3 bytes=$4 inodes=$5
    if [ ! -f "$img" ]; then
        echo "# making $img: $kind, $((bytes >> 30)) GiB sparse$([ "$kind" = btrfs ] || echo ", $inodes inodes")"
        truncate -s "$bytes" "$img"
        if [ "$kind" = btrfs ]; then
            # one device: metadata kept once (as a single-disk Synology volume does not
            # mirror it either); 16 KiB nodes, the default
            mkfs.btrfs -q -m single -d single "$img" >/dev/null
        else
            # inline_data keeps a folder of a few names in its inode: registry storage
            # is half folders of one or two entries
            mkfs.ext4 -q -F -N "$inodes" -I 256 -O inline_data \
                -E lazy_itable_init=1,lazy_journal_init=1 "$img"
        fi
    fi
    mkdir -p "$mnt"
    # direct I/O: the image's blocks are cached once, by the mounted file system, not a
    # second time as pages of the image file (with a 1M-entry share of 90 snapshots the
    # kernel's inode and page caches are what runs out first)
    LOOPFS_DEV=$(losetup -f --show --direct-io=on "$img" 2>/dev/null) ||
        LOOPFS_DEV=$(losetup -f --show "$img")
    if ! mount -o noatime "$LOOPFS_DEV" "$mnt"; then
        losetup -d "$LOOPFS_DEV"
        LOOPFS_DEV=
        echo "run.sh: mounting $img ($kind) on $mnt failed" >&2
        exit 2
    fi
    LOOPFS_MNT=$mnt
}

loopfs_down() {
    if [ -n "$LOOPFS_MNT" ]; then
        sync -f "$LOOPFS_MNT" 2>/dev/null || true
        umount "$LOOPFS_MNT" 2>/dev/null || umount -l "$LOOPFS_MNT" ||
            echo "run.sh: could not unmount $LOOPFS_MNT" >&2
        LOOPFS_MNT=
    fi
    if [ -n "$LOOPFS_DEV" ]; then
        losetup -d "$LOOPFS_DEV" 2>/dev/null || true
        LOOPFS_DEV=
    fi
}
