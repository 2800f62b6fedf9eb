"""Exchange without a database: manifests of evidence bundles and backups, checked offline."""

from dhakira.exchange.manifest import (
    MANIFEST,
    Verification,
    build_manifest,
    digest_file,
    verify,
    write_manifest,
    zip_folder,
)

__all__ = ["MANIFEST", "Verification", "build_manifest", "digest_file", "verify", "write_manifest", "zip_folder"]
