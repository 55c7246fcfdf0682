"""PKCS#12 keystores, for definitions that renew a certificate.

The published face of the keystore toolkit that `runbook cert status` also
uses: open and check a keystore, and replace one on disk with its previous
file kept beside it, and keep only the newest few of those backups.
"""

from runbooks._backups import KEEP_BACKUPS, prune_backups
from runbooks._keystore import (
    CertificateInfo,
    Replacement,
    check_destination,
    check_usable,
    open_pkcs12,
)

__all__ = [
    "KEEP_BACKUPS",
    "CertificateInfo",
    "check_destination",
    "check_usable",
    "open_pkcs12",
    "prune_backups",
    "Replacement",
]
