#!/usr/bin/env python3
"""Writes a reproducible OCI image-layout tarball from directory trees, without a container daemon or registry.

    oci-image.py layer DIR LAYER.tar.gz [--owner UID:GID] [--prefix /deployments]
    oci-image.py image --out IMAGE.tar --name groundwork/operator:0.1.0 --config CONFIG.json --layer LAYER.tar.gz ...

A layer is the tree under DIR, stored under PREFIX (default /) inside the image; with --owner every entry is owned
by UID:GID (as Dockerfile `COPY --chown`), else by the owners on disk; LAYER.tar.gz.diffid records its diff id. Entries are sorted, every mtime is
SOURCE_DATE_EPOCH (default 0), owners are numeric only, gzip headers carry no time or name: the same inputs give a
byte-identical tarball. CONFIG.json is the image config's "config" object (Entrypoint, Env, User, WorkingDir, ...).
The index carries `io.containerd.image.name` and `org.opencontainers.image.ref.name`, so `ctr images import` tags it,
and `skopeo copy oci-archive:IMAGE.tar docker://...` pushes it.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import stat
import sys
import tarfile
import tempfile

EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))


def walk(root):
    """Every path under root (root itself excluded), sorted as in the tar: parents before children, by name."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for n in dirnames + filenames:
            out.append(os.path.join(dirpath, n))
    return sorted(out, key=lambda p: os.path.relpath(p, root).split(os.sep))


def write_layer(src, prefix, owner, fileobj):
    hardlinks = {}
    with tarfile.open(fileobj=fileobj, mode="w", format=tarfile.GNU_FORMAT) as tar:
        prefix = prefix.strip("/")
        if prefix:  # the parents of the prefix, as directories
            parts = prefix.split("/")
            for i in range(1, len(parts) + 1):
                info = tarfile.TarInfo("/".join(parts[:i]))
                info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, EPOCH
                if i == len(parts) and owner:
                    info.uid, info.gid = owner
                tar.addfile(info)
        for path in walk(src):
            rel = os.path.relpath(path, src)
            name = f"{prefix}/{rel}" if prefix else rel
            st = os.lstat(path)
            info = tarfile.TarInfo(name)
            info.mode = stat.S_IMODE(st.st_mode)
            info.uid, info.gid = owner if owner else (st.st_uid, st.st_gid)
            info.uname = info.gname = ""
            info.mtime = EPOCH
            data = None
            if stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
            elif stat.S_ISLNK(st.st_mode):
                info.type, info.linkname = tarfile.SYMTYPE, os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if st.st_nlink > 1 and key in hardlinks:
                    info.type, info.linkname = tarfile.LNKTYPE, hardlinks[key]
                else:
                    hardlinks[key] = name
                    info.size = st.st_size
                    data = path
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                info.type = tarfile.CHRTYPE if stat.S_ISCHR(st.st_mode) else tarfile.BLKTYPE
                info.devmajor, info.devminor = os.major(st.st_rdev), os.minor(st.st_rdev)
            elif stat.S_ISFIFO(st.st_mode):
                info.type = tarfile.FIFOTYPE
            else:
                continue  # sockets: not part of an image
            if data:
                with open(data, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def gzip_layer(src, prefix, owner, out, level):
    """Writes OUT (the gzip'd layer) and OUT.diffid (sha256 of the uncompressed tar); returns nothing."""
    tmp = out + ".tmp"
    raw = out + ".raw"
    with open(raw, "wb") as f:
        write_layer(src, prefix, owner, f)
    diff_id = "sha256:" + sha256_file(raw)
    with open(raw, "rb") as fin, open(tmp, "wb") as fout:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fout, compresslevel=level, mtime=0) as z:
            shutil.copyfileobj(fin, z, 1 << 20)
    os.remove(raw)
    with open(out + ".diffid", "w") as f:
        f.write(diff_id)
    os.replace(tmp, out)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    pl = sub.add_parser("layer", help="one gzip'd layer from a tree: SRC OUT [--owner UID:GID] [--prefix DIR]")
    pl.add_argument("src")
    pl.add_argument("out")
    pl.add_argument("--owner")
    pl.add_argument("--prefix", default="")
    pl.add_argument("--compress-level", type=int, default=6)
    pi = sub.add_parser("image", help="an OCI image-layout tarball from layers written by `layer`")
    pi.add_argument("--out", required=True)
    pi.add_argument("--name", required=True)
    pi.add_argument("--config", required=True)
    pi.add_argument("--layer", action="append", default=[])
    a = p.parse_args()

    if a.cmd == "layer":
        owner = tuple(int(x) for x in a.owner.split(":")) if a.owner else None
        gzip_layer(a.src, a.prefix, owner, a.out, a.compress_level)
        return 0

    work = tempfile.mkdtemp(prefix=".oci-", dir=os.path.dirname(os.path.abspath(a.out)))
    try:
        blobs = os.path.join(work, "blobs", "sha256")
        os.makedirs(blobs)

        def put(data):
            digest = hashlib.sha256(data).hexdigest()
            with open(os.path.join(blobs, digest), "wb") as f:
                f.write(data)
            return digest, len(data)

        layers, diff_ids = [], []
        for gz in a.layer:
            with open(gz + ".diffid") as f:
                diff_ids.append(f.read().strip())
            digest = sha256_file(gz)
            dst = os.path.join(blobs, digest)
            try:
                os.link(gz, dst)
            except OSError:
                shutil.copyfile(gz, dst)
            layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                           "digest": "sha256:" + digest, "size": os.path.getsize(gz)})

        with open(a.config) as f:
            cfg = json.load(f)
        created = __import__("datetime").datetime.fromtimestamp(EPOCH, __import__("datetime").timezone.utc)
        config = {
            "architecture": "amd64", "os": "linux",
            "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "config": cfg,
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created": created.strftime("%Y-%m-%dT%H:%M:%SZ"), "created_by": "hack/lib/oci-image.py"}
                        for _ in layers],
        }
        cdigest, csize = put(json.dumps(config, sort_keys=True, separators=(",", ":")).encode())
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                               "digest": "sha256:" + cdigest, "size": csize},
                    "layers": layers}
        mdigest, msize = put(json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode())
        name = a.name
        full = name if name.count("/") >= 2 or "." in name.split("/")[0] else "docker.io/" + (
            name if "/" in name else "library/" + name)
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                "digest": "sha256:" + mdigest, "size": msize,
                                "annotations": {"io.containerd.image.name": full,
                                                "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]}}]}
        with open(os.path.join(work, "index.json"), "w") as f:
            f.write(json.dumps(index, sort_keys=True, separators=(",", ":")))
        with open(os.path.join(work, "oci-layout"), "w") as f:
            f.write('{"imageLayoutVersion":"1.0.0"}')

        tmp_out = a.out + ".tmp"
        with open(tmp_out, "wb") as f:
            with tarfile.open(fileobj=f, mode="w", format=tarfile.GNU_FORMAT) as tar:
                for rel in ["oci-layout", "index.json", "blobs", "blobs/sha256"] + sorted(
                        "blobs/sha256/" + n for n in os.listdir(blobs)):
                    path = os.path.join(work, rel)
                    info = tar.gettarinfo(path, rel)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    info.mtime = EPOCH
                    info.mode = 0o755 if info.isdir() else 0o644
                    if info.isdir():
                        tar.addfile(info)
                    else:
                        with open(path, "rb") as fh:
                            tar.addfile(info, fh)
        os.replace(tmp_out, a.out)
        print(f"{full}@sha256:{mdigest}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
